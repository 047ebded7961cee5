/**
 * The interactive session's hub: builds the layout, owns the shared state (chat column, display toggles, exit),
 * and wires the parts together — session-event-renderer.ts draws the conversation, key-dispatch.ts maps keys
 * (pi-spec §9.4), prompt-submission.ts handles the editor's Enter (§9.2), builtin-commands.ts registers the slash
 * commands (§9.3), run-notices.ts the once-per-run warnings. It implements InteractiveUi (ui-host.ts), the only thing
 * commands, dialogs and extension UI see of it. What stays here is the run lifecycle, startup, /reload and toggles.
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { AgentSessionEvent } from "../../agent/session-events.ts";
import type { ImageContent } from "../../ai/types.ts";
import { AuthStorage } from "../../auth/auth-storage.ts";
import { agentPaths } from "../../config/paths.ts";
import type { Component } from "../../tui/component.ts";
import { setCodeBlockIndent } from "../../tui/components/markdown.ts";
import { ProcessTerminal } from "../../tui/terminal.ts";
import type { ThemeDiagnostic } from "../../tui/themes/loader.ts";
import type { TUI } from "../../tui/tui.ts";
import { errorMessage } from "../../util/errors.ts";
import { type BuiltinCommands, registerBuiltinCommands } from "./builtin-commands.ts";
import { ChatNotices } from "./chat-notices.ts";
import { copyText } from "./clipboard-copy.ts";
import { CommandRegistry } from "./command-registry.ts";
import { EditorArea } from "./components/editor-area.ts";
import { FooterView } from "./components/footer.ts";
import { HeaderView } from "./components/header.ts";
import { setHiddenThinkingLabel } from "./components/messages.ts";
import { Column, Slot, type UiComponent } from "./components/primitives.ts";
import type { ToolImageSettings } from "./components/tool-execution.ts";
import { WidgetArea } from "./components/widget-area.ts";
import { DialogHost } from "./dialog-host.ts";
import { setChatExpanded, setChatThinkingHidden } from "./display-toggles.ts";
import { ExtensionLayout } from "./extension-layout.ts";
import { KeyDispatcher } from "./key-dispatch.ts";
import { activeKeybindings, type Keybindings } from "./keybindings.ts";
import { LoaderLine } from "./loader-line.ts";
import { PendingQueueView } from "./pending-queue.ts";
import { PromptHandoffs } from "./prompt-handoffs.ts";
import { PromptSubmitter } from "./prompt-submission.ts";
import { RunNotices } from "./run-notices.ts";
import { type ExtensionRendererSource, SessionEventRenderer } from "./session-event-renderer.ts";
import { ShortcutRegistry } from "./shortcut-registry.ts";
import { type ReloadResult, StartupListing } from "./startup-listing.ts";
import { usesSubscription } from "./subscription-notice.ts";
import { terminalTitleSequence, titleSequence } from "./terminal-title.ts";
import type { InteractiveUi, NoticeKind, WidgetPlacement } from "./ui-host.ts";

export type { ReloadResult };

export interface ControllerOptions {
	verbose: boolean;
	auth?: AuthStorage;
	contextFiles?: readonly string[];
	themeDiagnostics?: readonly ThemeDiagnostic[];
	modelFallbackMessage?: string;
	/** Warnings from before the screen started that the screen would hide (fullscreen). */
	startupWarnings?: readonly string[];
	reload?: () => Promise<ReloadResult | undefined>;
	/** Loaded extensions and load failures for the startup listing. */
	extensionListing?: Pick<ReloadResult, "extensions" | "extensionIssues">;
}

export class InteractiveController implements InteractiveUi {
	readonly header = new HeaderView();
	readonly chat = new Column();
	/** The startup resource listing, between the header and the chat (kept when the chat is rebuilt, as pi). */
	private readonly resources = new Column();
	readonly pending: PendingQueueView;
	readonly status = new Slot();
	readonly widgetsAbove = new WidgetArea(true);
	readonly widgetsBelow = new WidgetArea(false);
	readonly editorArea: EditorArea;
	readonly footer: FooterView;
	private readonly auth: AuthStorage;
	private readonly runNotices: RunNotices;
	private codeBlockIndent: string | undefined;
	readonly commands = new CommandRegistry<InteractiveUi>();
	readonly shortcuts = new ShortcutRegistry<InteractiveUi>();
	readonly dialogs: DialogHost;
	readonly extensionLayout: ExtensionLayout;
	private readonly builtins: BuiltinCommands;

