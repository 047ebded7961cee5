/**
 * Issue 19's size target per release target: what our code adds over the Bun runtime (≤ 10 MB). Each target is
 * compiled twice with build.ts's own command line — pi, and a console.log hello world — and the difference is ours
 * (the runtime, its bytecode format and the executable's own overhead cancel out).
 *
 *   bun bench/binary-size.ts                      every release target (cross-compiling downloads each runtime once)
 *   bun bench/binary-size.ts linux-x64 darwin-arm64  only these
 *   --no-bytecode                                 as build.ts --no-bytecode
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BuildTarget, compile, findTarget, RELEASE_TARGETS } from "../build.ts";

const argv = process.argv.slice(2);
const bytecode = !argv.includes("--no-bytecode");
const names = argv.filter((arg) => !arg.startsWith("--"));
const targets = names.length === 0 ? [...RELEASE_TARGETS] : names.map(requireTarget);
const LIMIT_MB = 10;

function requireTarget(name: string): BuildTarget {
	const target = findTarget(name);
	if (!target) throw new Error(`unknown target ${name}`);
	return target;
}

const scratch = mkdtempSync(join(tmpdir(), "pi-binary-size-"));
const hello = join(scratch, "hello.ts");
writeFileSync(hello, 'console.log("0.1.0");\n');
const entry = resolve(import.meta.dir, "../src/main.ts");
const mb = (bytes: number) => bytes / 1024 / 1024;

console.log(
	`${"target".padEnd(24)} ${"pi".padStart(9)} ${"runtime".padStart(9)} ${"ours".padStart(9)}  ≤ ${LIMIT_MB} MB`,
);
let missed = 0;
try {
	for (const target of targets) {
		// Bun appends .exe for Windows whatever the outfile says.
		const exe = target.os === "windows" ? ".exe" : "";
		const pi = join(scratch, `pi-${target.bunTarget}${exe}`);
		const runtime = join(scratch, `hello-${target.bunTarget}${exe}`);
		await compile({ bytecode, entry }, pi, target);
		await compile({ bytecode, entry: hello, bare: true }, runtime, target);
		const ours = mb(statSync(pi).size - statSync(runtime).size);
		if (ours > LIMIT_MB) missed++;
		console.log(
			`${target.bunTarget.padEnd(24)} ${mb(statSync(pi).size).toFixed(1).padStart(6)} MB ${mb(statSync(runtime).size).toFixed(1).padStart(6)} MB ${ours.toFixed(1).padStart(6)} MB  ${ours <= LIMIT_MB ? "PASS" : "MISS"}`,
		);
		rmSync(pi);
		rmSync(runtime);
	}
} finally {
	rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = missed > 0 ? 1 : 0;
