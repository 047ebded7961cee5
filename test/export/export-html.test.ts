import { describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { AssistantMessage } from "../../src/ai/types.ts";
import {
	buildExportHtml,
	defaultExportPath,
	exportSessionFile,
	exportSessionToHtml,
} from "../../src/export/export-html.ts";
import { exportBranchToJsonl } from "../../src/export/export-jsonl.ts";
import { escapeHtml } from "../../src/export/html-escape.ts";
import { loadSessionFile } from "../../src/session/load.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import type { SessionEntry } from "../../src/session/types.ts";
import { tempDir as makeTempDir } from "../tools/helpers.ts";

const tempDir = () => makeTempDir("pi-export-");

const FIXTURES = resolve(import.meta.dir, "../fixtures/sessions");
const fixtureFiles = readdirSync(FIXTURES).filter((name) => name.endsWith(".jsonl"));

/** The sections of the page, by entry id, with whether they start hidden. */
function sections(html: string): Map<string, { hidden: boolean; html: string }> {
	const found = new Map<string, { hidden: boolean; html: string }>();
	const pattern = /<section (hidden )?class="entry[^"]*" id="entry-([^"]+)"[\s\S]*?<\/section>/g;
	for (const match of html.matchAll(pattern))
		found.set(match[2] ?? "", { hidden: match[1] !== undefined, html: match[0] });
	return found;
}

/** Lines of text a reader must find, escaped as the page writes them (markdown markers dropped). */
function expectedLines(text: string): string[] {
	return text
		.split("\n")
		.map((line) => line.replace(/^#+\s*|^[-*]\s+/, "").trim())
		.filter((line) => line !== "")
		.map(escapeHtml);
}

function assistant(content: AssistantMessage["content"], extra: Partial<AssistantMessage> = {}): AssistantMessage {
	return {
		role: "assistant",
		content,
		api: "anthropic-messages",
		provider: "test",
		model: "test-model",
		usage: {
			input: 1000,
			output: 2000,
			cacheRead: 0,
			cacheWrite: 0,
			totalTokens: 3000,
			cost: { input: 0.001, output: 0.002, cacheRead: 0, cacheWrite: 0, total: 0.003 },
		},
		stopReason: "stop",
		timestamp: 1,
		...extra,
	};
}

let nextId = 0;
function entry(parentId: string | null, fields: Record<string, unknown>): SessionEntry {
	const id = `e${++nextId}`;
	const candidate = { id, parentId, timestamp: "2026-01-01T00:00:00.000Z", ...fields };
	const parsed = loadSessionFileFromRecords([candidate]);
	const first = parsed[0];
	if (!first) throw new Error(`invalid test entry ${JSON.stringify(candidate)}`);
	return first;
}

/** Test entries go through the real session parser, so they are valid entries without casts. */
function loadSessionFileFromRecords(records: object[]): SessionEntry[] {
	const dir = tempDir();
	const file = join(dir, "s.jsonl");
	const header = { type: "session", version: 3, id: "sess", timestamp: "2026-01-01T00:00:00.000Z", cwd: "/tmp" };
	writeFileSync(file, `${[header, ...records].map((r) => JSON.stringify(r)).join("\n")}\n`);
	return loadSessionFile(file).entries;
}

describe("fixture sessions written by pi", () => {
	for (const name of fixtureFiles) {
		test(`${name}: every message, tool call and result is in the page`, () => {
			const loaded = loadSessionFile(join(FIXTURES, name));
			const html = buildExportHtml({
				header: loaded.header,
				entries: loaded.entries,
				leafId: loaded.entries.at(-1)?.id ?? null,
			});
			const byId = sections(html);
			expect(byId.size).toBe(loaded.entries.length);
			for (const e of loaded.entries) {
				const section = byId.get(e.id)?.html ?? "";
				const expected: string[] = [];
				if (e.type === "message") {
					const m = e.message;
					if (m.role === "user") {
						const text =
							typeof m.content === "string"
								? m.content
								: m.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
						expected.push(...expectedLines(text));
					} else if (m.role === "assistant") {
						for (const block of m.content) {
							if (block.type === "text") expected.push(...expectedLines(block.text));
							if (block.type === "thinking") expected.push(...expectedLines(block.thinking));
							if (block.type === "toolCall") {
								expected.push(`data-tool-call-id="${escapeHtml(block.id)}"`);
								for (const value of Object.values(block.arguments)) expected.push(escapeHtml(String(value)));
								const result = loaded.entries.find(
									(r) => r.type === "message" && r.message.role === "toolResult" && r.message.toolCallId === block.id,
								);
								if (result?.type === "message" && result.message.role === "toolResult") {
									for (const c of result.message.content)
										if (c.type === "text") expected.push(...expectedLines(c.text));
								}
							}
						}
					} else if (m.role === "bashExecution") {
						expected.push(`$ ${escapeHtml(m.command)}`, ...expectedLines(m.output));
					}
				} else if (e.type === "compaction" || e.type === "branch_summary") {
					expected.push(...expectedLines(e.summary));
				} else if (e.type === "custom_message" && e.display && typeof e.content === "string") {
					expected.push(escapeHtml(e.customType), ...expectedLines(e.content));
				} else if (e.type === "model_change") {
					expected.push(escapeHtml(`${e.provider}/${e.modelId}`));
				}
				for (const piece of expected) expect(section).toContain(piece);
			}
		});
	}

	test("pi-tree: the current branch is visible, the other branch starts hidden, labels reach the tree data", () => {
		const loaded = loadSessionFile(join(FIXTURES, "pi-tree.jsonl"));
		const leafId = loaded.entries.at(-1)?.id ?? null;
		const html = buildExportHtml({ header: loaded.header, entries: loaded.entries, leafId });
		const byId = sections(html);
		const visibleText = [...byId.values()]
			.filter((s) => !s.hidden)
			.map((s) => s.html)
			.join("");
		const hiddenText = [...byId.values()]
			.filter((s) => s.hidden)
			.map((s) => s.html)
			.join("");
		expect(visibleText).toContain("A different answer.");
		expect(visibleText).toContain("The user read notes.txt and ran echo.");
		expect(hiddenText).toContain("The notes say hello, and bash printed from-bash.");
		const treeJson = /<script id="tree-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
		const tree = JSON.parse(treeJson);
		expect(tree.leafId).toBe(leafId);
		expect(tree.nodes).toHaveLength(loaded.entries.length);
		expect(tree.nodes.find((n: { label?: string }) => n.label === "start")?.text).toContain("read notes.txt");
	});

	test("the page carries pi's session-data block (base64 JSON with header, entries and leafId)", () => {
		const loaded = loadSessionFile(join(FIXTURES, "pi-rpc-compaction.jsonl"));
		const html = buildExportHtml({ header: loaded.header, entries: loaded.entries, leafId: "2b2674cc" });
		const base64 = /<script id="session-data" type="application\/json">([A-Za-z0-9+/=]*)<\/script>/.exec(html)?.[1];
		const data = JSON.parse(Buffer.from(base64 ?? "", "base64").toString("utf8"));
		expect(data.header.id).toBe(loaded.header?.id);
		expect(data.entries).toEqual(loaded.entries);
		expect(data.leafId).toBe("2b2674cc");
	});

	test("header: session id, cwd, name, models and totals", () => {
		const loaded = loadSessionFile(join(FIXTURES, "pi-rpc-compaction.jsonl"));
		const html = buildExportHtml({ header: loaded.header, entries: loaded.entries, leafId: null });
		expect(html).toContain(`Session: ${loaded.header?.id}`);
		expect(html).toContain(loaded.header?.cwd ?? "missing");
		expect(html).toContain("Fixture session");
		expect(html).toContain("test/test-model, test/test-model-2");
		expect(html).toContain("3 user, 3 assistant, 1 compactions");
		expect(html).toContain("<title>Fixture session - pi session</title>");
	});
});

describe("untrusted content", () => {
	test("markup in every kind of content is shown as text, never as elements", () => {
		const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
		const user = entry(null, { type: "message", message: { role: "user", content: evil, timestamp: 1 } });
		const reply = entry(user.id, {
			type: "message",
			message: assistant([
				{ type: "thinking", thinking: evil },
				{ type: "text", text: evil },
				{ type: "toolCall", id: `t"1`, name: `x${evil}`, arguments: { command: evil } },
			]),
		});
		const result = entry(reply.id, {
			type: "message",
			message: {
				role: "toolResult",
				toolCallId: `t"1`,
				toolName: "x",
				content: [{ type: "text", text: evil }],
				isError: false,
				timestamp: 2,
			},
		});
		const bash = entry(result.id, {
			type: "message",
			message: {
				role: "bashExecution",
				command: evil,
				output: evil,
				exitCode: 1,
				cancelled: false,
				truncated: false,
				timestamp: 3,
			},
		});
		const custom = entry(bash.id, { type: "custom_message", customType: evil, content: evil, display: true });
		const summary = entry(custom.id, { type: "branch_summary", fromId: "root", summary: evil });
		const label = entry(summary.id, { type: "label", targetId: user.id, label: evil });
		const entries = [user, reply, result, bash, custom, summary, label];
		const html = buildExportHtml({
			header: { type: "session", version: 3, id: evil, timestamp: "2026-01-01T00:00:00.000Z", cwd: evil },
			entries,
			leafId: label.id,
			systemPrompt: evil,
			tools: [
				{
					name: evil,
					description: evil,
					parameters: { type: "object", properties: { [evil]: { type: "string", description: evil } } },
				},
			],
		});
		// The only script elements are the page's own three.
		expect(html.match(/<script/g)).toHaveLength(3);
		expect(html).not.toContain("<img src=x");
		expect(html).not.toContain("onerror=alert(1)>");
		expect(html.split("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;").length - 1).toBeGreaterThanOrEqual(10);
	});

	test("images become data: URLs only for image types; the page loads nothing from the network", () => {
		const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
		const user = entry(null, {
			type: "message",
			message: {
				role: "user",
				content: [
					{ type: "text", text: "look" },
					{ type: "image", mimeType: "image/png", data: png },
					{ type: "image", mimeType: "text/html", data: "PGI+" },
				],
				timestamp: 1,
			},
		});
		const html = buildExportHtml({ header: undefined, entries: [user], leafId: user.id });
		expect(html).toContain(`src="data:image/png;base64,${png}"`);
		expect(html).not.toContain("data:text/html");
		expect(html).toContain("default-src &#39;none&#39;".replaceAll("&#39;", "'"));
		expect(html).not.toMatch(/<(link|iframe|object|embed)\b/);
		expect(html).not.toMatch(/\bsrc="https?:/);
	});
});

describe("tool rendering", () => {
	test("bash, read, edit (diff from details), write, errors and aborted turns", () => {
		const user = entry(null, { type: "message", message: { role: "user", content: "go", timestamp: 1 } });
		const calls = entry(user.id, {
			type: "message",
			message: assistant(
				[
					{ type: "toolCall", id: "b", name: "bash", arguments: { command: "ls -la", timeout: 5 } },
					{ type: "toolCall", id: "r", name: "read", arguments: { path: "src/a.ts", offset: 10, limit: 5 } },
					{
						type: "toolCall",
						id: "e",
						name: "edit",
						arguments: { path: "a.ts", edits: [{ oldText: "x", newText: "y" }] },
					},
					{ type: "toolCall", id: "w", name: "write", arguments: { path: "b.ts", content: "line1\nline2" } },
					{ type: "toolCall", id: "m", name: "mcp_thing", arguments: { query: "q1" } },
				],
				{ stopReason: "error", errorMessage: "overloaded" },
			),
		});
		const result = (id: string, name: string, text: string, isError = false, details?: unknown) =>
			entry(calls.id, {
				type: "message",
				message: {
					role: "toolResult",
					toolCallId: id,
					toolName: name,
					content: [{ type: "text", text }],
					isError,
					details,
					timestamp: 2,
				},
			});
		const long = Array.from({ length: 30 }, (_, i) => `row ${i}`).join("\n");
		const entries = [
			user,
			calls,
			result("b", "bash", long),
			result("r", "read", "file body"),
			result("e", "edit", "Successfully replaced", false, { diff: "-1 x\n+1 y" }),
			result("w", "write", "Successfully wrote"),
			result("m", "mcp_thing", "denied", true),
		];
		const html = buildExportHtml({ header: undefined, entries, leafId: calls.id });
		expect(html).toContain("$ ls -la");
		expect(html).toContain("(timeout 5s)");
		expect(html).toContain('<span class="tool-path">src/a.ts</span><span class="muted">:10-14</span>');
		expect(html).toContain('<span class="diff-removed">-1 x</span>');
		expect(html).toContain('<span class="diff-added">+1 y</span>');
		expect(html).toContain("line1\nline2");
		expect(html).toContain("&quot;query&quot;: &quot;q1&quot;");
		expect(html).toContain('class="tool-execution error" data-tool-call-id="m"');
		expect(html).toContain("Error: overloaded");
		// Long output: a preview with the rest behind a <details>.
		expect(html).toContain("… 20 more lines (click to expand)");
		expect(html).toContain("row 29");
	});
});

describe("export to files", () => {
	test("exportSessionFile writes the page and never changes the input (an old version is migrated in memory only)", () => {
		const dir = tempDir();
		const input = join(dir, "v1-session.jsonl");
		copyFileSync(join(FIXTURES, "v1-session.jsonl"), input);
		const before = readFileSync(input, "utf8");
		const out = join(dir, "out.html");
		expect(exportSessionFile(input, out)).toBe(out);
		expect(readFileSync(out, "utf8")).toStartWith("<!DOCTYPE html>");
		expect(readFileSync(input, "utf8")).toBe(before);
	});

	test("default output is pi-session-<basename>.html in the cwd", () => {
		expect(defaultExportPath("/x/y/2026-01-01_abc.jsonl")).toBe("pi-session-2026-01-01_abc.html");
		const dir = tempDir();
		const previous = process.cwd();
		process.chdir(dir);
		try {
			const written = exportSessionFile(join(FIXTURES, "pi-plain-chat.jsonl"));
			expect(written).toBe("pi-session-pi-plain-chat.html");
			expect(existsSync(join(dir, written))).toBe(true);
		} finally {
			process.chdir(previous);
		}
	});

	test("errors: missing file, not a session file", () => {
		const dir = tempDir();
		expect(() => exportSessionFile(join(dir, "nope.jsonl"))).toThrow(`File not found: ${join(dir, "nope.jsonl")}`);
		const notes = join(dir, "notes.jsonl");
		writeFileSync(notes, "hello\n");
		expect(() => exportSessionFile(notes)).toThrow("Not a pi session file");
		expect(readFileSync(notes, "utf8")).toBe("hello\n");
	});

	test("live session: in-memory and not-yet-written sessions are refused with pi's messages", () => {
		expect(() => exportSessionToHtml(SessionManager.inMemory("/tmp"), {})).toThrow(
			"Cannot export in-memory session to HTML",
		);
		const dir = tempDir();
		const sm = SessionManager.create(dir, dir);
		expect(() => exportSessionToHtml(sm, {})).toThrow("Nothing to export yet - start a conversation first");
	});

	test("live session: system prompt and tools are in the page; default name from the session file", () => {
		const dir = tempDir();
		const file = join(dir, "live.jsonl");
		copyFileSync(join(FIXTURES, "pi-tool-use.jsonl"), file);
		const sm = SessionManager.open(file);
		const out = join(dir, "live.html");
		exportSessionToHtml(
			sm,
			{
				systemPrompt: "You are pi.\nBe brief.",
				tools: [
					{
						name: "read",
						description: "Read a file",
						parameters: {
							type: "object",
							required: ["path"],
							properties: { path: { type: "string", description: "Path" } },
						},
					},
				],
			},
			out,
		);
		const html = readFileSync(out, "utf8");
		expect(html).toContain("System Prompt");
		expect(html).toContain("You are pi.\nBe brief.");
		expect(html).toContain('<span class="tool-item-name">read</span>');
		expect(html).toContain(
			'<span class="tool-param-name">path</span> <span class="tool-param-type">string</span> <span class="tool-param-required">required</span>',
		);
		expect(basename(defaultExportPath(file))).toBe("pi-session-live.html");
	});

	test("/export x.jsonl writes the current branch with re-chained parents and a fresh header", () => {
		const dir = tempDir();
		const file = join(dir, "tree.jsonl");
		copyFileSync(join(FIXTURES, "pi-tree.jsonl"), file);
		const sm = SessionManager.open(file);
		const branch = sm.getBranch();
		const out = join(dir, "sub", "branch.jsonl");
		expect(exportBranchToJsonl(sm, out)).toBe(out);
		const lines = readFileSync(out, "utf8")
			.trimEnd()
			.split("\n")
			.map((line) => JSON.parse(line));
		expect(lines[0]).toMatchObject({ type: "session", version: 3, id: sm.getSessionId(), cwd: sm.getCwd() });
		expect(lines.slice(1).map((e) => e.id)).toEqual(branch.map((e) => e.id));
		expect(lines[1].parentId).toBeNull();
		for (let i = 2; i < lines.length; i++) expect(lines[i].parentId).toBe(lines[i - 1].id);
		// It is a session file our loader reads back.
		expect(loadSessionFile(out).entries).toHaveLength(branch.length);
	});
});