	toolsExpanded = false;
	hideThinking: boolean;
	private readonly renderer: SessionEventRenderer;
	private readonly notices: ChatNotices;
	private readonly loader: LoaderLine;
	/** The working loader, as extensions change it. */
	get working(): LoaderLine {
		return this.loader;
	}
	private readonly keys = new KeyDispatcher(this);
	private readonly submitter = new PromptSubmitter(this);
	/** Ctrl+G, Ctrl+Z and Ctrl+V: the keys that involve a program outside pi. */
	private readonly handoffs = new PromptHandoffs(this, () => this.notices.forgetStatus());
	private unsubscribe: (() => void) | undefined;
	private exitResolve: (code: number) => void = () => {};
	private readonly exitPromise: Promise<number>;
	private readonly listing: StartupListing;
	private reloading = false;

	get keybindings(): Keybindings {
		return activeKeybindings();
	}

	constructor(
		readonly session: AgentSession,
		readonly tui: TUI,
		private readonly options: ControllerOptions,
	) {
		this.listing = new StartupListing(session, options.verbose, {
			contextFiles: options.contextFiles ?? [],
			themeDiagnostics: options.themeDiagnostics ?? [],
			...options.extensionListing,
		});
		this.hideThinking = session.settings.getHideThinkingBlock();
		this.auth = options.auth ?? new AuthStorage(agentPaths.auth());
		const auth = this.auth;
		this.footer = new FooterView(session, (provider) => usesSubscription(auth, provider));
		this.runNotices = new RunNotices(this, session, auth, options);
		this.editorArea = new EditorArea(
			tui,
			session,
			(text) => this.submit(text),
			() => this.commands.list().filter((command) => !command.hidden),
		);
		this.dialogs = new DialogHost({
			place: (component) => this.editorArea.place(component),
			showOverlay: (component, overlayOptions) => tui.showOverlay(component, overlayOptions),
			requestRender: () => this.requestRender(),
			get terminalRows() {
				return tui.terminal.rows;
			},
		});
		this.builtins = registerBuiltinCommands(this.commands, this, this.auth);
		this.renderer = new SessionEventRenderer(this, this.imageSettings);
		this.pending = new PendingQueueView(() => ({
			steering: session.queuedSteering,
			followUp: session.queuedFollowUps,
		}));
		this.notices = new ChatNotices(this.chat, () => this.requestRender());
		this.loader = new LoaderLine(this.status, () => this.requestRender());
		this.exitPromise = new Promise((resolve) => {
			this.exitResolve = resolve;
		});
		this.extensionLayout = new ExtensionLayout({
			tui,
			header: this.header,
			footer: this.footer,
			editorArea: this.editorArea,
			keys: this.keys,
			shortcut: (data) => this.handleShortcut(data),
		});
	}

	/** Extensions' tool and message renderers (set before start, so a resumed session is drawn with them). */
	setExtensionRenderers(source: ExtensionRendererSource | undefined): void {
		this.renderer.extensionRenderers = source;
	}

	/** Read when a tool box draws its result's images. */
	private readonly imageSettings = (): ToolImageSettings => ({
		showImages: this.session.settings.getShowImages(),
		widthCells: Math.max(1, this.session.settings.settings.terminal?.imageWidthCells ?? 60),
	});

	/** Terminal settings the renderer reads on every frame (startup, /settings, /reload). */
	applyTerminalSettings(): void {
		const indent = this.session.settings.getCodeBlockIndent();
		if (indent !== this.codeBlockIndent) {
			this.codeBlockIndent = indent;
			setCodeBlockIndent(indent);
			this.tui.invalidate();
		}
		const settings = this.session.settings;
		this.tui.clearOnShrink = settings.getClearOnShrink();
		this.tui.showHardwareCursor = settings.getShowHardwareCursor();
		if (this.tui.mode === "fullscreen") {
			const alt = this.tui.altScreen();
			alt.copyOnSelect = settings.getFullscreenCopyOnSelect();
			alt.scrollbar = settings.getFullscreenScrollbar();
			alt.wheelLines = settings.getFullscreenWheelScrollLines();
		}
		this.requestRender();
	}

	get screenMode(): "regular" | "fullscreen" {
		return this.tui.mode;
	}

	setScreenMode(mode: "regular" | "fullscreen"): void {
		this.tui.setMode(mode);
		this.applyTerminalSettings();
	}

