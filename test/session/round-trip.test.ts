/**
 * Session files round-trip between pi and us. The files are the ones the real pi 1.6.0 and 0.73.1 wrote while
 * recording the CLI and RPC fixtures (test/fixtures/compat; sessionRaw is the file byte for byte) plus the 0.73.1
 * files of test/fixtures/sessions. We open each, must read every entry without a warning, and continue it: what pi
 * wrote stays byte for byte at the start of the file. With pi 1.6.0 installed (PI_REF_160_DIR) its own SessionManager
 * then opens what we wrote and must see the same entries and build the same context; it also appends the entries no
 * recording holds (usage, label, branch summary, custom message, context edits), which we read as it does; and
 * v1/v2 files are migrated to the same file by both.
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as v from "valibot";
import { emptyUsage } from "../../src/ai/types.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { cliFixture, PI073_DIR, REFERENCE_DIR } from "../fixtures/compat/cli-fixture.ts";
import { assistant, FIXTURES, idNumberer, tempDir, user } from "./helpers.ts";
import { callMethod, hasPi160, PI160_ROOT } from "./pi-ref.ts";

const COMPAT = join(import.meta.dir, "../fixtures/compat");

interface WrittenByPi {
	name: string;
	version: "1.6.0" | "0.73.1";
	text: string;
}

/** Every session file a recorded pi run left behind, as pi wrote it. */
function sessionsWrittenByPi(): WrittenByPi[] {
	const found: WrittenByPi[] = [];
	for (const [dir, version] of [
		[REFERENCE_DIR, "1.6.0"],
		[PI073_DIR, "0.73.1"],
	] as const) {
		for (const file of readdirSync(join(COMPAT, dir)).sort()) {
			if (!file.endsWith(".json")) continue;
			const name = file.slice(0, -".json".length);
			const raw = cliFixture(name, dir).sessionRaw;
			if (raw) found.push({ name: `${dir}/${name}`, version, text: raw.text });
		}
	}
	// The RPC recording (compaction with its systemMessage checkpoint, `!` bash, names, model and level changes)
	// stores the file as entries with ids and times replaced by placeholders: still a file pi 1.6.0 wrote.
	const rpc = v.parse(v.object({ sessions: v.array(v.array(v.unknown())) }), readRecording("rpc.json"));
	rpc.sessions.forEach((entries, index) => {
		found.push({ name: `rpc.json#${index}`, version: "1.6.0", text: toJsonl(entries) });
	});
	for (const file of readdirSync(FIXTURES).sort()) {
		if (file.startsWith("pi-") && file.endsWith(".jsonl")) {
			found.push({ name: `sessions/${file}`, version: "0.73.1", text: readFileSync(join(FIXTURES, file), "utf8") });
		}
	}
	return found;
}

function readRecording(name: string): unknown {
	return JSON.parse(readFileSync(join(COMPAT, name), "utf8"));
}

function toJsonl(entries: unknown[]): string {
	return entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
}

/** The kinds of entry a file holds ("message:system", "compaction+systemMessage", ...), to show what is covered. */
function entryKinds(text: string): Set<string> {
	const kinds = new Set<string>();
	const Entry = v.looseObject({
		type: v.string(),
		message: v.optional(v.looseObject({ role: v.string() })),
		systemMessage: v.optional(v.unknown()),
	});
	for (const line of text.split("\n")) {
		if (!line) continue;
		const entry = v.parse(Entry, JSON.parse(line));
		kinds.add(entry.message ? `${entry.type}:${entry.message.role}` : entry.type);
		if (entry.systemMessage !== undefined) kinds.add(`${entry.type}+systemMessage`);
		if (entry.message && "thinkingLevel" in entry.message)
			kinds.add(`${entry.type}:${entry.message.role}+thinkingLevel`);
	}
	return kinds;
}

function writeCopy(file: WrittenByPi): string {
	const path = join(tempDir("pi-round-trip-"), "session.jsonl");
	writeFileSync(path, file.text);
	return path;
}

/** Continues a session the way a turn does: a user prompt and the answer, on the current leaf. */
function continueWithUs(path: string): SessionManager {
	const manager = SessionManager.open(path);
	manager.appendMessage(user("continued by pi-binary"));
	manager.appendMessage(assistant("answered by pi-binary"));
	return manager;
}

const ALL = sessionsWrittenByPi();

describe("session files written by pi", () => {
	test("the recordings hold every kind of entry pi 1.6.0 writes in a conversation", () => {
		const kinds = new Set(ALL.filter((file) => file.version === "1.6.0").flatMap((file) => [...entryKinds(file.text)]));
		for (const kind of [
			"session",
			"message:system",
			"message:user",
			"message:assistant",
			"message:assistant+thinkingLevel",
			"message:toolResult",
			"message:bashExecution",
			"model_change",
			"thinking_level_change",
			"compaction",
			"compaction+systemMessage",
			"context_edit",
			"custom",
			"session_info",
		]) {
			expect(kinds).toContain(kind);
		}
		expect(ALL.filter((file) => file.version === "0.73.1").length).toBeGreaterThan(10);
	});

	for (const file of ALL) {
		test(`${file.name} (pi ${file.version}) is read whole and continued without touching what pi wrote`, () => {
			const path = writeCopy(file);
			const opened = SessionManager.open(path);
			expect(opened.warnings).toEqual([]);
			// Every entry kept with all its fields, in pi's key order.
			const lines = file.text.split("\n").filter((line) => line !== "");
			expect([opened.getHeader(), ...opened.getEntries()].map((entry) => JSON.stringify(entry))).toEqual(lines);
			expect(readFileSync(path, "utf8")).toBe(file.text);

			const continued = continueWithUs(path);
			const after = readFileSync(path, "utf8");
			expect(after.startsWith(file.text)).toBe(true);
			const added = after.slice(file.text.length).split("\n").filter(Boolean);
			expect(added).toHaveLength(2);
			const reopened = SessionManager.open(path);
			expect(reopened.warnings).toEqual([]);
			expect(reopened.buildSessionContext()).toEqual(continued.buildSessionContext());
		});
	}
});

