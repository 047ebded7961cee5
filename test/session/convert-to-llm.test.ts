/** AgentMessages → provider messages, with pi's exact wording. */
import { describe, expect, test } from "bun:test";
import type { AgentMessage } from "../../src/agent/types.ts";
import { convertToLlm } from "../../src/session/convert-to-llm.ts";
import { assistant, user } from "./helpers.ts";
import { hasPi, PI_ROOT } from "./pi-ref.ts";

const bash = (fields: Partial<Extract<AgentMessage, { role: "bashExecution" }>>): AgentMessage => ({
	role: "bashExecution",
	command: "ls",
	output: "a\nb",
	exitCode: 0,
	cancelled: false,
	truncated: false,
	timestamp: 5,
	...fields,
});

const png = { type: "image" as const, data: "AAAA", mimeType: "image/png" };

const samples: AgentMessage[] = [
	user("hi", 1),
	assistant("hello", { timestamp: 2 }),
	bash({}),
	bash({ output: "", exitCode: 2 }),
	bash({ cancelled: true, exitCode: undefined }),
	bash({ truncated: true, fullOutputPath: "/tmp/out.txt", exitCode: 1 }),
	bash({ excludeFromContext: true }),
	{ role: "custom", customType: "x", content: "injected", display: true, timestamp: 6 },
	{ role: "custom", customType: "x", content: [{ type: "text", text: "blocks" }, png], display: false, timestamp: 7 },
	{ role: "branchSummary", summary: "branch sum", fromId: "abc", timestamp: 8 },
	{ role: "compactionSummary", summary: "compact sum", tokensBefore: 10, timestamp: 9 },
	{
		role: "toolResult",
		toolCallId: "t",
		toolName: "read",
		content: [png, png, { type: "text", text: "after" }, png],
		isError: false,
		timestamp: 10,
	},
];

describe("convertToLlm", () => {
	test("bash, custom and summary messages become user messages with pi's texts", () => {
		const out = convertToLlm(samples);
		expect(out).toHaveLength(samples.length - 1);
		const texts = out.map((m) =>
			typeof m.content === "string" ? m.content : m.content.map((b) => (b.type === "text" ? b.text : b.type)).join("|"),
		);
		expect(texts[2]).toBe("Ran `ls`\n```\na\nb\n```");
		expect(texts[3]).toBe("Ran `ls`\n(no output)\n\nCommand exited with code 2");
		expect(texts[4]).toBe("Ran `ls`\n```\na\nb\n```\n\n(command cancelled)");
		expect(texts[5]).toBe(
			"Ran `ls`\n```\na\nb\n```\n\nCommand exited with code 1\n\n[Output truncated. Full output: /tmp/out.txt]",
		);
		expect(texts[6]).toBe("injected");
		expect(texts[8]).toBe(
			"The following is a summary of a branch that this conversation came back from:\n\n<summary>\nbranch sum</summary>",
		);
		expect(texts[9]).toBe(
			"The conversation history before this point was compacted into the following summary:\n\n<summary>\ncompact sum\n</summary>",
		);
		expect(out[0]).toBe(samples[0] as never);
	});

	test("blockImages replaces images with one placeholder per run of images", () => {
		const out = convertToLlm(samples, { blockImages: true });
		const last = out[out.length - 1];
		expect(last?.content).toEqual([
			{ type: "text", text: "Image reading is disabled." },
			{ type: "text", text: "after" },
			{ type: "text", text: "Image reading is disabled." },
		]);
		expect(convertToLlm(samples)[out.length - 1]?.content).toHaveLength(4);
	});

	test.skipIf(!hasPi)("identical to pi's convertToLlm", async () => {
		const pi: unknown = await import(`${PI_ROOT}/dist/core/messages.js`);
		const theirs: unknown =
			typeof pi === "object" && pi !== null ? Reflect.apply(Reflect.get(pi, "convertToLlm"), pi, [samples]) : undefined;
		const ours: unknown = convertToLlm(samples);
		expect(ours).toEqual(theirs);
	});
});
