/** The status loader: a braille spinner (80 ms) and a message, e.g. `Working...`. */
import { fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Spinner implements UiComponent {
	private frame = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	constructor(
		private message: string,
		private readonly onTick: () => void,
	) {
		this.timer = setInterval(() => {
			this.frame = (this.frame + 1) % FRAMES.length;
			this.onTick();
		}, 80);
	}

	setMessage(message: string): void {
		this.message = message;
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	render(): string[] {
		return ["", ` ${fg("accent", FRAMES[this.frame] ?? "")} ${fg("muted", this.message)}`];
	}
}
