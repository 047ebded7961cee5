/**
 * The session's side of the agent's events, in the order they happened (AgentEventQueue): each goes to the session's
 * listeners, finished messages are saved, a delivered prompt leaves the queue, and when a run ends its last answer is
 * judged — retried after a transient error, or followed by a compaction when the context has grown too large.
 */
import type { AssistantMessage } from "../../ai/types.ts";
import type { AgentEvent, AgentMessage } from "../types.ts";
import type { BashRunner } from "./bash-runner.ts";
import type { CompactionRunner } from "./compaction-runner.ts";
import type { CustomMessages } from "./custom-messages.ts";
import { AgentEventQueue } from "./event-queue.ts";
import type { SessionHost } from "./host.ts";
import { userText } from "./messages.ts";
import { appendFinishedMessage } from "./persistence.ts";
import type { PromptQueue } from "./prompt-queue.ts";
import type { RetryController } from "./retry-controller.ts";

export interface AgentEventParts {
	queue: PromptQueue;
	bash: BashRunner;
	customMessages: CustomMessages;
	retry: RetryController;
	compaction: CompactionRunner;
}

export class AgentEvents {
	private readonly events: AgentEventQueue;
	private lastAssistant: AssistantMessage | undefined;

	constructor(
		private readonly host: SessionHost,
		private readonly parts: AgentEventParts,
	) {
		this.events = new AgentEventQueue(
			host.agent,
			() => host.extensions,
			(event) => this.process(event),
		);
	}

	/** The agent's listener; the promise (only with extensions) is what the agent waits for before going on. */
	push(event: AgentEvent): Promise<void> | undefined {
		// Decide synchronously that a retry is coming, so prompt() waits for it.
		if (event.type === "agent_end") this.parts.retry.anticipate(event.messages);
		return this.events.push(event);
	}

	/** Waits until every agent event so far has been handled (extensions, persistence). */
	settled(): Promise<void> {
		return this.events.settled();
	}

	private async process(event: AgentEvent): Promise<void> {
		const { queue, bash, customMessages, retry, compaction } = this.parts;
		if (event.type === "message_start" && event.message.role === "user") {
			compaction.resetOverflowRecovery();
			queue.markDelivered(userText(event.message));
		}
		this.host.emit(event.type === "agent_end" ? { ...event, willRetry: retry.willRetry(event.messages) } : event);
		if (event.type === "message_end") this.persist(event.message);
		if (event.type === "agent_end") {
			bash.flushPending();
			customMessages.flushAfterRun();
			const last = this.lastAssistant;
			this.lastAssistant = undefined;
			if (!last) {
				retry.release();
				return;
			}
			if (retry.isRetryable(last) && (await retry.retry(last))) return;
			retry.release();
			await compaction.checkAfter(last, true);
		}
	}

	/** Saves a finished message; an answer is also what agent_end judges (retry? compact?). */
	private persist(message: AgentMessage): void {
		appendFinishedMessage(this.host.sessionManager, message);
		if (message.role !== "assistant") return;
		this.lastAssistant = message;
		if (message.stopReason !== "error") {
			this.parts.compaction.resetOverflowRecovery();
			this.parts.retry.noteSuccessfulAnswer();
		}
	}
}