	start(): void {
		this.applyTerminalSettings();
		const quiet = this.session.settings.getQuietStartup() && !this.options.verbose;
		// The transcript scrolls (header and chat); the dock under it stays (pinned in fullscreen).
		if (!quiet) this.tui.addChild(this.header);
		this.tui.addChild(this.resources);
		this.tui.addChild(this.chat);
		const dock = this.tui.dock;
		dock.addChild(this.pending.column);
		dock.addChild(this.status);
		// pi's widget area above the editor keeps one blank line there even when empty.
		dock.addChild(this.widgetsAbove);
		dock.addChild(this.editorArea);
		dock.addChild(this.widgetsBelow);
		dock.addChild(this.footer);
		this.tui.onInput = (data) => this.keys.handle(data);
		this.unsubscribe = this.session.subscribe((event) => this.handleSessionEvent(event));
		// pi's order: the resource listing, the resumed conversation, then startup warnings.
		this.chat.clear();
		this.showLoadedResources();
		this.addTranscript();
		this.builtins.info.showWhatsNewIfUpdated();
		this.runNotices.showStartupWarnings();
		this.runNotices.startBackgroundChecks();
		this.updateTitle();
		this.editorArea.focusEditor();
		this.tui.start();
		void this.refreshProviderCount();
	}

	/** The footer names the provider only when models of more than one are available. */
	async refreshProviderCount(): Promise<void> {
		try {
			const models = await this.session.modelRegistry.getAvailable();
			this.footer.providerCount = new Set(models.map((model) => model.provider)).size;
			this.requestRender();
		} catch {
			// The footer then simply leaves the provider out.
		}
	}

	dispose(): void {
		this.unsubscribe?.();
		this.loader.dispose();
		this.widgetsAbove.clear();
		this.widgetsBelow.clear();
		this.tui.onInput = undefined;
	}

	// ------------------------------------------------------------ InteractiveUi

	get editor(): EditorArea {
		return this.editorArea;
	}

	get editorHasFocus(): boolean {
		return this.tui.getFocus() === this.editorArea.editor;
	}

	/** Fullscreen scrolling keys reach the transcript only while the editor itself has focus without a list. */
	get transcriptKeysEnabled(): boolean {
		return (
			this.editorArea.isEditorActive &&
			!this.editorArea.hasSuggestions &&
			this.tui.getFocus() === this.editorArea.editor
		);
	}

	/** Ctrl+X: the fullscreen selection when copy-on-select is off and there is one; else the last answer. */
	async copyMessage(): Promise<void> {
		if (this.tui.mode === "fullscreen" && !this.session.settings.getFullscreenCopyOnSelect()) {
			const alt = this.tui.altScreen();
			if (alt.hasSelection) {
				try {
					await alt.copySelection();
					this.showStatus("Copied selection to clipboard");
				} catch (error) {
					this.showError(errorMessage(error));
				}
				return;
			}
		}
		await this.builtins.info.copyLastAnswer();
	}

	get terminalRows(): number {
		return this.tui.terminal.rows;
	}

	get terminalColumns(): number {
		return this.tui.terminal.columns;
	}

	renderedLines(width: number): string[] {
		return this.tui.render(width);
	}

	get isRealTerminal(): boolean {
		return this.tui.terminal instanceof ProcessTerminal;
	}

	notify(message: string, kind: NoticeKind = "info"): void {
		if (kind === "error") this.showError(message);
		else if (kind === "warning") this.showWarning(message);
		else this.showStatus(message);
	}

	setStatus(key: string, text: string | undefined): void {
		this.footer.setStatus(key, text);
		this.requestRender();
	}

	setWidget(key: string, content: Component | readonly string[] | undefined, placement?: WidgetPlacement): void {
		this.widgetsAbove.set(key, undefined);
		this.widgetsBelow.set(key, undefined);
		(placement === "belowEditor" ? this.widgetsBelow : this.widgetsAbove).set(key, content);
		this.requestRender();
	}

	setTitle(title: string): void {
		this.tui.terminal.write(titleSequence(title));
	}

	async copyToClipboard(text: string): Promise<void> {
		await copyText(text, {
			env: process.env,
			platform: process.platform,
			writeTerminal: (data) => this.tui.terminal.write(data),
		});
	}

	redraw(): void {
		this.tui.invalidate();
		this.tui.requestRender(true);
	}

	runCommand(text: string): Promise<boolean> {
		return this.commands.run(text, this);
	}

