// `pi mcp add|remove|list` as a user runs them (subprocess; the binary when PI_TEST_BINARY is set).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { everythingScript, serverRuntime } from "../support/mcp-servers.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

test("add, list (exit 0 when all connect, 1 when one fails), remove", async () => {
	const env = makePiEnv();
	const added = await runPi(
		["mcp", "add", "everything", "--description", "Demo", "--", serverRuntime, everythingScript, "stdio"],
		env,
	);
	expect(added.exitCode).toBe(0);
	expect(added.stdout).toContain(`Added global MCP server "everything" in ${join(env.agentDir, "mcp.json")}.`);
	const config = JSON.parse(readFileSync(join(env.agentDir, "mcp.json"), "utf8"));
	expect(config.mcpServers.everything).toEqual({
		command: serverRuntime,
		args: [everythingScript, "stdio"],
		description: "Demo",
	});

	const ok = await runPi(["mcp", "list"], env);
	expect(ok.exitCode).toBe(0);
	expect(ok.stdout).toMatch(/^everything: connected, \d+ tools \(codemode, global\)$/m);
	expect(ok.stdout).toContain("tools: echo,");

	expect(
		(await runPi(["mcp", "add", "web", "--url", "http://127.0.0.1:9/mcp", "--exposure", "direct"], env)).exitCode,
	).toBe(0);
	const failing = await runPi(["mcp", "list", "--json"], env);
	expect(failing.exitCode).toBe(1);
	const report = JSON.parse(failing.stdout) as { servers: { name: string; state: string; error?: string }[] };
	expect(report.servers.find((server) => server.name === "web")).toMatchObject({ state: "failed" });

	const removed = await runPi(["mcp", "remove", "web"], env);
	expect(removed.exitCode).toBe(0);
	const missing = await runPi(["mcp", "remove", "web"], env);
	expect(missing.exitCode).toBe(1);
	expect(missing.stderr).toContain('No global MCP server named "web"');
});

test("bad input is one clear line and exit 1", async () => {
	const env = makePiEnv();
	const bad = await runPi(["mcp", "add", "x y", "--", "cmd"], env);
	expect(bad.exitCode).toBe(1);
	expect(bad.stderr).toBe('invalid server name "x y" (use letters, digits, "_" and "-")\n');
	const sse = await runPi(["mcp", "add", "s", "--url", "https://x/sse", "--env", "A=1"], env);
	expect(sse.stderr).toBe("--env only applies to stdio servers.\n");
	const unknown = await runPi(["mcp", "frobnicate"], env);
	expect(unknown.exitCode).toBe(1);
	expect(unknown.stderr).toContain('Unknown mcp command "frobnicate".');
});
