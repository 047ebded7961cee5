/**
 * What dispatching one event needs of the runner (runner.ts): the handlers in order, the `ctx` they receive,
 * parsing what they return, and reporting what they throw. Event kinds kept in their own modules
 * (request-events.ts) work through it.
 */

import type * as v from "valibot";
import type { Extension, ExtensionError, ExtensionHandler } from "./types.ts";

export interface HandlerDispatch {
	/** Handlers of `event` in extension load order, then registration order; copied before dispatch. */
	handlersOf(event: string): { extension: Extension; handler: ExtensionHandler }[];
	createContext(): Record<string, unknown>;
	/** A handler's return value parsed by `schema`; a wrong shape is reported and treated as "no result". */
	parseResult<T extends v.GenericSchema>(
		schema: T,
		value: unknown,
		extension: Extension,
		event: string,
	): v.InferOutput<T> | undefined;
	reportError(error: ExtensionError): void;
	reportThrown(extension: Pick<Extension, "path" | "resolvedPath">, event: string, thrown: unknown): void;
}
