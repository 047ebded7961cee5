/**
 * The renderer core: the component tree (the transcript — this container's children — and the dock pinned under
 * it), focus and input routing, overlays, frame scheduling, and the terminal's modes (synchronized output when the
 * terminal says it has it, focus reports, the cell size for images). How a frame reaches the terminal is the
 * screen strategy's job: InlineScreen (regular mode) or AltScreen (fullscreen), switchable at run time.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Component, isFocusable } from "./component.ts";
import { onHighlighterReady } from "./components/shiki-highlight.ts";
import { Container } from "./container.ts";
import { fitLines } from "./fit.ts";
import { getImageProtocol, setCellSize } from "./images/terminal-image.ts";
import { InputBuffer } from "./input-buffer.ts";
import { isKeyRelease } from "./keys.ts";
import type { OverlayEntry, OverlayHandle, OverlayOptions } from "./overlays.ts";
import { AltScreen, type AltScreenOptions } from "./screens/alt-screen.ts";
import { InlineScreen } from "./screens/inline-screen.ts";
import type { Frame, Screen, ScreenHost, ScreenMode } from "./screens/screen.ts";
import type { Terminal } from "./terminal.ts";
import {
	COLOR_QUERY,
	DEVICE_ATTRIBUTES_QUERY,
	DEVICE_ATTRIBUTES_REPLY,
	parseColorReply,
	TerminalColorCollector,
	type TerminalColorReport,
} from "./terminal-colors.ts";

export { Container } from "./container.ts";
export type { ScreenMode } from "./screens/screen.ts";

const SYNC_START = "\x1b[?2026h";
const SYNC_END = "\x1b[?2026l";
/** DECRQM for synchronized output; the reply is CSI ? 2026 ; Ps $ y (1 or 2: supported). */
const SYNC_QUERY = "\x1b[?2026$p";
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
const SYNC_REPLY = /^\x1b\[\?2026;(\d)\$y$/;
/** Terminal focus reports (enabled by ProcessTerminal with CSI ?1004h). */
const FOCUS_IN = "\x1b[I";
const FOCUS_OUT = "\x1b[O";
/** Asks the terminal for its cell size in pixels (images are scaled with it); the reply is CSI 6;height;width t. */
const CELL_SIZE_QUERY = "\x1b[16t";
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
const CELL_SIZE_REPLY = /^\x1b\[6;(\d+);(\d+)t$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
const CURSOR_REPORT = /^\x1b\[\d+;\d+R$/;

/** The longest the first frame waits for the terminal's colours (pi 1.6.0 waits at most 100 ms too). */
const COLOR_WAIT_MS = 100;
/**
 * Frames asked for with requestThrottledRender (a streamed delta) come at most this often, as pi 1.6.0's
 * MIN_RENDER_INTERVAL_MS: a model streaming a delta every 2 ms otherwise costs a whole frame per delta.
 */
const FRAME_INTERVAL_MS = 16;

/** Replies to the queries terminals answer: mode reports, cursor position, cell size, colours, device attributes. */
function isTerminalReply(data: string): boolean {
	return (
		SYNC_REPLY.test(data) ||
		CELL_SIZE_REPLY.test(data) ||
		CURSOR_REPORT.test(data) ||
		parseColorReply(data) !== undefined ||
		DEVICE_ATTRIBUTES_REPLY.test(data)
	);
}

/**
 * Sees raw terminal input before anything else (pi-tui's input listeners, extensions' onTerminalInput): return
 * `{ consume: true }` to swallow it, `{ data }` to hand on something else.
 */
export type InputListener = (data: string) => { consume?: boolean; data?: string } | undefined;

/** A component that wants kitty key-release events too (pi-tui's `wantsKeyRelease`). */
function wantsKeyRelease(component: Component | null): boolean {
	return component !== null && "wantsKeyRelease" in component && component.wantsKeyRelease === true;
}

export interface TuiOptions {
	mode?: ScreenMode;
	/** Fullscreen behaviour (keys, copy, scrollbar, styles). */
	fullscreen?: AltScreenOptions;
	/** Folder for the PI_TUI_DEBUG_REDRAW log (pi-tui-debug.log). */
	logDirectory?: string;
	/**
	 * Ask the terminal for its colours (OSC 10/11/4) when starting; called with what it reported once it has
	 * answered (also when the answer comes late).
	 */
	onTerminalColors?: (report: TerminalColorReport) => void;
	/** Hold the first frame until the colours arrived (at most 100 ms), so it is drawn in them. */
	waitForColors?: boolean;
}

export interface StopOptions {
	/** Fullscreen: print the transcript into the normal screen after leaving the alternate one. */
	printTranscript?: boolean;
}

export class TUI extends Container {
	/** Pinned under the transcript: pending messages, status, widgets, editor, footer. */
	readonly dock = new Container();
	/** Global key hook, called before the focused component; return true to consume the key. */
	onInput?: (data: string) => boolean;
	/** Show the terminal's own cursor at the focused component's cursor marker (otherwise it stays hidden). */
	showHardwareCursor = process.env.PI_HARDWARE_CURSOR === "1";
	/** pi's `clearOnShrink`: accepted; freed rows are always blanked and the scrollback is never cleared. */
	clearOnShrink = false;
	/** Frames that repainted the whole screen (diagnostics and tests). */
	fullRedraws = 0;
	/** Synchronized output (CSI ?2026): used once the terminal reports it; PI_NO_SYNC_OUTPUT=1 never. */
	synchronizedOutput = false;
	/** Terminal focus changes (from focus reports), after `onInput` saw them as "focus_in" / "focus_out". */
	onFocusChange?: (focused: boolean) => void;
	/** False after the terminal reported losing focus. */
	terminalFocused = true;

	private focused: Component | null = null;
	private started = false;
	private suspended = false;
	private renderScheduled = false;
	/** A throttled frame waiting for FRAME_INTERVAL_MS to pass since the last one. */
	private renderTimer: ReturnType<typeof setTimeout> | undefined;
	private lastFrameAt = 0;
	private forceNext = false;
	private readonly input: InputBuffer;
	private readonly overlays: OverlayEntry[] = [];
	private readonly inputListeners = new Set<InputListener>();
	/** What each overlay took focus from (kept after it is removed, to find where focus returns). */
	private readonly overlayReturn = new WeakMap<Component, Component | null>();
	/** The last component focused that is not an overlay (the editor, a dialog in its place). */
	private baseFocus: Component | null = null;
	private overlayOrder = 0;
	private unsubscribeHighlighter: (() => void) | undefined;
	private screen: Screen;
	/** Kept while fullscreen runs: the normal screen under the alternate one still shows what it drew. */
	private inline: InlineScreen;
	private alt: AltScreen | undefined;
	private readonly host: ScreenHost & { showOverlay: TUI["showOverlay"] };
	private readonly logFile: string | undefined;
	/** Collecting colour replies until the device-attributes reply closes the round. */
	private colorReplies: TerminalColorCollector | undefined;
	/** Frames are held while the first one waits for the colours. */
	private holdingFrames = false;
	private colorWait: ReturnType<typeof setTimeout> | undefined;

	constructor(
		readonly terminal: Terminal,
		private readonly options: TuiOptions = {},
	) {
		super();
		this.input = new InputBuffer((key) => this.dispatchKey(key));
		const debug = process.env.PI_TUI_DEBUG_REDRAW === "1" || process.env.PI_DEBUG_REDRAW === "1";
		this.logFile = debug && options.logDirectory ? join(options.logDirectory, "pi-tui-debug.log") : undefined;
		const tui = this;
		this.host = {
			write: (data) => this.terminal.write(data),
			requestRender: (force) => this.requestRender(force),
			logRedraw: (reason) => this.logRedraw(reason),
			countFullRedraw: () => {
				this.fullRedraws++;
			},
			get showHardwareCursor() {
				return tui.showHardwareCursor;
			},
			get reflowKeepsCursor() {
				return tui.terminal.reflowKeepsCursor === true;
			},
			showOverlay: (component, overlayOptions) => this.showOverlay(component, overlayOptions),
		};
		this.inline = new InlineScreen(this.host);
		this.screen = options.mode === "fullscreen" ? this.altScreen() : this.inline;
	}

	get mode(): ScreenMode {
		return this.screen.mode;
	}

	/** The fullscreen strategy (created on first use), for its scrolling, selection and settings. */
	altScreen(): AltScreen {
		if (!this.alt) this.alt = new AltScreen(this.host, this.options.fullscreen);
		return this.alt;
	}

	/** The transcript was replaced (a session switch): regular mode prints the new one below instead of repainting. */
	startOver(): void {
		this.screen.startOver?.();
		this.requestRender();
	}

	/** Switches between regular and fullscreen while running. */
	setMode(mode: ScreenMode): void {
		if (mode === this.screen.mode) return;
		const next = mode === "fullscreen" ? this.altScreen() : this.inline;
		if (this.started) {
			this.terminal.write(this.screen.leave());
			this.screen = next;
			this.terminal.write(this.screen.enter());
			this.screen.reset("fresh");
			if (mode === "regular") this.inline.reset("handoff");
			this.updateRestoreSequence();
		} else this.screen = next;
		this.requestRender(true);
	}

	start(): void {
		if (this.started) return;
		this.started = true;
		this.terminal.start(
			(data) => this.input.push(data),
			() => this.handleResize(),
		);
		// Code blocks drawn with the fallback highlighter are redrawn once shiki has their language.
		this.unsubscribeHighlighter = onHighlighterReady(() => {
			this.invalidate();
			this.requestRender();
		});
		this.terminal.hideCursor();
		let queries = "";
		if (process.env.PI_NO_SYNC_OUTPUT !== "1") queries += SYNC_QUERY;
		// Only image drawing needs the cell size; other terminals are not asked.
		if (getImageProtocol()) queries += CELL_SIZE_QUERY;
		if (this.options.onTerminalColors && !this.colorReplies) {
			this.colorReplies = new TerminalColorCollector();
			queries += COLOR_QUERY + DEVICE_ATTRIBUTES_QUERY;
			if (this.options.waitForColors) {
				this.holdingFrames = true;
				this.colorWait = setTimeout(() => this.releaseFrames(), COLOR_WAIT_MS);
			}
		}
		if (queries) this.terminal.write(queries);
		this.terminal.write(this.screen.enter());
		this.updateRestoreSequence();
		this.requestRender();
	}

	/**
	 * Draws a final frame and restores the terminal: regular mode leaves the cursor below the content; fullscreen
	 * leaves the alternate screen (and prints the transcript into the normal screen when asked).
	 */
	stop(options: StopOptions = {}): void {
		if (!this.started) return;
		this.releaseFrames();
		this.renderFrame();
		this.started = false;
		this.input.dispose();
		this.unsubscribeHighlighter?.();
		this.unsubscribeHighlighter = undefined;
		this.terminal.write(this.screen.leave());
		if (this.screen.mode === "fullscreen" && options.printTranscript) {
			// The transcript (and the dock under it) goes into the normal screen as regular mode would draw it.
			while (this.overlays.length > 0) this.overlays.pop();
			this.inline.reset("handoff");
			this.screen = this.inline;
			this.started = true;
			this.renderFrame();
			this.started = false;
		}
		this.terminal.write(this.screen.finish());
		this.terminal.showCursor();
		this.terminal.setRestoreSequence?.("");
		this.terminal.stop();
	}

	/**
	 * Gives the terminal to another program (an external editor, the shell on Ctrl+Z) and takes it back:
	 * `resume` restarts input and redraws; what regular mode drew stays above.
	 */
	handoff(run: () => void): void {
		if (!this.started) {
			run();
			return;
		}
		this.suspend();
		try {
			run();
		} finally {
			this.resume();
		}
	}

	/** The first half of a handoff: the terminal is restored and input stops until `resume()`. */
	suspend(): void {
		if (!this.started) return;
		this.renderFrame();
		this.terminal.write(this.screen.leave());
		this.terminal.write(this.screen.finish());
		this.terminal.showCursor();
		this.terminal.setRestoreSequence?.("");
		this.terminal.stop();
		this.started = false;
		this.suspended = true;
		this.input.dispose();
	}

	/** Takes the terminal back after `suspend()` and redraws. */
	resume(): void {
		if (!this.suspended) return;
		this.suspended = false;
		this.started = true;
		this.terminal.start(
			(data) => this.input.push(data),
			() => this.handleResize(),
		);
		this.terminal.hideCursor();
		this.terminal.write(this.screen.enter());
		this.screen.reset("handoff");
		this.updateRestoreSequence();
		this.requestRender(true);
	}

	/** What the terminal must write when it is restored by a signal or a crash (leave fullscreen, mouse off). */
	private updateRestoreSequence(): void {
		this.terminal.setRestoreSequence?.(this.screen.leave());
	}

	setFocus(component: Component | null): void {
		if (isFocusable(this.focused)) this.focused.focused = false;
		this.focused = component;
		if (component && !this.overlays.some((entry) => entry.component === component)) this.baseFocus = component;
		if (isFocusable(component)) component.focused = true;
		this.requestRender();
	}

	getFocus(): Component | null {
		return this.focused;
	}

	/**
	 * Draws `component` over the screen (see overlays.ts for the options); unless `nonCapturing`, it takes keyboard
	 * focus until hidden or unfocused, then focus returns to what had it before.
	 */
	showOverlay(component: Component, options: OverlayOptions = {}): OverlayHandle {
		const entry: OverlayEntry = { component, options, hidden: false, order: ++this.overlayOrder };
		this.overlays.push(entry);
		let preFocus: Component | null = this.focused;
		this.overlayReturn.set(component, preFocus);
		let removed = false;
		const focusNext = () => {
			const next = this.overlays
				.filter((e) => !e.hidden && !e.options.nonCapturing)
				.sort((a, b) => b.order - a.order)[0];
			this.setFocus(next ? next.component : this.returnTarget(preFocus));
		};
		const handle: OverlayHandle = {
			hide: () => {
				if (removed) return;
				removed = true;
				const index = this.overlays.indexOf(entry);
				if (index !== -1) this.overlays.splice(index, 1);
				if (this.focused === component) focusNext();
				this.requestRender();
			},
			setHidden: (hidden) => {
				if (removed || entry.hidden === hidden) return;
				entry.hidden = hidden;
				if (hidden && this.focused === component) focusNext();
				else if (!hidden && !options.nonCapturing) handle.focus();
				this.requestRender();
			},
			isHidden: () => entry.hidden,
			focus: () => {
				if (removed) return;
				if (this.focused !== component) preFocus = this.focused;
				this.overlayReturn.set(component, preFocus);
				entry.order = ++this.overlayOrder;
				this.setFocus(component);
			},
			unfocus: () => {
				if (this.focused === component) this.setFocus(this.returnTarget(preFocus));
			},
			isFocused: () => this.focused === component,
			getBounds: () => entry.bounds,
		};
		if (!options.nonCapturing) this.setFocus(component);
		else this.requestRender();
		return handle;
	}

	/**
	 * Where focus goes back to: `target`, unless it is an overlay that is gone or hidden meanwhile (an extension's
	 * panels closed together), then what that overlay had taken focus from, and so on.
	 */
	private returnTarget(target: Component | null): Component | null {
		const seen = new Set<Component>();
		let current = target;
		while (current && this.overlayReturn.has(current)) {
			const shown = this.overlays.some((entry) => entry.component === current && !entry.hidden);
			if (shown) return current;
			// Overlays that took focus from each other: back to what had it before any of them.
			if (seen.has(current)) return this.baseFocus;
			seen.add(current);
			current = this.overlayReturn.get(current) ?? null;
		}
		return current;
	}

	/** Adds a raw input listener (see InputListener); returns the function that removes it. */
	addInputListener(listener: InputListener): () => void {
		this.inputListeners.add(listener);
		return () => this.inputListeners.delete(listener);
	}

	get hasOverlays(): boolean {
		return this.overlays.length > 0;
	}

	/** Schedules one render for the end of this tick; `force` redraws everything visible. */
	requestRender(force = false): void {
		if (force) this.forceNext = true;
		// A throttled frame still waiting is overtaken: this one is drawn at the end of the tick.
		if (this.renderScheduled && !this.renderTimer) return;
		this.cancelRenderTimer();
		this.renderScheduled = true;
		process.nextTick(() => {
			if (this.renderScheduled && !this.renderTimer) this.renderFrame();
		});
	}

	/**
	 * Like requestRender, for changes that come in bursts (streamed deltas): at most one frame per FRAME_INTERVAL_MS;
	 * the first change after a quiet stretch is still drawn at the end of the tick.
	 */
	requestThrottledRender(): void {
		if (this.renderScheduled) return;
		const wait = FRAME_INTERVAL_MS - (performance.now() - this.lastFrameAt);
		if (wait <= 0) {
			this.requestRender();
			return;
		}
		this.renderScheduled = true;
		this.renderTimer = setTimeout(() => {
			this.renderTimer = undefined;
			if (this.renderScheduled) this.renderFrame();
		}, wait);
	}

	/** Draws a throttled frame still waiting, now (so a state it shows is not skipped by what changes next). */
	flushThrottledRender(): void {
		if (this.renderTimer) this.renderFrame();
	}

	private cancelRenderTimer(): void {
		if (!this.renderTimer) return;
		clearTimeout(this.renderTimer);
		this.renderTimer = undefined;
	}

	private handleResize(): void {
		this.screen.resized();
		this.requestRender();
	}

	/** The first frame stops waiting for the terminal's colours (they arrived, or took too long). */
	private releaseFrames(): void {
		if (this.colorWait) clearTimeout(this.colorWait);
		this.colorWait = undefined;
		if (!this.holdingFrames) return;
		this.holdingFrames = false;
		this.requestRender(true);
	}

	/** Renders immediately (normally use requestRender, which coalesces). */
	renderFrame(): void {
		this.renderScheduled = false;
		this.cancelRenderTimer();
		this.lastFrameAt = performance.now();
		if (!this.started || this.holdingFrames) return;
		// A resize the event loop has not handled yet is handled now (the screen then waits for the terminal's reflow).
		this.terminal.refreshSize?.();
		const force = this.forceNext;
		this.forceNext = false;
		const width = Math.max(1, this.terminal.columns);
		const height = Math.max(1, this.terminal.rows);
		const frame: Frame = {
			width,
			height,
			transcript: this,
			dock: fitLines(this.dock.render(width), width),
			overlays: this.overlays,
			force,
		};
		const out = this.screen.draw(frame);
		if (out.length > 0) this.terminal.write(this.synchronizedOutput ? SYNC_START + out + SYNC_END : out);
	}

	/** Every line of transcript and dock (the /debug dump, tests); screens read the tree, not this. */
	override render(width: number): string[] {
		return [...super.render(width), ...this.dock.render(width)];
	}

	override invalidate(): void {
		super.invalidate();
		this.dock.invalidate();
		for (const overlay of this.overlays) overlay.component.invalidate?.();
	}

	private logRedraw(reason: string): void {
		if (!this.logFile) return;
		try {
			mkdirSync(join(this.logFile, ".."), { recursive: true });
			appendFileSync(
				this.logFile,
				`[${new Date().toISOString()}] fullRender (${this.screen.mode}): ${reason} (${this.terminal.columns}x${this.terminal.rows})\n`,
			);
		} catch {
			// Diagnostics must never break drawing.
		}
	}

	private dispatchKey(data: string): void {
		// A lone Escape still waiting for its sequence can swallow a terminal reply that arrives right after it.
		if (data.startsWith("\x1b\x1b[") && isTerminalReply(data.slice(1))) {
			this.dispatchKey("\x1b");
			this.dispatchKey(data.slice(1));
			return;
		}
		// Focus reports are events, never text: they go to the hooks only, not to the focused component.
		if (data === FOCUS_IN || data === FOCUS_OUT) {
			this.terminalFocused = data === FOCUS_IN;
			this.onInput?.(this.terminalFocused ? "focus_in" : "focus_out");
			this.onFocusChange?.(this.terminalFocused);
			this.requestRender();
			return;
		}
		if (this.colorReplies?.take(data)) return;
		if (DEVICE_ATTRIBUTES_REPLY.test(data)) {
			// The end of the colour round: everything the terminal will say about its colours has been said.
			const colors = this.colorReplies?.report();
			if (colors && (colors.background || colors.foreground)) this.options.onTerminalColors?.(colors);
			this.releaseFrames();
			return;
		}
		const sync = SYNC_REPLY.exec(data);
		if (sync) {
			const state = Number(sync[1]);
			this.synchronizedOutput = process.env.PI_NO_SYNC_OUTPUT !== "1" && (state === 1 || state === 2 || state === 3);
			return;
		}
		const cellSize = CELL_SIZE_REPLY.exec(data);
		if (cellSize) {
			setCellSize({ heightPx: Number(cellSize[1]), widthPx: Number(cellSize[2]) });
			// Images drawn with the assumed cell size are sized again.
			this.invalidate();
			this.requestRender();
			return;
		}
		for (const listener of this.inputListeners) {
			const result = listener(data);
			if (result?.consume) {
				this.requestRender();
				return;
			}
			if (result?.data !== undefined) data = result.data;
		}
		if (data.length === 0) return;
		// Key releases (kitty) are no key presses: only a component that asks for them gets them.
		if (isKeyRelease(data)) {
			if (wantsKeyRelease(this.focused)) this.focused?.handleInput?.(data);
			this.requestRender();
			return;
		}
		if (this.screen.handleInput(data)) return;
		if (!this.onInput?.(data)) this.focused?.handleInput?.(data);
		this.requestRender();
	}
}
