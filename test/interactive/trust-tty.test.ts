/**
 * The real CLI in a pseudo-terminal (tmux): pi 1.6.0's trust prompt before a project's .pi resources load, the
 * warning when they were skipped, and /trust saving a decision. Skipped without tmux.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { writeTree } from "../resources/helpers.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

const SIZE = { columns: 120, rows: 50 };

function project(server: LlmTestServer): PiEnv {
	const env = makePiEnv(server.url);
	writeTree(env.cwd, { ".pi/SYSTEM.md": "PROJECT-SYSTEM-PROMPT", "AGENTS.md": "CONTEXT-RULE" });
	return env;
}

function trustFile(env: PiEnv): unknown {
	const path = join(env.agentDir, "trust.json");
	return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

function systemPrompt(server: LlmTestServer): string {
	const body = v.parse(
		v.object({ messages: v.array(v.object({ role: v.string(), content: v.unknown() })) }),
		server.requests.at(-1)?.body,
	);
	return JSON.stringify(body.messages.find((m) => m.role === "system")?.content);
}

describe.skipIf(!tmuxBinary)("project trust in a terminal", () => {
	test("'Do not trust' is saved, skips .pi and says so; /trust then saves 'Trust' for the next start", async () => {
		const server = await startLlmServer({ turns: [{ text: "answer one" }] });
		const env = project(server);
		const cwd = realpathSync(env.cwd);
		const pi = new TmuxPi(env, [], SIZE);
		try {
			const prompt = await pi.waitFor("Do not trust (this session only)");
			for (const line of [
				"Trust project folder?",
				env.cwd,
				"This allows pi to load .pi settings and resources, install missing project packages, and execute",
				"→ Trust",
				`Trust parent folder (${join(cwd, "..")})`,
				"Trust (this session only)",
				"↑↓ navigate  enter select  escape/ctrl+c cancel",
			]) {
				expect(prompt).toContain(line);
			}
			pi.keys("Down", "Down", "Down");
			await pi.waitFor("→ Do not trust");
			pi.keys("Enter");
			await pi.waitFor("This project is not trusted. Project .pi resources and packages are ignored.");
			expect(trustFile(env)).toEqual({ [cwd]: false });
			pi.type("hi");
			pi.keys("Enter");
			await pi.waitFor("answer one");
			expect(systemPrompt(server)).toContain("CONTEXT-RULE");
			expect(systemPrompt(server)).not.toContain("PROJECT-SYSTEM-PROMPT");

			pi.type("/trust");
			pi.keys("Enter");
			const dialog = await pi.waitFor("Current session: untrusted");
			expect(dialog).toContain("Project trust");
			expect(dialog).toContain(`Saved decision: untrusted (${cwd})`);
			expect(dialog).toContain("→ ✓ Do not trust");
			expect(dialog).toContain("enter save");
			pi.keys("Up", "Up", "Enter");
			await pi.waitFor("Saved trust decision: trusted. Restart pi for this to take effect.");
			expect(trustFile(env)).toEqual({ [cwd]: true });
		} finally {
			pi.kill();
			await server.close();
		}
	}, 30_000);

	test("'Trust (this session only)' loads .pi without saving; the next start asks again", async () => {
		const server = await startLlmServer({ turns: [{ text: "answer two" }] });
		const env = project(server);
		const first = new TmuxPi(env, [], SIZE);
		try {
			await first.waitFor("Trust project folder?");
			first.keys("Down", "Down");
			await first.waitFor("→ Trust (this session only)");
			first.keys("Enter");
			await first.waitFor("[Context]");
			expect(first.screen()).not.toContain("This project is not trusted");
			first.type("hi");
			first.keys("Enter");
			await first.waitFor("answer two");
			expect(systemPrompt(server)).toStartWith('"PROJECT-SYSTEM-PROMPT');
			expect(trustFile(env)).toBeUndefined();
		} finally {
			first.kill();
		}
		// Escape cancels: not trusted, nothing saved.
		const second = new TmuxPi(env, [], SIZE);
		try {
			await second.waitFor("Trust project folder?");
			second.keys("Escape");
			await second.waitFor("This project is not trusted.");
			expect(trustFile(env)).toBeUndefined();
		} finally {
			second.kill();
			await server.close();
		}
	}, 30_000);
});
