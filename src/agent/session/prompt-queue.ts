/**
 * Steering and follow-up messages waiting for a running agent. The agent holds the messages; this keeps their
 * texts so the UIs can show the queue (queue_update) and hand it back to the editor (Escape / Alt+Up).
 * A text leaves the queue when the agent delivers the message (its user message_start).
 */
import type { Agent } from "../agent.ts";
import type { AgentSessionEvent } from "../session-events.ts";
import type { ExpandedPrompt } from "./prompt-input.ts";

export class PromptQueue {
	private steeringTexts: string[] = [];
	private followUpTexts: string[] = [];

	constructor(
		private readonly agent: Agent,
		private readonly emit: (event: AgentSessionEvent) => void,
	) {}

	get count(): number {
		return this.steeringTexts.length + this.followUpTexts.length;
	}
	get steering(): readonly string[] {
		return this.steeringTexts;
	}
	get followUp(): readonly string[] {
		return this.followUpTexts;
	}

	steer(prompt: ExpandedPrompt): void {
		this.steeringTexts.push(prompt.text);
		this.emitUpdate();
		this.agent.steer(prompt.message);
	}

	queueFollowUp(prompt: ExpandedPrompt): void {
		this.followUpTexts.push(prompt.text);
		this.emitUpdate();
		this.agent.followUp(prompt.message);
	}

	/** Empties both queues (here and in the agent) and returns the texts that were waiting. */
	takeAll(): { steering: string[]; followUp: string[] } {
		const result = { steering: this.steeringTexts, followUp: this.followUpTexts };
		this.dropAll();
		this.emitUpdate();
		return result;
	}

	/** Forgets everything without an update event (the session is being replaced). */
	dropAll(): void {
		this.steeringTexts = [];
		this.followUpTexts = [];
		this.agent.clearQueues();
	}

	/** The agent delivered a user message: its text (steering first, like the agent) leaves the queue. */
	markDelivered(text: string): void {
		if (!text) return;
		const steerIndex = this.steeringTexts.indexOf(text);
		if (steerIndex !== -1) {
			this.steeringTexts.splice(steerIndex, 1);
			this.emitUpdate();
			return;
		}
		const followIndex = this.followUpTexts.indexOf(text);
		if (followIndex !== -1) {
			this.followUpTexts.splice(followIndex, 1);
			this.emitUpdate();
		}
	}

	private emitUpdate(): void {
		this.emit({ type: "queue_update", steering: [...this.steeringTexts], followUp: [...this.followUpTexts] });
	}
}
