/**
 * pi 1.6.0's provider hooks driven end to end: a real extension file (fixtures/provider-hooks.ts) in print mode
 * against the LLM test server, checking what the server received and what the extension saw.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runWithExtension } from "./run-extension.ts";

const EXTENSION = resolve(import.meta.dir, "..", "fixtures", "extensions", "provider-hooks.ts");

function hookLog(cwd: string): Record<string, unknown>[] {
	return readFileSync(join(cwd, "provider-hooks.log"), "utf8")
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line));
}

/** models.json's test model gets headers of its own (pi: configured headers reach before_provider_headers). */
function addModelHeaders(modelsJson: string): void {
	const config = JSON.parse(readFileSync(modelsJson, "utf8"));
	config.providers.test.models[0].headers = { "x-model-header": "from-models-json", "x-kept": "kept" };
	writeFileSync(modelsJson, JSON.stringify(config));
}

describe("provider hooks", () => {
	test("before_provider_headers changes the request's headers in place; after_provider_response sees each HTTP response", async () => {
		const run = await runWithExtension(
			[{ kind: "http-error", status: 429, headers: { "retry-after": "0" } }, { text: "done" }],
			["-p", "-e", EXTENSION, "hello"],
			{ prepare: (env) => addModelHeaders(join(env.agentDir, "models.json")) },
		);
		expect(run.stdout).toBe("done\n");
		expect(run.stderr).toContain("header handler failed");

		// pi's automatic retry makes a new request: the hooks run again for it.
		expect(run.server.requests.length).toBe(2);
		for (const request of run.server.requests) {
			expect(request.headers["x-session-id"]).toMatch(/^[0-9a-f-]{36}$/);
			expect(request.headers["x-gateway-token"]).toBe("second");
			expect(request.headers["x-kept"]).toBe("kept");
			expect(request.headers["x-model-header"]).toBeUndefined();
			expect(request.headers["x-ignored"]).toBeUndefined();
		}

		const request = [
			{
				event: "before_provider_headers",
				headers: { "x-model-header": "from-models-json", "x-kept": "kept" },
			},
			{ event: "before_provider_headers#2", token: "first" },
			{ event: "before_provider_request" },
		];
		expect(hookLog(run.env.cwd)).toEqual([
			...request,
			{ event: "after_provider_response", status: 429, contentType: "application/json" },
			...request,
			{ event: "after_provider_response", status: 200, contentType: "text/event-stream; charset=utf-8" },
		]);
	});
});
