/**
 * Claude's limits on strict tools (the Anthropic API and Bedrock): a request over them — observed: 20 strict tools,
 * 16 optional or union-typed parameters across them — is refused with one of these messages. pi 1.6.0 then sends the
 * tools that only *prefer* strict sampling as ordinary tools, and keeps doing so for the rest of the session: the
 * tool set rarely changes between turns, and switching back would rewrite the tool definitions and miss the cache.
 */
const LIMIT_MESSAGES = [
	"The compiled grammar is too large",
	"Too many strict tools (",
	"Schemas contains too many parameters with union types (",
];

/** Sessions are forgotten oldest first past this many (a dropped one only pays one more refusal). */
const MAX_REMEMBERED = 10_000;
const overLimits = new Set<string>();

export function isStrictToolLimitError(message: string): boolean {
	return LIMIT_MESSAGES.some((text) => message.includes(text));
}

export function markStrictToolLimitsExceeded(sessionId: string | undefined): void {
	if (sessionId === undefined) return;
	overLimits.add(sessionId);
	if (overLimits.size > MAX_REMEMBERED) {
		const oldest = overLimits.values().next().value;
		if (oldest !== undefined) overLimits.delete(oldest);
	}
}

export function hasExceededStrictToolLimits(sessionId: string | undefined): boolean {
	return sessionId !== undefined && overLimits.has(sessionId);
}
