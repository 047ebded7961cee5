/**
 * Our SessionManager and pi 1.6.0's driven through the same operations (pi's own tree-traversal, labels and
 * branching cases, pi-mono test/session-manager/): after each step the session file (when there is one), the
 * tree, the leaf and the context must be the same, with ids numbered in order of appearance and times left out.
 * The label-fork case also runs without pi installed.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { assistant, idNumberer, tempDir, user } from "./helpers.ts";
import { callMethod, hasPi160, PI160_ROOT } from "./pi-ref.ts";

/** The same project folder on both sides (it appears in the header); it need not exist. */
const CWD = "/nonexistent/project";

interface Snapshot {
	file: string | null;
	leaf: unknown;
	context: unknown;
	tree: unknown;
}

/** The operations the scenarios use, on one implementation. */
interface Ops {
	user(text: string): string;
	assistant(text: string): string;
	custom(customType: string, data: unknown): string;
	label(targetId: string, label: string | undefined): string;
	branch(id: string): void;
	resetLeaf(): void;
	branchSummary(fromId: string | null, summary: string): string;
	compaction(summary: string, firstKeptEntryId: string, tokensBefore: number): string;
	/** createBranchedSession: from now on the operations act on the branched session. */
	fork(leafId: string): void;
	snapshot(): Snapshot;
}

function ourOps(): Ops {
	let manager = SessionManager.create(CWD, tempDir());
	const snapshot = (): Snapshot => {
		const file = manager.getSessionFile();
		return {
			file: file && existsSync(file) ? readFileSync(file, "utf8") : null,
			leaf: manager.getLeafId(),
			context: manager.buildSessionContext(),
			tree: manager.getTree(),
		};
	};
	return {
		user: (text) => manager.appendMessage(user(text, 1)),
		assistant: (text) => manager.appendMessage(assistant(text, { timestamp: 1 })),
		custom: (customType, data) => manager.appendCustomEntry(customType, data),
		label: (targetId, label) => manager.appendLabel(targetId, label),
		branch: (id) => manager.branch(id),
		resetLeaf: () => manager.resetLeaf(),
		branchSummary: (fromId, summary) => manager.appendBranchSummary(fromId, summary, undefined, false),
		compaction: (summary, firstKept, tokens) => manager.appendCompaction(summary, firstKept, tokens, undefined, false),
		fork: (leafId) => {
			manager = manager.createBranchedSession(leafId);
		},
		snapshot,
	};
}

async function piOps(): Promise<Ops> {
	const mod: unknown = await import(join(PI160_ROOT, "dist/core/session-manager.js"));
	const cls = typeof mod === "object" && mod !== null ? Reflect.get(mod, "SessionManager") : undefined;
	const manager = callMethod(cls, "create", CWD, tempDir());
	const call = (name: string, ...args: unknown[]) => callMethod(manager, name, ...args);
	const id = (value: unknown) => String(value);
	return {
		user: (text) => id(call("appendMessage", user(text, 1))),
		assistant: (text) => id(call("appendMessage", assistant(text, { timestamp: 1 }))),
		custom: (customType, data) => id(call("appendCustomEntry", customType, data)),
		label: (targetId, label) => id(call("appendLabelChange", targetId, label)),
		branch: (target) => void call("branch", target),
		resetLeaf: () => void call("resetLeaf"),
		branchSummary: (fromId, summary) => id(call("branchWithSummary", fromId, summary, undefined, false)),
		compaction: (summary, firstKept, tokens) =>
			id(call("appendCompaction", summary, firstKept, tokens, undefined, false)),
		fork: (leafId) => void call("createBranchedSession", leafId),
		snapshot: () => {
			const file = call("getSessionFile");
			return {
				file: typeof file === "string" && existsSync(file) ? readFileSync(file, "utf8") : null,
				leaf: call("getLeafId"),
				context: call("buildSessionContext"),
				tree: call("getTree"),
			};
		},
	};
}

