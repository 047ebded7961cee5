/**
 * The spinner line between the chat and the editor ("Working...", compaction, retry countdown). One spinner at a
 * time: a new message while it spins only changes its text, so the animation does not restart.
 *
 * Extensions may change the working loader (pi's ctx.ui.setWorkingMessage / setWorkingVisible /
 * setWorkingIndicator): its message, whether the row shows at all, and the indicator's frames (drawn as given).
 */
import type { Slot } from "./components/primitives.ts";
import { Spinner, type SpinnerIndicator } from "./components/spinner.ts";

const DEFAULT_WORKING = "Working...";

export class LoaderLine {
	private spinner: Spinner | undefined;
	/** The working loader is the one shown now (not compaction or a retry countdown). */
	private showingWorking = false;
	private workingMessage: string | undefined;
	private workingVisible = true;
	private indicator: SpinnerIndicator | undefined;

	constructor(
		private readonly slot: Slot,
		private readonly requestRender: () => void,
	) {}

	/** Shows (or retitles) the spinner; undefined removes it. */
	set(message: string | undefined): void {
		this.showingWorking = false;
		this.show(message);
	}

	private show(message: string | undefined): void {
		if (message === undefined) {
			this.spinner?.stop();
			this.spinner = undefined;
			this.slot.set(undefined);
		} else if (this.spinner) this.spinner.setMessage(message);
		else {
			this.spinner = new Spinner(message, () => this.requestRender(), this.indicator);
			this.slot.set(this.spinner);
		}
		this.requestRender();
	}

	/** A compaction runs (pi's wording for /compact and for the automatic one). */
	compacting(manual: boolean): void {
		this.set(manual ? "Compacting context... (escape to cancel)" : "Auto-compacting... (escape to cancel)");
	}

	/** The countdown to an automatic retry after a provider error. */
	retrying(attempt: number, maxAttempts: number, delayMs: number): void {
		this.set(`Retrying (${attempt}/${maxAttempts}) in ${Math.ceil(delayMs / 1000)}s... (escape to cancel)`);
	}

	/** The agent works: the working loader, as extensions have set it. */
	working(): void {
		this.set(undefined);
		this.showingWorking = true;
		if (this.workingVisible) this.show(this.workingMessage ?? DEFAULT_WORKING);
	}

	/** undefined: pi's default message. */
	setWorkingMessage(message: string | undefined): void {
		this.workingMessage = message;
		if (this.showingWorking && this.spinner) this.spinner.setMessage(message ?? DEFAULT_WORKING);
	}

	setWorkingVisible(visible: boolean): void {
		this.workingVisible = visible;
		if (this.showingWorking) this.working();
	}

	/** Frames drawn verbatim (undefined: pi's spinner); the running loader starts over with them. */
	setWorkingIndicator(indicator: SpinnerIndicator | undefined): void {
		this.indicator = indicator;
		if (this.showingWorking) this.working();
	}

	/** Stops the animation timer only (the screen is going away). */
	dispose(): void {
		this.spinner?.stop();
	}
}
