/**
 * Streaming overhead: 10,000 text deltas.
 *   1. parse + dispatch: decode 10,000 Anthropic `content_block_delta` SSE frames and push them through the
 *      MessageBuilder into a consumed PushAssistantStream — our own per-delta cost (target < 50 ms CPU).
 *   2. end to end: the same deltas from the fake LLM server through the official SDK (for reference; includes
 *      the in-process server and the SDK's own SSE decoding).
 * Run: ./node_modules/.bin/bun bench/stream-deltas.ts [deltaCount]
 */
import { PushAssistantStream } from "../src/ai/event-stream.ts";
import { MessageBuilder } from "../src/ai/providers/message-builder.ts";
import { streamAssistant } from "../src/ai/stream.ts";
import type { Model } from "../src/ai/types.ts";
import { startLlmServer } from "../test/support/llm-server.ts";

const deltaCount = Number(process.argv[2] ?? 10_000);

const model: Model = {
	id: "bench-model",
	name: "Bench",
	api: "anthropic-messages",
	provider: "anthropic",
	baseUrl: "http://127.0.0.1",
	reasoning: false,
	input: ["text"],
	cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
	contextWindow: 200000,
	maxTokens: 32000,
};

function cpuMs(start: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

async function parseAndDispatch(): Promise<{ cpu: number; chars: number }> {
	const frames: string[] = [];
	for (let i = 0; i < deltaCount; i++) {
		frames.push(
			`event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `tok${i} ` } })}\n\n`,
		);
	}
	const body = frames.join("");
	const start = process.cpuUsage();
	const stream = new PushAssistantStream();
	const builder = new MessageBuilder(model, stream);
	let chars = 0;
	const consumer = (async () => {
		for await (const event of stream) if (event.type === "text_delta") chars += event.delta.length;
	})();
	const index = builder.startText();
	let position = 0;
	while (position < body.length) {
		const end = body.indexOf("\n\n", position);
		const frame = body.slice(position, end);
		position = end + 2;
		const data = frame.slice(frame.indexOf("data: ") + 6);
		const event: { delta: { text: string } } = JSON.parse(data);
		builder.appendText(index, event.delta.text);
		// Let the consumer run as it would between network reads.
		if ((position & 0xfff) < 80) await Promise.resolve();
	}
	builder.finish("stop");
	await consumer;
	return { cpu: cpuMs(start), chars };
}

async function endToEnd(): Promise<{ cpu: number; wall: number; chars: number }> {
	const server = await startLlmServer();
	// One turn whose text splits into deltaCount 8-character deltas.
	server.enqueue({ text: "abcdefgh".repeat(deltaCount) });
	const wallStart = performance.now();
	const start = process.cpuUsage();
	let chars = 0;
	for await (const event of streamAssistant({ ...model, baseUrl: server.url }, { messages: [] }, { apiKey: "k" })) {
		if (event.type === "text_delta") chars += event.delta.length;
	}
	const result = { cpu: cpuMs(start), wall: performance.now() - wallStart, chars };
	await server.close();
	return result;
}

// Warm up the JIT once, then measure.
await parseAndDispatch();
const core = await parseAndDispatch();
console.log(`parse+dispatch ${deltaCount} deltas: ${core.cpu.toFixed(1)} ms CPU (${core.chars} chars)`);
const e2e = await endToEnd();
console.log(
	`end to end via SDK + fake server: ${e2e.cpu.toFixed(1)} ms CPU, ${e2e.wall.toFixed(1)} ms wall (${e2e.chars} chars)`,
);
