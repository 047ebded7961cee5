import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "../..");

async function run(command: string[], cwd: string) {
	const proc = Bun.spawn(command, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, FORCE_COLOR: "1" } });
	const [stdout, stderr, exitCode] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	return { stdout, stderr, exitCode };
}

test("the compiled binary highlights with shiki (engine, WebAssembly and grammar embedded)", async () => {
	const outDir = mkdtempSync(join(tmpdir(), "pi-shiki-build-"));
	const entry = join(import.meta.dir, "fixtures", "shiki-entry.ts");
	const build = await run(
		[process.execPath, "run", "build.ts", "--host", "--no-bytecode", "--entry", entry, "--outdir", outDir],
		repoRoot,
	);
	expect(build.exitCode).toBe(0);
	// Run from elsewhere: nothing may be loaded from node_modules at run time.
	const result = await run([join(outDir, process.platform === "win32" ? "pi.exe" : "pi")], tmpdir());
	expect(result.stderr).toBe("");
	const colours = Number(/^1 line, (\d+) colours\n$/.exec(result.stdout)?.[1] ?? 0);
	// keyword, variable, type, operator or punctuation, number, comment: shiki told the tokens apart.
	expect(colours).toBeGreaterThanOrEqual(5);
}, 30_000);
