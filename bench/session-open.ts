/**
 * Benchmark: open a 100 MB, 100,000-entry session and rebuild its context (target < 1 s), and compare with pi
 * 0.73.1's SessionManager when /tmp/piref is installed. Usage: bun bench/session-open.ts [entries] [bytes]
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEntryId, createSessionId } from "../src/session/ids.ts";
import { SessionManager } from "../src/session/session-manager.ts";

const ENTRIES = Number(process.argv[2] ?? 100_000);
const TARGET_BYTES = Number(process.argv[3] ?? 100 * 1024 * 1024);
const PI_SESSION_MANAGER = "/tmp/piref/node_modules/@mariozechner/pi-coding-agent/dist/core/session-manager.js";

/** One linear conversation (the worst case: the context path is every entry), user/assistant/tool results. */
function generate(path: string): void {
	const padding = "lorem ipsum dolor sit amet ".repeat(Math.ceil(TARGET_BYTES / ENTRIES / 27));
	const text = padding.slice(0, Math.max(0, Math.floor(TARGET_BYTES / ENTRIES) - 274));
	const taken = new Set<string>();
	const timestamp = new Date().toISOString();
	const lines = [JSON.stringify({ type: "session", version: 3, id: createSessionId(), timestamp, cwd: "/bench" })];
	let parentId: string | null = null;
	for (let i = 0; i < ENTRIES; i++) {
		const id = createEntryId(taken);
		taken.add(id);
		const kind = i % 3;
		const message =
			kind === 0
				? { role: "user", content: [{ type: "text", text }], timestamp: i }
				: kind === 1
					? {
							role: "assistant",
							content: [{ type: "text", text }],
							api: "anthropic-messages",
							provider: "test",
							model: "m",
							usage: {
								input: 1,
								output: 1,
								cacheRead: 0,
								cacheWrite: 0,
								totalTokens: 2,
								cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
							},
							stopReason: "stop",
							timestamp: i,
						}
					: {
							role: "toolResult",
							toolCallId: `t${i}`,
							toolName: "read",
							content: [{ type: "text", text }],
							isError: false,
							timestamp: i,
						};
		lines.push(JSON.stringify({ type: "message", id, parentId, timestamp, message }));
		parentId = id;
	}
	writeFileSync(path, `${lines.join("\n")}\n`);
}

function time<T>(run: () => T): { ms: number; value: T } {
	const start = performance.now();
	const value = run();
	return { ms: performance.now() - start, value };
}

const dir = mkdtempSync(join(tmpdir(), "pi-bench-session-"));
const path = join(dir, "big.jsonl");
generate(path);
console.log(`session: ${ENTRIES} entries, ${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`);

const ours = time(() => {
	const manager = SessionManager.open(path);
	return manager.buildSessionContext().messages.length;
});
console.log(
	`ours: open + buildSessionContext ${ours.ms.toFixed(0)} ms (${ours.value} messages) ${ours.ms < 1000 ? "OK" : "SLOWER THAN 1 s TARGET"}`,
);

if (existsSync(PI_SESSION_MANAGER)) {
	const mod: unknown = await import(PI_SESSION_MANAGER);
	const piClass: unknown = typeof mod === "object" && mod !== null ? Reflect.get(mod, "SessionManager") : undefined;
	const call = (target: unknown, name: string, ...args: unknown[]): unknown => {
		if ((typeof target !== "object" && typeof target !== "function") || target === null) throw new Error("no pi");
		return Reflect.apply(Reflect.get(target, name), target, args);
	};
	const theirs = time(() => {
		const manager = call(piClass, "open", path);
		const context = call(manager, "buildSessionContext");
		const messages: unknown = typeof context === "object" && context !== null ? Reflect.get(context, "messages") : [];
		return Array.isArray(messages) ? messages.length : 0;
	});
	console.log(`pi 0.73.1 (same runtime): ${theirs.ms.toFixed(0)} ms (${theirs.value} messages)`);
	console.log(`ratio pi / ours: ${(theirs.ms / ours.ms).toFixed(2)}x`);
} else {
	console.log("pi 0.73.1 not installed at /tmp/piref: no comparison");
}
rmSync(dir, { recursive: true, force: true });
