/**
 * Streaming a huge tool call: `write` with N MB of content arriving as argument deltas of D bytes, through the
 * MessageBuilder every provider uses (partial arguments for display on each delta, the full parse at the end).
 * Prints wall and CPU time, and the peak RSS of this process. Target: 10 MB of arguments must not need GBs.
 * Run: ./node_modules/.bin/bun bench/tool-call-arguments.ts [megabytes=10] [deltaBytes=256]
 */
import { PushAssistantStream } from "../src/ai/event-stream.ts";
import { MessageBuilder } from "../src/ai/providers/message-builder.ts";
import type { Model } from "../src/ai/types.ts";

const megabytes = Number(process.argv[2] ?? 10);
const deltaBytes = Number(process.argv[3] ?? 256);

const line = 'const value = "a string with \\"quotes\\" and a tab\\t";\n';
const content = line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length));
const json = JSON.stringify({ path: "big.ts", content });

const model = {
	id: "bench",
	name: "bench",
	api: "anthropic-messages",
	provider: "bench",
	baseUrl: "http://127.0.0.1:9",
	reasoning: false,
	input: ["text"],
	cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
	contextWindow: 200_000,
	maxTokens: 64_000,
} satisfies Model;

const stream = new PushAssistantStream();
const drained = (async () => {
	let events = 0;
	for await (const _event of stream) events++;
	return events;
})();
const builder = new MessageBuilder(model, stream);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const index = builder.startToolCall("call_1", "write");
for (let offset = 0; offset < json.length; offset += deltaBytes) {
	builder.appendToolArguments(index, json.slice(offset, offset + deltaBytes));
	// Let the consumer run, as the network would between chunks.
	if (offset % (deltaBytes * 256) === 0) await Promise.resolve();
}
builder.finish("toolUse");
const events = await drained;
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const call = builder.toolCall(index);
const ok = call?.arguments.content === content;
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
	`${(json.length / 1024 / 1024).toFixed(1)} MB of arguments in ${deltaBytes}-byte deltas (${events} events): ` +
		`${wallMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, peak RSS ${peakMb.toFixed(0)} MB, ` +
		`final arguments ${ok ? "intact" : "WRONG"}`,
);
