/**
 * The `ctx` extension handlers, tools and commands receive (pi 1.6's ExtensionContext / ExtensionToolContext /
 * ExtensionCommandContext). Every field is read when used, so a handler sees the current model, session and UI;
 * after a reload or session replacement a captured ctx is stale and says so instead of acting on the old session.
 */
import type { AgentSession } from "../agent/agent-session.ts";
import type { CompactionResult } from "../agent/session-events.ts";
import { streamAssistant } from "../ai/stream.ts";
import type { Context, Model, StreamOptions } from "../ai/types.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import type { SessionManager } from "../session/session-manager.ts";
import type { SessionEntry } from "../session/types.ts";
import { storedEntry, storedTree } from "../session/unknown-entry.ts";
import type { ExtensionRuntime } from "./runtime.ts";
import type { ExtensionMode } from "./types.ts";

export interface SessionReplacementOptions {
	parentSession?: string;
	setup?: (sessionManager: SessionManager) => unknown;
	withSession?: (ctx: Record<string, unknown>) => unknown;
	position?: "before" | "at";
}

/** What the contexts need from the running program; the host provides it. */
export interface ContextServices {
	session: AgentSession;
	cwd: string;
	mode: ExtensionMode;
	hasUI(): boolean;
	ui(): Record<string, unknown>;
	isProjectTrusted(): boolean;
	shutdown(): void;
	reload(): Promise<void>;
	newSession(options: SessionReplacementOptions): Promise<{ cancelled: boolean }>;
	fork(entryId: string, options: SessionReplacementOptions): Promise<{ cancelled: boolean }>;
	switchSession(path: string, options: SessionReplacementOptions): Promise<{ cancelled: boolean }>;
	/** Runs another tool through the tool pipeline for the tool call `parentToolCallId`. */
	executeTool(
		parentToolCallId: string,
		name: string,
		args: unknown,
		options: Record<string, unknown>,
	): Promise<unknown>;
	callableTools(): unknown[];
}

function stored(entry: SessionEntry | undefined): object | undefined {
	return entry && storedEntry(entry);
}

/** pi's ReadonlySessionManager, over whichever session file is current. */
export function sessionManagerView(current: () => SessionManager): Record<string, unknown> {
	return {
		getCwd: () => current().getCwd(),
		getSessionDir: () => current().getSessionDir(),
		getSessionId: () => current().getSessionId(),
		getSessionFile: () => current().getSessionFile(),
		getSessionName: () => current().getName(),
		getName: () => current().getName(),
		getHeader: () => current().getHeader(),
		// Entries as stored: one of a kind we do not know (a newer pi's) is its record as read, as pi gives it.
		getEntries: () => current().getEntries().map(storedEntry),
		getEntry: (id: string) => stored(current().getEntry(id)),
		getBranch: (fromId?: string) => current().getBranch(fromId).map(storedEntry),
		getChildren: (id: string) => current().getChildren(id).map(storedEntry),
		getTree: () => storedTree(current().getTree()),
		getLeafId: () => current().getLeafId(),
		getLeafEntry: () => stored(current().getLeafEntry()),
		getLabel: (id: string) => current().getLabel(id),
		isPersisted: () => current().isPersisted(),
		buildSessionContext: () => current().buildSessionContext(),
		// pi 1.6: the active branch with compaction applied, as entries.
		buildContextEntries: () => current().getBranch().map(storedEntry),
	};
}

/** pi's ModelRegistry as extensions use it (lookups, auth, and model calls that know extension providers). */
export function modelRegistryView(registry: ModelRegistry): Record<string, unknown> {
	const available = () => registry.getAll().filter((model) => registry.hasConfiguredAuth(model));
	const callOptions = async (model: Model, options: unknown): Promise<StreamOptions> => {
		const auth = await registry.getApiKeyAndHeaders(model);
		const given = typeof options === "object" && options !== null ? options : {};
		const base: StreamOptions = auth.ok ? { apiKey: auth.apiKey, headers: auth.headers } : {};
		return { ...base, ...given };
	};
	return {
		getAll: () => registry.getAll(),
		getAvailable: () => available(),
		find: (provider: string, id: string) => registry.find(provider, id),
		hasConfiguredAuth: (model: Model) => registry.hasConfiguredAuth(model),
		getApiKey: (model: Model) => registry.getApiKey(model),
		getApiKeyForProvider: (provider: string) => registry.getApiKeyForProvider(provider),
		getApiKeyAndHeaders: (model: Model) => registry.getApiKeyAndHeaders(model),
		getError: () => registry.loadError,
		refresh: () => registry.refresh(),
		streamSimple: async (model: Model, context: Context, options?: unknown) =>
			streamAssistant(model, context, await callOptions(model, options)),
		complete: async (model: Model, context: Context, options?: unknown) =>
			streamAssistant(model, context, await callOptions(model, options)).result(),
	};
}

