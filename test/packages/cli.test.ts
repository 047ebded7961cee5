/**
 * `pi install | list | update | remove` through the real CLI (the compiled binary with PI_TEST_BINARY), against a
 * local folder, a fixture npm registry and a git repository served on 127.0.0.1: the settings and files change as
 * pi 1.6.0 changes them, and the packages' skills reach the model.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, runPi } from "../support/run-pi.ts";
import {
	type FixtureGitServer,
	type FixtureRegistry,
	makePackage,
	skillMd,
	startFixtureGitServer,
	startFixtureRegistry,
	writeFiles,
} from "./fixtures.ts";

let llm: LlmTestServer;
let registry: FixtureRegistry;
let gitServer: FixtureGitServer;
beforeAll(async () => {
	llm = await startLlmServer();
	registry = startFixtureRegistry();
	gitServer = startFixtureGitServer();
});
afterAll(async () => {
	await llm.close();
	await registry.close();
	await gitServer.close();
});

function env(): PiEnv {
	const piEnv = makePiEnv(llm.url);
	piEnv.env.NPM_CONFIG_REGISTRY = registry.url;
	// Package commands reach the fixture servers; only the agent's own startup stays offline.
	delete piEnv.env.PI_OFFLINE;
	return piEnv;
}

function settingsOf(path: string): Record<string, unknown> {
	return v.parse(v.record(v.string(), v.unknown()), JSON.parse(readFileSync(path, "utf8")));
}

async function systemPrompt(piEnv: PiEnv, args: string[] = []): Promise<string> {
	const before = llm.requests.length;
	const run = await runPi(["-p", ...args, "hi"], piEnv);
	expect(run.exitCode).toBe(0);
	const body = v.parse(
		v.object({ messages: v.array(v.object({ role: v.string(), content: v.unknown() })) }),
		llm.requests[before]?.body,
	);
	return JSON.stringify(body.messages.find((m) => m.role === "system")?.content);
}

describe("a local package", () => {
	test("install stores the path relative to the settings file; its skill loads; list and remove", async () => {
		const piEnv = env();
		const pkg = makePackage(
			{ name: "local-pkg", version: "1.0.0" },
			{ "skills/hello/SKILL.md": skillMd("hello", "Says hello") },
		);
		const install = await runPi(["install", pkg], piEnv);
		expect(install).toMatchObject({ exitCode: 0, stdout: `Installing ${pkg}...\nInstalled ${pkg}\n` });
		const settingsPath = join(piEnv.agentDir, "settings.json");
		const stored = (settingsOf(settingsPath).packages as string[])[0] ?? "";
		expect(join(piEnv.agentDir, stored)).toBe(pkg);
		expect(await systemPrompt(piEnv)).toContain("Says hello");

		const list = await runPi(["list"], piEnv);
		expect(list.stdout).toBe(`User packages:\n  ${stored}\n    ${pkg}\n`);

		expect((await runPi(["remove", pkg], piEnv)).stdout).toBe(`Removing ${pkg}...\nRemoved ${pkg}\n`);
		expect(settingsOf(settingsPath).packages).toEqual([]);
		expect(existsSync(pkg)).toBe(true);
		expect((await runPi(["list"], piEnv)).stdout).toBe("No packages installed.\n");
		const missing = await runPi(["remove", pkg], piEnv);
		expect(missing).toMatchObject({ exitCode: 1, stderr: `No matching package found for ${pkg}\n` });
	});

	test("-l writes .pi/settings.json, only in a trusted project; project packages load only when trusted", async () => {
		const piEnv = env();
		const pkg = makePackage(
			{ name: "p", pi: { skills: ["./s"] } },
			{ "s/proj-skill/SKILL.md": skillMd("proj-skill", "PROJECT-PKG") },
		);
		// A folder with nothing to guard is trusted (pi's rule); one with a .pi/settings.json needs a decision.
		writeFiles(piEnv.cwd, { ".pi/settings.json": "{}" });
		const refused = await runPi(["install", "-l", pkg], piEnv);
		expect(refused).toMatchObject({
			exitCode: 1,
			stderr: "Project is not trusted. Use --approve to modify local package config.\n",
		});
		expect(readFileSync(join(piEnv.cwd, ".pi", "settings.json"), "utf8")).toBe("{}");

		expect((await runPi(["install", "-l", "--approve", pkg], piEnv)).exitCode).toBe(0);
		expect(settingsOf(join(piEnv.cwd, ".pi", "settings.json")).packages).toHaveLength(1);
		expect(await systemPrompt(piEnv)).not.toContain("PROJECT-PKG");
		expect(await systemPrompt(piEnv, ["--approve"])).toContain("PROJECT-PKG");
		const list = await runPi(["list", "-a"], piEnv);
		expect(list.stdout).toContain("Project packages:\n");
	});

	test("bad arguments are one-line errors with the usage", async () => {
		const piEnv = env();
		expect(await runPi(["install"], piEnv)).toMatchObject({
			exitCode: 1,
			stderr: "Missing install source.\nUsage: pi install <source> [-l] [--approve|--no-approve]\n",
		});
		expect((await runPi(["list", "--bogus"], piEnv)).stderr).toBe(
			'Unknown option --bogus for "list".\nUsage: pi list [--approve|--no-approve]\n',
		);
		const missingPath = await runPi(["install", "./nope"], piEnv);
		expect(missingPath.exitCode).toBe(1);
		expect(missingPath.stderr).toContain(`Error: Path does not exist: ${join(realpathSync(piEnv.cwd), "nope")}`);
		// No package manager run for a source without a package name: the error says what to write instead.
		const noName = await runPi(["install", "npm:"], piEnv);
		expect(noName.exitCode).toBe(1);
		expect(noName.stderr).toContain('Error: "npm:" names no package; write npm:<name> or npm:<name>@<version>');
		expect(noName.stderr).not.toContain("bun install");
	});
});

describe("an npm package (fixture registry)", () => {
	test("install → agentDir/npm/node_modules, skill loads; update moves to the new version; remove deletes it", async () => {
		const piEnv = env();
		registry.publish("@fx/skills-pkg", "1.0.0", { "skills/npm-skill/SKILL.md": skillMd("npm-skill", "FROM-NPM-1") });
		const install = await runPi(["install", "npm:@fx/skills-pkg"], piEnv);
		expect(install.stderr).not.toContain("Error");
		expect(install.exitCode).toBe(0);
		const installed = join(piEnv.agentDir, "npm", "node_modules", "@fx", "skills-pkg");
		expect(settingsOf(join(installed, "package.json")).version).toBe("1.0.0");
		expect(settingsOf(join(piEnv.agentDir, "npm", "package.json")).name).toBe("pi-extensions");
		expect(readFileSync(join(piEnv.agentDir, "npm", ".gitignore"), "utf8")).toBe("*\n!.gitignore\n");
		expect(settingsOf(join(piEnv.agentDir, "settings.json")).packages).toEqual(["npm:@fx/skills-pkg"]);
		expect(await systemPrompt(piEnv)).toContain("FROM-NPM-1");

		const current = await runPi(["update", "--extensions"], piEnv);
		expect(current.stdout).toContain("Packages are already up to date");

		registry.publish("@fx/skills-pkg", "1.1.0", { "skills/npm-skill/SKILL.md": skillMd("npm-skill", "FROM-NPM-2") });
		const updated = await runPi(["update", "npm:@fx/skills-pkg"], piEnv);
		expect(updated.exitCode).toBe(0);
		expect(updated.stdout).toContain("Updated 1 package:\n  npm:@fx/skills-pkg 1.0.0 -> 1.1.0\n");
		expect(await systemPrompt(piEnv)).toContain("FROM-NPM-2");

		expect((await runPi(["uninstall", "npm:@fx/skills-pkg"], piEnv)).exitCode).toBe(0);
		expect(existsSync(installed)).toBe(false);
		expect(settingsOf(join(piEnv.agentDir, "settings.json")).packages).toEqual([]);
	}, 60_000);

	test("a configured package that is missing is installed at startup; one that fails is a warning, the run goes on", async () => {
		const piEnv = env();
		registry.publish("auto-pkg", "2.0.0", { "prompts/auto.md": "---\ndescription: AUTO-PROMPT\n---\nDo it." });
		writeFiles(piEnv.agentDir, {
			"settings.json": JSON.stringify({
				defaultProvider: "test",
				defaultModel: "test-model",
				packages: ["npm:auto-pkg", "npm:does-not-exist-anywhere"],
			}),
		});
		const commands = await runPi(["--mode", "rpc"], piEnv, {
			stdin: `${JSON.stringify({ id: "1", type: "get_commands" })}\n`,
		});
		expect(commands.stdout).toContain('"name":"auto"');
		expect(commands.stdout).toContain('"origin":"package"');
		expect(existsSync(join(piEnv.agentDir, "npm", "node_modules", "auto-pkg"))).toBe(true);
		expect(commands.stderr).toContain('Warning: Extension package "npm:does-not-exist-anywhere": failed to install (');
		expect(commands.stderr).toContain('Run "pi remove npm:does-not-exist-anywhere" to remove it from settings.json.');
	}, 60_000);
});

describe("a git package (served on 127.0.0.1)", () => {
	test("install clones to agentDir/git/<host>/<path>; update pulls new commits; remove deletes the clone", async () => {
		const piEnv = env();
		gitServer.commit("owner", "repo", {
			"package.json": JSON.stringify({ name: "git-pkg", version: "1.0.0" }),
			"skills/git-skill/SKILL.md": skillMd("git-skill", "FROM-GIT-1"),
		});
		const source = gitServer.url("owner", "repo");
		const install = await runPi(["install", source], piEnv);
		expect(install.stderr).not.toContain("Error");
		expect(install.exitCode).toBe(0);
		const clone = join(piEnv.agentDir, "git", "127.0.0.1", "owner", "repo");
		expect(existsSync(join(clone, "skills", "git-skill", "SKILL.md"))).toBe(true);
		expect(await systemPrompt(piEnv)).toContain("FROM-GIT-1");

		const second = gitServer.commit("owner", "repo", {
			"skills/git-skill/SKILL.md": skillMd("git-skill", "FROM-GIT-2"),
		});
		const updated = await runPi(["update", "--extensions"], piEnv);
		expect(updated.stdout).toContain(`Updated 1 package:\n  ${source} `);
		expect(updated.stdout).toContain(`-> ${second.slice(0, 7)}`);
		expect(await systemPrompt(piEnv)).toContain("FROM-GIT-2");

		expect((await runPi(["remove", source], piEnv)).exitCode).toBe(0);
		expect(existsSync(join(piEnv.agentDir, "git", "127.0.0.1"))).toBe(false);
	}, 60_000);

	test("a clone that fails leaves no folders behind and nothing in settings", async () => {
		const piEnv = env();
		const source = gitServer.url("owner", "never-created");
		const install = await runPi(["install", source], piEnv);
		expect(install.exitCode).toBe(1);
		expect(install.stderr).toContain("Nothing was added to settings.");
		expect(existsSync(join(piEnv.agentDir, "git", "127.0.0.1"))).toBe(false);
	}, 60_000);
});
