/** Shared by the AgentSession tests. */
import type { AgentSession } from "../../src/agent/agent-session.ts";
import type { AgentSessionEvent } from "../../src/agent/session-events.ts";

/** Collects, from now on, the session's events of the given types. */
export function recordEvents(session: AgentSession, ...types: AgentSessionEvent["type"][]): AgentSessionEvent[] {
	const events: AgentSessionEvent[] = [];
	session.subscribe((event) => {
		if (types.includes(event.type)) events.push(event);
	});
	return events;
}
