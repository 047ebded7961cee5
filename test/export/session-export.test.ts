/** `/export` and RPC `export_html` on a live AgentSession (the interactive test harness's real session). */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exportAgentSessionToHtml, exportForCommand, parsePathArgument } from "../../src/export/session-export.ts";
import { loadSessionFile } from "../../src/session/load.ts";
import { createSession, type Harness, startInteractive } from "../interactive/harness.ts";

describe("parsePathArgument (pi's rule for /export)", () => {
	test("first word, quoted paths, nothing", () => {
		expect(parsePathArgument("")).toBeUndefined();
		expect(parsePathArgument("   ")).toBeUndefined();
		expect(parsePathArgument("out.html")).toBe("out.html");
		expect(parsePathArgument("  out.html trailing words")).toBe("out.html");
		expect(parsePathArgument('"my file.html" x')).toBe("my file.html");
		expect(parsePathArgument("'my file.html'")).toBe("my file.html");
		expect(parsePathArgument('"unclosed')).toBeUndefined();
	});
});

describe("exporting a live session", () => {
	test("before anything is written: pi's message; after a turn: HTML with the system prompt and tools", async () => {
		const { session, cwd } = createSession({ turns: [{ chunks: ["the <b>answer</b>"] }] });
		expect(() => exportAgentSessionToHtml(session)).toThrow("Nothing to export yet - start a conversation first");
		await session.prompt("a question");
		const out = join(cwd, "live.html");
		expect(exportAgentSessionToHtml(session, out)).toBe(out);
		const html = readFileSync(out, "utf8");
		expect(html).toContain("a question");
		expect(html).toContain("the &lt;b&gt;answer&lt;/b&gt;");
		expect(html).toContain("You are a test.");
		expect(html).toContain('<span class="tool-item-name">echo</span>');
	});

	test("exportForCommand: .jsonl writes the branch as a session file, other names HTML", async () => {
		const { session, cwd } = createSession({ turns: [{ chunks: ["one"] }] });
		await session.prompt("hello");
		const jsonl = exportForCommand(session, join(cwd, "copy.jsonl"));
		const copied = loadSessionFile(jsonl);
		expect(copied.header?.id).toBe(session.sessionId);
		expect(copied.entries.map((e) => e.id)).toEqual(session.sessionManager.getBranch().map((e) => e.id));
		const html = exportForCommand(session, join(cwd, "page.html"));
		expect(readFileSync(html, "utf8")).toStartWith("<!DOCTYPE html>");
	});
});

describe("/export in interactive mode", () => {
	let harness: Harness | undefined;
	afterEach(async () => {
		if (harness) {
			for (let i = 0; i < 3; i++) harness.terminal.sendInput("\x03");
			await harness.exit;
		}
		harness = undefined;
	});

	test("/export <path> writes the page and shows pi's status line; errors are shown, not thrown", async () => {
		harness = await startInteractive({ turns: [{ chunks: ["exported reply"] }] });
		const h = harness;
		h.type("/export early.html\r");
		await h.waitFor("Failed to export session: Nothing to export yet");
		h.type("hi\r");
		await h.waitFor("exported reply");
		await h.waitUntil(() => !h.session.isStreaming);
		const out = join(h.cwd, "page.html");
		h.type(`/export ${out}\r`);
		await h.waitFor(`Session exported to: ${out}`);
		expect(readFileSync(out, "utf8")).toContain("exported reply");
		expect(existsSync(join(h.cwd, "early.html"))).toBe(false);
	});
});
