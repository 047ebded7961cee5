import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { buildSystemPrompt } from "../../src/agent/system-prompt.ts";
import { TOOL_PROMPT_GUIDELINES, TOOL_PROMPT_SNIPPETS } from "../../src/tools/registry.ts";

const CAPTURE = "/work/shared/reference/pi-0.73.1-wire/tool_loop.anthropic-messages.requests.jsonl";
const PI_DIR = "$PI_REF/node_modules/@mariozechner/pi-coding-agent";

const CaptureLine = v.object({
	body: v.object({ system: v.array(v.object({ type: v.literal("text"), text: v.string() })) }),
});

function capturedSystemPrompt(): string {
	const firstLine = readFileSync(CAPTURE, "utf-8").split("\n")[0] ?? "";
	const parsed = v.parse(CaptureLine, JSON.parse(firstLine));
	const block = parsed.body.system[0];
	if (!block) throw new Error("capture has no system block");
	return block.text;
}

// The default tools as startup passes them: snippets and guidelines from the tool registry.
const DEFAULT_TOOLS = ["read", "bash", "edit", "write"].map((name) => ({
	name,
	snippet: TOOL_PROMPT_SNIPPETS[name] ?? "",
	guidelines: TOOL_PROMPT_GUIDELINES[name],
}));

describe("buildSystemPrompt", () => {
	test("is byte-identical to what pi 0.73.1 sent for the default tools", () => {
		const captured = capturedSystemPrompt();
		const dateLine = captured.match(/\nCurrent date: (\d{4})-(\d{2})-(\d{2})\n/);
		const cwdLine = captured.match(/\nCurrent working directory: (.*)$/);
		if (!dateLine || !cwdLine) throw new Error("capture lacks the date/cwd lines");
		const date = new Date(Number(dateLine[1]), Number(dateLine[2]) - 1, Number(dateLine[3]), 12);
		const ours = buildSystemPrompt({
			cwd: cwdLine[1] ?? "",
			tools: DEFAULT_TOOLS,
			contextFiles: [],
			readmePath: `${PI_DIR}/README.md`,
			date,
		});
		expect(ours).toBe(captured);
	});

	test("date is the local calendar date and cwd uses forward slashes", () => {
		const prompt = buildSystemPrompt({
			cwd: "C:\\Users\\me\\proj",
			tools: [],
			contextFiles: [],
			readmePath: "/opt/pi/README.md",
			date: new Date(2025, 0, 5, 23, 59),
		});
		expect(prompt.endsWith("\nCurrent date: 2025-01-05\nCurrent working directory: C:/Users/me/proj")).toBe(true);
		expect(prompt).toContain("Available tools:\n(none)\n");
		expect(prompt).toContain("- Additional docs: /opt/pi/docs\n- Examples: /opt/pi/examples (extensions");
	});

	test("guidelines depend on the active tools and are deduplicated", () => {
		const prompt = buildSystemPrompt({
			cwd: "/w",
			tools: [
				{ name: "bash", snippet: "b" },
				{ name: "grep", snippet: "g" },
				{
					name: "custom",
					snippet: "multi\n  line   snippet",
					guidelines: ["  Be concise in your responses ", "Custom rule"],
				},
				{ name: "hidden", snippet: "" },
			],
			contextFiles: [],
			readmePath: "/r/README.md",
		});
		expect(prompt).toContain("Available tools:\n- bash: b\n- grep: g\n- custom: multi line snippet\n\nIn addition");
		expect(prompt).toContain(
			"Guidelines:\n- Prefer grep/find/ls tools over bash for file exploration (faster, respects .gitignore)\n- Be concise in your responses\n- Custom rule\n- Show file paths clearly when working with files\n\nPi documentation",
		);
	});

	test("custom prompt replaces the body; append and context files follow in order", () => {
		const prompt = buildSystemPrompt({
			cwd: "/w",
			tools: DEFAULT_TOOLS,
			customPrompt: "CUSTOM",
			appendPrompt: "APPENDED",
			contextFiles: [
				{ path: "/a/AGENTS.md", content: "A rules" },
				{ path: "/a/b/CLAUDE.md", content: "B rules\n" },
			],
			readmePath: "/r/README.md",
			date: new Date(2024, 5, 7),
		});
		expect(prompt).toBe(
			"CUSTOM\n\nAPPENDED\n\n# Project Context\n\nProject-specific instructions and guidelines:\n\n## /a/AGENTS.md\n\nA rules\n\n## /a/b/CLAUDE.md\n\nB rules\n\n\n\nCurrent date: 2024-06-07\nCurrent working directory: /w",
		);
	});

	test("append and context files also follow the default body", () => {
		const prompt = buildSystemPrompt({
			cwd: "/w",
			tools: DEFAULT_TOOLS,
			appendPrompt: "EXTRA",
			contextFiles: [{ path: "/p/AGENTS.md", content: "ctx" }],
			readmePath: "/r/README.md",
			date: new Date(2024, 5, 7),
		});
		expect(prompt).toContain(
			"(e.g., tui.md for TUI API details)\n\nEXTRA\n\n# Project Context\n\nProject-specific instructions and guidelines:\n\n## /p/AGENTS.md\n\nctx\n\n\nCurrent date: 2024-06-07",
		);
	});
});
