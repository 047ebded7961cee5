import { describe, expect, test } from "bun:test";
import { PromptAutocomplete } from "../../src/modes/interactive/autocomplete-provider.ts";
import { parseSlashCommand } from "../../src/modes/interactive/command-registry.ts";
import { flattenTree } from "../../src/modes/interactive/components/tree-selector.ts";
import { formatTokens, formatToolHeader, shortenHome } from "../../src/modes/interactive/format.ts";
import { visibleWindow } from "../../src/modes/interactive/selector-height.ts";
import type { SessionEntry, SessionTreeNode } from "../../src/session/types.ts";

describe("formatting", () => {
	test("token counts follow pi's footer format", () => {
		expect(formatTokens(999)).toBe("999");
		expect(formatTokens(1234)).toBe("1.2k");
		expect(formatTokens(12_345)).toBe("12k");
		expect(formatTokens(1_234_567)).toBe("1.2M");
		expect(formatTokens(12_345_678)).toBe("12M");
	});

	test("home is shortened to ~", () => {
		expect(shortenHome("/home/u/project", "/home/u")).toBe("~/project");
		expect(shortenHome("/home/user2", "/home/u")).toBe("/home/user2");
	});

	test("tool headers", () => {
		expect(formatToolHeader("bash", { command: "ls -la", timeout: 5 })).toBe("$ ls -la (timeout 5s)");
		expect(formatToolHeader("read", { path: "/x/a.ts", offset: 10, limit: 5 })).toBe("read /x/a.ts:10-14");
		expect(formatToolHeader("grep", { pattern: "foo", path: "src", glob: "*.ts" })).toBe("grep /foo/ in src (*.ts)");
		expect(formatToolHeader("custom", {})).toBeUndefined();
	});
});

describe("slash commands", () => {
	test("parse name and arguments", () => {
		expect(parseSlashCommand("/compact keep the API notes")).toEqual({ name: "compact", args: "keep the API notes" });
		expect(parseSlashCommand("/tree")).toEqual({ name: "tree", args: "" });
		expect(parseSlashCommand("hello")).toBeUndefined();
	});

	test("autocomplete: fuzzy command names with argument hints, then the command's argument completions", async () => {
		const commands = ["settings", "model", "tree", "reload", "resume", "session"].map((name) => ({
			name,
			description: `${name} things`,
			...(name === "model"
				? {
						argumentHint: "<provider/model>",
						completeArgument: (prefix: string) =>
							["anthropic/claude", "openai/gpt"]
								.filter((v) => v.includes(prefix))
								.map((value) => ({ value, label: value })),
					}
				: {}),
		}));
		const provider = new PromptAutocomplete(
			() => "/tmp",
			() => commands,
		);
		const signal = new AbortController().signal;
		const names = async (text: string) =>
			(await provider.getSuggestions([text], 0, text.length, { signal }))?.items.map((item) => item.value);
		expect((await names("/res"))?.[0]).toBe("resume");
		expect(await names("/tr")).toEqual(["tree"]);
		expect(await names("/ss")).toEqual(["session", "settings"]);
		const model = await provider.getSuggestions(["/mo"], 0, 3, { signal });
		expect(model?.items[0]?.description).toBe("<provider/model> — model things");
		expect(await names("/model cla")).toEqual(["anthropic/claude"]);
		expect(await names("/tree x")).toBeUndefined();
		const applied = provider.applyCompletion(["/model cla"], 0, 10, { value: "anthropic/claude", label: "" }, "cla");
		expect(applied.lines).toEqual(["/model anthropic/claude"]);
	});
});

describe("tree flattening", () => {
	function node(id: string, timestamp: string, children: SessionTreeNode[] = []): SessionTreeNode {
		const entry: SessionEntry = { type: "session_info", id, parentId: null, timestamp, name: id };
		for (const child of children) child.entry.parentId = id;
		return { entry, children };
	}

	test("linear chains stay flat; branches get connectors, fold marks and one more indent below a branch (pi)", () => {
		const tree = [node("a", "1", [node("b", "2", [node("c1", "3", [node("d", "5")]), node("c2", "4")])])];
		const rows = flattenTree(tree).map((row) => `${row.prefix}${row.node.entry.id}`);
		expect(rows).toEqual(["a", "b", "├⊟ c1", "│     d", "└─ c2"]);
	});

	test("the branch holding the active leaf comes first", () => {
		const tree = [node("a", "1", [node("b1", "2"), node("b2", "3", [node("c", "4")])])];
		const rows = flattenTree(tree, "c").map((row) => `${row.prefix}${row.node.entry.id}`);
		expect(rows).toEqual(["a", "├⊟ b2", "│     c", "└─ b1"]);
	});
});

describe("selector window", () => {
	test("the selected row is centred; the window stops at both ends", () => {
		expect(visibleWindow(0, 3, 10)).toEqual({ start: 0, end: 3 });
		expect(visibleWindow(1, 100, 10)).toEqual({ start: 0, end: 10 });
		expect(visibleWindow(50, 100, 10)).toEqual({ start: 45, end: 55 });
		expect(visibleWindow(99, 100, 10)).toEqual({ start: 90, end: 100 });
	});
});
