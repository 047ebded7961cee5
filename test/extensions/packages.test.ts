/**
 * Extensions that come with pi packages (src/packages resolves them, the extension host loads them): a package in
 * settings.json `packages` runs its extensions like the user's own, and `--no-extensions` leaves them out.
 */
import { describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PiEnv } from "../support/run-pi.ts";
import { examplePath } from "./examples.ts";
import { offeredTools, runWithExtension, toolResults } from "./run-extension.ts";

/** A local pi package with the hello example in its conventional extensions/ folder, listed in settings.json. */
function installPackage(env: PiEnv): void {
	const home = env.env.HOME ?? "";
	const pkg = join(home, "hello-package");
	mkdirSync(join(pkg, "extensions"), { recursive: true });
	writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "hello-package", version: "1.0.0" }));
	cpSync(examplePath("1.6.0", "hello.ts"), join(pkg, "extensions", "hello.ts"));
	const settingsPath = join(home, ".pi", "agent", "settings.json");
	const settings = JSON.parse(readFileSync(settingsPath, "utf8")) as Record<string, unknown>;
	writeFileSync(settingsPath, JSON.stringify({ ...settings, packages: [pkg] }));
}

describe("extensions from pi packages", () => {
	test("a package's extension loads and its tool runs", async () => {
		const run = await runWithExtension(
			[{ toolCalls: [{ name: "hello", arguments: { name: "Package" } }] }, { text: "greeted" }],
			["-p", "say hello"],
			{ prepare: installPackage },
		);
		expect(run.stderr).toBe("");
		expect(run.stdout).toBe("greeted\n");
		expect(toolResults(run.server)).toEqual(["Hello, Package!"]);
	});

	test("--no-extensions leaves the package's extensions out", async () => {
		const run = await runWithExtension([{ text: "plain" }], ["-p", "--no-extensions", "say hello"], {
			prepare: installPackage,
		});
		expect(run.stdout).toBe("plain\n");
		expect(offeredTools(run.server, 0)).not.toContain("hello");
	});
});
