/**
 * CI smoke test of a compiled binary: `bun test/build/smoke-print.ts dist/pi-linux-x64`.
 *
 * Runs `pi -p` once per provider API against the local fake LLM server. The provider SDKs are imported lazily
 * (`await import()`), so this is what proves the compiled binary really contains them. Exits 1 on any failure.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

/**
 * Each API and the header that proves its SDK built the request (we send pi's own User-Agent over the SDK's, as pi
 * 1.6.0 does, so the SDK is recognised by its other headers).
 */
const APIS = [
	["anthropic-messages", "x-stainless-lang", /^js$/],
	["openai-completions", "x-stainless-lang", /^js$/],
	["openai-responses", "x-stainless-lang", /^js$/],
	["google-generative-ai", "x-goog-api-client", /google-genai-sdk\//],
] as const;
/** pi's User-Agent: `pi/<version> (<os>; <runtime>; <arch>)`. */
const PI_USER_AGENT = /^pi\/\S+ \(/;

async function main(binary: string | undefined): Promise<number> {
	if (!binary) {
		console.error("usage: bun test/build/smoke-print.ts <compiled pi binary>");
		return 2;
	}
	// run-pi.ts runs the binary named here instead of the sources.
	process.env.PI_TEST_BINARY = resolve(binary);
	const server = await startLlmServer();
	let failures = 0;
	try {
		for (const [api, sdkHeader, sdkValue] of APIS) {
			const expected = `smoke reply over ${api}`;
			server.enqueue({ text: expected });
			const piEnv = makePiEnv(server.url, { api });
			const run = await runPi(["-p", "Say something"], piEnv);
			const request = server.requests.at(-1);
			const sentUserAgent = request?.headers["user-agent"] ?? "";
			const sentSdkHeader = request?.headers[sdkHeader] ?? "";
			// The system prompt names the README the binary wrote out of its embedded copy (src/docs/readme.ts).
			const readme = join(piEnv.agentDir, "docs", "README.md");
			const readmeOk = JSON.stringify(request?.body ?? "").includes(readme) && existsSync(readme);
			const ok =
				run.exitCode === 0 &&
				run.stdout.includes(expected) &&
				PI_USER_AGENT.test(sentUserAgent) &&
				sdkValue.test(sentSdkHeader) &&
				readmeOk;
			if (!ok) failures++;
			console.log(
				`print mode over ${api}: ${ok ? "ok" : "FAILED"} (User-Agent: ${sentUserAgent}; ${sdkHeader}: ${sentSdkHeader}; README written: ${readmeOk})`,
			);
			if (!ok) console.log(`  exit ${run.exitCode}\n  stdout: ${run.stdout.trim()}\n  stderr: ${run.stderr.trim()}`);
		}
	} finally {
		await server.close();
	}
	return failures === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv[2]);
