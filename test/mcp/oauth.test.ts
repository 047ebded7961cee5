// OAuth sign-in against a local OAuth-protected MCP server: pi mcp login/list/logout as a user runs them, refresh
// after the access token expires, and a session that shows "needs sign-in" without opening anything.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type OAuthMcpServer, startOAuthMcpServer } from "../support/oauth-mcp-server.ts";
import { makePiEnv, type PiEnv, piCommand, runPi } from "../support/run-pi.ts";

let server: OAuthMcpServer;
beforeAll(() => {
	server = startOAuthMcpServer();
});
afterAll(async () => {
	await server.stop();
});

function envWithServer(): PiEnv {
	const env = makePiEnv();
	writeFileSync(join(env.agentDir, "mcp.json"), JSON.stringify({ mcpServers: { secure: { url: server.url } } }));
	return env;
}

/** Runs `pi mcp login secure` and plays the browser: opens the printed URL, which redirects to pi's callback. */
async function login(env: PiEnv): Promise<{ exitCode: number; stdout: string; stderr: string }> {
	const proc = Bun.spawn([...piCommand(), "mcp", "login", "secure", "--timeout", "60"], {
		cwd: env.cwd,
		env: env.env,
		stdin: "ignore",
		stdout: "pipe",
		stderr: "pipe",
	});
	const reader = proc.stdout.getReader();
	const decoder = new TextDecoder();
	let stdout = "";
	let browsed = false;
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		stdout += decoder.decode(value, { stream: true });
		const url = /^(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(stdout)?.[1];
		if (url && !browsed) {
			browsed = true;
			const approval = await fetch(url, { redirect: "manual" });
			const callback = approval.headers.get("location");
			if (!callback) throw new Error(`no redirect from the authorization page: ${approval.status}`);
			const page = await fetch(callback);
			expect(page.status).toBe(200);
		}
	}
	const [stderr, exitCode] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
	return { exitCode, stdout, stderr };
}

test("login registers a client, runs PKCE and stores tokens (0600); list connects; logout forgets them", async () => {
	const env = envWithServer();
	const before = await runPi(["mcp", "list"], env);
	expect(before.exitCode).toBe(1);
	expect(before.stdout).toContain("secure: needs sign-in");
	expect(before.stdout).toContain("sign in with: pi mcp login secure");
	expect(server.counts.registrations).toBe(0);

	const signedIn = await login(env);
	expect(signedIn.stderr).toBe("");
	expect(signedIn.exitCode).toBe(0);
	expect(signedIn.stdout).toContain('Signed in to MCP server "secure" (1 tools).');
	const authFile = join(env.agentDir, "mcp-auth.json");
	expect(statSync(authFile).mode & 0o777).toBe(0o600);
	const stored = JSON.parse(readFileSync(authFile, "utf8")) as Record<string, { tokens?: { refresh_token?: string } }>;
	expect(Object.keys(stored)).toEqual([`mcp__secure|${server.url}`]);
	expect(stored[`mcp__secure|${server.url}`]?.tokens?.refresh_token).toBeString();

	const after = await runPi(["mcp", "list"], env);
	expect(after.exitCode).toBe(0);
	expect(after.stderr).toBe("");
	expect(after.stdout).toContain("secure: connected, 1 tool");

	server.expireAccessTokens();
	const refreshes = server.counts.refreshes;
	const refreshed = await runPi(["mcp", "list"], env);
	expect(refreshed.stdout).toContain("secure: connected, 1 tool");
	expect(refreshed.stderr).toBe("");
	expect(server.counts.refreshes).toBe(refreshes + 1);

	const again = await runPi(["mcp", "login", "secure"], env);
	expect(again.stdout).toContain('Already signed in to MCP server "secure"');

	const out = await runPi(["mcp", "logout", "secure"], env);
	expect(out.stdout).toBe('Signed out of MCP server "secure".\n');
	expect((await runPi(["mcp", "list"], env)).stdout).toContain("secure: needs sign-in");
});

test("logout of a server without OAuth says so", async () => {
	const env = makePiEnv();
	writeFileSync(
		join(env.agentDir, "mcp.json"),
		JSON.stringify({ mcpServers: { keyed: { url: server.url, headers: { Authorization: "Bearer x" } } } }),
	);
	const run = await runPi(["mcp", "logout", "keyed"], env);
	expect(run.exitCode).toBe(1);
	expect(run.stderr).toContain('MCP server "keyed" does not use OAuth.');
});

