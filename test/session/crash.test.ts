/** kill -9 while a session is being written: every complete line still loads, nothing else is lost. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { tempDir } from "./helpers.ts";

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
	const reader = stream.getReader();
	const decoder = new TextDecoder();
	let text = "";
	while (!text.includes("\n")) {
		const { value, done } = await reader.read();
		if (done) break;
		text += decoder.decode(value, { stream: true });
	}
	reader.releaseLock();
	return text.split("\n")[0] ?? "";
}

test("SIGKILL during appends leaves a file whose complete lines all load", async () => {
	for (let round = 0; round < 3; round++) {
		const dir = tempDir();
		const child = Bun.spawn([process.execPath, join(import.meta.dir, "append-loop.ts"), dir], {
			stdout: "pipe",
			stderr: "inherit",
		});
		const path = await firstLine(child.stdout);
		expect(path).toEndWith(".jsonl");
		await Bun.sleep(80 + round * 40);
		child.kill("SIGKILL");
		await child.exited;

		const text = readFileSync(path, "utf8");
		// the last element is "" after a final newline, or a torn line: either way not a complete line
		const complete = text.split("\n").slice(0, -1);
		for (const line of complete) expect(() => JSON.parse(line)).not.toThrow();
		const manager = SessionManager.open(path);
		expect(manager.getEntries()).toHaveLength(complete.length - 1);
		expect(manager.warnings.length).toBeLessThanOrEqual(1);
		expect(manager.getEntries().length).toBeGreaterThan(2);
		// the session stays usable: a new entry lands on its own line and reloads
		manager.appendMessage({ role: "user", content: "after crash", timestamp: 1 });
		const reopened = SessionManager.open(path);
		expect(reopened.getEntries()).toHaveLength(complete.length);
		const last = reopened.buildSessionContext().messages.at(-1);
		expect(last?.role === "user" && last.content).toBe("after crash");
	}
});
