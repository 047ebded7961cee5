// The connection layer against real MCP servers from npm: server-everything over stdio and streamable HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { validateServerConfig } from "../../src/mcp/config.ts";
import type { McpServerEntry } from "../../src/mcp/config-file.ts";
import { McpConnection } from "../../src/mcp/connection.ts";
import { McpServerLog } from "../../src/mcp/log.ts";
import { everythingStdio, type HttpMcpServer, silentServer, startEverythingHttp } from "../support/mcp-servers.ts";

function entry(name: string, raw: Record<string, unknown>): McpServerEntry {
	const result = validateServerConfig(name, raw);
	if (!result.ok) throw new Error(result.error);
	return { name, config: result.config, source: "test", scope: "user" };
}

function text(result: { content: { type: string; text?: string }[] }): string {
	return result.content.map((block) => block.text ?? "").join("\n");
}

describe("stdio", () => {
	test("lists tools, calls one, reads a resource, and stops the server", async () => {
		const connection = new McpConnection({ entry: entry("everything", everythingStdio()), cwd: tmpdir() });
		try {
			await connection.getClient();
			expect(connection.state).toBe("connected");
			expect(connection.tools.map((tool) => tool.name)).toContain("echo");
			expect(connection.instructions).toContain("Everything Server");
			expect(connection.hasResources).toBe(true);
			const result = await connection.callTool("echo", { message: "hello" });
			expect(text(result)).toBe("Echo: hello");
			const resources = await connection.allResources();
			expect(resources.length).toBeGreaterThan(0);
			const first = resources[0];
			if (!first) throw new Error("no resource");
			const read = await connection.readResource(first.uri);
			expect(read.contents.length).toBeGreaterThan(0);
		} finally {
			await connection.close();
		}
		expect(connection.state).toBe("closed");
	});

	test("a server killed mid-call fails that call, shows disconnected, and reconnects on the next call", async () => {
		const connection = new McpConnection({ entry: entry("everything", everythingStdio()), cwd: tmpdir() });
		try {
			const client = await connection.getClient();
			const transport = client.transport as { pid?: number } | undefined;
			const pid = transport?.pid;
			if (pid === undefined) throw new Error("no pid");
			// Killed at its first progress notification, so the call is surely running on the server.
			const call = connection.callTool(
				"trigger-long-running-operation",
				{ duration: 30, steps: 30 },
				{ onProgress: () => process.kill(pid, "SIGKILL") },
			);
			await expect(call).rejects.toThrow();
			for (let i = 0; i < 200 && connection.state !== "disconnected"; i++) await Bun.sleep(10);
			expect(connection.state).toBe("disconnected");
			const again = await connection.callTool("echo", { message: "back" });
			expect(text(again)).toBe("Echo: back");
			expect(connection.state).toBe("connected");
		} finally {
			await connection.close();
		}
	});

	test("a server that never answers fails to connect after its timeout, naming the server", async () => {
		const connection = new McpConnection({
			entry: entry("silent", { ...silentServer(), timeout: 0.5 }),
			cwd: tmpdir(),
		});
		try {
			await expect(connection.getClient()).rejects.toThrow(/MCP server "silent" failed to connect/);
			expect(connection.state).toBe("failed");
			expect(connection.error).toMatch(/timed out/i);
		} finally {
			await connection.close();
		}
	});

	test("a command that does not exist fails with a clear error", async () => {
		const connection = new McpConnection({
			entry: entry("missing", { command: "/nonexistent/mcp-server-binary" }),
			cwd: tmpdir(),
		});
		await expect(connection.getClient()).rejects.toThrow(/failed to connect: .*(not found|ENOENT)/);
		expect(connection.state).toBe("failed");
		await connection.close();
	});

	test("server log notifications go to mcp.log", async () => {
		const logPath = `${tmpdir()}/mcp-${Date.now()}.log`;
		const connection = new McpConnection({
			entry: entry("everything", everythingStdio()),
			cwd: tmpdir(),
			log: new McpServerLog(logPath),
		});
		try {
			await connection.callTool("toggle-simulated-logging", {});
			for (let i = 0; i < 500 && !existsSync(logPath); i++) await Bun.sleep(20);
			expect(readFileSync(logPath, "utf8")).toMatch(/^\S+Z \[everything\] \w+/);
		} finally {
			await connection.close();
		}
	});
});

describe("streamable HTTP", () => {
	let server: HttpMcpServer;
	beforeAll(async () => {
		server = await startEverythingHttp();
	});
	afterAll(async () => {
		await server?.stop();
	});

	test("lists and calls tools", async () => {
		const connection = new McpConnection({ entry: entry("web", { url: server.url }), cwd: tmpdir() });
		try {
			await connection.getClient();
			expect(connection.tools.map((tool) => tool.name)).toContain("echo");
			const result = await connection.callTool("get-sum", { a: 2, b: 3 });
			expect(text(result)).toContain("5");
		} finally {
			await connection.close();
		}
	});

	test("an unreachable URL fails after the retries", async () => {
		const connection = new McpConnection({ entry: entry("down", { url: "http://127.0.0.1:9/mcp" }), cwd: tmpdir() });
		await expect(connection.getClient()).rejects.toThrow(/MCP server "down" failed to connect/);
		expect(connection.state).toBe("failed");
		await connection.close();
	});
});
