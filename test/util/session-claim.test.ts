import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimSession } from "../../src/util/session-claim.ts";

function tempSession(): string {
	return join(mkdtempSync(join(tmpdir(), "pi-claim-")), "s.jsonl");
}

test("a second live process is told who holds the session", async () => {
	const file = tempSession();
	const holder = Bun.spawn(
		[
			process.execPath,
			"-e",
			`require(${JSON.stringify(join(import.meta.dir, "../../src/util/session-claim.ts"))}).claimSession(${JSON.stringify(file)}); console.log("held"); setTimeout(() => {}, 10000);`,
		],
		{ stdout: "pipe" },
	);
	const reader = holder.stdout.getReader();
	await reader.read();
	const claim = claimSession(file);
	expect(claim.heldBy).toBe(holder.pid);
	holder.kill();
	await holder.exited;
});

test("a marker left by a dead process is taken over and released", () => {
	const file = tempSession();
	writeFileSync(`${file}.pid`, "999999\n");
	const claim = claimSession(file);
	expect(claim.heldBy).toBeUndefined();
	expect(readFileSync(`${file}.pid`, "utf8").trim()).toBe(String(process.pid));
	claim.release();
	expect(existsSync(`${file}.pid`)).toBe(false);
});
