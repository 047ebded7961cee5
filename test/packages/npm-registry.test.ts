/**
 * One real package from the npm registry, through the real CLI. The only test that reaches the internet, so it
 * runs only when PI_TEST_NPM_REGISTRY=1 (CI sets it: CI reaches npm); everything else uses the fixture registry.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makePiEnv, runPi } from "../support/run-pi.ts";

// pi-aliases: a small pi package (one extension, no dependencies) with the pi-package keyword.
const SOURCE = "npm:pi-aliases";
const enabled = process.env.PI_TEST_NPM_REGISTRY === "1";
if (!enabled) console.warn("npm registry test skipped: set PI_TEST_NPM_REGISTRY=1 to let it reach registry.npmjs.org");

describe.skipIf(!enabled)("the npm registry", () => {
	test("pi install / list / update / remove a published pi package", async () => {
		const env = makePiEnv();
		delete env.env.PI_OFFLINE;
		const install = await runPi(["install", SOURCE], env);
		expect(install.exitCode).toBe(0);
		expect(install.stdout).toContain(`Installed ${SOURCE}`);
		const dir = join(env.agentDir, "npm", "node_modules", "pi-aliases");
		const manifest: unknown = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
		expect(manifest).toMatchObject({ name: "pi-aliases", pi: { extensions: expect.any(Array) } });
		expect((await runPi(["list"], env)).stdout).toBe(`User packages:\n  ${SOURCE}\n    ${dir}\n`);
		const update = await runPi(["update", "--extensions"], env);
		expect(update.exitCode).toBe(0);
		expect(update.stdout).toContain("Packages are already up to date");
		expect((await runPi(["remove", SOURCE], env)).exitCode).toBe(0);
		expect(existsSync(dir)).toBe(false);
	}, 120_000);
});
