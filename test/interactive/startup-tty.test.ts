/**
 * The real CLI in a pseudo-terminal (tmux): first-run guidance without any model, the startup resource listing, and
 * /reload picking up new context files and skills into the system prompt sent to the model. Skipped without tmux.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer } from "../support/llm-server.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

const SIZE = { columns: 120, rows: 50 };

function writeSkill(root: string, name: string): void {
	mkdirSync(join(root, name), { recursive: true });
	writeFileSync(join(root, name, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill\n---\nBody.\n`);
}

describe.skipIf(!tmuxBinary)("interactive startup in a terminal", () => {
	test("first run without any model: the guidance, and a prompt explains instead of failing", async () => {
		const env = makePiEnv();
		const pi = new TmuxPi(env, [], SIZE);
		try {
			await pi.waitFor("No models available. Use /login");
			expect(pi.screen()).toContain("ANTHROPIC_API_KEY");
			pi.keys("-l", "hello");
			pi.keys("Enter");
			await pi.waitFor("Error: No model selected.");
			await pi.waitFor("Then use /model to select a model.");
		} finally {
			pi.kill();
		}
	}, 30_000);

	test("[Context] and [Skills] at startup; /reload brings new ones into the system prompt", async () => {
		const server = await startLlmServer({ turns: [{ text: "done" }] });
		const env = makePiEnv(server.url);
		writeFileSync(join(env.cwd, "AGENTS.md"), "Project rule.\n");
		writeSkill(join(env.cwd, ".pi", "skills"), "lint-fixer");
		const pi = new TmuxPi(env, [], SIZE);
		try {
			// The project has .pi/skills: pi asks first; Enter on the first choice trusts the folder for good.
			await pi.waitFor("Trust project folder?");
			pi.keys("Enter");
			await pi.waitFor("[Context]");
			await pi.waitFor("lint-fixer");
			expect(pi.screen()).toContain("[Skills]");
			writeFileSync(join(env.agentDir, "AGENTS.md"), "RELOADED-GLOBAL-RULE\n");
			writeSkill(join(env.cwd, ".pi", "skills"), "doc-writer");
			pi.keys("-l", "/reload");
			pi.keys("Enter");
			await pi.waitFor("Reloaded keybindings, extensions, skills, prompts, themes");
			await pi.waitFor("doc-writer, lint-fixer");
			expect(pi.screen()).toContain("~/.pi/agent/AGENTS.md, AGENTS.md");
			pi.keys("-l", "hi");
			pi.keys("Enter");
			await pi.waitFor("done");
			const body = JSON.stringify(server.requests[0]?.body);
			expect(body).toContain("RELOADED-GLOBAL-RULE");
			expect(body).toContain("doc-writer");
		} finally {
			pi.kill();
			await server.close();
		}
	}, 30_000);
});
