/**
 * Images through the real CLI (the compiled binary when PI_TEST_BINARY is set, so the embedded WebAssembly and the
 * worker entry are exercised): @file attachments, the read tool and RPC images are shrunk as pi 1.6.0 shrinks
 * them, with its notes; a file with an image signature but no image inside is text.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, piCommand, runPi } from "../support/run-pi.ts";
import { dimensions, makePng } from "./fixtures.ts";

let server: LlmTestServer;
let bigPng: Uint8Array;
beforeAll(async () => {
	server = await startLlmServer();
	bigPng = await makePng(2200, 1100);
});
afterAll(async () => {
	await server.close();
});

const NOTE =
	"[Image: original 2200x1100, displayed at 2000x1000. Multiply coordinates by 1.10 to map to original image.]";

const Part = v.union([
	v.object({ type: v.literal("text"), text: v.string() }),
	v.object({ type: v.literal("image_url"), image_url: v.object({ url: v.string() }) }),
]);
const Body = v.object({
	messages: v.array(v.object({ role: v.string(), content: v.union([v.string(), v.array(Part), v.null()]) })),
});

/** Text and decoded images of the request's messages with `role` (OpenAI completions format). */
async function partsOf(request: number, role: string): Promise<{ texts: string[]; images: [number, number][] }> {
	const body = v.parse(Body, server.requests[request]?.body);
	const texts: string[] = [];
	const images: [number, number][] = [];
	for (const message of body.messages.filter((m) => m.role === role)) {
		if (typeof message.content === "string") texts.push(message.content);
		for (const part of Array.isArray(message.content) ? message.content : []) {
			if (part.type === "text") texts.push(part.text);
			else images.push(await dimensions(new Uint8Array(Buffer.from(part.image_url.url.split(",")[1] ?? "", "base64"))));
		}
	}
	return { texts, images };
}

describe("images reach the model as pi 1.6.0 sends them", () => {
	test("@file: a 2200x1100 PNG goes as 2000x1000 with the coordinate note after the prompt", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(join(env.cwd, "big.png"), bigPng);
		const before = server.requests.length;
		const run = await runPi(["-p", "@big.png", "What is this?"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		const { texts, images } = await partsOf(before, "user");
		expect(texts).toEqual([`<file name="${join(env.cwd, "big.png")}"></file>\nWhat is this?\n\n${NOTE}`]);
		expect(images).toEqual([[2000, 1000]]);
	}, 60_000);

	test("@file: PNG signature without a PNG inside is attached as text", async () => {
		const env = makePiEnv(server.url);
		const fake = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode("hello")]);
		writeFileSync(join(env.cwd, "fake.png"), fake);
		const before = server.requests.length;
		expect((await runPi(["-p", "@fake.png", "and this?"], env)).exitCode).toBe(0);
		const { texts, images } = await partsOf(before, "user");
		expect(images).toEqual([]);
		expect(texts[0]).toContain(`<file name="${join(env.cwd, "fake.png")}">\n`);
		expect(texts[0]).toContain("hello\n</file>");
	});

	test("the read tool returns the shrunk image with pi's notes", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(join(env.cwd, "big.png"), bigPng);
		server.enqueue({ toolCalls: [{ name: "read", arguments: { path: "big.png" } }] }, { text: "seen" });
		const before = server.requests.length;
		expect((await runPi(["-p", "read it"], env)).exitCode).toBe(0);
		const tool = await partsOf(before + 1, "tool");
		expect(tool.texts).toEqual([`Read image file [image/png]\n${NOTE}`]);
		const attached = await partsOf(before + 1, "user");
		expect(attached.images).toEqual([[2000, 1000]]);
	}, 60_000);

	test("a model's own image limits (models.json inputLimits, pi 1.6.0) apply to @file and read images", async () => {
		const env = makePiEnv(server.url);
		const path = join(env.agentDir, "models.json");
		const config = v.parse(
			v.object({ providers: v.object({ test: v.looseObject({ models: v.array(v.looseObject({})) }) }) }),
			JSON.parse(readFileSync(path, "utf-8")),
		);
		config.providers.test.models = config.providers.test.models.map((model) => ({
			...model,
			inputLimits: { images: { resize: { maxWidth: 500, maxHeight: 500 } } },
		}));
		writeFileSync(path, JSON.stringify(config));
		writeFileSync(join(env.cwd, "big.png"), bigPng);
		const small =
			"[Image: original 2200x1100, displayed at 500x250. Multiply coordinates by 4.40 to map to original image.]";
		let before = server.requests.length;
		expect((await runPi(["-p", "@big.png", "What is this?"], env)).exitCode).toBe(0);
		const attached = await partsOf(before, "user");
		expect(attached.images).toEqual([[500, 250]]);
		expect(attached.texts[0]).toEndWith(small);

		server.enqueue({ toolCalls: [{ name: "read", arguments: { path: "big.png" } }] }, { text: "seen" });
		before = server.requests.length;
		expect((await runPi(["-p", "read it"], env)).exitCode).toBe(0);
		const tool = await partsOf(before + 1, "tool");
		expect(tool.texts).toEqual([`Read image file [image/png]\n${small}`]);
		expect((await partsOf(before + 1, "user")).images).toEqual([[500, 250]]);
	}, 60_000);

	test("rpc prompt images are shrunk too; images.autoResize false sends them as they are", async () => {
		const env = makePiEnv(server.url);
		const prompt = `${JSON.stringify({
			id: "1",
			type: "prompt",
			message: "look",
			images: [{ type: "image", mimeType: "image/png", data: Buffer.from(bigPng).toString("base64") }],
		})}\n`;
		let before = server.requests.length;
		await rpcPromptUntilRequest(env, prompt, before);
		let { texts, images } = await partsOf(before, "user");
		expect(texts).toEqual([`look\n\n${NOTE}`]);
		expect(images).toEqual([[2000, 1000]]);

		writeFileSync(
			join(env.agentDir, "settings.json"),
			JSON.stringify({ defaultProvider: "test", defaultModel: "test-model", images: { autoResize: false } }),
		);
		before = server.requests.length;
		await rpcPromptUntilRequest(env, prompt, before);
		({ texts, images } = await partsOf(before, "user"));
		expect(texts).toEqual(["look"]);
		expect(images).toEqual([[2200, 1100]]);
	}, 60_000);
});

/**
 * RPC answers `prompt` before the request is made, and stdin closing aborts a run still going (as in pi): stdin
 * stays open until the request has reached the server.
 */
async function rpcPromptUntilRequest(env: PiEnv, prompt: string, before: number): Promise<void> {
	const proc = Bun.spawn([...piCommand(), "--mode", "rpc"], {
		cwd: env.cwd,
		env: env.env,
		stdin: "pipe",
		stdout: "ignore",
		stderr: "ignore",
	});
	proc.stdin.write(prompt);
	proc.stdin.flush();
	for (let i = 0; i < 600 && server.requests.length <= before; i++) await Bun.sleep(50);
	proc.stdin.end();
	await proc.exited;
	expect(server.requests.length).toBeGreaterThan(before);
}