function compactOptions(value: unknown): {
	customInstructions?: string;
	onComplete?: (result: CompactionResult) => void;
	onError?: (error: Error) => void;
} {
	if (typeof value !== "object" || value === null) return {};
	const options: Record<string, unknown> = { ...value };
	const { customInstructions, onComplete, onError } = options;
	return {
		customInstructions: typeof customInstructions === "string" ? customInstructions : undefined,
		onComplete: typeof onComplete === "function" ? (result) => onComplete(result) : undefined,
		onError: typeof onError === "function" ? (error) => onError(error) : undefined,
	};
}

export function createContext(runtime: ExtensionRuntime, services: ContextServices): Record<string, unknown> {
	const { session } = services;
	const active = <T>(value: () => T) => {
		runtime.assertActive();
		return value();
	};
	return {
		get ui() {
			return active(() => services.ui());
		},
		get mode() {
			return active(() => services.mode);
		},
		get hasUI() {
			return active(() => services.hasUI());
		},
		get cwd() {
			return active(() => services.cwd);
		},
		get sessionManager() {
			return active(() => sessionManagerView(() => session.sessionManager));
		},
		get modelRegistry() {
			return active(() => modelRegistryView(session.modelRegistry));
		},
		get model() {
			return active(() => session.model);
		},
		get scopedModels() {
			return active(() => session.getScopedModels());
		},
		get thinkingLevel() {
			return active(() => session.thinkingLevel);
		},
		get signal() {
			return active(() => session.agent.signal);
		},
		isIdle: () => active(() => !session.isStreaming && !session.isRetrying && !session.isCompacting),
		isProjectTrusted: () => active(() => services.isProjectTrusted()),
		abort: () => active(() => void session.abort()),
		hasPendingMessages: () => active(() => session.pendingMessageCount > 0),
		shutdown: () => active(() => services.shutdown()),
		getContextUsage: () => active(() => session.getContextUsage()),
		getSystemPrompt: () => active(() => session.systemPrompt),
		compact: (options?: unknown) =>
			active(() => {
				const { customInstructions, onComplete, onError } = compactOptions(options);
				session.compact(customInstructions).then(
					(result) => onComplete?.(result),
					(error: unknown) => onError?.(error instanceof Error ? error : new Error(String(error))),
				);
			}),
	};
}

function replacementOptions(value: unknown): SessionReplacementOptions {
	if (typeof value !== "object" || value === null) return {};
	const options: Record<string, unknown> = { ...value };
	const { parentSession, setup, withSession, position } = options;
	return {
		parentSession: typeof parentSession === "string" ? parentSession : undefined,
		setup: typeof setup === "function" ? (manager) => setup(manager) : undefined,
		withSession: typeof withSession === "function" ? (ctx) => withSession(ctx) : undefined,
		position: position === "at" ? "at" : position === "before" ? "before" : undefined,
	};
}

export function createCommandContext(runtime: ExtensionRuntime, services: ContextServices): Record<string, unknown> {
	const ctx = createContext(runtime, services);
	const { session } = services;
	const active = <T>(value: () => T) => {
		runtime.assertActive();
		return value();
	};
	return Object.defineProperties(ctx, {
		waitForIdle: { value: () => active(() => session.waitForIdle()) },
		newSession: { value: (options?: unknown) => active(() => services.newSession(replacementOptions(options))) },
		fork: {
			value: (entryId: unknown, options?: unknown) =>
				active(() => services.fork(String(entryId), replacementOptions(options))),
		},
		switchSession: {
			value: (path: unknown, options?: unknown) =>
				active(() => services.switchSession(String(path), replacementOptions(options))),
		},
		navigateTree: {
			value: (targetId: unknown, options?: unknown) =>
				active(async () => {
					const opts = typeof options === "object" && options !== null ? { ...options } : {};
					const summarize = "summarize" in opts && opts.summarize === true;
					const customInstructions =
						"customInstructions" in opts && typeof opts.customInstructions === "string"
							? opts.customInstructions
							: undefined;
					const result = await session.navigateTree(String(targetId), { summarize, customInstructions });
					return { cancelled: result.cancelled };
				}),
		},
		reload: { value: () => active(() => services.reload()) },
		getSystemPromptOptions: {
			value: () => active(() => ({ cwd: services.cwd, selectedTools: session.getActiveToolNames() })),
		},
	});
}

export function createToolContext(
	runtime: ExtensionRuntime,
	services: ContextServices,
	toolCallId: string,
	signal: AbortSignal,
): Record<string, unknown> {
	const ctx = createContext(runtime, services);
	return Object.defineProperties(ctx, {
		tools: { get: () => services.callableTools() },
		executeTool: {
			value: (name: unknown, args: unknown, options?: unknown) => {
				runtime.assertActive();
				const opts: Record<string, unknown> = typeof options === "object" && options !== null ? { ...options } : {};
				return services.executeTool(toolCallId, String(name), args, { signal, ...opts });
			},
		},
	});
}
