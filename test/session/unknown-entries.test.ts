/**
 * Entries a newer pi writes (a message role or an entry type we do not know) are kept as pi 1.6.0 keeps them: in
 * the tree, in branches and forks byte for byte, given back to extensions as stored, and left out of the model's
 * context; the file is never rewritten. With pi 1.6.0 installed (PI_REF_160_DIR) its own SessionManager reads the
 * same file beside ours.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sessionManagerView } from "../../src/extensions/context.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { storedEntry, storedTree } from "../../src/session/unknown-entry.ts";
import { assistant, tempDir, user } from "./helpers.ts";
import { callMethod, hasPi160, PI160_ROOT } from "./pi-ref.ts";

const time = (second: number) => `2026-12-01T10:00:${String(second).padStart(2, "0")}.000Z`;
const entry = (n: number, parent: number | null, fields: Record<string, unknown>) => ({
	type: "message",
	id: `e000000${n}`,
	parentId: parent === null ? null : `e000000${parent}`,
	timestamp: time(n),
	...fields,
});

/** A conversation with a newer pi's message role in the middle and a newer entry type twice, the leaf last. */
const LINES = [
	{ type: "session", version: 3, id: "0193a000-0000-7000-8000-0000000000aa", timestamp: time(0), cwd: "/project" },
	{ ...entry(1, null, {}), type: "model_change", provider: "test", modelId: "test-model" },
	entry(2, 1, { message: user("first question", 2) }),
	entry(3, 2, { message: { role: "annotation", note: "a newer pi's message", timestamp: 3 } }),
	entry(4, 3, { message: assistant("first answer", { timestamp: 4 }) }),
	{ ...entry(5, 4, {}), type: "bookmark", where: { line: 3 } },
	entry(6, 5, { message: user("second question", 6) }),
	entry(7, 6, { message: assistant("second answer", { timestamp: 7 }) }),
	{ ...entry(8, 7, {}), type: "bookmark", where: { line: 9 } },
].map((record) => JSON.stringify(record));
const TEXT = `${LINES.join("\n")}\n`;

function writeSession(): string {
	const path = join(tempDir("pi-unknown-"), "session.jsonl");
	writeFileSync(path, TEXT);
	return path;
}

describe("entries of a kind we do not know", () => {
	test("stay in the tree and out of the model's context; the file is not rewritten", () => {
		const path = writeSession();
		const manager = SessionManager.open(path);
		expect(manager.warnings).toHaveLength(1);
		expect(manager.warnings[0]).toContain('message role "annotation"');
		expect(manager.warnings[0]).toContain('entry type "bookmark"');
		expect(manager.getEntries().map((e) => JSON.stringify(storedEntry(e)))).toEqual(LINES.slice(1));
		expect(manager.getLeafId()).toBe("e0000008");
		// One chain: every entry hangs on the one before it.
		let node = manager.getTree();
		for (let n = 1; n <= 8; n++) {
			expect(node.map((child) => child.entry.id)).toEqual([`e000000${n}`]);
			node = node[0]?.children ?? [];
		}
		const roles = manager.buildSessionContext().messages.map((message) => message.role);
		expect(roles).toEqual(["user", "assistant", "user", "assistant"]);
		expect(readFileSync(path, "utf8")).toBe(TEXT);

		manager.appendMessage(user("third question"));
		const after = readFileSync(path, "utf8");
		expect(after.startsWith(TEXT)).toBe(true);
		expect(JSON.parse(after.slice(TEXT.length))).toMatchObject({ parentId: "e0000008" });
	});

	test("a branch (/fork, /tree) writes them back as they were read", () => {
		const manager = SessionManager.open(writeSession());
		const branched = manager.createBranchedSession("e0000007");
		const lines = readFileSync(branched.getSessionFile() ?? "", "utf8").split("\n");
		expect(lines.slice(1)).toEqual([...LINES.slice(1, 8), ""]);
		// Re-chained under a branch, the stored form carries the new parent.
		const annotation = manager.getEntry("e0000003");
		if (annotation?.type !== "unknown") throw new Error("the annotation was not kept as an unknown entry");
		expect(storedEntry({ ...annotation, parentId: "e0000001" })).toMatchObject({
			id: "e0000003",
			parentId: "e0000001",
			type: "message",
		});
	});

	test("extensions see them as stored, as pi gives them", () => {
		const manager = SessionManager.open(writeSession());
		const view = sessionManagerView(() => manager);
		const getEntries = view.getEntries;
		if (typeof getEntries !== "function") throw new Error("no getEntries");
		expect(JSON.stringify(getEntries())).toBe(`[${LINES.slice(1).join(",")}]`);
		expect(JSON.stringify(storedTree(manager.getTree()))).toContain('"role":"annotation"');
	});
});

describe.skipIf(!hasPi160)("side by side with pi 1.6.0's SessionManager", () => {
	async function piOpen(path: string): Promise<unknown> {
		const mod: unknown = await import(join(PI160_ROOT, "dist/core/session-manager.js"));
		const cls: unknown = typeof mod === "object" && mod !== null ? Reflect.get(mod, "SessionManager") : undefined;
		return callMethod(cls, "open", path);
	}
	const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

	test("the same entries, tree and leaf; the same context once pi's own filter drops the unknown role", async () => {
		const ours = SessionManager.open(writeSession());
		const pis = await piOpen(writeSession());
		expect(json(ours.getEntries().map(storedEntry))).toEqual(json(callMethod(pis, "getEntries")));
		expect(json(storedTree(ours.getTree()))).toEqual(json(callMethod(pis, "getTree")));
		expect(ours.getLeafId()).toBe(String(callMethod(pis, "getLeafId")));
		// pi keeps the unknown message in its context and drops it when converting for the model (convertToLlm).
		const piContext = json(callMethod(pis, "buildSessionContext")) as { messages: { role: string }[] };
		piContext.messages = piContext.messages.filter((message) => message.role !== "annotation");
		expect(json(ours.buildSessionContext())).toEqual(piContext);
	});

	test("a branch through them is the same file", async () => {
		const ours = SessionManager.open(writeSession()).createBranchedSession("e0000007");
		const pis = await piOpen(writeSession());
		callMethod(pis, "createBranchedSession", "e0000007");
		const body = (file: unknown) => readFileSync(String(file), "utf8").split("\n").slice(1);
		expect(body(ours.getSessionFile())).toEqual(body(callMethod(pis, "getSessionFile")));
	});
});
