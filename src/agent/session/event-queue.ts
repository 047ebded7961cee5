/**
 * The agent's events, handled one after another in the order they happened. With extensions loaded each event goes
 * to them first, as in pi, and the agent waits for their handlers (a turn_end handler finishes before the next turn
 * starts); a message_end handler may replace the message, which the agent's history then keeps.
 */
import type { Agent } from "../agent.ts";
import type { AgentEvent, AgentMessage } from "../types.ts";
import type { SessionExtensionHooks } from "./extension-hooks.ts";

export class AgentEventQueue {
	private tail: Promise<void> = Promise.resolve();

	constructor(
		private readonly agent: Agent,
		private readonly hooks: () => SessionExtensionHooks | undefined,
		private readonly process: (event: AgentEvent) => Promise<void>,
	) {}

	/** Queues the event; the promise (only with extensions) is what the agent waits for before going on. */
	push(event: AgentEvent): Promise<void> | undefined {
		const hooks = this.hooks();
		if (!hooks) {
			this.tail = this.tail.then(
				() => this.process(event),
				() => this.process(event),
			);
			return undefined;
		}
		const handled = this.tail.then(
			() => hooks.agentEvent(event),
			() => hooks.agentEvent(event),
		);
		this.tail = handled.then(
			(replacement) => this.process(this.withReplacement(event, replacement)),
			() => this.process(event),
		);
		return handled.then(
			() => {},
			() => {},
		);
	}

	/** Resolves once every event queued so far has been handled. */
	settled(): Promise<void> {
		return this.tail;
	}

	private withReplacement(event: AgentEvent, replacement: AgentMessage | undefined): AgentEvent {
		if (event.type !== "message_end" || !replacement) return event;
		const messages = this.agent.state.messages;
		const index = messages.lastIndexOf(event.message);
		if (index !== -1) messages[index] = replacement;
		return { ...event, message: replacement };
	}
}
