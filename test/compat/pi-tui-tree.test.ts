/**
 * The /tree selector as pi 1.6.0's: the same session tree, the same keys, and after each key the same rows (text,
 * trailing blanks aside) and the same reports (select, cancel, label, copy) from our TreeSelector as from pi's
 * TreeSelectorComponent (run through test/compat/pi-tui/driver.mjs). Skipped without pi 1.6.0.
 */
import { describe, expect, test } from "bun:test";
import { type AssistantMessage, emptyUsage } from "../../src/ai/types.ts";
import { TreeSelector } from "../../src/modes/interactive/components/tree-selector.ts";
import { selectorHeight } from "../../src/modes/interactive/selector-height.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import type { SessionTreeNode } from "../../src/session/types.ts";
import { CURSOR_MARKER } from "../../src/tui/component.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { runPiTui, type TreeCase } from "./pi-tui/run.ts";

const UP = "\x1b[A";
const DOWN = "\x1b[B";
const LEFT = "\x1b[D";
const RIGHT = "\x1b[C";
const CTRL_LEFT = "\x1b[1;5D";
const CTRL_RIGHT = "\x1b[1;5C";
const ENTER = "\r";
const ESC = "\x1b";
const BACKSPACE = "\x7f";
const ctrl = (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 96);

function assistant(text: string, tools: { id: string; name: string; args: Record<string, unknown> }[] = []) {
	const message: AssistantMessage = {
		role: "assistant",
		content: [
			...(text ? [{ type: "text" as const, text }] : []),
			...tools.map((tool) => ({ type: "toolCall" as const, id: tool.id, name: tool.name, arguments: tool.args })),
		],
		api: "anthropic-messages",
		provider: "anthropic",
		model: "claude",
		usage: emptyUsage(),
		stopReason: tools.length > 0 ? "toolUse" : "stop",
		timestamp: Date.now(),
	};
	return message;
}

/** A session with tool calls, labels, settings entries, a compaction, a summary and several branches. */
function sessionTree(): { tree: SessionTreeNode[]; leafId: string | null } {
	const manager = SessionManager.inMemory("/tmp/project");
	let clock = Date.parse("2025-03-07T10:00:00Z");
	const realNow = Date.now;
	Date.now = () => (clock += 1000);
	try {
		const first = manager.appendMessage({ role: "user", content: "Read the readme please", timestamp: Date.now() });
		manager.appendModelChange("anthropic", "claude-sonnet");
		manager.appendMessage(
			assistant("", [{ id: "t1", name: "read", args: { path: "/tmp/project/README.md", offset: 10, limit: 20 } }]),
		);
		manager.appendMessage({
			role: "toolResult",
			toolCallId: "t1",
			toolName: "read",
			content: [{ type: "text", text: "# Project" }],
			isError: false,
			timestamp: Date.now(),
		});
		const answer = manager.appendMessage(assistant("The readme describes the project.\nIt has two parts."));
		manager.appendLabel(answer, "readme");
		manager.appendMessage({ role: "user", content: "Run the tests", timestamp: Date.now() });
		manager.appendMessage(assistant("", [{ id: "t2", name: "bash", args: { command: "npm test -- --watch=false" } }]));
		manager.appendMessage({
			role: "toolResult",
			toolCallId: "t2",
			toolName: "bash",
			content: [{ type: "text", text: "ok" }],
			isError: false,
			timestamp: Date.now(),
		});
		manager.appendMessage(assistant("All tests pass."));
		manager.appendThinkingLevelChange("high");
		manager.appendSessionInfo("Tests");
		// A second branch from the first answer, with its own sub-branches.
		manager.branch(answer);
		manager.appendMessage({ role: "user", content: "Explain part one in detail", timestamp: Date.now() });
		const partOne = manager.appendMessage(assistant("Part one is the parser."));
		manager.appendMessage({ role: "user", content: "and part two?", timestamp: Date.now() });
		manager.appendMessage(assistant("Part two is the printer."));
		manager.branch(partOne);
		manager.appendBranchSummary(partOne, "Looked at the printer instead");
		manager.appendMessage({
			role: "bashExecution",
			command: "ls -la src",
			output: "",
			exitCode: 0,
			cancelled: false,
			truncated: false,
			timestamp: Date.now(),
		});
		manager.appendCustomMessage("note", "a custom note", true);
		manager.appendCompaction("Summary of everything", null, 48_200);
		const deep = manager.appendMessage({ role: "user", content: "deeper and deeper", timestamp: Date.now() });
		manager.appendLabel(deep, "deep");
		// A third branch from the very first message.
		manager.branch(first);
		manager.appendMessage(assistant("", [{ id: "t3", name: "grep", args: { pattern: "TODO", path: "src" } }]));
		manager.appendMessage({
			role: "toolResult",
			toolCallId: "t3",
			toolName: "grep",
			content: [{ type: "text", text: "src/a.ts: TODO" }],
			isError: false,
			timestamp: Date.now(),
		});
		manager.appendMessage(assistant("", [{ id: "t4", name: "my_tool", args: { a: 1, b: "two" } }]));
		manager.appendMessage({
			role: "toolResult",
			toolCallId: "t4",
			toolName: "my_tool",
			content: [{ type: "text", text: "done" }],
			isError: false,
			timestamp: Date.now(),
		});
		manager.branch(deep);
		return { tree: JSON.parse(JSON.stringify(manager.getTree())), leafId: manager.getLeafId() };
	} finally {
		Date.now = realNow;
	}
}

