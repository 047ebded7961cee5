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

/** Each API and the User-Agent its SDK sends: pi's own, which a minifier renaming classes would break. */
const APIS = [
	["anthropic-messages", /^Anthropic\/JS /],
	["openai-completions", /^OpenAI\/JS /],
	["openai-responses", /^OpenAI\/JS /],
	["google-generative-ai", /^google-genai-sdk\//],
] as const;

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
		for (const [api, userAgent] of APIS) {
			const expected = `smoke reply over ${api}`;
			server.enqueue({ text: expected });
			const piEnv = makePiEnv(server.url, { api });
			const run = await runPi(["-p", "Say something"], piEnv);
			const request = server.requests.at(-1);
			const sentUserAgent = request?.headers["user-agent"] ?? "";
			// The system prompt names the README the binary wrote out of its embedded copy (src/docs/readme.ts).
			const readme = join(piEnv.agentDir, "docs", "README.md");
			const readmeOk = JSON.stringify(request?.body ?? "").includes(readme) && existsSync(readme);
			const ok = run.exitCode === 0 && run.stdout.includes(expected) && userAgent.test(sentUserAgent) && readmeOk;
			if (!ok) failures++;
			console.log(
				`print mode over ${api}: ${ok ? "ok" : "FAILED"} (User-Agent: ${sentUserAgent}; README written: ${readmeOk})`,
			);
			if (!ok) console.log(`  exit ${run.exitCode}\n  stdout: ${run.stdout.trim()}\n  stderr: ${run.stderr.trim()}`);
		}
	} finally {
		await server.close();
	}
	return failures === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv[2]);
