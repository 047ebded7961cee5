/**
 * Runs pi as a subprocess for end-to-end tests: the compiled binary when PI_TEST_BINARY names it (CI builds it
 * first), otherwise the sources through Bun. Every run gets its own temp HOME and agent dir.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCommand } from "./run-command.ts";
import { asNobodyCommand } from "./unprivileged.ts";

const repoRoot = resolve(import.meta.dir, "../..");

export function piCommand(): string[] {
	const binary = process.env.PI_TEST_BINARY;
	if (binary) return [resolve(binary)];
	return [process.execPath, join(repoRoot, "src/main.ts")];
}

export interface PiEnv {
	home: string;
	agentDir: string;
	cwd: string;
	env: Record<string, string>;
}

/** A fresh HOME, agent dir and project folder, with a models.json that points the "test" provider at `serverUrl`. */
export function makePiEnv(
	serverUrl?: string,
	options: { api?: string; modelId?: string; reasoning?: boolean } = {},
): PiEnv {
	const home = mkdtempSync(join(tmpdir(), "pi-e2e-"));
	const agentDir = join(home, ".pi", "agent");
	const cwd = join(home, "project");
	mkdirSync(agentDir, { recursive: true });
	mkdirSync(cwd, { recursive: true });
	if (serverUrl) {
		const api = options.api ?? "openai-completions";
		const baseUrl = api === "anthropic-messages" || api === "google-generative-ai" ? serverUrl : `${serverUrl}/v1`;
		writeFileSync(
			join(agentDir, "models.json"),
			JSON.stringify({
				providers: {
					test: {
						baseUrl,
						api,
						apiKey: "test-key",
						models: [
							{
								id: options.modelId ?? "test-model",
								name: "Test Model",
								reasoning: options.reasoning ?? false,
								input: ["text", "image"],
								contextWindow: 128000,
								maxTokens: 16384,
								cost: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25 },
							},
						],
					},
				},
			}),
		);
		writeFileSync(
			join(agentDir, "settings.json"),
			JSON.stringify({ defaultProvider: "test", defaultModel: options.modelId ?? "test-model" }),
		);
	}
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? "/usr/bin:/bin",
		HOME: home,
		PI_CODING_AGENT_DIR: agentDir,
		PI_OFFLINE: "1",
		PI_SKIP_VERSION_CHECK: "1",
		TERM: "xterm-256color",
	};
	return { home, agentDir, cwd, env };
}

export interface PiRun {
	exitCode: number;
	stdout: string;
	stderr: string;
}

export async function runPi(
	args: string[],
	piEnv: PiEnv,
	options: {
		stdin?: string;
		extraEnv?: Record<string, string>;
		/** Run as user nobody when the suite runs as root (permission tests; see unprivileged.ts). */
		asNobody?: boolean;
	} = {},
): Promise<PiRun> {
	const command = [...piCommand(), ...args];
	return runCommand(options.asNobody ? asNobodyCommand(command) : command, {
		cwd: piEnv.cwd,
		env: { ...piEnv.env, ...options.extraEnv },
		stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
	});
}

/** Every session file (.jsonl) pi wrote below the agent dir, sorted. */
export function sessionFiles(env: PiEnv): string[] {
	const root = join(env.agentDir, "sessions");
	if (!existsSync(root)) return [];
	return readdirSync(root, { recursive: true, encoding: "utf8" })
		.filter((name) => name.endsWith(".jsonl"))
		.map((name) => join(root, name))
		.sort();
}