	handleShortcut(data: string): boolean {
		return this.shortcuts.handle(data, this);
	}

	openModelSelector(): Promise<void> {
		return this.builtins.models.openModelSelector();
	}

	openTree(): void {
		this.builtins.tree.openTree();
	}

	openFork(): void {
		this.builtins.tree.openFork();
	}

	waitForExit(): Promise<number> {
		return this.exitPromise;
	}

	quit(code = 0): void {
		this.exitResolve(code);
	}

	requestRender(): void {
		this.tui.requestRender();
	}

	// ------------------------------------------------------------ transcript

	/** Re-creates the chat from the session's messages (resume, /tree, compaction, /reload). */
	renderTranscript(options: { fresh?: boolean } = {}): void {
		this.chat.clear();
		this.addTranscript();
		if (options.fresh) this.tui.startOver();
	}

	/** After a compaction, as pi 1.6.0: the kept messages, then the summary block where it happened. */
	private showCompactedTranscript(): void {
		this.chat.clear();
		this.notices.forgetStatus();
		this.renderer.addTranscript(this.session.messages, { summaryLast: true });
		this.tui.startOver();
		this.requestRender();
	}

	private addTranscript(): void {
		this.notices.forgetStatus();
		this.renderer.addTranscript(this.session.messages);
		const compactions = this.session.sessionManager.getEntries().filter((e) => e.type === "compaction").length;
		if (compactions > 0) {
			this.showStatus(`Session compacted ${compactions === 1 ? "1 time" : `${compactions} times`}`);
		}
		this.requestRender();
	}

	/** `[Context]`, `[Skills]`, `[Prompts]`, `[Themes]` and conflicts; only the conflicts with quietStartup. */
	showLoadedResources(): void {
		this.resources.clear();
		for (const component of this.listing.components(this.toolsExpanded)) this.resources.add(component);
		this.requestRender();
	}

	/** /reload (pi-spec §9.3): refused while busy; everything re-read, chat rebuilt, the listing shown again. */
	async reload(): Promise<void> {
		if (this.session.isStreaming) {
			this.showWarning("Wait for the current response to finish before reloading.");
			return;
		}
		if (this.session.isCompacting) {
			this.showWarning("Wait for compaction to finish before reloading.");
			return;
		}
		if (this.reloading) return;
		this.reloading = true;
		try {
			const result = await this.options.reload?.();
			if (result) this.listing.update(result);
			this.hideThinking = this.session.settings.getHideThinkingBlock();
			this.editorArea.applySettings();
			this.applyTerminalSettings();
			this.header.refresh();
			this.tui.invalidate();
			this.renderTranscript();
			this.showLoadedResources();
			const modelsError = this.session.modelRegistry.loadError;
			if (modelsError) this.showError(`models.json error: ${modelsError}`);
			this.showStatus(
				result?.savedProjectTrust
					? "Reloaded keybindings, extensions, skills, prompts, themes; saved project trust"
					: "Reloaded keybindings, extensions, skills, prompts, themes",
			);
		} catch (error) {
			this.showError(`Reload failed: ${errorMessage(error)}`);
		} finally {
			this.reloading = false;
			this.tui.requestRender(true);
		}
	}

	addToChat(component: UiComponent): void {
		this.chat.add(component);
		this.requestRender();
	}

	/** Dim status line; consecutive ones replace each other instead of piling up (as pi). */
	showStatus(message: string): void {
		this.notices.status(message);
	}

	showError(message: string): void {
		this.notices.error(message);
	}

	showWarning(message: string): void {
		this.notices.warning(message);
	}

	/** Plain block of text in the chat (command output such as /session). */
	showInfo(text: string): void {
		this.notices.info(text);
	}

	setLoader(message: string | undefined): void {
		this.loader.set(message);
	}

	/** A model switch (command, key, login): the editor border follows, and pi's subscription warning. */
	modelChanged(): void {
		this.editorArea.updateBorder();
		void this.runNotices.warnAboutSubscriptionUse();
		this.requestRender();
	}

	/** After anything that changes the session or its name. */
	updateTitle(): void {
		this.tui.terminal.write(terminalTitleSequence(this.session.cwd, this.session.sessionName));
	}

	// ---------------------------------------------------------- session events

