/**
 * Writing JSON lines to stdout without losing any when the process exits right after: Bun's stdout writer
 * is flushed before we return an exit code.
 */
const encoder = new TextEncoder();
const stdout = Bun.stdout.writer();

/** Written and flushed at once: JSON and RPC consumers read line by line as events happen. */
export function writeStdout(text: string): void {
	stdout.write(encoder.encode(text));
	void stdout.flush();
}

export function writeJsonLine(value: unknown): void {
	writeStdout(`${JSON.stringify(value)}\n`);
}

export async function flushStdout(): Promise<void> {
	await stdout.flush();
}

/**
 * One agent/session event as a JSON line, byte-identical to JSON.stringify(event). A `message_update`
 * carries the partial message twice (as `message` and as `assistantMessageEvent.partial`); pi's clients
 * read both, so both stay, but we serialize it once and splice it in, halving the work per streamed token.
 */
export function serializeEvent(event: { type: string }): string {
	if (event.type === "message_update" && "message" in event && "assistantMessageEvent" in event) {
		const inner = event.assistantMessageEvent;
		if (typeof inner === "object" && inner !== null && "partial" in inner && inner.partial === event.message) {
			const keys = Object.keys(inner);
			if (keys.at(-1) === "partial" && Object.keys(event).join() === "type,message,assistantMessageEvent") {
				const { partial: _partial, ...rest } = inner;
				const message = JSON.stringify(event.message);
				const head = JSON.stringify(rest).slice(0, -1);
				const separator = head === "{" ? "" : ",";
				return `{"type":"message_update","message":${message},"assistantMessageEvent":${head}${separator}"partial":${message}}}\n`;
			}
		}
	}
	return `${JSON.stringify(event)}\n`;
}

export function writeEvent(event: { type: string }): void {
	writeStdout(serializeEvent(event));
}
