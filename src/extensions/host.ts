/**
 * The extension host: loads the configured extensions, binds them to the AgentSession (tools, hooks, actions), and
 * runs their lifecycle as pi 1.6 does: `session_start` after startup, `session_shutdown` before quitting, reloading or
 * replacing the session, and a fresh instance of every extension (its factory run again) for each new session and
 * after `/reload` (which also re-reads the files from disk).
 *
 * Nothing here is imported unless an extension is configured (start.ts checks discovery first).
 */
import type { AgentSession } from "../agent/agent-session.ts";
import type { SessionExtensionHooks } from "../agent/session/extension-hooks.ts";
import type { ToolHooks } from "../agent/tool-execution.ts";
import type { AgentTool } from "../agent/types.ts";
import type { Model } from "../ai/types.ts";
import type { RegisteredMcpServer } from "../mcp/registrations.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { createActions } from "./actions.ts";
import { sendMessageVia, sendUserMessageVia } from "./api.ts";
import {
	type ContextServices,
	createCommandContext,
	createContext,
	createToolContext,
	type SessionReplacementOptions,
} from "./context.ts";
import type { ExtensionSource } from "./discovery.ts";
import { describeError } from "./errors.ts";
import { type ExtensionModule, forgetImportedExtensions, importExtensions, instantiateExtensions } from "./loader.ts";
import { registerExtensionProvider, unregisterExtensionProvider } from "./providers.ts";
import { ExtensionRunner } from "./runner.ts";
import { ExtensionRuntime } from "./runtime.ts";
import { createSessionHooks } from "./session-hooks.ts";
import { exposureOf, toAgentTool } from "./tools.ts";
import type { Extension, ExtensionError, ExtensionFlag, ExtensionLoadFailure, ExtensionMode } from "./types.ts";
import { uiContext } from "./ui-context.ts";

export interface ExtensionHostOptions {
	cwd: string;
	mode: ExtensionMode;
	/** Recomputes the sources on /reload (settings and folders may have changed). */
	discover(): { sources: ExtensionSource[]; missing: ExtensionLoadFailure[] };
}

/** Which tools are on: pi's rules for tools extensions add (`--tools`, `--no-tools`). */
export interface ToolSelection {
	/** `--no-tools`: nothing is active. */
	none: boolean;
	/** Whether --tools or the defaultTools setting names the tool (it then switches on whatever its defaults). */
	named(name: string): boolean;
}

export interface SessionBinding {
	session: AgentSession;
	isProjectTrusted(): boolean;
	/** Re-reads settings, skills, templates, themes and context files (the non-extension half of /reload). */
	reloadResources(): Promise<void>;
	toolSelection: ToolSelection;
}

/** What the running mode gives extensions: its `ctx.ui`, whether that can ask the user, and `ctx.shutdown()`. */
export interface ModeAttachment {
	ui: Record<string, unknown>;
	hasUI: boolean;
	/** ctx.shutdown(): the mode decides when (print mode ignores it, as pi does). */
	shutdown(): void;
}

/** pi's no-op UI (print and JSON modes): dialogs resolve at once as "no answer", everything else does nothing. */
/** `ctx.ui` in print and JSON mode, and before a mode attaches: pi's answers without a UI. */
export const NO_UI: Record<string, unknown> = uiContext();

type FlagValues = ReadonlyMap<string, boolean | string>;

export class ExtensionHost {
	private runtime: ExtensionRuntime;
	private runner: ExtensionRunner;
	private binding: SessionBinding | undefined;
	private attachment: ModeAttachment = { ui: NO_UI, hasUI: false, shutdown: () => {} };
	private readonly errorListeners = new Set<(error: ExtensionError) => void>();
	/** Told when the extensions were replaced (reload, new session): their commands and shortcuts changed. */
	private readonly runtimeListeners = new Set<() => void>();
	private flagValues: FlagValues = new Map();
	/** Which extension registered each provider (its stream functions go with it). */
	private readonly providerOwners = new Map<string, string>();
	readonly hooks: SessionExtensionHooks;

