/** The status loader: a braille spinner (80 ms) and a message, e.g. `Working...`. */
import { fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;

/** An extension's own indicator (pi's setWorkingIndicator): frames drawn as given; [] shows none. */
export interface SpinnerIndicator {
	frames: readonly string[];
	intervalMs?: number;
}

export class Spinner implements UiComponent {
	private frame = 0;
	private timer: ReturnType<typeof setInterval> | undefined;
	private readonly frames: readonly string[];

	constructor(
		private message: string,
		private readonly onTick: () => void,
		private readonly indicator?: SpinnerIndicator,
	) {
		this.frames = indicator ? indicator.frames : FRAMES;
		const interval = indicator?.intervalMs && indicator.intervalMs > 0 ? indicator.intervalMs : FRAME_MS;
		if (this.frames.length > 1) {
			this.timer = setInterval(() => {
				this.frame = (this.frame + 1) % this.frames.length;
				this.onTick();
			}, interval);
		}
	}

	setMessage(message: string): void {
		this.message = message;
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	render(): string[] {
		const frame = this.frames[this.frame] ?? "";
		const shown = this.indicator ? frame : fg("accent", frame);
		return ["", ` ${shown ? `${shown} ` : ""}${fg("muted", this.message)}`];
	}
}
