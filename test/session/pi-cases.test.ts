/**
 * pi's own session-manager cases (pi-mono test/session-manager/build-context.test.ts and its loading edge cases),
 * written for our context builder; with pi 1.6.0 installed (PI_REF_160_DIR) each case is also run through pi 1.6.0's
 * buildSessionContext / SessionManager and must give the same context.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AgentMessage } from "../../src/agent/types.ts";
import { emptyUsage } from "../../src/ai/types.ts";
import { buildSessionContext } from "../../src/session/context.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import type { SessionContext, SessionEntry } from "../../src/session/types.ts";
import { tempDir, textOf } from "./helpers.ts";
import { callMethod, hasPi160, PI160_ROOT } from "./pi-ref.ts";

const TIME = "2025-01-01T00:00:00Z";

function msg(id: string, parentId: string | null, role: "user" | "assistant", text: string): SessionEntry {
	const base = { type: "message" as const, id, parentId, timestamp: TIME };
	if (role === "user") return { ...base, message: { role, content: text, timestamp: 1 } };
	return {
		...base,
		message: {
			role,
			content: [{ type: "text", text }],
			api: "anthropic-messages",
			provider: "anthropic",
			model: "claude-test",
			usage: emptyUsage(),
			stopReason: "stop",
			timestamp: 1,
		},
	};
}

function compaction(id: string, parentId: string, summary: string, firstKeptEntryId: string): SessionEntry {
	return { type: "compaction", id, parentId, timestamp: TIME, summary, firstKeptEntryId, tokensBefore: 1000 };
}

function branchSummary(id: string, parentId: string, summary: string, fromId: string): SessionEntry {
	return { type: "branch_summary", id, parentId, timestamp: TIME, summary, fromId };
}

function system(id: string, parentId: string | null, sections: Record<string, string>): SessionEntry {
	return {
		type: "message",
		id,
		parentId,
		timestamp: TIME,
		message: { role: "system", content: "", sections, timestamp: 1 },
	};
}

interface Case {
	name: string;
	entries: SessionEntry[];
	/** Omitted: the last entry is the leaf. */
	leafId?: string | null;
	texts: string[];
	thinkingLevel?: SessionContext["thinkingLevel"];
	model?: SessionContext["model"];
}

