/**
 * pi-tui's Loader and CancellableLoader for extensions: a spinner frame and a message on one line (a blank line
 * above, as pi draws it), animated by asking the TUI for a frame; Escape aborts a CancellableLoader.
 */

import type { TuiHandle } from "./inputs.ts";
import { getKeybindings } from "./keys.ts";
import { Text } from "./text.ts";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;

type Style = (text: string) => string;

export interface LoaderIndicatorOptions {
	/** Frames of the indicator; [] hides it. */
	frames?: string[];
	intervalMs?: number;
}

export class Loader extends Text {
	private frames = [...SPINNER];
	private intervalMs = FRAME_MS;
	private frame = 0;
	private timer: ReturnType<typeof setInterval> | undefined;
	/** Frames given by the extension are drawn as they are; the default spinner gets the spinner colour. */
	private verbatim = false;

	constructor(
		private readonly ui: TuiHandle | undefined,
		private readonly spinnerColor: Style,
		private readonly messageColor: Style,
		private message = "Loading...",
		indicator?: LoaderIndicatorOptions,
	) {
		super("", 1, 0);
		this.setIndicator(indicator);
	}

	override render(width: number): string[] {
		return ["", ...super.render(width)];
	}

	start(): void {
		this.update();
		this.stop();
		if (this.frames.length <= 1) return;
		this.timer = setInterval(() => {
			this.frame = (this.frame + 1) % this.frames.length;
			this.update();
		}, this.intervalMs);
		// A spinner alone must never keep the process alive.
		this.timer.unref?.();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	setMessage(message: string): void {
		this.message = message;
		this.update();
	}

	override invalidate(): void {
		super.invalidate();
		this.update();
	}

	setIndicator(indicator?: LoaderIndicatorOptions): void {
		this.verbatim = indicator !== undefined;
		this.frames = indicator?.frames !== undefined ? [...indicator.frames] : [...SPINNER];
		this.intervalMs = indicator?.intervalMs && indicator.intervalMs > 0 ? indicator.intervalMs : FRAME_MS;
		this.frame = 0;
		this.start();
	}

	private update(): void {
		const frame = this.frames[this.frame] ?? "";
		const shown = this.verbatim ? frame : this.spinnerColor(frame);
		this.setText(`${shown.length > 0 ? `${shown} ` : ""}${this.messageColor(this.message)}`);
		this.ui?.requestRender();
	}
}

/** A Loader that Escape (tui.select.cancel) aborts: `signal` for the work, `onAbort` for the UI. */
export class CancellableLoader extends Loader {
	private readonly controller = new AbortController();
	onAbort?: () => void;

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	get aborted(): boolean {
		return this.controller.signal.aborted;
	}

	handleInput(data: string): void {
		if (!getKeybindings().matches(data, "tui.select.cancel")) return;
		this.controller.abort();
		this.onAbort?.();
	}

	dispose(): void {
		this.stop();
	}
}
