/** Server-sent-event framing shared by the wire formats: frames, `event:`/`data:` lines, text split into deltas. */

/** One SSE frame, already serialized. */
export type Frame = string;

/** Which answer of the server this is (ids are numbered by it) and the model the request named. */
export interface TurnContext {
	seq: number;
	model: string;
}

/** Splits text into a few deltas so clients see real streaming. */
export function chunkText(text: string, size = 8): string[] {
	if (text.length === 0) return [];
	const parts: string[] = [];
	for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
	return parts;
}

export function namedEvent(name: string, data: unknown): Frame {
	return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function dataEvent(data: unknown): Frame {
	return `data: ${JSON.stringify(data)}\n\n`;
}
