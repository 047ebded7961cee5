/**
 * Stream functions registered at run time for an API name (extensions: pi-ai's `registerApiProvider`, or a provider
 * registered with its own `streamSimple`). They take precedence over the built-in provider of the same API name.
 * Empty unless an extension registers one.
 */
import type { StreamFunction } from "./types.ts";

interface RegisteredApi {
	stream: StreamFunction;
	/** Who registered it (an extension path), so its registrations can be removed together. */
	owner: string | undefined;
}

const apis = new Map<string, RegisteredApi>();

export function registerStreamApi(api: string, stream: StreamFunction, owner?: string): void {
	apis.set(api, { stream, owner });
}

export function unregisterStreamApi(api: string): void {
	apis.delete(api);
}

/** Removes every API registered by `owner`. */
export function unregisterStreamApisOf(owner: string): void {
	for (const [api, entry] of apis) if (entry.owner === owner) apis.delete(api);
}

export function registeredStreamApi(api: string): StreamFunction | undefined {
	return apis.get(api)?.stream;
}

export function registeredStreamApiNames(): string[] {
	return [...apis.keys()];
}

export function clearStreamApis(): void {
	apis.clear();
}