	private constructor(
		private readonly options: ExtensionHostOptions,
		private modules: ExtensionModule[],
		extensions: Extension[],
		runtime: ExtensionRuntime,
		/** Load failures, each reported once. */
		public failures: ExtensionLoadFailure[],
	) {
		this.runtime = runtime;
		this.runner = this.createRunner(extensions, runtime);
		this.hooks = createSessionHooks(() => this.runner, {
			sessionReplacing: (event) => this.shutdownRuntime(event.reason, event.targetSessionFile),
			sessionReplaced: (event) => this.startFreshRuntime(event.reason, event.previousSessionFile),
		});
	}

	/** Imports the files and runs every factory. Never throws for an extension's fault: see `failures`. */
	static async load(options: ExtensionHostOptions): Promise<ExtensionHost> {
		const { sources, missing } = options.discover();
		const { modules, failures } = await importExtensions(sources);
		const runtime = new ExtensionRuntime();
		const instantiated = await instantiateExtensions(modules, runtime, options.cwd);
		return new ExtensionHost(options, modules, instantiated.extensions, runtime, [
			...missing,
			...failures,
			...instantiated.failures,
		]);
	}

	private createRunner(extensions: Extension[], runtime: ExtensionRuntime): ExtensionRunner {
		const runner = new ExtensionRunner(extensions, runtime);
		runner.onError((error) => {
			for (const listener of this.errorListeners) listener(error);
		});
		return runner;
	}

	get extensions(): readonly Extension[] {
		return this.runner.extensions;
	}

	get mode(): ExtensionMode {
		return this.options.mode;
	}

	/** What the interactive startup listing shows: loaded extensions, and failures as issues. */
	listing(): {
		extensions: { path: string; sourceInfo: Extension["sourceInfo"] }[];
		extensionIssues: { type: "error"; message: string; path: string }[];
	} {
		return {
			extensions: this.runner.extensions.map((extension) => ({
				path: extension.resolvedPath,
				sourceInfo: extension.sourceInfo,
			})),
			extensionIssues: this.failures.map((failure) => ({ type: "error", message: failure.error, path: failure.path })),
		};
	}

	/** Names of the tools the extensions registered. */
	toolNames(): string[] {
		return this.runner.getTools().map((tool) => tool.definition.name);
	}

	/**
	 * Applies the providers the factories registered (queued until now) to `registry`: before the model is chosen,
	 * so `--model` and `--list-models` know them.
	 */
	applyPendingProviders(registry: ModelRegistry): void {
		const pending = this.runtime.pendingProviders;
		this.runtime.pendingProviders = [];
		for (const { name, config, extensionPath } of pending) {
			try {
				registerExtensionProvider(registry, name, config, extensionPath);
				this.providerOwners.set(name, extensionPath);
			} catch (error) {
				this.failures.push({
					path: extensionPath,
					error: `registerProvider("${name}") failed: ${describeError(error).message}`,
				});
			}
		}
	}

	/** The mode's UI and shutdown; called by the mode before `start()`. */
	attachMode(attachment: ModeAttachment): void {
		this.attachment = { ...attachment, ui: this.announcingPrompts(attachment.ui) };
	}

