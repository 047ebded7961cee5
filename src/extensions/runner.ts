/**
 * Dispatching events to extension handlers with pi's result semantics (pi 1.6 ExtensionRunner): handlers run in
 * extension load order, then registration order.
 *  - notifications: return values ignored; a throwing handler is reported and the rest still run;
 *  - `tool_call`: the first `{ block: true }` wins; a throwing handler blocks the call (fail-safe);
 *  - `tool_result`, `input`, `message_end`: each handler sees what the previous one returned (chained; the
 *    request-time ones, `context`, `before_provider_request` and `before_provider_headers`, are in request-events.ts);
 *  - `session_before_*`: the first `{ cancel: true }` stops the operation;
 *  - `user_bash`: the first handler that returns operations or a result takes the command.
 * Whatever a handler returns is parsed (schemas.ts); a value of the wrong shape is reported, not trusted. What the
 * extensions registered (tools, commands, …) is resolved in registrations.ts.
 */

import * as v from "valibot";
import type { BoundaryDraft } from "../agent/session/settle-boundary.ts";
import type { AgentMessage } from "../agent/types.ts";
import type { ImageContent, ProviderHeaders } from "../ai/types.ts";
import { describeError } from "./errors.ts";
import type { HandlerDispatch } from "./handler-dispatch.ts";
import { asAgentMessage } from "./message-schema.ts";
import {
	type ExtensionShortcut,
	entryRenderer,
	messageRenderer,
	type ResolvedCommand,
	registeredCommands,
	registeredFlags,
	registeredShortcuts,
	registeredTools,
} from "./registrations.ts";
import { dispatchBeforeProviderHeaders, dispatchBeforeProviderRequest, dispatchContext } from "./request-events.ts";
import type { ExtensionRuntime } from "./runtime.ts";
import {
	BeforeAgentStartResultSchema,
	BoundaryResultSchema,
	firstIssue,
	InputResultSchema,
	MessageEndResultSchema,
	ResourcesDiscoverResultSchema,
	ToolCallResultSchema,
	ToolResultPatchSchema,
	UserBashFullResultSchema,
	UserBashOperationsResultSchema,
} from "./schemas.ts";
import type { Extension, ExtensionError, ExtensionFlag, ExtensionHandler, RegisteredTool } from "./types.ts";

export type ExtensionErrorListener = (error: ExtensionError) => void;

/** Builds the `ctx` handlers receive; supplied by the session binding (context.ts). */
export interface ContextFactory {
	createContext(): Record<string, unknown>;
	createCommandContext(): Record<string, unknown>;
}

export interface EventLike {
	type: string;
	[key: string]: unknown;
}

export type ToolCallResult = v.InferOutput<typeof ToolCallResultSchema>;
export type ToolResultPatch = v.InferOutput<typeof ToolResultPatchSchema>;
export type InputResult =
	| { action: "continue" }
	| { action: "handled" }
	| { action: "transform"; text: string; images?: ImageContent[] };
export type UserBashResult =
	| { kind: "operations"; exec: (...args: unknown[]) => unknown }
	| { kind: "result"; result: v.InferOutput<typeof UserBashFullResultSchema>["result"] };

export interface BeforeAgentStartResult {
	messages: NonNullable<v.InferOutput<typeof BeforeAgentStartResultSchema>["message"]>[];
	systemPrompt?: string;
}

export class ExtensionRunner implements HandlerDispatch {
	private readonly errorListeners = new Set<ExtensionErrorListener>();
	private contexts: ContextFactory | undefined;

	constructor(
		readonly extensions: readonly Extension[],
		readonly runtime: ExtensionRuntime,
	) {
		runtime.reportError = (error) => {
			if (!runtime.isStale) this.reportError(error);
		};
	}

	setContextFactory(contexts: ContextFactory): void {
		this.contexts = contexts;
	}

	onError(listener: ExtensionErrorListener): () => void {
		this.errorListeners.add(listener);
		return () => this.errorListeners.delete(listener);
	}

	reportError(error: ExtensionError): void {
		for (const listener of this.errorListeners) listener(error);
	}

	/** Reports what a handler of `extension` threw during `event`. */
	reportThrown(extension: Pick<Extension, "path" | "resolvedPath">, event: string, thrown: unknown): void {
		const roots = [extension.resolvedPath.replace(/[^/\\]*$/, "")];
		const described = describeError(thrown, roots);
		this.reportError({
			extensionPath: extension.path,
			event,
			error: described.message,
			location: described.location,
			stack: described.stack,
		});
	}

