import { PASTE_START, splitInput, splitInputWithRemainder } from "./input-split.ts";

/** A lone ESC or half an escape sequence waits this long for the rest before it is delivered as is. */
const SEQUENCE_TIMEOUT_MS = 10;
/** Pastes arrive in many chunks; wait longer for the end marker. */
const PASTE_TIMEOUT_MS = 500;

/**
 * Reassembles terminal input that may arrive split across reads into whole key sequences and paste blocks.
 * Kitty key-release events pass through: the TUI gives them only to input listeners and components that ask.
 */
export class InputBuffer {
	private pending = "";
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(private readonly deliver: (key: string) => void) {}

	push(data: string): void {
		this.cancelTimer();
		const { keys, incomplete } = splitInputWithRemainder(this.pending + data);
		this.pending = incomplete;
		for (const key of keys) this.emit(key);
		if (this.pending) {
			const wait = this.pending.startsWith(PASTE_START) ? PASTE_TIMEOUT_MS : SEQUENCE_TIMEOUT_MS;
			this.timer = setTimeout(() => this.flush(), wait);
		}
	}

	/** Delivers whatever is pending, complete or not. */
	flush(): void {
		this.cancelTimer();
		const rest = this.pending;
		this.pending = "";
		if (rest) for (const key of splitInput(rest)) this.emit(key);
	}

	dispose(): void {
		this.cancelTimer();
		this.pending = "";
	}

	private emit(key: string): void {
		this.deliver(key);
	}

	private cancelTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}
}
