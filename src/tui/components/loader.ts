import type { Component } from "../component.ts";
import { truncateToWidth } from "../text-utils.ts";
import { theme } from "../theme.ts";
import type { TUI } from "../tui.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;

/** Spinner with a message (a blank line above it, like pi). Animates until stop(). */
export class Loader implements Component {
	private frame = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	constructor(
		private readonly tui: TUI,
		private message: string,
	) {
		this.timer = setInterval(() => {
			this.frame = (this.frame + 1) % FRAMES.length;
			this.tui.requestRender();
		}, FRAME_MS);
		// The spinner alone must never keep the process alive.
		this.timer.unref?.();
	}

	setMessage(message: string): void {
		this.message = message;
		this.tui.requestRender();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	render(width: number): string[] {
		const spinner = theme.fg("accent", FRAMES[this.frame] ?? "");
		return ["", truncateToWidth(` ${spinner} ${theme.fg("muted", this.message)}`, width)];
	}
}
