/**
 * A push-based AssistantMessageStream: providers `push` events as they decode them and consumers iterate.
 * The stream ends at the first `done` or `error` event; `result()` resolves with that event's message.
 */
import type { AssistantMessage, AssistantMessageEvent, AssistantMessageStream } from "./types.ts";

export class PushAssistantStream implements AssistantMessageStream {
	private queue: AssistantMessageEvent[] = [];
	private waiting: ((value: IteratorResult<AssistantMessageEvent>) => void) | undefined;
	private finished = false;
	private finalMessage: Promise<AssistantMessage>;
	private resolveFinal: (message: AssistantMessage) => void = () => {};

	constructor() {
		this.finalMessage = new Promise((resolve) => {
			this.resolveFinal = resolve;
		});
	}

	/** Queue an event. Events after the terminal one are dropped. */
	push(event: AssistantMessageEvent): void {
		if (this.finished) return;
		if (event.type === "done") {
			this.finished = true;
			this.resolveFinal(event.message);
		} else if (event.type === "error") {
			this.finished = true;
			this.resolveFinal(event.error);
		}
		const waiter = this.waiting;
		if (waiter) {
			this.waiting = undefined;
			waiter({ value: event, done: false });
		} else {
			this.queue.push(event);
		}
	}

	get isFinished(): boolean {
		return this.finished;
	}

	result(): Promise<AssistantMessage> {
		return this.finalMessage;
	}

	[Symbol.asyncIterator](): AsyncIterator<AssistantMessageEvent> {
		return {
			next: () => {
				const event = this.queue.shift();
				if (event) return Promise.resolve({ value: event, done: false });
				if (this.finished) return Promise.resolve({ value: undefined, done: true });
				return new Promise((resolve) => {
					this.waiting = resolve;
				});
			},
		};
	}
}
