/**
 * AgentSession: the layer every mode talks to (pi-spec §5.7). It owns one Agent and one SessionManager and
 * keeps them in step: every finished message is persisted, model and thinking changes are recorded, failed
 * answers are retried with backoff, the context is compacted when it grows too large, and `!` commands run.
 *
 * This class coordinates; the parts live in ./session/: prompt-submission, prompt-input and prompt-queue (what the
 * user sends), agent-events (what the agent reports), retry-controller, compaction-runner, bash-runner,
 * tree-navigator, session-switching, model-selection, extension-tools and session-stats. Each part gets a SessionHost (host.ts) instead of the class, so none imports this file.
 */

import type { ImageContent, Model, ThinkingLevel } from "../ai/types.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { EMPTY_RESOURCES, type LoadedResources } from "../resources/index.ts";
import type { CompleteFn } from "../session/compaction/types.ts";
import type { SessionManager } from "../session/session-manager.ts";
import type { BashResult } from "../tools/bash-executor.ts";
import type { Agent } from "./agent.ts";
import type { PromptLoadout } from "./prompt-loadout.ts";
import { AgentEvents } from "./session/agent-events.ts";
import { BashRunner, type RunBash } from "./session/bash-runner.ts";
import { CompactionRunner } from "./session/compaction-runner.ts";
import { type CustomDelivery, CustomMessages } from "./session/custom-messages.ts";
import type { SessionExtensionHooks } from "./session/extension-hooks.ts";
import { ExtensionTools } from "./session/extension-tools.ts";
import type { SessionHost } from "./session/host.ts";
import { ModelControl, type ModelMutationOptions } from "./session/model-control.ts";
import type { ScopedModel } from "./session/model-selection.ts";
import { type NestedCallOutcome, NestedCalls } from "./session/nested-calls.ts";
import { PromptQueue } from "./session/prompt-queue.ts";
import { type PromptOptions, PromptSubmission } from "./session/prompt-submission.ts";
import { RetryController } from "./session/retry-controller.ts";
import { RunStarter } from "./session/run-starter.ts";
import { SessionReplacement } from "./session/session-replacement.ts";
import {
	type ContextUsage,
	computeContextUsage,
	computeSessionStats,
	lastAssistantText,
	type SessionStats,
} from "./session/session-stats.ts";
import { loadSessionIntoAgent, recordStartupEntries, userMessagesForForking } from "./session/session-switching.ts";
import { type NavigateTreeOptions, TreeNavigator } from "./session/tree-navigator.ts";
import type { AgentSessionEvent, AgentSessionEventListener, CompactionResult } from "./session-events.ts";
import { restoredToolNames } from "./tool-selection.ts";
import type { AgentMessage, AgentTool, AgentToolResult, CustomMessage } from "./types.ts";

// Types and constants callers have always imported from here.
export type { BashResult } from "../tools/bash-executor.ts";
export type { ModelMutationOptions } from "./session/model-control.ts";
export type { ScopedModel } from "./session/model-selection.ts";
export { DEFAULT_THINKING_LEVEL } from "./session/model-selection.ts";
export type { PromptDisposition } from "./session/prompt-submission.ts";
export type { ContextUsage, SessionStats } from "./session/session-stats.ts";

export interface AgentSessionOptions {
	agent: Agent;
	sessionManager: SessionManager;
	settings: SettingsManager;
	modelRegistry: ModelRegistry;
	cwd: string;
	/**
	 * The system prompt sections and the session's tools (other parts plug in here); more tools can be registered
	 * later (MCP servers connecting).
	 */
	loadout: PromptLoadout;
	/**
	 * Whether the active tools are the defaults (no explicit `--tools` list): then a resumed session gets back the
	 * tools its transcript records, with these `+name`/`-name` modifiers applied (pi 1.6.0).
	 */
	restoreToolsFromTranscript?: { modifiers: readonly string[] };
	/** Skills and prompt templates (src/resources): expanded in prompts, listed in the system prompt. */
	resources?: LoadedResources;
	scopedModels?: ScopedModel[];
	/** The model call used for compaction and branch summaries. */
	complete: CompleteFn;
	/** Makes the SessionManager for a new session (in memory with --no-session). */
	createSessionManager: (options?: { parentSession?: string; sessionDir?: string }) => SessionManager;
	/** Opens an existing session file. */
	openSessionManager: (path: string) => SessionManager;
	/** Told after /new, /resume, /fork or clone put another session file in place (e.g. to move its claim). */
	onSessionSwitched?: (sessionManager: SessionManager) => void;
	/** Runs a user `!command`. */
	runBash: RunBash;
	/** Awaited before each prompt starts (MCP: wait for servers with direct tools, refresh its prompt section). */
	beforePrompt?: () => Promise<void>;
}