/** Ids numbered by first appearance, times and file paths left out: what both sides must agree on. */
function comparable(snapshots: Snapshot[]): string {
	const number = idNumberer();
	return JSON.stringify(snapshots, null, 1)
		.replace(/\\"parentSession\\":\\"[^"\\]*\\"/g, '\\"parentSession\\":\\"<file>\\"')
		.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>")
		.replace(/(\\?"timestamp\\?": ?)\d{10,}/g, "$1<ms>")
		.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, number)
		.replace(/\b[0-9a-f]{8}\b/g, number);
}

type Scenario = (ops: Ops) => Snapshot[];

const SCENARIOS: Record<string, Scenario> = {
	"appends chain on the leaf; labels set, cleared and replaced; custom entries": (ops) => {
		const shots: Snapshot[] = [ops.snapshot()];
		const u1 = ops.user("first");
		shots.push(ops.snapshot());
		ops.assistant("answer");
		ops.label(u1, "start");
		ops.label(u1, "renamed");
		ops.custom("state", { n: 1 });
		const u2 = ops.user("second");
		ops.label(u2, "two");
		ops.label(u2, undefined);
		shots.push(ops.snapshot());
		return shots;
	},
	"branch, branch summaries, resetLeaf": (ops) => {
		const u1 = ops.user("first");
		const a1 = ops.assistant("one");
		ops.user("abandoned");
		ops.assistant("abandoned answer");
		ops.branch(a1);
		ops.user("another way");
		const shots = [ops.snapshot()];
		ops.branchSummary(u1, "what the other branch did");
		ops.user("after the summary");
		shots.push(ops.snapshot());
		ops.branchSummary(null, "from the root");
		shots.push(ops.snapshot());
		ops.resetLeaf();
		ops.user("a new root");
		shots.push(ops.snapshot());
		return shots;
	},
	"fork from the first user message: the file waits for the conversation rule": (ops) => {
		const u1 = ops.user("first question");
		ops.assistant("first answer");
		ops.user("second question");
		ops.assistant("second answer");
		ops.fork(u1);
		const shots = [ops.snapshot()];
		ops.custom("preset-state", { name: "plan" });
		ops.assistant("new answer");
		shots.push(ops.snapshot());
		return shots;
	},
	"fork with a label inside the path keeps the whole conversation": (ops) => {
		const u1 = ops.user("q1");
		ops.assistant("a1");
		ops.label(u1, "start");
		ops.user("q2");
		const a2 = ops.assistant("a2");
		ops.user("q3 on the old path");
		ops.fork(a2);
		return [ops.snapshot()];
	},
	"fork after a compaction that kept from a label": (ops) => {
		const u1 = ops.user("q1");
		ops.assistant("a1");
		const label = ops.label(u1, "kept from here");
		ops.user("q2");
		ops.assistant("a2");
		ops.compaction("summary", label, 500);
		ops.user("q3");
		const a3 = ops.assistant("a3");
		ops.fork(a3);
		return [ops.snapshot()];
	},
};

describe("the label-fork case", () => {
	test("a session forked past a label keeps the conversation before the label", () => {
		const ops = ourOps();
		const [shot] = SCENARIOS["fork with a label inside the path keeps the whole conversation"]?.(ops) ?? [];
		const context = shot?.context;
		const messages = typeof context === "object" && context !== null ? Reflect.get(context, "messages") : undefined;
		expect(Array.isArray(messages) && messages.length).toBe(4);
	});
});

describe.skipIf(!hasPi160)("SessionManager side by side with pi 1.6.0's", () => {
	for (const [name, scenario] of Object.entries(SCENARIOS)) {
		test(name, async () => {
			const ours = comparable(scenario(ourOps()));
			const pis = comparable(scenario(await piOps()));
			expect(ours).toBe(pis);
		});
	}
});