const CASES: Case[] = [
	{ name: "empty entries returns empty context", entries: [], texts: [], thinkingLevel: "off", model: null },
	{ name: "single user message", entries: [msg("1", null, "user", "hello")], texts: ["hello"] },
	{
		name: "simple conversation",
		entries: [
			msg("1", null, "user", "hello"),
			msg("2", "1", "assistant", "hi there"),
			msg("3", "2", "user", "how are you"),
			msg("4", "3", "assistant", "great"),
		],
		texts: ["hello", "hi there", "how are you", "great"],
	},
	{
		name: "tracks thinking level changes",
		entries: [
			msg("1", null, "user", "hello"),
			{ type: "thinking_level_change", id: "2", parentId: "1", timestamp: TIME, thinkingLevel: "high" },
			msg("3", "2", "assistant", "thinking hard"),
		],
		texts: ["hello", "thinking hard"],
		thinkingLevel: "high",
	},
	{
		name: "tracks model from assistant message",
		entries: [msg("1", null, "user", "hello"), msg("2", "1", "assistant", "hi")],
		texts: ["hello", "hi"],
		model: { provider: "anthropic", modelId: "claude-test" },
	},
	{
		name: "an assistant message after a model change names the model",
		entries: [
			msg("1", null, "user", "hello"),
			{ type: "model_change", id: "2", parentId: "1", timestamp: TIME, provider: "openai", modelId: "gpt-4" },
			msg("3", "2", "assistant", "hi"),
		],
		texts: ["hello", "hi"],
		model: { provider: "anthropic", modelId: "claude-test" },
	},
	{
		name: "includes summary before kept messages",
		entries: [
			msg("1", null, "user", "first"),
			msg("2", "1", "assistant", "response1"),
			msg("3", "2", "user", "second"),
			msg("4", "3", "assistant", "response2"),
			compaction("5", "4", "Summary of first two turns", "3"),
			msg("6", "5", "user", "third"),
			msg("7", "6", "assistant", "response3"),
		],
		texts: ["<compactionSummary>Summary of first two turns", "second", "response2", "third", "response3"],
	},
	{
		name: "handles compaction keeping from first message",
		entries: [
			msg("1", null, "user", "first"),
			msg("2", "1", "assistant", "response"),
			compaction("3", "2", "Empty summary", "1"),
			msg("4", "3", "user", "second"),
		],
		texts: ["<compactionSummary>Empty summary", "first", "response", "second"],
	},
	{
		name: "multiple compactions uses latest",
		entries: [
			msg("1", null, "user", "a"),
			msg("2", "1", "assistant", "b"),
			compaction("3", "2", "First summary", "1"),
			msg("4", "3", "user", "c"),
			msg("5", "4", "assistant", "d"),
			compaction("6", "5", "Second summary", "4"),
			msg("7", "6", "user", "e"),
		],
		texts: ["<compactionSummary>Second summary", "c", "d", "e"],
	},
	{
		name: "a compaction kept inside the newer one's range contributes nothing",
		entries: [
			msg("1", null, "user", "a"),
			compaction("2", "1", "First summary", "1"),
			msg("3", "2", "user", "b"),
			compaction("4", "3", "Second summary", "1"),
			msg("5", "4", "user", "c"),
		],
		texts: ["<compactionSummary>Second summary", "a", "b", "c"],
	},
	...(["3", "4"] as const).map(
		(leafId): Case => ({
			name: `follows path to specified leaf (${leafId})`,
			entries: [
				msg("1", null, "user", "start"),
				msg("2", "1", "assistant", "response"),
				msg("3", "2", "user", "branch A"),
				msg("4", "2", "user", "branch B"),
			],
			leafId,
			texts: ["start", "response", leafId === "3" ? "branch A" : "branch B"],
		}),
	),
	{
		name: "includes branch summary in path",
		entries: [
			msg("1", null, "user", "start"),
			msg("2", "1", "assistant", "response"),
			msg("3", "2", "user", "abandoned path"),
			branchSummary("4", "2", "Summary of abandoned work", "3"),
			msg("5", "4", "user", "new direction"),
		],
		leafId: "5",
		texts: ["start", "response", "<branchSummary>Summary of abandoned work", "new direction"],
	},
	...(["7", "11"] as const).map(
		(leafId): Case => ({
			name: `complex tree with multiple branches and compaction (${leafId})`,
			entries: [
				msg("1", null, "user", "start"),
				msg("2", "1", "assistant", "r1"),
				msg("3", "2", "user", "q2"),
				msg("4", "3", "assistant", "r2"),
				compaction("5", "4", "Compacted history", "3"),
				msg("6", "5", "user", "q3"),
				msg("7", "6", "assistant", "r3"),
				msg("8", "3", "user", "wrong path"),
				msg("9", "8", "assistant", "wrong response"),
				branchSummary("10", "3", "Tried wrong approach", "9"),
				msg("11", "10", "user", "better approach"),
			],
			leafId,
			texts:
				leafId === "7"
					? ["<compactionSummary>Compacted history", "q2", "r2", "q3", "r3"]
					: ["start", "r1", "q2", "<branchSummary>Tried wrong approach", "better approach"],
		}),
	),
	{
		name: "uses last entry when leafId not found",
		entries: [msg("1", null, "user", "hello"), msg("2", "1", "assistant", "hi")],
		leafId: "nonexistent",
		texts: ["hello", "hi"],
	},
	{
		name: "handles orphaned entries gracefully",
		entries: [msg("1", null, "user", "hello"), msg("2", "missing", "assistant", "orphan")],
		leafId: "2",
		texts: ["orphan"],
	},
	{ name: "a null leaf is an empty context", entries: [msg("1", null, "user", "hello")], leafId: null, texts: [] },
	// pi 1.6.0's additions: system messages, context edits (latest wins, on the branch only), usage entries.
	{
		name: "system messages stay in place; a compaction drops the kept ones",
		entries: [
			system("1", null, { preamble: "p" }),
			msg("2", "1", "user", "q1"),
			system("3", "2", { tools: "t" }),
			msg("4", "3", "assistant", "a1"),
			compaction("5", "4", "S", "2"),
			msg("6", "5", "user", "q2"),
		],
		texts: ["<compactionSummary>S", "q1", "a1", "q2"],
	},
	{
		name: "context edits: the latest edit of an entry wins, null omits it",
		entries: [
			msg("1", null, "user", "q1"),
			msg("2", "1", "assistant", "long answer"),
			{ type: "context_edit", id: "3", parentId: "2", timestamp: TIME, targetId: "2", replacement: { content: "x" } },
			{
				type: "context_edit",
				id: "4",
				parentId: "3",
				timestamp: TIME,
				targetId: "2",
				replacement: { content: "short" },
			},
			{ type: "context_edit", id: "5", parentId: "4", timestamp: TIME, targetId: "1", replacement: null },
			msg("6", "5", "user", "q2"),
		],
		texts: ["short", "q2"],
	},
	{
		name: "a context edit on another branch does not apply",
		entries: [
			msg("1", null, "user", "q1"),
			{ type: "context_edit", id: "2", parentId: "1", timestamp: TIME, targetId: "1", replacement: null },
			msg("3", "1", "assistant", "a1"),
		],
		leafId: "3",
		texts: ["q1", "a1"],
	},
	{
		name: "usage entries count in totals, never in the context",
		entries: [
			msg("1", null, "user", "q1"),
			{
				type: "usage",
				id: "2",
				parentId: "1",
				timestamp: TIME,
				kind: "cache_warm",
				provider: "anthropic",
				model: "claude-test",
				usage: emptyUsage(),
			},
			msg("3", "2", "assistant", "a1"),
		],
		texts: ["q1", "a1"],
	},
];