export class AgentSession {
	readonly agent: Agent;
	sessionManager: SessionManager;
	readonly settings: SettingsManager;
	readonly modelRegistry: ModelRegistry;
	readonly cwd: string;
	private readonly options: AgentSessionOptions;
	private listeners = new Set<AgentSessionEventListener>();
	private readonly queue: PromptQueue;
	private readonly bash: BashRunner;
	private readonly retry: RetryController;
	private readonly compaction: CompactionRunner;
	private readonly tree: TreeNavigator;
	readonly loadout: PromptLoadout;
	private readonly nestedCalls: NestedCalls;
	private readonly customMessages: CustomMessages;
	private readonly modelControl: ModelControl;
	private readonly replacement: SessionReplacement;
	private extensionHooks: SessionExtensionHooks | undefined;
	private readonly runs: RunStarter;
	private readonly submission: PromptSubmission;
	private readonly extensionTools: ExtensionTools;
	private loadedResources: LoadedResources;
	private scopedModels: ScopedModel[];
	private readonly events: AgentEvents;
	private unsubscribeAgent: () => void;

	constructor(options: AgentSessionOptions) {
		this.options = options;
		this.agent = options.agent;
		this.sessionManager = options.sessionManager;
		this.settings = options.settings;
		this.modelRegistry = options.modelRegistry;
		this.cwd = options.cwd;
		this.loadout = options.loadout;
		this.nestedCalls = new NestedCalls(this.agent, () => this.loadout.callableTools());
		this.loadedResources = options.resources ?? EMPTY_RESOURCES;
		this.scopedModels = options.scopedModels ?? [];
		const host = this.host();
		this.queue = new PromptQueue(this.agent, host.emit);
		this.bash = new BashRunner(host, options.runBash);
		this.retry = new RetryController(host);
		this.compaction = new CompactionRunner(host, options.complete, this.retry);
		this.tree = new TreeNavigator(host, options.complete);
		this.customMessages = new CustomMessages(host);
		this.modelControl = new ModelControl(host, () => this.scopedModels);
		this.runs = new RunStarter(host, {
			customMessages: this.customMessages,
			loadout: this.loadout,
			beforePrompt: options.beforePrompt,
			waitForRetry: () => this.waitForRetry(),
		});
		this.replacement = new SessionReplacement(host, {
			abort: () => this.abort(),
			dropQueued: () => {
				this.queue.dropAll();
				this.bash.dropPending();
				this.customMessages.dropAll();
			},
			adopt: async (sessionManager) => {
				this.sessionManager = sessionManager;
				this.agent.sessionId = sessionManager.getSessionId();
				await loadSessionIntoAgent(this, sessionManager);
				options.onSessionSwitched?.(sessionManager);
			},
			createSessionManager: options.createSessionManager,
			openSessionManager: options.openSessionManager,
		});
		const { queue, bash, compaction, runs, customMessages, retry } = this;
		this.submission = new PromptSubmission(host, {
			queue,
			bash,
			compaction,
			runs,
			customMessages,
			resources: () => this.loadedResources,
			isRunning: () => this.isStreaming,
		});
		this.events = new AgentEvents(host, { queue, bash, customMessages, retry, compaction });
		this.extensionTools = new ExtensionTools(this.loadout);
		this.agent.prepareNextTurn = (messages) => this.loadout.systemUpdate(messages);
		this.agent.projectRequest = (messages) => this.loadout.projectRequest(messages);
		const unsubscribeLoadout = this.loadout.onChange(() => this.agent.setTools(this.loadout.declaredTools()));
		this.restoreTools();
		this.agent.setTools(this.loadout.declaredTools());
		const unsubscribeAgent = this.agent.subscribe((event) => this.events.push(event));
		this.unsubscribeAgent = () => {
			unsubscribeAgent();
			unsubscribeLoadout();
		};
	}

	dispose(): void {
		this.unsubscribeAgent();
		this.listeners.clear();
	}

	/**
	 * With default tools, a session that records a tool loadout gets it back (pi 1.6.0): the tools its branch's
	 * system messages declare, `--tools +name/-name` applied. Without recorded system messages nothing changes.
	 */
	private restoreTools(): void {
		const restore = this.options.restoreToolsFromTranscript;
		if (!restore) return;
		const names = restoredToolNames(this.sessionManager.getBranch(), restore.modifiers);
		if (names) this.loadout.setActiveTools(names);
	}

