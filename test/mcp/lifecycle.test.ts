// Server lifecycle details against real processes and servers: a wrapper's grandchild is stopped with it, a call
// that outlives its timeout fails and the connection stays usable, HTTP 503s at connect are retried, mcp.log rotates, and
// long text results are cut in the middle with the full text saved.
import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateServerConfig } from "../../src/mcp/config.ts";
import type { McpServerEntry } from "../../src/mcp/config-file.ts";
import { McpConnection } from "../../src/mcp/connection.ts";
import { McpServerLog } from "../../src/mcp/log.ts";
import { cutMiddle, limitContent, MCP_OUTPUT_MAX_BYTES } from "../../src/mcp/results.ts";
import { everythingScript, everythingStdio, serverRuntime, startEverythingHttp } from "../support/mcp-servers.ts";

function entry(name: string, raw: Record<string, unknown>): McpServerEntry {
	const result = validateServerConfig(name, raw);
	if (!result.ok) throw new Error(result.error);
	return { name, config: result.config, source: "test", scope: "user" };
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 1000; i++) {
		if (condition()) return;
		await Bun.sleep(10);
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe("stdio servers", () => {
	test("closing stops a server started through a wrapper script, grandchild included", async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-mcp-wrapper-"));
		const pidFile = join(dir, "server.pid");
		const wrapper = join(dir, "wrapper.sh");
		// Like npx: a shell that runs the real server as its child and does not exec it.
		writeFileSync(
			wrapper,
			// (A background job's stdin is /dev/null unless redirected: fd 3 carries the real one.)
			`#!/bin/sh\nexec 3<&0\n${JSON.stringify(serverRuntime)} ${JSON.stringify(everythingScript)} stdio <&3 &\necho $! > ${JSON.stringify(pidFile)}\nwait\n`,
		);
		chmodSync(wrapper, 0o755);
		const connection = new McpConnection({ entry: entry("wrapped", { command: wrapper }), cwd: dir });
		await connection.getClient();
		const server = Number(readFileSync(pidFile, "utf8").trim());
		expect(alive(server)).toBe(true);
		await connection.close();
		await waitUntil(() => !alive(server), "the grandchild to exit");
	});

	test("a call that outlives the timeout fails, and the connection stays usable", async () => {
		// The timeout covers connecting too: generous enough for a server starting on a busy machine.
		const connection = new McpConnection({ entry: entry("slow", everythingStdio({ timeout: 4 })), cwd: tmpdir() });
		try {
			await connection.getClient();
			await expect(connection.callTool("trigger-long-running-operation", { duration: 30, steps: 1 })).rejects.toThrow(
				/timed out/i,
			);
			// The connection survives a timed-out call.
			const text = await connection.callTool("echo", { message: "still here" });
			expect(JSON.stringify(text)).toContain("Echo: still here");
		} finally {
			await connection.close();
		}
		// The call alone waits out its 4 s timeout: more than bun's 5 s default leaves on a busy machine when this file
		// runs on its own (npm test's --timeout covers it).
	}, 60_000);

	test("a changed tool list is applied", async () => {
		const changes: string[][] = [];
		const connection = new McpConnection({
			entry: entry("everything", everythingStdio()),
			cwd: tmpdir(),
			onChange: (changed) => changes.push(changed.tools.map((tool) => tool.name)),
		});
		try {
			await connection.getClient();
			const before = connection.tools.length;
			// server-everything announces tools/list_changed right after it starts; the list is fetched again.
			await waitUntil(() => changes.filter((tools) => tools.length > 0).length >= 2, "a refreshed tool list");
			expect(connection.tools.length).toBe(before);
		} finally {
			await connection.close();
		}
	});
});

describe("HTTP servers", () => {
	test("a 503 while connecting is retried (twice), then the server is used", async () => {
		const upstream = await startEverythingHttp();
		let failures = 0;
		const proxy = Bun.serve({
			hostname: "127.0.0.1",
			port: 0,
			async fetch(request) {
				if (failures < 2) {
					failures++;
					return new Response("warming up", { status: 503 });
				}
				const url = new URL(request.url);
				const target = new URL(url.pathname + url.search, upstream.url);
				return fetch(target, {
					method: request.method,
					headers: request.headers,
					body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
				});
			},
		});
		const connection = new McpConnection({
			entry: entry("flaky", { url: `http://127.0.0.1:${proxy.port}/mcp` }),
			cwd: tmpdir(),
		});
		try {
			await connection.getClient();
			expect(failures).toBe(2);
			expect(connection.state).toBe("connected");
		} finally {
			await connection.close();
			await proxy.stop(true);
			await upstream.stop();
		}
	});
});

describe("mcp.log", () => {
	test("lines name the server and level; past 5 MB the file moves to mcp.log.1", () => {
		const path = join(mkdtempSync(join(tmpdir(), "pi-mcp-log-")), "mcp.log");
		writeFileSync(path, "x".repeat(5 * 1024 * 1024 + 1));
		const log = new McpServerLog(path);
		log.write("srv", { level: "warning", logger: "db", data: "first\nsecond" });
		expect(existsSync(`${path}.1`)).toBe(true);
		expect(statSync(`${path}.1`).size).toBe(5 * 1024 * 1024 + 1);
		expect(readFileSync(path, "utf8")).toMatch(/^\S+Z \[srv\] warning db: first\n {4}second\n$/);
	});
});

describe("result size", () => {
	test("text over 20 KB keeps its start and end around a marker; the full text goes to a temp file", async () => {
		const text = `${"a".repeat(15_000)}${"é".repeat(10_000)}${"z".repeat(15_000)}`;
		const limited = await limitContent([
			{ type: "text", text },
			{ type: "image", data: "AAAA", mimeType: "image/png" },
		]);
		const [first, second] = limited.content;
		if (first?.type !== "text") throw new Error("expected text");
		expect(first.text).toStartWith("Warning: truncated output (original token count: ");
		expect(first.text).toContain("…");
		expect(first.text).toContain("chars truncated…");
		expect(Buffer.byteLength(first.text)).toBeLessThan(MCP_OUTPUT_MAX_BYTES + 500);
		expect(second?.type).toBe("image");
		expect(limited.fullOutputPath && readFileSync(limited.fullOutputPath, "utf8")).toBe(text);
		// Cuts never split a character.
		expect(cutMiddle("é".repeat(100), 51)?.text).not.toContain("\ufffd");
		expect(cutMiddle("short", 100)).toBeUndefined();
	});
});
