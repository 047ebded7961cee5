// The QuickJS sandbox on its own: output, tool calls, store, limits, timeouts, cancellation, isolation.
import { describe, expect, test } from "bun:test";
import { runScript, type ScriptCall } from "../../src/codemode/sandbox.ts";

const echo = { name: "echo", jsName: "echo", description: "echo" };

function run(
	code: string,
	options: {
		call?: (call: ScriptCall) => Promise<unknown>;
		timeoutMs?: number;
		signal?: AbortSignal;
		store?: Record<string, unknown>;
	} = {},
) {
	return runScript({
		code,
		tools: [echo, { name: "mcp__dev-radius__search", jsName: "mcp__dev_radius__search", description: "search" }],
		globals: [{ name: "searchTools", spread: true }],
		store: options.store ?? {},
		call: options.call ?? (async (call) => ({ target: call.target, name: call.name, args: call.args })),
		timeoutMs: options.timeoutMs,
		signal: options.signal,
	});
}

describe("codemode sandbox", () => {
	test("text, console and return, in order", async () => {
		const result = await run(`text("a"); console.log("c", 1, {x: 2}); text({ b: 1 }); return 42;`);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.output).toEqual([
			{ type: "text", text: "a" },
			{ type: "text", text: 'c 1 {"x":2}', console: true },
			{ type: "text", text: '{"b":1}' },
		]);
		expect(result.value).toBe(42);
	});

	test("tool calls in parallel, by identifier and by raw name", async () => {
		const result = await run(`
			const [a, b] = await Promise.all([tools.echo({ n: 1 }), tools["mcp__dev-radius__search"]({ q: "x" })]);
			return [a.args.n, b.name, (await tools.mcp__dev_radius__search({})).name];
		`);
		expect(result.ok && result.value).toEqual([1, "mcp__dev-radius__search", "mcp__dev-radius__search"]);
	});

	test("a failed call rejects with the tool's message; an unknown tool names close matches", async () => {
		const result = await run(
			`try { await tools.echo({}); } catch (e) { text(e.message); }
			 try { tools.ecko; } catch (e) { text(e.message); }`,
			{ call: async () => Promise.reject(new Error("boom")) },
		);
		expect(result.ok).toBe(true);
		expect(result.output.map((item) => (item.type === "text" ? item.text : ""))).toEqual([
			"boom",
			expect.stringContaining("tools.ecko does not exist."),
		]);
	});

	test("a thrown error fails the script and keeps earlier output", async () => {
		const result = await run(`text("before"); throw new TypeError("bad");`);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error).toMatchObject({ kind: "script", name: "TypeError", message: "bad" });
		expect(result.output).toEqual([{ type: "text", text: "before" }]);
	});

	test("a syntax error fails before anything runs", async () => {
		const result = await run(`this is not javascript`);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.name).toBe("SyntaxError");
	});

	test("store and load: writes reported only for success; values come in", async () => {
		const result = await run(`store("a", {n: load("start") + 1}); store("gone", undefined); return load("a").n;`, {
			store: { start: 41 },
		});
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.value).toBe(42);
		expect(result.storeWrites).toEqual({ set: { a: { n: 42 } }, delete: ["gone"] });
	});

	test("exit() ends the script successfully", async () => {
		const result = await run(`text("x"); exit(); text("never");`);
		expect(result.ok).toBe(true);
		expect(result.output).toEqual([{ type: "text", text: "x" }]);
	});

	test("no timers, no fetch, no require", async () => {
		const result = await run(`return [typeof setTimeout, typeof fetch, typeof require, typeof process, typeof Bun];`);
		expect(result.ok && result.value).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined"]);
	});

	test("waiting on a promise that can never settle fails at once", async () => {
		const result = await run(`await new Promise(() => {});`);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.message).toContain("can never settle");
	});

	test("an endless loop is stopped by the timeout", async () => {
		const result = await run(`while (true) {}`, { timeoutMs: 300 });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatchObject({ kind: "timeout" });
	});

	test("abort cancels the script and the calls it is waiting for", async () => {
		const controller = new AbortController();
		let callSignal: AbortSignal | undefined;
		const result = run(`await tools.echo({});`, {
			signal: controller.signal,
			call: (call) => {
				callSignal = call.signal;
				controller.abort();
				return new Promise(() => {});
			},
		});
		const settled = await result;
		expect(settled.ok).toBe(false);
		if (!settled.ok) expect(settled.error.kind).toBe("aborted");
		expect(callSignal?.aborted).toBe(true);
	});

	test("images: a PNG block is accepted, remote URLs and non-images are refused", async () => {
		const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
		const result = await run(`image({ type: "image", data: "${png}", mimeType: "image/png" });
			try { image("https://example.com/a.png"); } catch (e) { text(e.message); }
			try { image("data:image/png;base64,aGVsbG8="); } catch (e) { text(e.message); }`);
		expect(result.ok).toBe(true);
		expect(result.output[0]).toEqual({ type: "image", data: png, mimeType: "image/png" });
		expect(result.output.slice(1).map((item) => (item.type === "text" ? item.text : ""))).toEqual([
			expect.stringContaining("remote image URLs are not supported"),
			expect.stringContaining("not a PNG, JPEG, GIF, or WebP"),
		]);
	});
});