	subscribe(listener: AgentSessionEventListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private emit(event: AgentSessionEvent): void {
		for (const listener of this.listeners) listener(event);
	}

	/** The view of this session its parts work through (the SessionManager is read live: switching replaces it). */
	private host(): SessionHost {
		const session = this;
		return {
			agent: this.agent,
			settings: this.settings,
			modelRegistry: this.modelRegistry,
			get sessionManager() {
				return session.sessionManager;
			},
			get extensions() {
				return session.extensionHooks;
			},
			emit: (event) => this.emit(event),
		};
	}

	// ---------------------------------------------------------------- state

	get model(): Model | undefined {
		return this.agent.state.model;
	}
	get thinkingLevel(): ThinkingLevel {
		return this.agent.state.thinkingLevel;
	}
	get messages(): AgentMessage[] {
		return this.agent.state.messages;
	}
	get isStreaming(): boolean {
		return this.agent.state.isStreaming || this.runs.isBusy;
	}
	get isCompacting(): boolean {
		return this.compaction.isCompacting;
	}
	get isRetrying(): boolean {
		return this.retry.isPending;
	}
	get isBashRunning(): boolean {
		return this.bash.isRunning;
	}
	get sessionFile(): string | undefined {
		return this.sessionManager.getSessionFile();
	}
	get sessionId(): string {
		return this.sessionManager.getSessionId();
	}
	get sessionName(): string | undefined {
		return this.sessionManager.getName();
	}
	get steeringMode() {
		return this.settings.getSteeringMode();
	}
	get followUpMode() {
		return this.settings.getFollowUpMode();
	}
	get autoCompactionEnabled(): boolean {
		return this.settings.getCompactionSettings().enabled;
	}
	get autoRetryEnabled(): boolean {
		return this.settings.getRetrySettings().enabled;
	}
	get pendingMessageCount(): number {
		return this.queue.count;
	}
	get queuedSteering(): readonly string[] {
		return this.queue.steering;
	}
	get queuedFollowUps(): readonly string[] {
		return this.queue.followUp;
	}
	/** The system prompt the model gets now, rendered from the loadout. */
	get systemPrompt(): string {
		return this.loadout.systemPrompt();
	}
	getScopedModels(): readonly ScopedModel[] {
		return this.scopedModels;
	}
	/** The models Ctrl+P cycles through (`--models`, `enabledModels`, `/scoped-models`); empty = every model with a key. */
	setScopedModels(models: ScopedModel[]): void {
		this.scopedModels = models;
	}
	getActiveToolNames(): string[] {
		return this.loadout.activeToolNames();
	}

	/** Switches these tools on (unknown and hidden names are ignored); the model is told before its next request. */
	setActiveTools(names: string[]): void {
		this.loadout.setActiveTools(names);
	}

	/** Tools the session wants active that are not registered yet (MCP tools of a resumed branch). */
	getPendingToolNames(): string[] {
		return this.loadout.pendingToolNames();
	}

	/** Add or replace tools while the session runs (MCP servers connecting); new `direct` tools become active. */
	registerTools(tools: AgentTool[]): void {
		this.loadout.registerTools(tools);
	}

	/**
	 * The tools extensions registered, replacing the previous set (reload, session replacement): a tool an extension
	 * tool replaced (a built-in, an MCP tool) comes back when it goes away. `activates` says which new ones switch on.
	 */
	setExtensionTools(tools: readonly AgentTool[], activates: (tool: AgentTool) => boolean): void {
		this.extensionTools.set(tools, activates);
	}

	getTool(name: string): AgentTool | undefined {
		return this.loadout.getTool(name);
	}

	getAllTools(): AgentTool[] {
		return this.loadout.allTools();
	}

	/** The tools a codemode script may call now. */
	getCallableTools(): AgentTool[] {
		return this.loadout.callableTools();
	}

	/**
	 * Run a tool call for a running tool (a codemode script, an extension's ctx.executeTool) through the model's tool
	 * pipeline (session/nested-calls).
	 */
	executeNestedTool(
		parentToolCallId: string,
		name: string,
		args: unknown,
		signal: AbortSignal,
		onUpdate?: (partialResult: AgentToolResult) => void,
	): Promise<NestedCallOutcome> {
		return this.nestedCalls.run(parentToolCallId, name, args, signal, onUpdate);
	}

	/**
	 * Set or remove a named section of the system prompt (`<name>
…
</name>` after `cwd`), e.g. the `mcp_servers`
	 * list. The model is told with a system message before its next request (PromptLoadout).
	 */
	setPromptSection(name: string, content: string | undefined): void {
		this.loadout.setSection(name, content);
	}

	// ------------------------------------------------------------- skills and prompt templates

	get resources(): LoadedResources {
		return this.loadedResources;
	}

	/** Replace the skills and templates (e.g. after /reload); the prompt's skills section follows. */
	setResources(resources: LoadedResources): void {
		this.loadedResources = resources;
		this.loadout.setBase({ skills: resources.skills });
	}

	// ------------------------------------------------------------- prompting

	/** Extensions take part in prompts, runs and session changes from now on (src/extensions binds them). */
	setExtensionHooks(hooks: SessionExtensionHooks | undefined): void {
		this.extensionHooks = hooks;
	}

	/**
	 * Send a user prompt. While the agent works, `streamingBehavior` says whether it steers or follows up.
	 * Resolves when the agent is idle again (including any automatic retries); see session/prompt-submission.ts.
	 */
	prompt(text: string, options: PromptOptions = {}): Promise<void> {
		return this.submission.prompt(text, options);
	}

	/** `pi.sendMessage()`: a custom message, delivered as pi does (see session/custom-messages.ts). */
	sendCustomMessage(
		message: CustomMessage,
		options: { triggerTurn?: boolean; deliverAs?: CustomDelivery } = {},
	): Promise<void> {
		return this.submission.sendCustomMessage(message, options);
	}

	/** `pi.appendEntry()`: extension data in the session file, never sent to the model; announced as pi does. */
	appendCustomEntry(customType: string, data: unknown): void {
		const id = this.sessionManager.appendCustomEntry(customType, data);
		const entry = this.sessionManager.getEntry(id);
		if (entry) this.emit({ type: "entry_appended", entry });
	}

	steer(rawText: string, images?: ImageContent[]): Promise<void> {
		return this.submission.steer(rawText, images);
	}

	followUp(rawText: string, images?: ImageContent[]): Promise<void> {
		return this.submission.followUp(rawText, images);
	}

	/** Empty both queues and return what was in them (Escape / Alt+Up put it back in the editor). */
	clearQueue(): { steering: string[]; followUp: string[] } {
		return this.queue.takeAll();
	}

	/** Stop whatever runs (stream, tools, retry wait) and wait until the agent is idle. */
	async abort(): Promise<void> {
		this.runs.markAborted();
		this.abortRetry();
		this.compaction.abort();
		this.agent.abort();
		await this.agent.waitForIdle();
		await this.events.settled();
	}

	async waitForIdle(): Promise<void> {
		await this.agent.waitForIdle();
		await this.events.settled();
		await this.waitForRetry();
	}

	/** Waits until no retry (or compaction-then-retry) is pending, including ones scheduled while waiting. */
	private waitForRetry(): Promise<void> {
		return this.retry.waitUntilSettled(() => this.events.settled());
	}

	/** Waits until every agent event so far has been handled (extensions, persistence). */
	settleEvents(): Promise<void> {
		return this.events.settled();
	}

	// --------------------------------------------------------------- retries

	abortRetry(): void {
		this.retry.abort();
	}

	setAutoRetryEnabled(enabled: boolean): void {
		this.settings.setNested("retry", "enabled", enabled);
	}

	// ------------------------------------------------------------ compaction

	setAutoCompactionEnabled(enabled: boolean): void {
		this.settings.setNested("compaction", "enabled", enabled);
	}

	/** Manual compaction (`/compact [instructions]`, RPC `compact`). */
	async compact(customInstructions?: string): Promise<CompactionResult> {
		await this.abort();
		return this.compaction.compactManually(customInstructions);
	}

	abortCompaction(): void {
		this.compaction.abort();
	}

	// ------------------------------------------------------ model & thinking

	/**
	 * Makes `model` current and records it in the session. `persist` also makes it the default in settings.json
	 * (pi 1.6.0: only when asked; the interactive selectors ask, RPC's set_model does not).
	 */
	async setModel(model: Model, options: ModelMutationOptions = {}): Promise<void> {
		await this.modelControl.setModel(model, options);
	}

	/** Ctrl+P: the next scoped model (or the next available one when no scope is set). */
	cycleModel(
		direction: "forward" | "backward" = "forward",
		options: ModelMutationOptions = {},
	): Promise<{ model: Model; thinkingLevel: ThinkingLevel; isScoped: boolean } | undefined> {
		return this.modelControl.cycleModel(direction, options);
	}

	getAvailableThinkingLevels(): ThinkingLevel[] {
		return this.modelControl.availableThinkingLevels();
	}

	/** Clamped to what the model supports; recorded in the session when it changes, in settings with `persist`. */
	setThinkingLevel(level: ThinkingLevel, options: ModelMutationOptions = {}): void {
		this.modelControl.setThinkingLevel(level, options);
	}

	/** Shift+Tab: the next level, or undefined for a model without reasoning. */
	cycleThinkingLevel(options: ModelMutationOptions = {}): ThinkingLevel | undefined {
		return this.modelControl.cycleThinkingLevel(options);
	}

	setSteeringMode(mode: "all" | "one-at-a-time"): void {
		this.agent.setSteeringMode(mode);
		this.settings.set("steeringMode", mode);
	}

	setFollowUpMode(mode: "all" | "one-at-a-time"): void {
		this.agent.setFollowUpMode(mode);
		this.settings.set("followUpMode", mode);
	}

	// ------------------------------------------------------------------ bash

	/** `!cmd` (sent to the model with the next prompt) or `!!cmd` (excludeFromContext: kept out of it). */
	executeBash(
		command: string,
		options: { onChunk?: (chunk: string) => void; excludeFromContext?: boolean } = {},
	): Promise<BashResult> {
		return this.bash.execute(command, options);
	}

	abortBash(): void {
		this.bash.abort();
	}

	// --------------------------------------------------------------- session

	setSessionName(name: string): void {
		this.sessionManager.appendSessionInfo(name);
		this.emit({ type: "session_info_changed", name: this.sessionManager.getName() });
	}

	/**
	 * Point the session at another SessionManager (new, resumed or forked) and reload the agent state. Extensions
	 * shut down for the old session and start again for the new one (pi 1.6: a fresh extension instance).
	 */
	switchTo(sessionManager: SessionManager, reason: "new" | "resume" | "fork" = "resume"): Promise<void> {
		return this.replacement.switchTo(sessionManager, reason);
	}

	/** Re-reads the agent's messages, model and level from the session file (after an extension edited it). */
	async reloadFromSessionManager(): Promise<void> {
		await loadSessionIntoAgent(this, this.sessionManager);
	}

	/** Records the model and thinking level at the start of a run, as pi does (see recordStartupEntries). */
	recordStartup(): void {
		recordStartupEntries(this.sessionManager, this.model, this.thinkingLevel);
	}

	/** `/new`: a fresh session in the same place; only the thinking level is recorded at first. */
	newSession(parentSession?: string): Promise<{ cancelled: boolean }> {
		return this.replacement.newSession(parentSession);
	}

	/** `/resume` and RPC `switch_session`. */
	switchSession(path: string): Promise<{ cancelled: boolean }> {
		return this.replacement.switchSession(path);
	}

	/**
	 * `/fork`: a new session file holding the path up to (not including) the chosen user message, whose text
	 * is handed back for the editor.
	 */
	fork(entryId: string): Promise<{ selectedText: string; cancelled: boolean }> {
		return this.replacement.fork(entryId);
	}

	/** RPC `clone`: a new session file with the whole current branch. Undefined when there is nothing to clone. */
	clone(): Promise<{ cancelled: boolean } | undefined> {
		return this.replacement.clone();
	}

	/** Every user message in the file (all branches), for /fork. */
	getUserMessagesForForking(): { entryId: string; text: string }[] {
		return userMessagesForForking(this.sessionManager);
	}

	// ------------------------------------------------------------------ tree

	get isSummarizingBranch(): boolean {
		return this.tree.isSummarizing;
	}

	abortBranchSummary(): void {
		this.tree.abortSummary();
	}

	/** `/tree`: move the leaf within this file, optionally summarizing the branch left behind (session/tree-navigator.ts). */
	navigateTree(
		targetId: string,
		options: NavigateTreeOptions = {},
	): Promise<{ editorText?: string; cancelled: boolean }> {
		return this.tree.navigate(targetId, options);
	}

	// ----------------------------------------------------------------- stats

	getLastAssistantText(): string | undefined {
		return lastAssistantText(this.messages);
	}

	getSessionStats(): SessionStats {
		return computeSessionStats({
			entries: this.sessionManager.getEntries(),
			sessionFile: this.sessionFile,
			sessionId: this.sessionId,
			contextUsage: this.getContextUsage(),
		});
	}

	getContextUsage(): ContextUsage | undefined {
		return computeContextUsage(this.sessionManager.getBranch(), this.messages, this.model?.contextWindow ?? 0);
	}
}
