/**
 * Compares our `pi --list-models` with pi 1.6.0's model list, with a credential set for every provider.
 *
 *   bun scripts/diff-model-list.ts [--pi-ai <dir>] [--reference-cli <pi 1.6.0 cli.js>] [--binary <our pi>]
 *
 * The expected list is pi-ai's chat models from the npm package (`@earendil-works/pi-ai`'s data files, default
 * /work/ref/pi16/…); with --reference-cli (and `node` on PATH, or --node) pi 1.6.0 itself is run instead and its
 * table is compared byte for byte. Our side runs the sources, or the compiled binary given with --binary.
 * Prints the differing rows and exits 1 when there are any. `openai-codex` needs a ChatGPT login, so neither
 * side lists it. test/compat/model-catalog.test.ts runs the same comparison.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatModelList } from "../src/ai/list-models.ts";
import type { Model } from "../src/ai/types.ts";
import { providerEnvVariables } from "../src/auth/env-api-keys.ts";
import { DEFAULT_PI_AI_DIR, readPiAiChatModels, toCatalogEntry } from "./generate-model-catalog.ts";

/** Dummy credentials for every provider, plus the settings Cloudflare and Bedrock need to count as configured. */
export function allProvidersEnv(home: string): Record<string, string> {
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? "/usr/bin:/bin",
		HOME: home,
		PI_CODING_AGENT_DIR: join(home, ".pi", "agent"),
		PI_OFFLINE: "1",
		PI_SKIP_VERSION_CHECK: "1",
	};
	for (const name of providerEnvVariables()) {
		if (/_(API_KEY|TOKEN)$/.test(name) && name !== "ANTHROPIC_AUTH_TOKEN") env[name] = "dummy";
	}
	Object.assign(env, {
		CLOUDFLARE_ACCOUNT_ID: "account",
		CLOUDFLARE_GATEWAY_ID: "gateway",
		AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
		AWS_SECRET_ACCESS_KEY: "secret",
	});
	return env;
}

/** The table pi 1.6.0 prints for its catalog (every provider but the subscription-only openai-codex). */
export function expectedListFromPiAi(piAiDir: string): string {
	const models = readPiAiChatModels(piAiDir)
		.map(toCatalogEntry)
		.filter((entry) => entry.provider !== "openai-codex");
	// The rows only show id, provider, limits, reasoning and image input, which the generator copies verbatim.
	return formatModelList(models as unknown as Model[]);
}

/**
 * stdout goes to a file: pi 1.6.0 on Node exits before a pipe has taken its whole table (it printed 669 of
 * 1689 lines into a pipe), while writes to a file are synchronous.
 */
async function run(command: string[], env: Record<string, string>): Promise<string> {
	const out = join(env.HOME ?? tmpdir(), `list-models-${Date.now()}.txt`);
	const proc = Bun.spawn([...command, "--list-models"], {
		env,
		stdout: Bun.file(out),
		stderr: "pipe",
		stdin: "ignore",
	});
	const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
	if (code !== 0) throw new Error(`${command.join(" ")} --list-models exited ${code}: ${stderr}`);
	return readFileSync(out, "utf-8");
}

/** Rows present on one side only, as `- expected` / `+ ours` lines. */
export function diffLines(expected: string, actual: string): string[] {
	const key = (line: string) => line.trimEnd();
	const ours = new Set(actual.split("\n").map(key));
	const theirs = new Set(expected.split("\n").map(key));
	return [
		...[...theirs].filter((line) => !ours.has(line)).map((line) => `- ${line}`),
		...[...ours].filter((line) => !theirs.has(line)).map((line) => `+ ${line}`),
	];
}

if (import.meta.main) {
	const args = process.argv.slice(2);
	const option = (name: string) => {
		const index = args.indexOf(name);
		return index === -1 ? undefined : args[index + 1];
	};
	const home = mkdtempSync(join(tmpdir(), "pi-list-models-"));
	const env = allProvidersEnv(home);
	const binary = option("--binary");
	const ours = await run(
		binary ? [resolve(binary)] : [process.execPath, join(import.meta.dir, "..", "src", "main.ts")],
		env,
	);
	const referenceCli = option("--reference-cli");
	const expected = referenceCli
		? await run([option("--node") ?? "node", resolve(referenceCli)], env)
		: expectedListFromPiAi(option("--pi-ai") ?? DEFAULT_PI_AI_DIR);
	const differences = diffLines(expected, ours);
	const rows = ours.trimEnd().split("\n").length - 1;
	if (differences.length === 0 && expected === ours) {
		console.log(`--list-models: ${rows} models, identical to pi 1.6.0's list`);
	} else {
		console.log(differences.length > 0 ? differences.join("\n") : "same rows, different layout");
		process.exitCode = 1;
	}
}
