/**
 * A push-based AssistantMessageStream: providers `push` events as they decode them and consumers iterate.
 * The stream ends at the first `done` or `error` event; `result()` resolves with that event's message, which gets
 * `durationMs` (pi 1.6.0) measured from the stream's creation, unless it has one or began before the stream.
 */
import type { AssistantMessage, AssistantMessageEvent, AssistantMessageStream } from "./types.ts";

export class PushAssistantStream implements AssistantMessageStream {
	private queue: AssistantMessageEvent[] = [];
	private waiting: ((value: IteratorResult<AssistantMessageEvent>) => void) | undefined;
	private finished = false;
	private finalMessage: Promise<AssistantMessage>;
	private resolveFinal: (message: AssistantMessage) => void = () => {};
	private readonly startedAt = Date.now();
	private readonly startedAtMonotonic = performance.now();

	constructor() {
		this.finalMessage = new Promise((resolve) => {
			this.resolveFinal = resolve;
		});
	}

	/** Queue an event. Events after the terminal one are dropped. */
	push(event: AssistantMessageEvent): void {
		if (this.finished) return;
		if (event.type === "done") {
			this.time(event.message);
			this.finished = true;
			this.resolveFinal(event.message);
		} else if (event.type === "error") {
			this.time(event.error);
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

	private time(message: AssistantMessage): void {
		if (message.durationMs !== undefined || message.timestamp < this.startedAt) return;
		message.durationMs = Math.max(0, Math.round(performance.now() - this.startedAtMonotonic));
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