	private context(): Record<string, unknown> {
		return this.contexts?.createContext() ?? {};
	}

	createCommandContext(): Record<string, unknown> {
		return this.contexts?.createCommandContext() ?? {};
	}

	createContext(): Record<string, unknown> {
		return this.context();
	}

	hasHandlers(event: string): boolean {
		return this.extensions.some((extension) => (extension.handlers.get(event)?.length ?? 0) > 0);
	}

	/** Handlers of `event`, copied: one that unsubscribes or registers during dispatch does not disturb it. */
	handlersOf(event: string): { extension: Extension; handler: ExtensionHandler }[] {
		return this.extensions.flatMap((extension) =>
			(extension.handlers.get(event) ?? []).slice().map((handler) => ({ extension, handler })),
		);
	}

	/** Parses a handler's return value; a wrong shape is reported and treated as "no result". */
	parseResult<T extends v.GenericSchema>(
		schema: T,
		value: unknown,
		extension: Extension,
		event: string,
	): v.InferOutput<T> | undefined {
		if (value === undefined || value === null) return undefined;
		const parsed = v.safeParse(schema, value);
		if (parsed.success) return parsed.output;
		this.reportError({
			extensionPath: extension.path,
			event,
			error: `Invalid ${event} handler result: ${firstIssue(parsed.issues)}`,
		});
		return undefined;
	}

	/** A notification: every handler runs; results are ignored, failures reported. */
	async emit(event: EventLike): Promise<void> {
		const ctx = this.context();
		for (const { extension, handler } of this.handlersOf(event.type)) {
			try {
				await handler(event, ctx);
			} catch (error) {
				this.reportThrown(extension, event.type, error);
			}
		}
	}

	/**
	 * `session_before_switch/fork/compact/tree`: returns the last result, or the first that cancels. `schema` parses
	 * each result.
	 */
	async emitBefore<T extends v.GenericSchema>(event: EventLike, schema: T): Promise<v.InferOutput<T> | undefined> {
		const ctx = this.context();
		let result: v.InferOutput<T> | undefined;
		for (const { extension, handler } of this.handlersOf(event.type)) {
			try {
				const parsed = this.parseResult(schema, await handler(event, ctx), extension, event.type);
				if (parsed === undefined) continue;
				result = parsed;
				if (typeof parsed === "object" && parsed !== null && "cancel" in parsed && parsed.cancel === true) {
					return parsed;
				}
			} catch (error) {
				this.reportThrown(extension, event.type, error);
			}
		}
		return result;
	}

	/** `tool_call`: the first block wins. A throwing handler blocks the call with its message (pi: fail-safe). */
	async emitToolCall(event: EventLike): Promise<ToolCallResult | undefined> {
		const ctx = this.context();
		let result: ToolCallResult | undefined;
		for (const { extension, handler } of this.handlersOf("tool_call")) {
			let returned: unknown;
			try {
				returned = await handler(event, ctx);
			} catch (error) {
				this.reportThrown(extension, "tool_call", error);
				const message = error instanceof Error ? error.message : String(error);
				return { block: true, reason: message };
			}
			const parsed = this.parseResult(ToolCallResultSchema, returned, extension, "tool_call");
			if (!parsed) continue;
			result = parsed;
			if (parsed.block) return parsed;
		}
		return result;
	}

	/** `tool_result`: patches chain; undefined when nothing changed. */
	async emitToolResult(
		event: EventLike & { content: unknown; details: unknown; isError: boolean },
	): Promise<ToolResultPatch | undefined> {
		const ctx = this.context();
		const current = { ...event };
		let modified = false;
		for (const { extension, handler } of this.handlersOf("tool_result")) {
			try {
				const patch = this.parseResult(ToolResultPatchSchema, await handler(current, ctx), extension, "tool_result");
				if (!patch) continue;
				if (patch.content !== undefined) current.content = patch.content;
				if (patch.details !== undefined) current.details = patch.details;
				if (patch.isError !== undefined) current.isError = patch.isError;
				if (patch.terminate !== undefined) current.terminate = patch.terminate;
				modified = true;
			} catch (error) {
				this.reportThrown(extension, "tool_result", error);
			}
		}
		if (!modified) return undefined;
		const parsed = v.safeParse(ToolResultPatchSchema, current);
		return parsed.success ? parsed.output : undefined;
	}

