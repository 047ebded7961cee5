/**
 * The exported page in a real browser: headless Chromium loads it and dumps the DOM after the page script ran.
 * CI installs Chromium (Debian package `chromium`); without it these tests are skipped with a message.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildExportHtml } from "../../src/export/export-html.ts";
import { loadSessionFile } from "../../src/session/load.ts";
import { tempDir } from "../tools/helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser export tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const FIXTURES = resolve(import.meta.dir, "../fixtures/sessions");
const dir = tempDir("pi-export-browser-");

async function dumpDom(file: string, query = ""): Promise<string> {
	const proc = Bun.spawn(
		[
			CHROMIUM,
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--no-first-run",
			`--user-data-dir=${join(dir, "profile")}`,
			"--dump-dom",
			`${pathToFileURL(file).href}${query}`,
		],
		{ stdout: "pipe", stderr: "pipe" },
	);
	const [dom, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
	expect(exitCode).toBe(0);
	return dom;
}

function writePage(name: string, fixture: string): string {
	const loaded = loadSessionFile(join(FIXTURES, fixture));
	const file = join(dir, name);
	writeFileSync(
		file,
		buildExportHtml({ header: loaded.header, entries: loaded.entries, leafId: loaded.entries.at(-1)?.id ?? null }),
	);
	return file;
}

function isHidden(dom: string, entryId: string): boolean {
	const tag = new RegExp(`<section[^>]*id="entry-${entryId}"[^>]*>`).exec(dom)?.[0];
	if (!tag) throw new Error(`entry ${entryId} not in the DOM`);
	return /\shidden(=""|\s|>)/.test(tag);
}

describe.skipIf(!hasChromium)("exported page in headless Chromium", () => {
	test("the script runs to the end and builds the session tree; messages are rendered", async () => {
		const dom = await dumpDom(writePage("tool-use.html", "pi-tool-use.jsonl"));
		expect(dom).toContain('data-ready="true"');
		// Tree rows exist only if the script ran: one per entry that the default filter shows.
		const rows = dom.match(/class="tree-node /g) ?? [];
		expect(rows.length).toBeGreaterThanOrEqual(5);
		expect(dom).toContain("read notes.txt then run echo");
		expect(dom).toContain("hello from notes");
		expect(dom).toContain("$ echo from-bash");
		expect(dom).toMatch(/\d+ \/ \d+ entries/);
	}, 60_000);

	test("?leafId= opens another branch: the script shows that path and hides the current one", async () => {
		const file = writePage("tree.html", "pi-tree.jsonl");
		const current = await dumpDom(file);
		// c6ad37de: the first branch's final answer; 68f9390b: the second branch's answer (the file's leaf path).
		expect(isHidden(current, "c6ad37de")).toBe(true);
		expect(isHidden(current, "68f9390b")).toBe(false);
		const other = await dumpDom(file, "?leafId=c6ad37de");
		expect(other).toContain('data-ready="true"');
		expect(isHidden(other, "c6ad37de")).toBe(false);
		expect(isHidden(other, "68f9390b")).toBe(true);
		expect(other).toMatch(/class="tree-node kind-assistant on-path active" data-id="c6ad37de"/);
	}, 60_000);

	test("a <script> in a message is shown as text and does not run", async () => {
		const loaded = loadSessionFile(join(FIXTURES, "pi-plain-chat.jsonl"));
		const evil = `<script>document.body.setAttribute("data-pwned","1")</script><img src=x onerror="document.body.setAttribute('data-pwned','2')">`;
		const entries = loaded.entries.map((entry) =>
			entry.type === "message" && entry.message.role === "user"
				? { ...entry, message: { ...entry.message, content: evil } }
				: entry,
		);
		const file = join(dir, "evil.html");
		writeFileSync(file, buildExportHtml({ header: loaded.header, entries, leafId: entries.at(-1)?.id ?? null }));
		const dom = await dumpDom(file);
		expect(dom).toContain('data-ready="true"');
		// Had either payload run, it would have marked <body>.
		expect(/<body[^>]*data-pwned/.test(dom)).toBe(false);
		expect(dom).toContain("&lt;script&gt;document.body.setAttribute");
	}, 60_000);
});
