/**
 * Broken configuration never stops pi with a stack trace and saving never destroys a user's file: invalid,
 * empty, mistyped or unreadable settings.json / models.json / auth.json, symlinked config files, a folder
 * that cannot be written.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SettingsManager } from "../../src/config/settings.ts";
import { writeFileAtomicSync } from "../../src/util/atomic-write.ts";
import { startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";
import { tempDir } from "../tools/helpers.ts";
import { hasStackTrace } from "./helpers.ts";

describe("broken config files give one clear message", () => {
	const contents: [string, string | null][] = [
		["invalid JSON", "{not json"],
		["an array", "[1, 2]"],
		["null", "null"],
		["NUL bytes", "\0\0\0"],
		["wrong field types", '{"providers": 5, "defaultModel": 7, "theme": [], "retry": "x"}'],
		["a directory", null],
	];
	for (const file of ["settings.json", "models.json", "auth.json"]) {
		for (const [name, content] of contents) {
			test(`${file} is ${name}`, async () => {
				const server = await startLlmServer();
				try {
					const env = makePiEnv(server.url);
					const path = join(env.agentDir, file);
					const original = content ?? "";
					rmSync(path, { force: true });
					if (content === null) mkdirSync(path);
					else writeFileSync(path, content);
					const result = await runPi(["-p", "hi"], env);
					expect(hasStackTrace(result.stderr)).toBe(false);
					// A broken settings.json only loses its own settings; a broken models.json loses the test model.
					if (file !== "models.json") expect(result.stdout).toBe("ok\n");
					else expect(result.exitCode).toBe(1);
					if (file === "settings.json") expect(result.stderr).toContain("settings.json");
					if (file === "models.json") expect(result.stderr).toContain("models.json");
					// Nothing rewrote the broken file.
					if (content !== null) expect(readFileSync(path, "utf8")).toBe(original);
					else expect(statSync(path).isDirectory()).toBe(true);
				} finally {
					await server.close();
				}
			});
		}
	}
});

describe("saving settings", () => {
	test("a symlinked settings.json stays a symlink; its target is updated and keeps its permissions", () => {
		const dir = tempDir();
		const agentDir = join(dir, "agent");
		mkdirSync(agentDir);
		const dotfile = join(dir, "dotfiles-settings.json");
		writeFileSync(dotfile, '{"theme": "dark"}\n');
		chmodSync(dotfile, 0o600);
		symlinkSync(dotfile, join(agentDir, "settings.json"));
		const settings = SettingsManager.create(join(dir, "project"), agentDir);
		settings.set("defaultModel", "m1");
		expect(lstatSync(join(agentDir, "settings.json")).isSymbolicLink()).toBe(true);
		expect(JSON.parse(readFileSync(dotfile, "utf8"))).toEqual({ theme: "dark", defaultModel: "m1" });
		expect(statSync(dotfile).mode & 0o777).toBe(0o600);
	});

	test("a folder that cannot be written: the change applies in memory and a warning says so", () => {
		const dir = tempDir();
		writeFileSync(join(dir, "not-a-dir"), "");
		const agentDir = join(dir, "not-a-dir", "agent");
		const settings = SettingsManager.create(join(dir, "project"), agentDir);
		expect(() => settings.set("defaultModel", "m1")).not.toThrow();
		expect(settings.settings.defaultModel).toBe("m1");
		expect(settings.warnings.join("\n")).toContain("cannot be saved");
	});
});

describe("writeFileAtomicSync", () => {
	test("refuses to replace a device the path links to", () => {
		const dir = tempDir();
		const link = join(dir, "settings.json");
		symlinkSync("/dev/null", link);
		expect(() => writeFileAtomicSync(link, "{}")).toThrow("not a regular file");
		expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
	});

	test("an explicit mode wins over the existing file's", () => {
		const dir = tempDir();
		const path = join(dir, "auth.json");
		writeFileSync(path, "{}");
		chmodSync(path, 0o644);
		writeFileAtomicSync(path, "{}", { mode: 0o600 });
		expect(statSync(path).mode & 0o777).toBe(0o600);
	});
});

describe("context files that are not text", () => {
	test("an AGENTS.md that is a FIFO is skipped instead of blocking startup", async () => {
		const server = await startLlmServer();
		try {
			const env = makePiEnv(server.url);
			expect(Bun.spawnSync(["mkfifo", join(env.cwd, "AGENTS.md")]).exitCode).toBe(0);
			const result = await runPi(["-p", "hi"], env);
			expect(result.stdout).toBe("ok\n");
		} finally {
			await server.close();
		}
	});

	test("a binary AGENTS.md is sent as text without breaking the request", async () => {
		const server = await startLlmServer();
		try {
			const env = makePiEnv(server.url);
			const bytes = new Uint8Array(64 * 1024).map((_, i) => (i * 131) % 256);
			writeFileSync(join(env.cwd, "AGENTS.md"), bytes);
			const result = await runPi(["-p", "hi"], env);
			expect(hasStackTrace(result.stderr)).toBe(false);
			expect(result.stdout).toBe("ok\n");
		} finally {
			await server.close();
		}
	});
});