	/** `input`: transforms chain, the first `handled` ends it. */
	async emitInput(
		text: string,
		images: ImageContent[] | undefined,
		source: "interactive" | "rpc" | "extension",
		streamingBehavior: "steer" | "followUp" | undefined,
	): Promise<InputResult> {
		const ctx = this.context();
		let currentText = text;
		let currentImages = images;
		for (const { extension, handler } of this.handlersOf("input")) {
			try {
				const event = { type: "input", text: currentText, images: currentImages, source, streamingBehavior };
				const result = this.parseResult(InputResultSchema, await handler(event, ctx), extension, "input");
				if (result?.action === "handled") return { action: "handled" };
				if (result?.action === "transform") {
					currentText = result.text;
					currentImages = result.images ?? currentImages;
				}
			} catch (error) {
				this.reportThrown(extension, "input", error);
			}
		}
		return currentText !== text || currentImages !== images
			? { action: "transform", text: currentText, images: currentImages }
			: { action: "continue" };
	}

	/**
	 * `before_agent_start`: handlers see the run's prompt options (`systemPromptOptions`, edited in place, later
	 * handlers seeing the edits) and the prompt rendered from them, or the exact prompt an earlier handler returned.
	 */
	async emitBeforeAgentStart(
		trigger: Record<string, unknown>,
		systemPromptOptions: object,
		render: () => string,
	): Promise<BeforeAgentStartResult> {
		const ctx = this.context();
		let override: string | undefined;
		const current = () => override ?? render();
		const messages: BeforeAgentStartResult["messages"] = [];
		// Inside the handlers ctx.getSystemPrompt() answers the prompt as chained so far.
		const chainedCtx = { ...ctx, getSystemPrompt: current };
		for (const { extension, handler } of this.handlersOf("before_agent_start")) {
			try {
				const event = { ...trigger, type: "before_agent_start", systemPrompt: current(), systemPromptOptions };
				const result = this.parseResult(
					BeforeAgentStartResultSchema,
					await handler(event, chainedCtx),
					extension,
					"before_agent_start",
				);
				if (result?.message) messages.push(result.message);
				if (result?.systemPrompt !== undefined) override = result.systemPrompt;
			} catch (error) {
				this.reportThrown(extension, "before_agent_start", error);
			}
		}
		return override !== undefined ? { messages, systemPrompt: override } : { messages };
	}

	/** See request-events.ts. */
	emitContext(messages: AgentMessage[]): Promise<AgentMessage[]> {
		return dispatchContext(this, messages);
	}

	emitBeforeProviderRequest(payload: unknown): Promise<unknown> {
		return dispatchBeforeProviderRequest(this, payload);
	}

	emitBeforeProviderHeaders(headers: ProviderHeaders): Promise<ProviderHeaders> {
		return dispatchBeforeProviderHeaders(this, headers);
	}

	/**
	 * An actionable boundary (pi 1.6.0's emitBoundary, `agent_before_settle`): each handler sees the entries and the
	 * continue decision proposed so far and the context they would give; a returned `entries` or `continue` replaces
	 * only that field. After each handler the proposal is previewed again; if the final one does not apply, nothing
	 * is committed. A throwing handler is reported and the rest still run.
	 */
	async emitBoundary<Preview>(
		base: EventLike,
		preview: (entries: BoundaryDraft[]) => Preview,
	): Promise<{ entries: BoundaryDraft[]; continue: boolean }> {
		const ctx = this.context();
		let entries: BoundaryDraft[] = [];
		let shouldContinue = false;
		let context = preview(entries);
		let valid = true;
		for (const { extension, handler } of this.handlersOf(base.type)) {
			try {
				const returned: unknown = await handler({ ...base, entries, continue: shouldContinue, context }, ctx);
				const result = this.parseResult(BoundaryResultSchema, returned, extension, base.type);
				if (result?.entries !== undefined) entries = result.entries;
				if (result?.continue !== undefined) shouldContinue = result.continue;
			} catch (error) {
				this.reportThrown(extension, base.type, error);
			}
			try {
				context = preview(entries);
				valid = true;
			} catch (error) {
				valid = false;
				this.reportError({
					extensionPath: extension.path,
					event: base.type,
					error: `Invalid boundary entries: ${error instanceof Error ? error.message : String(error)}`,
				});
			}
		}
		return valid ? { entries, continue: shouldContinue } : { entries: [], continue: false };
	}

