/**
 * One-line notices in the chat: dim status, error, warning, and plain info blocks (command output).
 * Consecutive status lines replace each other instead of piling up, as in pi.
 */
import { BlankLines, type Column, TextBlock } from "./components/primitives.ts";
import { fg } from "./style.ts";

export class ChatNotices {
	/** The last status line, while it is still the chat's last component (only then is it replaced). */
	private lastStatus: TextBlock | undefined;

	constructor(
		private readonly chat: Column,
		private readonly requestRender: () => void,
	) {}

	/** The chat was rebuilt: the next status line starts a new one. */
	forgetStatus(): void {
		this.lastStatus = undefined;
	}

	status(message: string): void {
		const last = this.chat.children.at(-1);
		if (last && last === this.lastStatus) {
			this.lastStatus.setText(fg("dim", message));
		} else {
			this.chat.add(new BlankLines(1));
			this.lastStatus = new TextBlock(fg("dim", message), 1, 0);
			this.chat.add(this.lastStatus);
		}
		this.requestRender();
	}

	error(message: string): void {
		this.block(fg("error", `Error: ${message}`));
	}

	warning(message: string): void {
		this.block(fg("warning", `Warning: ${message}`));
	}

	/** Plain block of text (command output such as /session). */
	info(text: string): void {
		this.block(text);
	}

	private block(text: string): void {
		this.chat.add(new BlankLines(1));
		this.chat.add(new TextBlock(text, 1, 0));
		this.requestRender();
	}
}
