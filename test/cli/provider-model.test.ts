/** pi 1.6.0's rule: a provider or model we cannot use is always a clear error, never the default model instead. */
import { expect, test } from "bun:test";
import { makePiEnv, runPi } from "../support/run-pi.ts";

test("--provider without --model is refused, naming what to add, and nothing is sent", async () => {
	const env = makePiEnv("http://127.0.0.1:9");
	const result = await runPi(["--provider", "amazon-bedrock", "-p", "hi"], env);
	expect(result.exitCode).toBe(1);
	expect(result.stderr).toBe(
		"Error: --provider requires --model (for example: --provider amazon-bedrock --model <pattern>)\n",
	);
	expect(result.stdout).toBe("");
});

test("an unknown provider with --model is an error naming it", async () => {
	const env = makePiEnv("http://127.0.0.1:9");
	const result = await runPi(["--provider", "nope", "--model", "x", "-p", "hi"], env);
	expect(result.exitCode).toBe(1);
	expect(result.stderr).toBe('Error: Unknown provider "nope". Use --list-models to see available providers/models.\n');
});
