/**
 * Extensions of pi packages run (pi 1.6.0): those of installed packages (local, npm, git; the project's only once
 * trusted) and those of `-e npm:…` / `-e git:…` for one run, which leave the settings untouched. Through the real
 * CLI (the compiled binary with PI_TEST_BINARY) against a fixture npm registry and a git server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { offeredTools, toolResults } from "../extensions/run-extension.ts";
import { type LlmTestServer, type ScriptedTurn, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, runPi } from "../support/run-pi.ts";
import {
	type FixtureGitServer,
	type FixtureRegistry,
	makePackage,
	startFixtureGitServer,
	startFixtureRegistry,
	writeFiles,
} from "./fixtures.ts";

let registry: FixtureRegistry;
let gitServer: FixtureGitServer;
const servers: LlmTestServer[] = [];
beforeAll(() => {
	registry = startFixtureRegistry();
	gitServer = startFixtureGitServer();
});
afterAll(async () => {
	await registry.close();
	await gitServer.close();
	await Promise.all(servers.map((server) => server.close()));
});

/** An extension that registers a tool `name` answering `answer` (imports the pi packages the binary provides). */
function toolExtension(name: string, answer: string): string {
	return `import { Type } from "typebox";
export default function (pi) {
	pi.registerTool({
		name: ${JSON.stringify(name)},
		label: ${JSON.stringify(name)},
		description: "A tool from a pi package",
		parameters: Type.Object({}),
		async execute() {
			return { content: [{ type: "text", text: ${JSON.stringify(answer)} }], details: {} };
		},
	});
}
`;
}

async function env(turns: ScriptedTurn[] = []): Promise<{ server: LlmTestServer; piEnv: PiEnv }> {
	const server = await startLlmServer({ turns });
	servers.push(server);
	const piEnv = makePiEnv(server.url);
	piEnv.env.NPM_CONFIG_REGISTRY = registry.url;
	// Package commands reach the fixture servers.
	delete piEnv.env.PI_OFFLINE;
	return { server, piEnv };
}

/** Runs `pi -p` where the model calls `tool`; returns the tool's answer as the model saw it. */
async function callTool(server: LlmTestServer, piEnv: PiEnv, tool: string, args: string[] = []): Promise<string[]> {
	const before = server.requests.length;
	server.enqueue({ toolCalls: [{ name: tool, arguments: {} }] }, { text: "done" });
	const run = await runPi(["-p", ...args, "use the tool"], piEnv);
	expect(run.stderr).not.toContain("Error");
	expect(run.exitCode).toBe(0);
	expect(offeredTools(server, before)).toContain(tool);
	return toolResults(server);
}

function settingsPackages(path: string): unknown {
	return (JSON.parse(readFileSync(path, "utf8")) as { packages?: unknown }).packages;
}

describe("extensions of pi packages", () => {
	test("an installed local package: its extension's tool is offered and runs; removed, it is gone", async () => {
		const { server, piEnv } = await env();
		const pkg = makePackage(
			{ name: "ext-pkg", version: "1.0.0", pi: { extensions: ["./src/main.ts"] } },
			{ "src/main.ts": toolExtension("pkg_local", "answer from the local package") },
		);
		expect((await runPi(["install", pkg], piEnv)).exitCode).toBe(0);
		expect(await callTool(server, piEnv, "pkg_local")).toEqual(["answer from the local package"]);
		expect((await runPi(["remove", pkg], piEnv)).exitCode).toBe(0);
		server.enqueue({ text: "plain" });
		await runPi(["-p", "hi"], piEnv);
		expect(offeredTools(server)).not.toContain("pkg_local");
	}, 60_000);

	test("an npm package: installed into the agent folder, its extension (conventional extensions/ folder) loads", async () => {
		const { server, piEnv } = await env();
		registry.publish("@fx/ext-pkg", "1.0.0", { "extensions/tool.ts": toolExtension("pkg_npm", "answer from npm") });
		expect((await runPi(["install", "npm:@fx/ext-pkg"], piEnv)).exitCode).toBe(0);
		expect(await callTool(server, piEnv, "pkg_npm")).toEqual(["answer from npm"]);
	}, 60_000);

	test("-e npm:… runs a package for this run only: settings untouched, nothing in the agent folder", async () => {
		const { server, piEnv } = await env();
		registry.publish(
			"temp-ext",
			"1.0.0",
			{ "main.ts": toolExtension("pkg_temp", "answer for one run") },
			{ pi: { extensions: ["./main.ts"] } },
		);
		expect(await callTool(server, piEnv, "pkg_temp", ["-e", "npm:temp-ext"])).toEqual(["answer for one run"]);
		expect(settingsPackages(join(piEnv.agentDir, "settings.json"))).toBeUndefined();
		expect(existsSync(join(piEnv.agentDir, "npm", "node_modules", "temp-ext"))).toBe(false);
		// A second run uses the cached copy; an unknown package is a warning and the run goes on.
		expect(await callTool(server, piEnv, "pkg_temp", ["-e", "npm:temp-ext", "-e", "npm:no-such-pkg-anywhere"])).toEqual(
			["answer for one run"],
		);
	}, 60_000);

	test("-e git:… clones the repository for this run and loads its extension", async () => {
		const { server, piEnv } = await env();
		gitServer.commit("fx", "git-ext", {
			"package.json": JSON.stringify({ name: "git-ext", pi: { extensions: ["./ext.ts"] } }),
			"ext.ts": toolExtension("pkg_git", "answer from git"),
		});
		const source = `git:${gitServer.url("fx", "git-ext")}`;
		expect(await callTool(server, piEnv, "pkg_git", ["-e", source])).toEqual(["answer from git"]);
		expect(settingsPackages(join(piEnv.agentDir, "settings.json"))).toBeUndefined();
	}, 60_000);

	test("a project package's extension runs only in a trusted project", async () => {
		const { server, piEnv } = await env();
		const pkg = makePackage(
			{ name: "proj-ext", pi: { extensions: ["./e.ts"] } },
			{ "e.ts": toolExtension("pkg_project", "answer from the project") },
		);
		writeFiles(piEnv.cwd, { ".pi/settings.json": "{}" });
		expect((await runPi(["install", "-l", "--approve", pkg], piEnv)).exitCode).toBe(0);
		expect(settingsPackages(join(piEnv.cwd, ".pi", "settings.json"))).toHaveLength(1);
		server.enqueue({ text: "untrusted" });
		await runPi(["-p", "--no-approve", "hi"], piEnv);
		expect(offeredTools(server)).not.toContain("pkg_project");
		expect(await callTool(server, piEnv, "pkg_project", ["--approve"])).toEqual(["answer from the project"]);
	}, 60_000);
});
