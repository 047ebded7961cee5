/**
 * pi 1.6.0's `provider_stream_event` driven end to end: a real extension file (fixtures/provider-stream-events.ts) in
 * print mode against the LLM test server sees the provider's raw chunks, and a throwing observer changes nothing.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runWithExtension } from "./run-extension.ts";

const EXTENSION = resolve(import.meta.dir, "..", "fixtures", "extensions", "provider-stream-events.ts");

test("provider_stream_event: each raw chunk reaches the handlers before it is normalized; errors are only reported", async () => {
	const run = await runWithExtension([{ text: "streamed answer" }], ["-p", "-e", EXTENSION, "hi"]);
	expect(run.stdout).toBe("streamed answer\n");
	expect(run.stderr).toContain("stream observer failed");
	const seen = JSON.parse(readFileSync(join(run.env.cwd, "stream-events.json"), "utf8"));
	expect(seen).toMatchObject({ provider: "test", api: "openai-completions", model: "test-model" });
	// The chat-completions chunks themselves: their deltas spell the answer.
	expect(seen.text).toBe("streamed answer");
	expect(seen.count).toBeGreaterThan(1);
});