	/** `message_end`: a handler may return a replacement with the same role; later handlers see it. */
	async emitMessageEnd(message: AgentMessage): Promise<AgentMessage | undefined> {
		const ctx = this.context();
		let current = message;
		let modified = false;
		for (const { extension, handler } of this.handlersOf("message_end")) {
			try {
				const result = this.parseResult(
					MessageEndResultSchema,
					await handler({ type: "message_end", message: current }, ctx),
					extension,
					"message_end",
				);
				const replacement = result?.message;
				if (!replacement) continue;
				if (replacement.role !== current.role) {
					this.reportError({
						extensionPath: extension.path,
						event: "message_end",
						error: "message_end handlers must return a message with the same role",
					});
					continue;
				}
				current = asAgentMessage(replacement);
				modified = true;
			} catch (error) {
				this.reportThrown(extension, "message_end", error);
			}
		}
		return modified ? current : undefined;
	}

	/** `user_bash`: the first handler with a result takes the command. A throwing handler blocks it (pi). */
	async emitUserBash(event: EventLike): Promise<UserBashResult | undefined> {
		const ctx = this.context();
		for (const { extension, handler } of this.handlersOf("user_bash")) {
			let returned: unknown;
			try {
				returned = await handler(event, ctx);
			} catch (error) {
				this.reportThrown(extension, "user_bash", error);
				throw error;
			}
			if (returned === undefined) continue;
			const operations = v.safeParse(UserBashOperationsResultSchema, returned);
			const full = v.safeParse(UserBashFullResultSchema, returned);
			// Exactly one of the two forms, as pi requires.
			if (operations.success && !full.success) return { kind: "operations", exec: operations.output.operations.exec };
			if (full.success && !operations.success) return { kind: "result", result: full.output.result };
			const error = new Error(
				"Invalid user_bash handler result: return undefined for local execution or exactly one valid { operations } or { result } object",
			);
			this.reportThrown(extension, "user_bash", error);
			throw error;
		}
		return undefined;
	}

	/** `resources_discover`: skill, prompt and theme paths from every handler, with who gave them. */
	async emitResourcesDiscover(
		cwd: string,
		reason: "startup" | "reload",
	): Promise<{ skillPaths: string[]; promptPaths: string[]; themePaths: string[] }> {
		const ctx = this.context();
		const found = { skillPaths: [] as string[], promptPaths: [] as string[], themePaths: [] as string[] };
		for (const { extension, handler } of this.handlersOf("resources_discover")) {
			try {
				const result = this.parseResult(
					ResourcesDiscoverResultSchema,
					await handler({ type: "resources_discover", cwd, reason }, ctx),
					extension,
					"resources_discover",
				);
				found.skillPaths.push(...(result?.skillPaths ?? []));
				found.promptPaths.push(...(result?.promptPaths ?? []));
				found.themePaths.push(...(result?.themePaths ?? []));
			} catch (error) {
				this.reportThrown(extension, "resources_discover", error);
			}
		}
		return found;
	}

	// ---------------------------------------------------------------- registrations (registrations.ts)

	getTools(): RegisteredTool[] {
		return registeredTools(this.extensions);
	}

	getFlags(): ExtensionFlag[] {
		return registeredFlags(this.extensions);
	}

	getCommands(): ResolvedCommand[] {
		return registeredCommands(this.extensions);
	}

	getCommand(invocationName: string): ResolvedCommand | undefined {
		return this.getCommands().find((command) => command.invocationName === invocationName);
	}

	getMessageRenderer(customType: string) {
		return messageRenderer(this.extensions, customType);
	}

	getEntryRenderer(customType: string) {
		return entryRenderer(this.extensions, customType);
	}

	getShortcuts(): Map<string, ExtensionShortcut> {
		return registeredShortcuts(this.extensions);
	}

	/** Runs a command by its invocation name; a throwing handler is reported, not rethrown. */
	async runCommand(command: ResolvedCommand, args: string): Promise<void> {
		try {
			await command.handler(args, this.createCommandContext());
		} catch (error) {
			const extension = this.extensions.find((candidate) => candidate.path === command.extensionPath);
			this.reportThrown(
				extension ?? { path: command.extensionPath, resolvedPath: command.extensionPath },
				`command:${command.invocationName}`,
				error,
			);
		}
	}
}
