import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isCompiledBinary, readmePath, resolveReadmePath } from "../../src/docs/readme.ts";

const repoRoot = resolve(import.meta.dir, "../..");

function tempDir(): string {
	return mkdtempSync(join(tmpdir(), "pi-readme-test-"));
}

describe("readmePath", () => {
	test("recognises the virtual module folder of a compiled binary", () => {
		expect(isCompiledBinary("/$bunfs/root/pi")).toBe(true);
		expect(isCompiledBinary("B:\\~BUN\\root\\pi.exe")).toBe(true);
		expect(isCompiledBinary(join(repoRoot, "src", "main.ts"))).toBe(false);
		expect(isCompiledBinary()).toBe(false);
	});

	test("from source it is the project's README, and nothing is written", () => {
		const agent = tempDir();
		expect(readmePath()).toBe(join(repoRoot, "README.md"));
		const path = resolveReadmePath({
			compiled: false,
			sourceReadme: join(repoRoot, "README.md"),
			agentDir: agent,
			embedded: "x",
		});
		expect(path).toBe(join(repoRoot, "README.md"));
		expect(existsSync(join(agent, "docs"))).toBe(false);
	});

	test("PI_PACKAGE_DIR wins, as in pi", () => {
		const location = {
			packageDir: "/opt/pi",
			compiled: true,
			sourceReadme: "/nope",
			agentDir: tempDir(),
			embedded: "",
		};
		expect(resolveReadmePath(location)).toBe("/opt/pi/README.md");
	});

	test("compiled: the embedded README is written to <agentDir>/docs/README.md once, and again after an upgrade", () => {
		const agent = tempDir();
		const location = { compiled: true, sourceReadme: "/nope", agentDir: agent, embedded: "# pi v1\n" };
		const path = resolveReadmePath(location);
		expect(path).toBe(join(agent, "docs", "README.md"));
		expect(readFileSync(path, "utf8")).toBe("# pi v1\n");
		const firstWrite = statSync(path).ino;
		expect(resolveReadmePath(location)).toBe(path);
		// Atomic writes replace the file: an unchanged inode means it was not rewritten.
		expect(statSync(path).ino).toBe(firstWrite);
		expect(resolveReadmePath({ ...location, embedded: "# pi v2\n" })).toBe(path);
		expect(readFileSync(path, "utf8")).toBe("# pi v2\n");
	});

	test("compiled with an unwritable agent dir: falls back to a copy in the temp folder", () => {
		const agent = tempDir();
		writeFileSync(join(agent, "docs"), "a file where the folder should be");
		const path = resolveReadmePath({
			compiled: true,
			sourceReadme: "/nope",
			agentDir: agent,
			embedded: "# fallback\n",
		});
		expect(path.startsWith(tmpdir())).toBe(true);
		expect(readFileSync(path, "utf8")).toBe("# fallback\n");
	});

	test("in a compiled binary it points at the README embedded at build time", async () => {
		const outDir = tempDir();
		const entry = join(import.meta.dir, "fixtures", "entry.ts");
		const build = Bun.spawn([process.execPath, "run", "build.ts", "--host", "--entry", entry, "--outdir", outDir], {
			cwd: repoRoot,
			stdout: "pipe",
			stderr: "pipe",
		});
		expect(await build.exited).toBe(0);
		const agent = join(tempDir(), "agent");
		const run = Bun.spawn([join(outDir, "pi"), "readme"], {
			cwd: tempDir(),
			env: { ...process.env, PI_CODING_AGENT_DIR: agent, PI_PACKAGE_DIR: "" },
			stdout: "pipe",
		});
		const stdout = await new Response(run.stdout).text();
		expect(await run.exited).toBe(0);
		expect(stdout).toBe(`${join(agent, "docs", "README.md")}\n`);
		expect(readFileSync(join(agent, "docs", "README.md"), "utf8")).toBe(
			readFileSync(join(repoRoot, "README.md"), "utf8"),
		);
	});
});
