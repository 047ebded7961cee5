/**
 * `--mode json` against a fixture recorded from pi 0.73.1 (test/fixtures/pi-json/record.ts) for the same script:
 * the same events in the same order, each with the same fields and values, apart from what differs run to run
 * (ids, timestamps, paths) and how finely the stream was chunked.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSON_FIXTURE_PROMPT, JSON_FIXTURE_TURNS } from "../fixtures/pi-json/script.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const VARYING = new Set(["timestamp", "id", "cwd", "responseId"]);

/** Replaces values that differ between runs, keeping the keys so that missing/extra fields still show. */
function normalize(value: Json, key = ""): Json {
	if (Array.isArray(value)) return value.map((item) => normalize(item));
	if (value && typeof value === "object") {
		const out: { [key: string]: Json } = {};
		for (const [k, v] of Object.entries(value)) out[k] = normalize(v, k);
		return out;
	}
	if (VARYING.has(key) && key !== "id") return "<varies>";
	if (key === "id" && typeof value === "string" && !value.startsWith("toolu_")) return "<varies>";
	if (typeof value === "number" && !Number.isInteger(value)) return Math.round(value * 1e9) / 1e9;
	return value;
}

function parseLines(text: string): { [key: string]: Json }[] {
	return text
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line) as { [key: string]: Json });
}

/** Streaming updates are compared by kind only (chunking differs); runs of the same kind collapse to one. */
function shape(events: { [key: string]: Json }[]): Json[] {
	const out: Json[] = [];
	for (const event of events) {
		if (event.type === "message_update") {
			const inner = event.assistantMessageEvent as { [key: string]: Json };
			const label = `update:${String(inner.type)}`;
			if (out.at(-1) !== label) out.push(label);
			continue;
		}
		out.push(normalize(event));
	}
	return out;
}

test("our JSON events match pi 0.73.1's for the same script", async () => {
	const env = makePiEnv(server.url, { api: "anthropic-messages" });
	writeFileSync(join(env.cwd, "a.txt"), "A\n");
	server.enqueue(...JSON_FIXTURE_TURNS);
	const run = await runPi(["--mode", "json", JSON_FIXTURE_PROMPT], env);
	expect(run.stderr).toBe("");
	expect(run.exitCode).toBe(0);
	const ours = parseLines(run.stdout);
	const pis = parseLines(readFileSync(join(import.meta.dir, "../fixtures/pi-json/read-tool.jsonl"), "utf8"));
	expect(shape(ours)).toEqual(shape(pis));
	// Field order of each event is part of what clients see (e.g. streaming JSON parsers); keep pi's.
	for (const [index, event] of ours.entries()) {
		if (event.type === "message_update") continue;
		const theirs = pis.find((candidate, i) => i >= index - 12 && candidate.type === event.type);
		expect(Object.keys(event)).toEqual(Object.keys(theirs ?? {}));
	}
});