test("a session shows needs sign-in, and picks up a sign-in made meanwhile in another terminal", async () => {
	const { startLlmServer } = await import("../support/llm-server.ts");
	const { readJsonLines } = await import("../../src/modes/rpc/rpc-mode.ts");
	const llm = await startLlmServer();
	try {
		const env = makePiEnv(llm.url);
		writeFileSync(
			join(env.agentDir, "mcp.json"),
			JSON.stringify({ mcpServers: { secure: { url: server.url, exposure: "direct" } } }),
		);
		const proc = Bun.spawn([...piCommand(), "--mode", "rpc"], {
			cwd: env.cwd,
			env: env.env,
			stdin: "pipe",
			stdout: "pipe",
			stderr: "pipe",
		});
		const lines: { type: string; [key: string]: unknown }[] = [];
		let ended = 0;
		const agentEnds: (() => void)[] = [];
		void (async () => {
			for await (const text of readJsonLines(proc.stdout)) {
				const line = JSON.parse(text) as { type: string };
				lines.push(line);
				if (line.type === "agent_end") {
					ended++;
					agentEnds.shift()?.();
				}
			}
		})();
		const prompt = (message: string) =>
			new Promise<void>((resolve) => {
				agentEnds.push(resolve);
				proc.stdin.write(`${JSON.stringify({ type: "prompt", message })}\n`);
				proc.stdin.flush();
			});
		const stderr = new Response(proc.stderr).text();
		const before = llm.requests.length;
		llm.enqueue({ text: "No tools yet." });
		await prompt("first");
		const firstBody = llm.requests[before]?.body as { tools?: { function?: { name: string } }[] } | undefined;
		const firstTools = firstBody?.tools ?? [];
		expect(firstTools.map((tool) => tool.function?.name)).not.toContain("mcp__secure__whoami");

		expect((await login(env)).exitCode).toBe(0);
		llm.enqueue({ toolCalls: [{ id: "w1", name: "mcp__secure__whoami", arguments: {} }] }, { text: "Now signed in." });
		await prompt("second");
		expect(ended).toBe(2);
		const result = lines.find((line) => line.type === "tool_execution_end" && line.toolCallId === "w1");
		expect(JSON.stringify(result)).toContain("signed in user");
		proc.stdin.end();
		expect(await proc.exited).toBe(0);
		expect(await stderr).toContain("secure: needs sign-in");
	} finally {
		await llm.close();
	}
});

test("oauth.authServerMetadataUrl: a metadata document without response_types_supported still signs in", async () => {
	// RFC 8414 makes the field required, but real servers leave it out; pi reads the three endpoints it needs.
	const upstream = (await (await fetch(`${server.base}/.well-known/oauth-authorization-server`)).json()) as Record<
		string,
		unknown
	>;
	const { response_types_supported: _omitted, ...document } = upstream;
	const metadata = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json(document) });
	try {
		const env = makePiEnv();
		const oauth = { authServerMetadataUrl: `http://127.0.0.1:${metadata.port}/metadata` };
		writeFileSync(
			join(env.agentDir, "mcp.json"),
			JSON.stringify({ mcpServers: { secure: { url: server.url, oauth } } }),
		);
		const signedIn = await login(env);
		expect(signedIn.stderr).toBe("");
		expect(signedIn.stdout).toContain('Signed in to MCP server "secure" (1 tools).');
		expect(signedIn.exitCode).toBe(0);

		// A URL that answers no metadata document: the error names the setting.
		const fresh = makePiEnv();
		writeFileSync(
			join(fresh.agentDir, "mcp.json"),
			JSON.stringify({
				mcpServers: { secure: { url: server.url, oauth: { authServerMetadataUrl: `${server.url}/nothing-here` } } },
			}),
		);
		const broken = await runPi(["mcp", "login", "secure", "--timeout", "20"], fresh);
		expect(broken.exitCode).toBe(1);
		expect(`${broken.stdout}${broken.stderr}`).toContain("oauth.authServerMetadataUrl");
	} finally {
		await metadata.stop(true);
	}
});
