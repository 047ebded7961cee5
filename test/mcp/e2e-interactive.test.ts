// Interactive mode with MCP in a real terminal (tmux): a codemode script's nested calls show as rows of its box,
// a broken server is reported on screen, and /mcp lists and manages servers. Waits for text; no sleeps.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { everythingStdio } from "../support/mcp-servers.ts";
import { startOAuthMcpServer } from "../support/oauth-mcp-server.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

describe.skipIf(!tmuxBinary)("MCP in interactive mode", () => {
	test("codemode box with nested call rows; attention notice; /mcp disable saves to mcp.json", async () => {
		const env = makePiEnv(server.url);
		const mcpFile = join(env.agentDir, "mcp.json");
		writeFileSync(
			mcpFile,
			JSON.stringify(
				{ mcpServers: { everything: everythingStdio(), broken: { command: "/nonexistent/srv" } } },
				null,
				2,
			),
		);
		const pi = new TmuxPi(env, [], { columns: 110, rows: 45 });
		try {
			await pi.waitFor("test-model");
			await pi.waitFor("MCP servers need attention");
			expect(pi.screen()).toContain("broken: failed: command not found: /nonexistent/srv");

			server.enqueue(
				{
					toolCalls: [
						{
							id: "cm1",
							name: "codemode",
							arguments: {
								code: 'const r = await tools.mcp__everything__echo({ message: "from tmux" });\nreturn r.content[0].text;',
							},
						},
					],
				},
				{ text: "Script finished fine." },
			);
			pi.type("run a script");
			pi.keys("Enter");
			await pi.waitFor("Script finished fine.");
			const screen = pi.screen();
			expect(screen).toContain("tools.mcp__everything__echo");
			expect(screen).toMatch(/✓ mcp__everything__echo \d+ms/);
			expect(screen).toContain("Echo: from tmux");

			pi.type("/mcp");
			pi.keys("Enter");
			// Servers that need attention come first.
			await pi.waitFor(
				(text) => text.indexOf("broken ·") >= 0 && text.indexOf("broken ·") < text.indexOf("everything ·"),
			);
			pi.keys("Down");
			pi.keys("Enter");
			await pi.waitFor("Change exposure");
			pi.type("Disable");
			pi.keys("Enter");
			await pi.waitFor(`Saved to ${mcpFile}`);
			expect(JSON.parse(readFileSync(mcpFile, "utf8")).mcpServers.everything).toMatchObject({ enabled: false });
			// Back out: the server's menu, then the list, then the editor.
			await pi.waitFor("everything · disabled");
			pi.keys("Escape");
			await pi.waitFor((text) => text.includes("broken ·") && !text.includes("Change exposure"));
			pi.keys("Escape");
			await pi.waitFor((text) => !text.includes("broken ·"));
			pi.pressCtrlCTwice();
			expect((await pi.exited()).code).toBe(0);
		} finally {
			pi.kill();
		}
	}, 60_000);

	test("Esc stops a codemode script in an endless loop; /mcp login signs in through the browser callback", async () => {
		const oauth = startOAuthMcpServer();
		const env = makePiEnv(server.url);
		writeFileSync(join(env.agentDir, "mcp.json"), JSON.stringify({ mcpServers: { secure: { url: oauth.url } } }));
		const pi = new TmuxPi(env, [], { columns: 110, rows: 45 });
		try {
			await pi.waitFor("test-model");
			await pi.waitFor("secure: needs sign-in");

			server.enqueue({ toolCalls: [{ id: "loop", name: "codemode", arguments: { code: "while (true) {}" } }] });
			pi.type("spin forever");
			pi.keys("Enter");
			await pi.waitFor("while (true) {}");
			pi.keys("Escape");
			await pi.waitFor((text) => /Script aborted|Operation aborted/.test(text));

			// As in pi 1.6.0, the first Enter accepts the open argument suggestion ("secure"); the second runs it.
			pi.type("/mcp login secure");
			await pi.waitFor((text) => /→ secure\s/.test(text));
			pi.keys("Enter");
			await pi.waitFor((text) => !/→ secure\s/.test(text));
			pi.keys("Enter");
			const screen = await pi.waitFor((text) => /http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/.test(text));
			expect(screen).toContain('Sign in to MCP server "secure" in your browser');
			const url = pendingAuthorizationUrl(screen);
			const approval = await fetch(url, { redirect: "manual" });
			const callback = approval.headers.get("location");
			if (!callback) throw new Error(`no redirect: ${approval.status}`);
			expect((await fetch(callback)).status).toBe(200);
			await pi.waitFor('Signed in to MCP server "secure" (1 tools).');
			pi.pressCtrlCTwice();
			expect((await pi.exited()).code).toBe(0);
		} finally {
			pi.kill();
			await oauth.stop();
		}
	}, 60_000);
});

/** The authorization URL shown on screen, joined across the lines it wraps over. */
function pendingAuthorizationUrl(screen: string): string {
	const start = screen.indexOf("http://127.0.0.1:");
	const rest = screen.slice(start).split("\n");
	let url = "";
	for (const line of rest) {
		const part = line.trim();
		if (!/^[\w:/?&=%.~+-]+$/.test(part)) break;
		url += part;
	}
	return url;
}
