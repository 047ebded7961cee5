/** Server-sent events as plain fetch bodies carry them (Codex, pi-messages): no SDK parses these. */
import { ProviderProtocolError } from "./run-stream.ts";

/** Server-sent events: each `data:` block is one JSON event; `[DONE]` and empty blocks are skipped. */
export async function* parseSseJson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
	const decoder = new TextDecoder();
	let buffer = "";
	const reader = body.getReader();
	try {
		while (true) {
			const { done, value } = await reader.read();
			if (done) break;
			buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
			let end = buffer.indexOf("\n\n");
			while (end !== -1) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				const data = block
					.split("\n")
					.filter((line) => line.startsWith("data:"))
					.map((line) => line.slice(5).trim())
					.join("\n")
					.trim();
				if (data && data !== "[DONE]") {
					try {
						yield JSON.parse(data);
					} catch (error) {
						throw new ProviderProtocolError(`Invalid JSON in server-sent event: ${String(error)}`);
					}
				}
				end = buffer.indexOf("\n\n");
			}
		}
	} finally {
		await reader.cancel().catch(() => {});
	}
}
