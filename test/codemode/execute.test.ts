// A codemode script end to end on the host side: discovery globals, the options line, output layout and limits,
// nested call records, store writes, and how results of different tools reach the script.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { AgentTool, AgentToolResult } from "../../src/agent/types.ts";
import { executeScript } from "../../src/codemode/execute.ts";
import { parseScript, ScriptSourceError } from "../../src/codemode/source.ts";
import type { CodemodeDetails, CodemodeHost } from "../../src/codemode/tool.ts";

function tool(
	name: string,
	description: string,
	run: (args: Record<string, unknown>) => AgentToolResult,
	extra: Partial<AgentTool> = {},
): AgentTool {
	return {
		name,
		label: name,
		description,
		parameters: { type: "object", properties: { q: { type: "string", description: "what to look for" } } },
		parseArgs: (raw) => raw,
		execute: async (_id, args) => run(args as Record<string, unknown>),
		...extra,
	};
}

const tools: AgentTool[] = [
	tool("echo", "Echo the input back", (args) => ({ content: [{ type: "text", text: String(args.q) }] })),
	tool(
		"mcp__dev-radius__search_issues",
		"Search issues in the tracker",
		() => ({
			content: [{ type: "text", text: "err" }],
			structuredContent: { content: [{ type: "text", text: "err" }], isError: true },
			isError: true,
		}),
		{
			exposure: "deferred",
			outputSchema: { type: "object" },
			namespace: {
				name: "mcp__dev_radius",
				aliases: ["dev-radius"],
				description: "Issue tracker",
				instructions: "Use search first.",
			},
		},
	),
	tool("fails", "Always fails", () => ({ content: [{ type: "text", text: "it broke" }], isError: true })),
];

function host(stored: Record<string, unknown> = {}, appended: unknown[] = []): CodemodeHost {
	let count = 0;
	return {
		callableTools: () => tools,
		executeTool: async (parent, name, args) => {
			const found = tools.find((candidate) => candidate.name === name);
			if (!found) throw new Error("unknown");
			const id = `${parent}/${++count}`;
			const result = await found.execute(id, args, new AbortController().signal, () => {});
			const toolCall = { type: "toolCall" as const, id, name, arguments: {} };
			return { toolCall, result, isError: result.isError === true, toolCallId: id };
		},
		readStore: () => stored,
		appendStore: (data) => appended.push(data),
		waitForTools: async () => {},
		inlineBudget: () => undefined,
		mode: () => "on",
	};
}

async function run(code: string, h = host()): Promise<{ text: string; result: AgentToolResult<CodemodeDetails> }> {
	const result = await executeScript({
		toolCallId: "c",
		code,
		signal: new AbortController().signal,
		onUpdate: () => {},
		host: h,
	});
	return { text: result.content.map((block) => (block.type === "text" ? block.text : "[image]")).join(""), result };
}

describe("codemode scripts", () => {
	test("searchTools, describeTool, describeNamespace and ALL_TOOLS find unlisted tools", async () => {
		const { text } = await run(`
			const found = await searchTools("issue tracker search", { limit: 1 });
			const ns = await describeNamespace("dev-radius");
			const described = await describeTool("mcp__dev_radius__search_issues");
			return { found: found.map((t) => t.name), ns: ns.name, tools: ns.tools, instructions: ns.instructions,
				declares: described.includes("search_issues(args: {"), all: ALL_TOOLS.map((t) => t.name) };`);
		expect(text).toContain(
			JSON.stringify({
				found: ["mcp__dev_radius__search_issues"],
				ns: "mcp__dev_radius",
				tools: ["mcp__dev_radius__search_issues"],
				instructions: "Use search first.",
				declares: true,
				all: ["echo", "mcp__dev_radius__search_issues", "fails"],
			}),
		);
	});

	test("a tool with an output schema resolves even on error; one without rejects with its text", async () => {
		const { text, result } = await run(`
			const r = await tools.mcp__dev_radius__search_issues({});
			text(r.isError);
			try { await tools.fails({}); } catch (e) { text("caught " + e.message); }
			console.log("done");`);
		expect(text).toBe(
			"Script completed\nWall time 0.0 seconds\nOutput:\n==> text 1/2 <==\ntrue\n==> text 2/2 <==\ncaught it broke\n<console_output>\ndone\n</console_output>".replace(
				"0.0",
				text.match(/Wall time (\S+)/)?.[1] ?? "",
			),
		);
		expect(result.details?.calls.map((call) => `${call.name}:${call.status}:${call.id}`)).toEqual([
			"mcp__dev-radius__search_issues:error:c/1",
			"fails:error:c/2",
		]);
	});

	test("a failed script keeps its output, lists the calls made, and is an error result", async () => {
		const { text, result } = await run(`text("partial"); await tools.echo({ q: "x" }); null.boom;`);
		expect(result.isError).toBe(true);
		expect(text).toContain("Script failed");
		expect(text).toContain("partial");
		expect(text).toContain("Script error:\nTypeError");
		expect(text).toContain("Tool calls made before the failure (they are not undone): echo (ok)");
	});

	test("the options line sets the output budget; longer output keeps its ends and is saved whole", async () => {
		const { text, result } = await run(
			`// @options: {"max_output_tokens": 25}\ntext("A".repeat(60) + "B".repeat(100) + "C".repeat(60));`,
		);
		expect(text).toContain("chars truncated");
		expect(text).toStartWith("Script completed");
		const saved = result.details?.fullOutputPath;
		expect(saved && readFileSync(saved, "utf8")).toBe(`${"A".repeat(60)}${"B".repeat(100)}${"C".repeat(60)}`);
	});

	test("store writes of a successful script are appended; a failing script's are not", async () => {
		const appended: unknown[] = [];
		await run(`store("k", load("k") + 1);`, host({ k: 1 }, appended));
		await run(`store("k", 5); throw new Error("no");`, host({ k: 1 }, appended));
		expect(appended).toEqual([{ set: { k: 2 }, delete: [] }]);
	});

	test("bad options lines fail before the script runs", async () => {
		expect(() => parseScript("")).toThrow(ScriptSourceError);
		expect(() => parseScript('// @options: {"speed": 1}\nreturn 1')).toThrow("@options only supports");
		expect(() => parseScript('return 1\n// @options: {"timeout_ms": 5}')).toThrow("must be the first line");
		expect(parseScript('// @options: {"timeout_ms": 5}\nreturn 1')).toEqual({
			code: "\nreturn 1",
			options: { timeoutMs: 5 },
		});
		const { text, result } = await run('// @options: {"timeout_ms": 0}\nreturn 1');
		expect(result.isError).toBe(true);
		expect(text).toContain("The script did not start.");
	});
});
