/**
 * Custom messages extensions send (`pi.sendMessage`), delivered as pi does:
 *  - `deliverAs: "nextTurn"`: held and sent along with the next prompt;
 *  - while the agent works (and a turn may follow): queued in the agent as steering or follow-up;
 *  - while it works but without triggering a turn: added when the run ends (adding it mid-turn would separate a tool
 *    call from its result);
 *  - when idle: added to the conversation at once, or, with `triggerTurn`, started as a run (by the caller).
 */
import type { CustomMessage } from "../types.ts";
import type { SessionHost } from "./host.ts";

export type CustomDelivery = "steer" | "followUp" | "nextTurn";

export class CustomMessages {
	private nextTurn: CustomMessage[] = [];
	private afterRun: CustomMessage[] = [];

	constructor(private readonly host: SessionHost) {}

	/** Returns "start-run" when the caller must run the message as a new prompt. */
	deliver(
		message: CustomMessage,
		options: { triggerTurn?: boolean; deliverAs?: CustomDelivery },
		isStreaming: boolean,
	): "done" | "start-run" {
		if (options.deliverAs === "nextTurn") {
			this.nextTurn.push(message);
			return "done";
		}
		if (isStreaming && options.triggerTurn !== false) {
			if (options.deliverAs === "followUp") this.host.agent.followUp(message);
			else this.host.agent.steer(message);
			return "done";
		}
		if (options.triggerTurn) return "start-run";
		if (isStreaming) this.afterRun.push(message);
		else this.add(message);
		return "done";
	}

	/** The held `nextTurn` messages, for the run that is starting. */
	takeNextTurn(): CustomMessage[] {
		const messages = this.nextTurn;
		this.nextTurn = [];
		return messages;
	}

	/** The run ended: add what waited for it. */
	flushAfterRun(): void {
		const waiting = this.afterRun;
		this.afterRun = [];
		for (const message of waiting) this.add(message);
	}

	/** The session is being replaced: nothing waiting belongs to the next one. */
	dropAll(): void {
		this.nextTurn = [];
		this.afterRun = [];
	}

	private add(message: CustomMessage): void {
		this.host.sessionManager.appendMessage(message);
		this.host.agent.appendMessage(message);
		this.host.emit({ type: "message_start", message });
		this.host.emit({ type: "message_end", message });
	}
}