// ------------------------------------------------------------------ pi 1.6.0's own SessionManager

interface PiSessionManager {
	open(path: string): unknown;
}

async function piSessionManager(): Promise<PiSessionManager> {
	const mod: unknown = await import(join(PI160_ROOT, "dist/core/session-manager.js"));
	const cls: unknown = typeof mod === "object" && mod !== null ? Reflect.get(mod, "SessionManager") : undefined;
	if (typeof cls !== "function") throw new Error("pi 1.6.0's SessionManager was not found");
	return { open: (path) => callMethod(cls, "open", path, dirname(path)) };
}

/** What a session manager makes of a file: its entries and the context it would send. */
function view(manager: unknown): { entries: unknown; context: unknown } {
	// Through JSON: both sides' objects compared as the data they are (no class or undefined-field differences).
	return JSON.parse(
		JSON.stringify({ entries: callMethod(manager, "getEntries"), context: callMethod(manager, "buildSessionContext") }),
	);
}

describe.skipIf(!hasPi160)("pi 1.6.0 reads what we wrote as we read it", () => {
	for (const file of ALL) {
		test(`${file.name} (pi ${file.version}) continued by us`, async () => {
			const pi = await piSessionManager();
			const path = writeCopy(file);
			const ours = continueWithUs(path);
			expect(view(pi.open(path))).toEqual(view(ours));
		});
	}

	test("entries only pi has written so far (usage, label, branch summary, custom message, context edits)", async () => {
		const pi = await piSessionManager();
		const source = ALL.find((file) => file.name === `${REFERENCE_DIR}/tools-anthropic-messages`);
		if (!source) throw new Error("the tools-anthropic-messages recording is missing");
		const path = writeCopy(source);
		const theirs = pi.open(path);
		const messageIds = (role: string) =>
			v
				.parse(
					v.array(
						v.looseObject({
							id: v.string(),
							type: v.string(),
							message: v.optional(v.looseObject({ role: v.string() })),
						}),
					),
					callMethod(theirs, "getEntries"),
				)
				.filter((entry) => entry.message?.role === role)
				.map((entry) => entry.id);
		const [firstUser] = messageIds("user");
		const [firstToolResult] = messageIds("toolResult");
		const lastAssistant = messageIds("assistant").at(-1);
		if (!firstUser || !firstToolResult || !lastAssistant) throw new Error("the recording has no tool turn");
		const usage = { ...emptyUsage(), input: 100, output: 20, totalTokens: 120 };
		callMethod(theirs, "appendUsage", "cache_warm", "test", "test-model", usage, "warmed");
		callMethod(theirs, "appendLabelChange", firstUser, "start here");
		callMethod(theirs, "appendContextEdit", firstToolResult, { content: "tool output trimmed" });
		callMethod(theirs, "appendContextEdit", lastAssistant, null);
		callMethod(theirs, "appendCustomMessageEntry", "note", "a note for the model", true, { from: "pi" });
		// The edits apply on this branch: compare here, before the branch summary moves to another one.
		const edited = SessionManager.open(path);
		expect(edited.warnings).toEqual([]);
		expect(view(edited)).toEqual(view(theirs));
		callMethod(theirs, "branchWithSummary", firstUser, "the other branch, summarised", { readFiles: [] }, false);

		const kinds = entryKinds(readFileSync(path, "utf8"));
		for (const kind of ["usage", "label", "context_edit", "custom_message", "branch_summary"])
			expect(kinds).toContain(kind);
		const ours = SessionManager.open(path);
		expect(ours.warnings).toEqual([]);
		expect(view(ours)).toEqual(view(theirs));

		// Back to pi after we continued it.
		const before = readFileSync(path, "utf8");
		ours.appendMessage(user("after the branch"));
		ours.appendUsage("cache_warm", "test", "test-model", usage);
		expect(readFileSync(path, "utf8").startsWith(before)).toBe(true);
		expect(view(pi.open(path))).toEqual(view(ours));
	});

	for (const name of ["v1-session.jsonl", "v2-session.jsonl"]) {
		test(`${name} is migrated to the same version 3 file as pi 1.6.0 migrates it`, async () => {
			const pi = await piSessionManager();
			const [mine, theirs] = [tempDir(), tempDir()].map((dir) => {
				const path = join(dir, name);
				copyFileSync(join(FIXTURES, name), path);
				return path;
			});
			if (!mine || !theirs) throw new Error("no copies");
			const ours = SessionManager.open(mine);
			expect(ours.warnings).toEqual([]);
			pi.open(theirs);
			// Migration gives entries fresh random ids: compare with each id replaced by its first-seen number.
			expect(withNumberedIds(readFileSync(mine, "utf8"))).toBe(withNumberedIds(readFileSync(theirs, "utf8")));
			expect(view(ours).context).toEqual(view(pi.open(theirs)).context);
		});
	}
});

function withNumberedIds(text: string): string {
	const number = idNumberer();
	return text.replace(/"([0-9a-f]{8})"/g, (_, id: string) => `"${number(id)}"`);
}