	/** pi 1.6.0: `ui_prompt_start` / `ui_prompt_end` around every dialog that waits for the user. */
	private announcingPrompts(ui: Record<string, unknown>): Record<string, unknown> {
		// A copy with the same properties (the `theme` getter too), so spreading ctx.ui keeps everything.
		const wrapped: Record<string, unknown> = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ui));
		for (const kind of ["select", "confirm", "input", "editor", "custom"] as const) {
			const method = ui[kind];
			if (typeof method !== "function") continue;
			wrapped[kind] = async (...args: unknown[]) => {
				const title = typeof args[0] === "string" && kind !== "custom" ? { title: args[0] } : {};
				const notify = (type: string) =>
					this.runner.hasHandlers(type)
						? this.runner.emit({ type, reason: "ui_prompt", kind, ...title })
						: Promise.resolve();
				await notify("ui_prompt_start");
				try {
					return await method.apply(ui, args);
				} finally {
					await notify("ui_prompt_end");
				}
			};
		}
		return wrapped;
	}

	/**
	 * Before binding: loads sources that became visible since (the project was trusted), and runs every factory again
	 * in discovery order, as pi loads the final set after the trust decision.
	 */
	async refreshSources(): Promise<void> {
		const { sources, missing } = this.options.discover();
		const known = new Set([
			...this.modules.map((module) => module.source.resolvedPath),
			...this.failures.map((f) => f.path),
		]);
		const fresh = sources.filter((source) => !known.has(source.resolvedPath));
		if (fresh.length === 0) return;
		const imported = await importExtensions(fresh);
		const byPath = new Map(
			[...this.modules, ...imported.modules].map((module): [string, ExtensionModule] => [
				module.source.resolvedPath,
				module,
			]),
		);
		this.modules = sources.flatMap((source) => byPath.get(source.resolvedPath) ?? []);
		const reported = new Set(this.failures.map((failure) => failure.path));
		const newFailures = [...missing.filter((failure) => !reported.has(failure.path)), ...imported.failures];
		this.failures = [...this.failures, ...newFailures, ...(await this.instantiate())];
	}

	get currentRunner(): ExtensionRunner {
		return this.runner;
	}

	/** Flags the extensions registered, for the second pass over the command line. */
	flags(): ExtensionFlag[] {
		return this.runner.getFlags();
	}

	/** Values given on the command line; kept for every later instance of the extensions. */
	setFlagValues(values: FlagValues): void {
		this.flagValues = values;
		for (const [name, value] of values) this.runtime.flagValues.set(name, value);
	}

	/** MCP servers the current extensions registered (`pi.registerMcpServer`). */
	mcpServers(): RegisteredMcpServer[] {
		return this.runtime.mcpServers.list();
	}

	/** Told when the registered MCP servers may have changed: a (un)registration, or a reload of the extensions. */
	onMcpServersChange(listener: () => void): () => void {
		let stopWatching = this.runtime.mcpServers.onChange(listener);
		const stopRuntime = this.onRuntimeChange(() => {
			stopWatching();
			stopWatching = this.runtime.mcpServers.onChange(listener);
			listener();
		});
		return () => {
			stopWatching();
			stopRuntime();
		};
	}

	onRuntimeChange(listener: () => void): () => void {
		this.runtimeListeners.add(listener);
		return () => this.runtimeListeners.delete(listener);
	}

	onError(listener: (error: ExtensionError) => void): () => void {
		this.errorListeners.add(listener);
		return () => this.errorListeners.delete(listener);
	}

	/** Binds the extensions to the session: hooks, tools, actions, contexts. */
	bind(binding: SessionBinding): void {
		this.binding = binding;
		const { session } = binding;
		session.setExtensionHooks(this.hooks);
		session.agent.toolHooks = this.toolHooks();
		session.agent.transformContext = async (messages) =>
			this.runner.hasHandlers("context") || this.runner.hasHandlers("context_with_system")
				? this.runner.emitContext(messages)
				: messages;
		session.agent.onPayload = (payload) =>
			this.runner.hasHandlers("before_provider_request") ? this.runner.emitBeforeProviderRequest(payload) : payload;
		session.agent.transformHeaders = async (headers) =>
			this.runner.hasHandlers("before_provider_headers") ? this.runner.emitBeforeProviderHeaders(headers) : headers;
		const onProviderStreamEvent = async (data: unknown, model: Model) => {
			await this.runner.emit({
				type: "provider_stream_event",
				provider: model.provider,
				api: model.api,
				model: model.id,
				data,
			});
		};
		session.agent.providerStreamObserver = () =>
			this.runner.hasHandlers("provider_stream_event") ? onProviderStreamEvent : undefined;
		session.agent.onResponse = async ({ status, headers }) => {
			if (this.runner.hasHandlers("after_provider_response")) {
				await this.runner.emit({ type: "after_provider_response", status, headers });
			}
		};
		this.attachRuntime();
	}

	private requireBinding(): SessionBinding {
		if (!this.binding) throw new Error("extensions are not bound to a session yet");
		return this.binding;
	}

	private services(): ContextServices {
		const binding = this.requireBinding();
		return {
			session: binding.session,
			cwd: this.options.cwd,
			mode: this.options.mode,
			hasUI: () => this.attachment.hasUI,
			ui: () => this.attachment.ui,
			isProjectTrusted: () => binding.isProjectTrusted(),
			shutdown: () => this.attachment.shutdown(),
			reload: () => this.reload(),
			newSession: (options) => this.replaceSession(options, (s) => s.newSession(options.parentSession)),
			fork: (entryId, options) =>
				this.replaceSession(options, (s) =>
					options.position === "at" ? s.clone().then((r) => r ?? { cancelled: true }) : s.fork(entryId),
				),
			switchSession: (path, options) => this.replaceSession(options, (s) => s.switchSession(path)),
			executeTool: (parentId, name, args, options) => this.executeNestedTool(parentId, name, args, options),
			callableTools: () => binding.session.getCallableTools(),
		};
	}

	/** Binds the current runtime: actions, contexts, tools, queued provider registrations. */
	private attachRuntime(): void {
		const binding = this.requireBinding();
		const services = this.services();
		const runtime = this.runtime;
		this.runner.setContextFactory({
			createContext: () => createContext(runtime, services),
			createCommandContext: () => createCommandContext(runtime, services),
		});
		runtime.bind(
			createActions({
				session: binding.session,
				runner: () => this.runner,
				refreshTools: () => this.syncTools(),
				registerProvider: (name, config, extensionPath) => {
					registerExtensionProvider(binding.session.modelRegistry, name, config, extensionPath);
					this.providerOwners.set(name, extensionPath);
				},
				unregisterProvider: (name) => {
					unregisterExtensionProvider(binding.session.modelRegistry, name, this.providerOwners.get(name) ?? name);
					this.providerOwners.delete(name);
				},
				report: (event, error) => this.report("<extension>", event, error),
			}),
		);
		this.syncTools();
	}

	/**
	 * Gives the session the extensions' tools. A new one becomes active when its exposure is `direct` or `model-only`
	 * and it is not `defaultActive: false` (pi 1.6.0), unless --no-tools; a --tools allowlist applies in the session.
	 */
	private syncTools(): void {
		const { session, toolSelection } = this.requireBinding();
		const runtime = this.runtime;
		const services = this.services();
		const registered = this.runner.getTools();
		const activatable = new Set(
			registered.flatMap(({ definition }) => {
				const exposure = exposureOf(definition);
				const byDefault = (exposure === "direct" || exposure === "model-only") && definition.defaultActive !== false;
				if (toolSelection.none) return [];
				return byDefault || toolSelection.named(definition.name) ? [definition.name] : [];
			}),
		);
		const tools: AgentTool[] = registered.map((tool) =>
			toAgentTool(tool, (toolCallId, signal) => createToolContext(runtime, services, toolCallId, signal)),
		);
		session.setExtensionTools(tools, (tool) => activatable.has(tool.name));
	}

	private toolHooks(): ToolHooks {
		return {
			beforeToolCall: async ({ toolCall, args, parentToolCallId }) => {
				if (!this.runner.hasHandlers("tool_call")) return undefined;
				// Handlers read the session as of the assistant message that made this call (pi).
				await this.binding?.session.settleEvents();
				return this.runner.emitToolCall({
					type: "tool_call",
					toolName: toolCall.name,
					toolCallId: toolCall.id,
					...(parentToolCallId ? { parentToolCallId } : {}),
					input: args,
				});
			},
			afterToolCall: async ({ toolCall, args, parentToolCallId, result, isError }) => {
				if (!this.runner.hasHandlers("tool_result")) return undefined;
				return this.runner.emitToolResult({
					type: "tool_result",
					toolName: toolCall.name,
					toolCallId: toolCall.id,
					...(parentToolCallId ? { parentToolCallId } : {}),
					input: args,
					content: result.content,
					details: result.details,
					isError,
				});
			},
		};
	}

	/** `ctx.executeTool()`: the same pipeline as the model's calls, announced with parentToolCallId (pi 1.6.0). */
	private executeNestedTool(
		parentToolCallId: string,
		name: string,
		args: unknown,
		options: Record<string, unknown>,
	): Promise<unknown> {
		const signal = options.signal instanceof AbortSignal ? options.signal : new AbortController().signal;
		const onUpdate = options.onUpdate;
		return this.requireBinding().session.executeNestedTool(
			parentToolCallId,
			name,
			args,
			signal,
			typeof onUpdate === "function" ? (partialResult) => onUpdate(partialResult) : undefined,
		);
	}

	private report(extensionPath: string, event: string, error: unknown): void {
		const described = describeError(error);
		this.runner.reportError({ extensionPath, event, error: described.message, location: described.location });
	}

	// ------------------------------------------------------------------ lifecycle

	/** `session_start` (then `resources_discover`) once the mode is ready. */
	async start(reason: "startup" | "reload" | "new" | "resume" | "fork", previousSessionFile?: string): Promise<void> {
		await this.runner.emit({
			type: "session_start",
			reason,
			...(previousSessionFile !== undefined ? { previousSessionFile } : {}),
		});
	}

	/** `session_shutdown` before the process exits. */
	async shutdown(reason: "quit" = "quit"): Promise<void> {
		await this.shutdownRuntime(reason);
	}

	private async shutdownRuntime(
		reason: "quit" | "reload" | "new" | "resume" | "fork",
		targetSessionFile?: string,
	): Promise<void> {
		if (this.runner.hasHandlers("session_shutdown")) {
			await this.runner.emit({
				type: "session_shutdown",
				reason,
				...(targetSessionFile !== undefined ? { targetSessionFile } : {}),
			});
		}
		this.runtime.invalidate();
	}

	/**
	 * A fresh instance of every extension (factories run again), bound to the session when there is one. Returns the
	 * factories that failed.
	 */
	private async instantiate(): Promise<ExtensionLoadFailure[]> {
		const runtime = new ExtensionRuntime();
		for (const [name, value] of this.flagValues) runtime.flagValues.set(name, value);
		const instantiated = await instantiateExtensions(this.modules, runtime, this.options.cwd);
		this.runtime = runtime;
		this.runner = this.createRunner(instantiated.extensions, runtime);
		if (this.binding) this.attachRuntime();
		for (const listener of this.runtimeListeners) listener();
		return instantiated.failures;
	}

	/** Reports failures that happen after startup (its own failures are printed by the caller). */
	private reportFailures(failures: readonly ExtensionLoadFailure[]): void {
		for (const failure of failures) {
			this.runner.reportError({ extensionPath: failure.path, event: "load", error: failure.error });
		}
	}

	private async startFreshRuntime(
		reason: "new" | "resume" | "fork",
		previousSessionFile: string | undefined,
	): Promise<void> {
		this.reportFailures(await this.instantiate());
		await this.start(reason, previousSessionFile);
	}

	/** `/reload`: shut the extensions down, re-read their files and the resources, start them again. */
	async reload(): Promise<void> {
		const binding = this.requireBinding();
		await this.shutdownRuntime("reload");
		forgetImportedExtensions();
		await binding.reloadResources();
		const { sources, missing } = this.options.discover();
		const imported = await importExtensions(sources);
		this.modules = imported.modules;
		// Not reported as errors: the failures are in `failures`, which /reload's listing shows.
		this.failures = [...missing, ...imported.failures, ...(await this.instantiate())];
		await this.start("reload");
	}

	/** newSession / fork / switchSession from a command: `setup` and `withSession` get the replacement session. */
	private async replaceSession(
		options: SessionReplacementOptions,
		replace: (session: AgentSession) => Promise<{ cancelled: boolean }>,
	): Promise<{ cancelled: boolean }> {
		const session = this.requireBinding().session;
		const result = await replace(session);
		if (result.cancelled) return result;
		if (options.setup) {
			await options.setup(session.sessionManager);
			await session.reloadFromSessionManager();
		}
		if (options.withSession) await options.withSession(this.replacedSessionContext());
		return result;
	}

	/** The command context of the replacement session, with sendMessage / sendUserMessage as promises (pi 1.6). */
	private replacedSessionContext(): Record<string, unknown> {
		const ctx = this.runner.createCommandContext();
		const runtime = this.runtime;
		return Object.defineProperties(ctx, {
			sendMessage: {
				value: async (message: unknown, options?: unknown) => sendMessageVia(runtime.actions, message, options),
			},
			sendUserMessage: {
				value: async (content: unknown, options?: unknown) => sendUserMessageVia(runtime.actions, content, options),
			},
		});
	}
}
