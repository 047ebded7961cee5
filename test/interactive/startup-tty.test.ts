/**
 * The real CLI in a pseudo-terminal (tmux): first-run guidance without any model, the startup resource listing, and
 * /reload picking up new context files and skills into the system prompt sent to the model. Skipped without tmux.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, piCommand } from "../support/run-pi.ts";

const tmux = Bun.which("tmux");
let counter = 0;

function startInTmux(env: PiEnv, args: string[]) {
	const name = `pi-startup-${process.pid}-${counter++}`;
	const script = join(env.home, `${name}.sh`);
	const exports = Object.entries(env.env)
		.map(([key, value]) => `export ${key}=${JSON.stringify(value)}`)
		.join("\n");
	const command = [...piCommand(), ...args].map((part) => JSON.stringify(part)).join(" ");
	writeFileSync(script, `${exports}\ncd ${JSON.stringify(env.cwd)}\n${command}\necho "[pi exited $?]"\nsleep 600\n`);
	const run = (...a: string[]) =>
		Bun.spawnSync([tmux ?? "tmux", ...a], { stdout: "pipe", stderr: "pipe" }).stdout.toString();
	run("new-session", "-d", "-s", name, "-x", "120", "-y", "50", `sh ${script}`);
	return {
		screen: () => run("capture-pane", "-p", "-J", "-t", name, "-S", "-200"),
		keys: (...k: string[]) => run("send-keys", "-t", name, ...k),
		kill: () => run("kill-session", "-t", name),
	};
}

async function waitFor(screen: () => string, text: string, timeoutMs = 10_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let current = "";
	while (Date.now() < deadline) {
		current = screen();
		if (current.includes(text)) return current;
		await Bun.sleep(25);
	}
	throw new Error(`timed out waiting for ${text}; screen:\n${current}`);
}

function writeSkill(root: string, name: string): void {
	mkdirSync(join(root, name), { recursive: true });
	writeFileSync(join(root, name, "SKILL.md"), `---\nname: ${name}\ndescription: The ${name} skill\n---\nBody.\n`);
}

describe.skipIf(!tmux)("interactive startup in a terminal", () => {
	test("first run without any model: the guidance, and a prompt explains instead of failing", async () => {
		const env = makePiEnv();
		const pi = startInTmux(env, []);
		try {
			await waitFor(pi.screen, "No models available. Use /login");
			expect(pi.screen()).toContain("ANTHROPIC_API_KEY");
			pi.keys("-l", "hello");
			pi.keys("Enter");
			await waitFor(pi.screen, "Error: No model selected.");
			await waitFor(pi.screen, "Then use /model to select a model.");
		} finally {
			pi.kill();
		}
	}, 30_000);

	test("[Context] and [Skills] at startup; /reload brings new ones into the system prompt", async () => {
		const server = await startLlmServer({ turns: [{ text: "done" }] });
		const env = makePiEnv(server.url);
		writeFileSync(join(env.cwd, "AGENTS.md"), "Project rule.\n");
		writeSkill(join(env.cwd, ".pi", "skills"), "lint-fixer");
		const pi = startInTmux(env, []);
		try {
			await waitFor(pi.screen, "[Context]");
			await waitFor(pi.screen, "lint-fixer");
			expect(pi.screen()).toContain("[Skills]");
			writeFileSync(join(env.agentDir, "AGENTS.md"), "RELOADED-GLOBAL-RULE\n");
			writeSkill(join(env.cwd, ".pi", "skills"), "doc-writer");
			pi.keys("-l", "/reload");
			pi.keys("Enter");
			await waitFor(pi.screen, "Reloaded keybindings, extensions, skills, prompts, themes");
			await waitFor(pi.screen, "doc-writer, lint-fixer");
			expect(pi.screen()).toContain("~/.pi/agent/AGENTS.md, AGENTS.md");
			pi.keys("-l", "hi");
			pi.keys("Enter");
			await waitFor(pi.screen, "done");
			const body = JSON.stringify(server.requests[0]?.body);
			expect(body).toContain("RELOADED-GLOBAL-RULE");
			expect(body).toContain("doc-writer");
		} finally {
			pi.kill();
			await server.close();
		}
	}, 30_000);
});
