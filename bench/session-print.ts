/**
 * `pi --session <huge file> -p "…"`: a session of N million tokens (default 10, ~4 characters a token, plain v3
 * JSONL) continued in print mode against the local LLM server. Prints the peak RSS (and wall time) of this binary
 * and of pi 1.6.0 / 0.73.1 when installed (PI_REF_160_DIR / PI_REF_073_DIR, see test/support/reference-pi.ts), and
 * PASS/MISS for the issue-19 target: our peak RSS below pi's.
 *
 *   bun run build.ts --host && bun bench/session-print.ts [millionTokens=10]
 *   (PI_BENCH_BINARY=<path> measures another build; without dist/pi the sources run through Bun.)
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { referencePi073, referencePi160 } from "../test/support/reference-pi.ts";
import { makePiEnv } from "../test/support/run-pi.ts";

const millionTokens = Number(process.argv[2] ?? 10);
const binary = resolve(process.env.PI_BENCH_BINARY ?? join(import.meta.dir, "../dist/pi"));
const ours = existsSync(binary) ? [binary] : [process.execPath, join(import.meta.dir, "../src/main.ts")];

const server = await startLlmServer();
const env = makePiEnv(server.url, { api: "anthropic-messages" });
// A context window the session fits in: no compaction, the whole history is sent.
writeFileSync(
	join(env.agentDir, "models.json"),
	JSON.stringify({
		providers: {
			test: {
				baseUrl: server.url,
				api: "anthropic-messages",
				apiKey: "test-key",
				models: [{ id: "test-model", contextWindow: 50_000_000, maxTokens: 16384 }],
			},
		},
	}),
);

/** Writes the session: alternating questions and ~2,000-token answers until the size is reached. */
function writeSession(): string {
	const dir = join(env.home, "sessions");
	mkdirSync(dir, { recursive: true });
	const path = join(dir, "huge.jsonl");
	const lines: string[] = [
		JSON.stringify({
			type: "session",
			version: 3,
			id: "bench-session",
			timestamp: new Date().toISOString(),
			cwd: env.cwd,
		}),
	];
	// One non-Latin-1 character (→) as real answers have: a whole-file string would be UTF-16, twice the bytes.
	const paragraph = "The quick brown fox jumps over the lazy dog → the agent reads the code. ";
	const answer = paragraph.repeat(Math.ceil(8000 / paragraph.length));
	let parent: string | null = null;
	let chars = 0;
	let n = 0;
	const timestamp = new Date().toISOString();
	const usage = { input: 10, output: 10, cacheRead: 0, cacheWrite: 0, totalTokens: 20 };
	const cost = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
	while (chars < millionTokens * 4_000_000) {
		for (const role of ["user", "assistant"] as const) {
			const id = (n++).toString(16).padStart(8, "0");
			const message =
				role === "user"
					? { role, content: [{ type: "text", text: `Question ${n}: what does this do?` }], timestamp: Date.now() }
					: {
							role,
							content: [{ type: "text", text: answer }],
							api: "anthropic-messages",
							provider: "test",
							model: "test-model",
							usage: { ...usage, cost },
							stopReason: "stop",
							timestamp: Date.now(),
						};
			const line = JSON.stringify({ type: "message", id, parentId: parent, timestamp, message });
			chars += line.length;
			lines.push(line);
			parent = id;
		}
	}
	writeFileSync(path, `${lines.join("\n")}\n`);
	console.log(
		`session: ${(chars / 1024 / 1024).toFixed(0)} MB, ${lines.length - 1} entries (~${millionTokens}M tokens)`,
	);
	return path;
}

const session = writeSession();

async function measure(label: string, command: string[]): Promise<number | undefined> {
	server.enqueue({ text: "Continued." });
	const started = performance.now();
	const proc = Bun.spawn([...command, "--session", session, "-p", "one more question"], {
		cwd: env.cwd,
		env: env.env,
		stdin: "ignore",
		stdout: "pipe",
		stderr: "pipe",
	});
	const [out, err, code] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	const seconds = (performance.now() - started) / 1000;
	if (code !== 0 || out.trim() !== "Continued.") {
		console.log(`${label}: failed (exit ${code}): ${(err || out).trim().slice(0, 300)}`);
		return undefined;
	}
	const rssMb = (proc.resourceUsage()?.maxRSS ?? 0) / 1024 / 1024;
	console.log(`${label.padEnd(14)} peak RSS ${rssMb.toFixed(0).padStart(5)} MB   ${seconds.toFixed(1)} s wall`);
	return rssMb;
}

const mine = await measure("pi (this)", ours);
const references = [referencePi160(), referencePi073()].flatMap((pi) => (pi ? [pi] : []));
for (const pi of references) {
	const theirs = await measure(`pi ${pi.version}`, pi.command);
	if (mine !== undefined && theirs !== undefined) {
		const verdict = mine < theirs ? "PASS" : "MISS";
		console.log(
			`target: peak RSS below pi ${pi.version}'s: ${mine.toFixed(0)} MB vs ${theirs.toFixed(0)} MB  ${verdict}`,
		);
	}
}
await server.close();
