/**
 * The area between the chat and the loader that lists what waits for the running turn: queued steering and
 * follow-up messages, and `!` commands typed while the agent works (they join the chat when the run ends).
 */
import type { BashExecutionView } from "./components/bash-execution.ts";
import { BlankLines, Column, TextBlock } from "./components/primitives.ts";
import { oneLine } from "./format.ts";
import { activeKeybindings, capitalizeKeys } from "./keybindings.ts";
import { fg } from "./style.ts";

/** The session's current queues; re-read whenever the deferred bash list changes. */
export type QueuedMessages = () => { steering: readonly string[]; followUp: readonly string[] };

export class PendingQueueView {
	readonly column = new Column();
	private deferredBash: BashExecutionView[] = [];

	constructor(private readonly queued: QueuedMessages) {}

	show(steering: readonly string[], followUp: readonly string[]): void {
		this.column.clear();
		if (steering.length === 0 && followUp.length === 0 && this.deferredBash.length === 0) return;
		this.column.add(new BlankLines(1));
		for (const text of steering) this.column.add(new TextBlock(fg("dim", `Steering: ${oneLine(text)}`), 1, 0));
		for (const text of followUp) this.column.add(new TextBlock(fg("dim", `Follow-up: ${oneLine(text)}`), 1, 0));
		if (steering.length + followUp.length > 0) {
			const key = capitalizeKeys(activeKeybindings().keyText("app.message.dequeue"));
			this.column.add(new TextBlock(fg("dim", `↳ ${key} to edit all queued messages`), 1, 0));
		}
		for (const view of this.deferredBash) this.column.add(view);
	}

	/** A `!` command started while the agent streams waits here until the run ends. */
	deferBash(view: BashExecutionView): void {
		this.deferredBash.push(view);
		this.refresh();
	}

	/** The run ended: deferred `!` commands move into the chat, in the order they were typed. */
	moveBashInto(chat: Column): void {
		if (this.deferredBash.length === 0) return;
		for (const view of this.deferredBash) chat.add(view);
		this.deferredBash = [];
		this.refresh();
	}

	private refresh(): void {
		const { steering, followUp } = this.queued();
		this.show(steering, followUp);
	}
}
