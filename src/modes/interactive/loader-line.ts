/**
 * The spinner line between the chat and the editor ("Working...", compaction, retry countdown). One spinner at a
 * time: a new message while it spins only changes its text, so the animation does not restart.
 */
import type { Slot } from "./components/primitives.ts";
import { Spinner } from "./components/spinner.ts";

export class LoaderLine {
	private spinner: Spinner | undefined;

	constructor(
		private readonly slot: Slot,
		private readonly requestRender: () => void,
	) {}

	/** Shows (or retitles) the spinner; undefined removes it. */
	set(message: string | undefined): void {
		if (message === undefined) {
			this.spinner?.stop();
			this.spinner = undefined;
			this.slot.set(undefined);
		} else if (this.spinner) this.spinner.setMessage(message);
		else {
			this.spinner = new Spinner(message, () => this.requestRender());
			this.slot.set(this.spinner);
		}
		this.requestRender();
	}

	/** Stops the animation timer only (the screen is going away). */
	dispose(): void {
		this.spinner?.stop();
	}
}
