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

test("the compiled binary highlights with shiki (engine, grammar pack and converter island embedded)", async () => {
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
	const [typescript, hereDocument] = result.stdout.trimEnd().split("\n");
	const colours = (line: string | undefined) => Number(/, (\d+) colours$/.exec(line ?? "")?.[1] ?? 0);
	expect(typescript).toStartWith("typescript: 1 lines,");
	// keyword, variable, type, operator or punctuation, number, comment: shiki told the tokens apart.
	expect(colours(typescript)).toBeGreaterThanOrEqual(5);
	// The here-document's end is converted at run time, by the island: string, function, comment at least.
	expect(hereDocument).toStartWith("here-document: 4 lines,");
	expect(colours(hereDocument)).toBeGreaterThanOrEqual(3);
}, 30_000);