const type = (text: string) => [...text];

const STEPS: { name: string; steps: string[]; filter?: string; width?: number; height?: number }[] = [
	{ name: "opens on the leaf", steps: [] },
	{ name: "moves and wraps", steps: [UP, UP, UP, DOWN, ...Array(30).fill(UP)] },
	{ name: "pages", steps: [LEFT, LEFT, RIGHT] },
	{
		name: "filter keys and cycling",
		steps: [ctrl("t"), ctrl("u"), ctrl("u"), ctrl("l"), ctrl("a"), ctrl("d"), ctrl("o"), ctrl("o"), "\x1b[111;6u"],
	},
	{
		name: "fold and unfold branches, jump segments",
		steps: [CTRL_LEFT, CTRL_LEFT, CTRL_LEFT, CTRL_RIGHT, CTRL_RIGHT, "\x1bb", CTRL_LEFT, CTRL_RIGHT],
	},
	{
		name: "search, backspace, escape clears, escape cancels",
		steps: [...type("part"), BACKSPACE, ...type("t two"), ESC, ESC],
	},
	{
		name: "label edit and label times",
		steps: [UP, "L", ...type("mine"), ENTER, "T", UP, "L", ESC, "L", ctrl("u"), ENTER],
	},
	{ name: "copy and select", steps: [UP, ctrl("x"), UP, UP, ctrl("x"), ENTER] },
	{ name: "starts in a filter mode", steps: [UP], filter: "no-tools" },
	{ name: "narrow: wraps the help, shifts deep rows", steps: [UP, UP, DOWN], width: 34 },
	{ name: "short terminal", steps: [UP, UP, UP, UP, UP, UP, UP], height: 10 },
];

function ours(c: TreeCase): { frames: string[][]; events: string[] } {
	const events: string[] = [];
	const tree = structuredClone(c.tree) as SessionTreeNode[];
	const activePath = new Set<string>();
	const byId = new Map<string, SessionTreeNode>();
	const walk = [...tree];
	for (let node = walk.pop(); node; node = walk.pop()) {
		byId.set(node.entry.id, node);
		walk.push(...node.children);
	}
	for (let id = c.leafId; id; id = byId.get(id)?.entry.parentId ?? null) activePath.add(id);
	const selector = new TreeSelector({
		roots: tree,
		leafId: c.leafId,
		activePath,
		maxVisible: selectorHeight({ terminalRows: c.height }),
		initialFilter: c.filter as never,
		onSelect: (id) => events.push(`select ${id}`),
		onCancel: () => events.push("cancel"),
		onLabel: (id, label) => events.push(`label ${id} ${label ?? "-"}`),
		onCopy: (text) => events.push(`copy ${text ?? "-"}`),
	});
	selector.focused = true;
	const frames: string[][] = [];
	for (const key of c.steps) {
		selector.handleInput(key);
		frames.push(selector.render(c.width));
	}
	if (c.steps.length === 0) frames.push(selector.render(c.width));
	return { frames, events };
}

const plain = (lines: string[]) => lines.map((line) => stripAnsi(line.replaceAll(CURSOR_MARKER, "")).trimEnd());

describe.skipIf(!referencePi160())("/tree selector side by side with pi 1.6.0", () => {
	const { tree, leafId } = sessionTree();
	const cases: TreeCase[] = STEPS.map((step) => ({
		name: step.name,
		tree,
		leafId,
		height: step.height ?? 40,
		width: step.width ?? 80,
		steps: step.steps,
		filter: step.filter,
	}));
	const pi = runPiTui({ trees: cases });

	for (const [index, c] of cases.entries()) {
		test(c.name, () => {
			const theirs = pi?.trees[index];
			if (!theirs) throw new Error("no result from pi");
			const mine = ours(c);
			expect(mine.events).toEqual(theirs.events);
			for (const [frame, lines] of mine.frames.entries()) {
				expect({ step: frame, lines: plain(lines) }).toEqual({ step: frame, lines: plain(theirs.frames[frame] ?? []) });
			}
		});
	}
});
