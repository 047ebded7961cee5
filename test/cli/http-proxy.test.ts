/**
 * Proxies end to end: the httpProxy setting (agent folder only) and HTTP_PROXY/NO_PROXY route pi's provider
 * requests through a local forward proxy, which records them.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestProxy, type TestProxy } from "../support/http-proxy.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

let server: LlmTestServer;
let proxy: TestProxy;
beforeAll(async () => {
	server = await startLlmServer();
	proxy = await startTestProxy();
});
afterAll(async () => {
	await proxy.close();
	await server.close();
});

function writeSettings(dir: string, extra: Record<string, unknown>): void {
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, "settings.json"),
		JSON.stringify({ defaultProvider: "test", defaultModel: "test-model", ...extra }),
	);
}

test("the httpProxy setting sends the model request through the proxy", async () => {
	const env = makePiEnv(server.url);
	writeSettings(env.agentDir, { httpProxy: proxy.url });
	server.enqueue({ text: "via proxy" });
	const before = proxy.seen.length;
	const result = await runPi(["-p", "hi"], env);
	expect(result.stderr).toBe("");
	expect(result.stdout).toBe("via proxy\n");
	expect(proxy.seen.slice(before)).toEqual([`POST ${server.url}/v1/chat/completions`]);
});

test("a project's httpProxy is ignored: a repository must not redirect your traffic", async () => {
	const env = makePiEnv(server.url);
	writeSettings(join(env.cwd, ".pi"), { httpProxy: proxy.url });
	server.enqueue({ text: "direct" });
	const before = proxy.seen.length;
	const result = await runPi(["-a", "-p", "hi"], env);
	expect(result.stdout).toBe("direct\n");
	expect(proxy.seen.length).toBe(before);
});

test("HTTP_PROXY is honoured, and NO_PROXY exempts a host", async () => {
	const env = makePiEnv(server.url);
	server.enqueue({ text: "one" }, { text: "two" });
	const before = proxy.seen.length;
	const proxied = await runPi(["-p", "hi"], env, { extraEnv: { HTTP_PROXY: proxy.url } });
	expect(proxied.stdout).toBe("one\n");
	expect(proxy.seen.length).toBe(before + 1);
	const direct = await runPi(["-p", "hi"], env, { extraEnv: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" } });
	expect(direct.stdout).toBe("two\n");
	expect(proxy.seen.length).toBe(before + 1);
});
