/** `pi --export` and RPC `export_html` end to end, through the real CLI (the compiled binary when PI_TEST_BINARY is set). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, piCommand, runPi } from "../support/run-pi.ts";

const FIXTURES = resolve(import.meta.dir, "../fixtures/sessions");

describe("pi --export", () => {
	test("writes the page to the path given as first message and says so", async () => {
		const env = makePiEnv();
		const fixture = join(FIXTURES, "pi-tool-use.jsonl");
		const run = await runPi(["--export", fixture, "out.html"], env);
		expect(run.stderr).toBe("");
		expect(run.stdout).toBe("Exported to: out.html\n");
		expect(run.exitCode).toBe(0);
		const html = readFileSync(join(env.cwd, "out.html"), "utf8");
		expect(html).toStartWith("<!DOCTYPE html>");
		expect(html).toContain("read notes.txt then run echo");
		expect(html).toContain("hello from notes");
	});

	test("code in the transcript is coloured (highlight.js, which the binary loads from an embedded island)", async () => {
		const env = makePiEnv();
		const lines = readFileSync(join(FIXTURES, "pi-plain-chat.jsonl"), "utf8").trimEnd().split("\n");
		const last = JSON.parse(lines.at(-1) ?? "{}");
		last.message.content = [{ type: "text", text: "Here:\n\n```ts\nconst answer: number = 42;\n```\n" }];
		const session = join(env.home, "code.jsonl");
		writeFileSync(session, `${[...lines.slice(0, -1), JSON.stringify(last)].join("\n")}\n`);
		const run = await runPi(["--export", session, "code.html"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(readFileSync(join(env.cwd, "code.html"), "utf8")).toContain('<span class="hljs-keyword">const</span>');
	});

	test("without an output path: pi-session-<basename>.html in the cwd", async () => {
		const env = makePiEnv();
		const run = await runPi(["--export", join(FIXTURES, "pi-plain-chat.jsonl")], env);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Exported to: pi-session-pi-plain-chat.html\n");
		expect(existsSync(join(env.cwd, "pi-session-pi-plain-chat.html"))).toBe(true);
	});

	test("the page is written whole (temp file + rename), into a folder created when missing", async () => {
		const env = makePiEnv();
		const run = await runPi(["--export", join(FIXTURES, "pi-plain-chat.jsonl"), "exports/chat.html"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(readFileSync(join(env.cwd, "exports/chat.html"), "utf8")).toStartWith("<!DOCTYPE html>");
		// No temp file is left beside it.
		expect(readdirSync(join(env.cwd, "exports"))).toEqual(["chat.html"]);
	});

	test("a missing file: error on stderr, exit 1, nothing written", async () => {
		const env = makePiEnv();
		const run = await runPi(["--export", "missing.jsonl", "out.html"], env);
		expect(run.exitCode).toBe(1);
		expect(run.stdout).toBe("");
		expect(run.stderr).toBe("Error: File not found: missing.jsonl\n");
		expect(existsSync(join(env.cwd, "out.html"))).toBe(false);
	});
});

describe("RPC export_html", () => {
	let server: LlmTestServer;
	beforeAll(async () => {
		server = await startLlmServer();
	});
	afterAll(async () => {
		await server.close();
	});

	test("returns { path } for the default name and for outputPath; the page has the system prompt and tools", async () => {
		const env = makePiEnv(server.url);
		const session = join(env.cwd, "chat.jsonl");
		// The recorded session's folder is gone; pi 1.6.0 refuses to open it outside the interactive mode, so it is
		// moved to this run's project folder.
		const recorded = readFileSync(join(FIXTURES, "pi-plain-chat.jsonl"), "utf8");
		writeFileSync(session, recorded.replace(/"cwd":"[^"]*"/, `"cwd":${JSON.stringify(env.cwd)}`));
		const proc = Bun.spawn([...piCommand(), "--mode", "rpc", "--session", session], {
			cwd: env.cwd,
			env: env.env,
			stdin: "pipe",
			stdout: "pipe",
			stderr: "pipe",
		});
		proc.stdin.write(`${JSON.stringify({ id: "a", type: "export_html" })}\n`);
		proc.stdin.write(`${JSON.stringify({ id: "b", type: "export_html", outputPath: "custom.html" })}\n`);
		proc.stdin.end();
		const [stdout, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
		expect(exitCode).toBe(0);
		const responses = stdout
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line))
			.filter((line) => line.type === "response")
			// Commands run concurrently (abort must overtake a running prompt), so answers may come in any order.
			.sort((a, b) => String(a.id).localeCompare(String(b.id)));
		expect(responses).toEqual([
			{ id: "a", type: "response", command: "export_html", success: true, data: { path: "pi-session-chat.html" } },
			{ id: "b", type: "response", command: "export_html", success: true, data: { path: "custom.html" } },
		]);
		const html = readFileSync(join(env.cwd, "custom.html"), "utf8");
		expect(html).toContain("2 + 2 = 4.");
		expect(html).toContain("System Prompt");
		expect(html).toContain('<span class="tool-item-name">bash</span>');
		expect(existsSync(join(env.cwd, "pi-session-chat.html"))).toBe(true);
	});
});