async function piBuildSessionContext(): Promise<(entries: SessionEntry[], leafId?: string | null) => unknown> {
	const mod: unknown = await import(join(PI160_ROOT, "dist/core/session-manager.js"));
	return (entries, leafId) => callMethod(mod, "buildSessionContext", entries, leafId);
}

function asData(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value));
}

describe("pi's buildSessionContext cases", () => {
	for (const item of CASES) {
		test(item.name, async () => {
			const context = buildSessionContext(item.entries, item.leafId);
			expect(context.messages.map((message: AgentMessage) => textOf(message))).toEqual(item.texts);
			if (item.thinkingLevel !== undefined) expect(context.thinkingLevel).toBe(item.thinkingLevel);
			if (item.model !== undefined) expect(context.model).toEqual(item.model);
			if (hasPi160) {
				const pi = await piBuildSessionContext();
				expect(asData(context)).toEqual(asData(pi(item.entries, item.leafId)));
			}
		});
	}
});

describe("files pi reads that we used to drop", () => {
	const usage = JSON.stringify(emptyUsage());
	const lines = [
		'{"type":"session","version":3,"id":"s1","timestamp":"2026-01-01T00:00:00.000Z","cwd":"/tmp"}',
		'{"type":"message","id":"a1","parentId":null,"timestamp":"2026-01-01T00:00:01.000Z","message":{"role":"user","content":null,"timestamp":1}}',
		`{"type":"message","id":"a2","parentId":"a1","timestamp":"2026-01-01T00:00:02.000Z","message":{"role":"assistant","api":"x","provider":"p","model":"m","usage":${usage},"stopReason":"stop","timestamp":2}}`,
		'{"type":"message","id":"a3","parentId":"a2","timestamp":"2026-01-01T00:00:03.000Z","message":{"role":"system","sections":{"x":"y"},"timestamp":3}}',
		'{"type":"message","id":"a4","parentId":"a3","timestamp":"2026-01-01T00:00:04.000Z","message":{"role":"toolResult","toolCallId":"t","toolName":"read","isError":false,"timestamp":4}}',
		'{"type":"message","id":"a5","parentId":"a4","timestamp":"2026-01-01T00:00:05.000Z","message":{"role":"user","content":"still here","timestamp":5}}',
	];

	function write(text: string): string {
		const path = join(tempDir(), "session.jsonl");
		writeFileSync(path, text);
		return path;
	}

	test("messages without content are read as empty, as pi 1.6.0 reads them, and the file is left alone", async () => {
		const text = `${lines.join("\n")}\n`;
		const path = write(text);
		const manager = SessionManager.open(path);
		expect(manager.warnings).toEqual([]);
		expect(readFileSync(path, "utf8")).toBe(text);
		const context = manager.buildSessionContext();
		expect(context.messages.map((message) => [message.role, textOf(message)])).toEqual([
			["user", ""],
			["assistant", ""],
			["system", "<system:x>"],
			["toolResult", ""],
			["user", "still here"],
		]);
		if (hasPi160) {
			const mod: unknown = await import(join(PI160_ROOT, "dist/core/session-manager.js"));
			const cls = typeof mod === "object" && mod !== null ? Reflect.get(mod, "SessionManager") : undefined;
			const pi = callMethod(cls, "open", path, dirname(path));
			expect(asData(context)).toEqual(asData(callMethod(pi, "buildSessionContext")));
		}
	});

	test("an entry we cannot read does not cut its children off the conversation", () => {
		// A damaged entry of a known kind (an unknown kind is kept: unknown-entries.test.ts).
		const damaged =
			'{"type":"message","id":"b1","parentId":"a5","timestamp":"2026-01-01T00:00:06.000Z","message":{"role":"user","content":42,"timestamp":6}}';
		const child =
			'{"type":"message","id":"b2","parentId":"b1","timestamp":"2026-01-01T00:00:07.000Z","message":{"role":"user","content":"after it","timestamp":7}}';
		const path = write(`${[...lines, damaged, child].join("\n")}\n`);
		const manager = SessionManager.open(path);
		expect(manager.warnings).toHaveLength(1);
		expect(manager.warnings[0]).toContain(':7: skipped an invalid "message" entry');
		const texts = manager.buildSessionContext().messages.map(textOf);
		expect(texts.slice(-2)).toEqual(["still here", "after it"]);
		expect(texts).toHaveLength(6);
		expect(manager.getEntry("b2")?.parentId).toBe("a5");
	});
});
