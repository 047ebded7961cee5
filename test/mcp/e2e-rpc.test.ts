// RPC mode with MCP: a direct MCP tool and a codemode script driven over JSON lines; events carry the nested calls.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readJsonLines } from "../../src/modes/rpc/rpc-mode.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { everythingStdio } from "../support/mcp-servers.ts";
import { makePiEnv, piCommand } from "../support/run-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

type Line = { type: string; [key: string]: unknown };

test("prompt over RPC: direct MCP call and codemode nested call, then a clean exit on EOF", async () => {
	const env = makePiEnv(server.url);
	writeFileSync(
		join(env.agentDir, "mcp.json"),
		JSON.stringify({ mcpServers: { everything: everythingStdio({ toolExposure: { echo: "direct" } }) } }),
	);
	server.enqueue(
		{
			toolCalls: [
				{ id: "d1", name: "mcp__everything__echo", arguments: { message: "direct" } },
				{
					id: "s1",
					name: "codemode",
					arguments: { code: "return (await tools.mcp__everything__get_sum({ a: 1, b: 2 })).content[0].text;" },
				},
			],
		},
		{ text: "All done." },
	);
	const proc = Bun.spawn([...piCommand(), "--mode", "rpc"], {
		cwd: env.cwd,
		env: env.env,
		stdin: "pipe",
		stdout: "pipe",
		stderr: "pipe",
	});
	const lines: Line[] = [];
	const finished = (async () => {
		for await (const text of readJsonLines(proc.stdout)) {
			const line = JSON.parse(text) as Line;
			lines.push(line);
			if (line.type === "agent_end") return;
		}
	})();
	proc.stdin.write(`${JSON.stringify({ id: "1", type: "prompt", message: "use tools" })}\n`);
	proc.stdin.flush();
	await finished;
	proc.stdin.end();
	expect(await proc.exited).toBe(0);
	expect(lines.find((line) => line.type === "response")).toMatchObject({ id: "1", command: "prompt", success: true });
	const ends = lines.filter((line) => line.type === "tool_execution_end");
	const byId = new Map(ends.map((line) => [line.toolCallId, line]));
	expect(JSON.stringify(byId.get("d1"))).toContain("Echo: direct");
	expect(byId.get("s1/1")).toMatchObject({
		toolName: "mcp__everything__get_sum",
		parentToolCallId: "s1",
		isError: false,
	});
	expect(JSON.stringify(byId.get("s1"))).toContain("Script completed");
});