	/** Public so benchmarks can replay events without a model. */
	handleSessionEvent(event: AgentSessionEvent): void {
		// Streamed text and streamed tool output arrive every few ms: drawn at most one frame per 16 ms (as pi).
		const streamed = event.type === "message_update" || event.type === "tool_execution_update";
		// The last deltas' frame is drawn before the message or turn ends, as when every delta was drawn: regular
		// mode's screen depends on the tallest frame (the answer with the loader still under it).
		if (!streamed) this.tui.flushThrottledRender();
		this.renderer.handle(event);
		switch (event.type) {
			case "agent_start":
				this.loader.working();
				break;
			case "agent_end":
				this.setLoader(undefined);
				this.renderer.endStream();
				this.pending.moveBashInto(this.chat);
				break;
			case "queue_update":
				this.pending.show(event.steering, event.followUp);
				break;
			case "compaction_start":
				this.loader.compacting(event.reason === "manual");
				break;
			case "compaction_end":
				if (this.session.isStreaming) this.loader.working();
				else this.setLoader(undefined);
				if (event.aborted)
					this.showStatus(event.reason === "manual" ? "Compaction cancelled" : "Auto-compaction cancelled");
				else if (event.errorMessage) this.showError(event.errorMessage);
				else if (event.result) {
					this.showCompactedTranscript();
					this.submitter.flushCompactionQueue();
				}
				break;
			case "auto_retry_start":
				this.loader.retrying(event.attempt, event.maxAttempts, event.delayMs);
				break;
			case "auto_retry_end":
				if (!event.success) {
					this.setLoader(undefined);
					this.showError(`Retry failed after ${event.attempt} attempts: ${event.finalError || "Unknown error"}`);
				}
				break;
			case "thinking_level_changed":
				this.editorArea.updateBorder();
				break;
			case "session_info_changed":
				this.updateTitle();
				break;
		}
		if (streamed) this.tui.requestThrottledRender();
		else this.requestRender();
	}

	// ----------------------------------------------------------- key actions

	/** Alt+T: thinking blocks hidden or shown, in the chat at once and in the settings for next time. */
	toggleThinkingBlocks(): void {
		this.hideThinking = !this.hideThinking;
		this.session.settings.set("hideThinkingBlock", this.hideThinking);
		setChatThinkingHidden(this.chat, this.hideThinking);
		this.showStatus(`Thinking blocks: ${this.hideThinking ? "hidden" : "visible"}`);
	}

	/** Queued messages go back into the editor (announced for Alt+Up, silent when Escape aborts). */
	restoreQueued(announce: boolean): void {
		this.submitter.restoreQueued(announce);
	}

	pasteClipboardImage(): Promise<void> {
		return this.handoffs.pasteClipboardImage();
	}

	openExternalEditor(): void {
		this.handoffs.openExternalEditor();
	}

	suspend(): void {
		this.handoffs.suspend();
	}

	/** pi's ctx.ui.setToolsExpanded: Ctrl+O's state set directly. */
	setToolsExpanded(expanded: boolean): void {
		if (expanded !== this.toolsExpanded) this.toggleExpanded();
	}

	/** The line hidden thinking blocks show (undefined: pi's "Thinking..."), in the whole chat at once. */
	setHiddenThinkingLabel(label: string | undefined): void {
		setHiddenThinkingLabel(label);
		setChatThinkingHidden(this.chat, this.hideThinking);
		this.requestRender();
	}

	/** Ctrl+O: everything collapsible in the chat, and the header's key hints. */
	toggleExpanded(): void {
		this.toolsExpanded = !this.toolsExpanded;
		this.header.setExpanded(this.toolsExpanded);
		setChatExpanded(this.resources, this.toolsExpanded);
		setChatExpanded(this.chat, this.toolsExpanded);
		this.requestRender();
	}

	cycleModel(direction: "forward" | "backward"): Promise<void> {
		return this.builtins.models.cycleModel(direction);
	}

	// ------------------------------------------------------------ submission

	async sendInitialMessages(
		initialMessage: string | undefined,
		initialImages: ImageContent[] | undefined,
		messages: readonly string[],
	): Promise<void> {
		if (initialMessage !== undefined) await this.sendPrompt(initialMessage, initialImages);
		for (const message of messages) await this.sendPrompt(message);
	}

	/** Text from the editor (Enter, or Alt+Enter for a follow-up). */
	submit(text: string, behavior: "steer" | "followUp" = "steer"): Promise<void> {
		return this.submitter.submit(text, behavior);
	}

	sendPrompt(text: string, images?: ImageContent[]): Promise<void> {
		return this.submitter.sendPrompt(text, images);
	}
}
