/**
 * Project trust through the real CLI in the modes without a prompt (print, JSON, RPC): a repository's .pi/SYSTEM.md,
 * settings and skills reach the model only after --approve, a saved decision or defaultProjectTrust "always";
 * context files always do; the project sessionDir is used either way (pi reads it before deciding).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { writeTree } from "../resources/helpers.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, runPi } from "../support/run-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

const Body = v.object({ messages: v.array(v.object({ role: v.string(), content: v.unknown() })) });

/** The system prompt of the latest request (OpenAI completions: a plain string). */
function lastSystemPrompt(): string {
	const body = v.parse(Body, server.requests.at(-1)?.body);
	const system = body.messages.find((m) => m.role === "system" || m.role === "developer");
	return typeof system?.content === "string" ? system.content : JSON.stringify(system?.content);
}

/** A repository that tries to change the prompt, with a context file and its own session folder. */
function hostileProject(): PiEnv {
	const env = makePiEnv(server.url);
	writeTree(env.cwd, {
		"AGENTS.md": "CONTEXT-RULE",
		".pi/SYSTEM.md": "PROJECT-SYSTEM-PROMPT",
		".pi/APPEND_SYSTEM.md": "PROJECT-APPEND",
		".pi/settings.json": JSON.stringify({ sessionDir: "project-sessions", defaultProjectTrust: "always" }),
		".pi/skills/sneaky/SKILL.md": "---\nname: sneaky\ndescription: PROJECT-SKILL\n---\nDo it.\n",
	});
	return env;
}

function setGlobal(env: PiEnv, extra: Record<string, unknown>): void {
	const path = join(env.agentDir, "settings.json");
	const current: unknown = JSON.parse(readFileSync(path, "utf8"));
	writeFileSync(path, JSON.stringify({ ...v.parse(v.record(v.string(), v.unknown()), current), ...extra }));
}

const expectUntrusted = (system: string) => {
	expect(system).toContain("CONTEXT-RULE");
	expect(system).not.toContain("PROJECT-SYSTEM-PROMPT");
	expect(system).not.toContain("PROJECT-APPEND");
	expect(system).not.toContain("PROJECT-SKILL");
};
const expectTrusted = (system: string) => {
	expect(system).toContain("CONTEXT-RULE");
	expect(system).toStartWith("PROJECT-SYSTEM-PROMPT");
	expect(system).toContain("PROJECT-APPEND");
};

describe("print mode", () => {
	test("default 'ask' without a prompt skips the project (its own defaultProjectTrust does not count)", async () => {
		const env = hostileProject();
		const run = await runPi(["-p", "hi"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expectUntrusted(lastSystemPrompt());
		expect(existsSync(join(env.agentDir, "trust.json"))).toBe(false);
		// The project sessionDir is read before trust, as pi does.
		expect(readdirSync(join(env.cwd, "project-sessions")).some((f) => f.endsWith(".jsonl"))).toBe(true);
	});

	test("--approve / -a trusts for this run only; --no-approve beats a saved decision", async () => {
		const env = hostileProject();
		expect((await runPi(["-a", "-p", "hi"], env)).exitCode).toBe(0);
		expectTrusted(lastSystemPrompt());
		expect(existsSync(join(env.agentDir, "trust.json"))).toBe(false);
		writeFileSync(join(env.agentDir, "trust.json"), JSON.stringify({ [realpathSync(env.cwd)]: true }));
		expect((await runPi(["-p", "hi"], env)).exitCode).toBe(0);
		expectTrusted(lastSystemPrompt());
		expect((await runPi(["--no-approve", "-p", "hi"], env)).exitCode).toBe(0);
		expectUntrusted(lastSystemPrompt());
		expect((await runPi(["-na", "-p", "hi"], env)).exitCode).toBe(0);
		expectUntrusted(lastSystemPrompt());
	});

	test("global defaultProjectTrust 'always' loads, 'never' skips; a saved parent decision applies", async () => {
		const env = hostileProject();
		setGlobal(env, { defaultProjectTrust: "always" });
		expect((await runPi(["-p", "hi"], env)).exitCode).toBe(0);
		expectTrusted(lastSystemPrompt());
		setGlobal(env, { defaultProjectTrust: "never" });
		expect((await runPi(["-p", "hi"], env)).exitCode).toBe(0);
		expectUntrusted(lastSystemPrompt());
		writeFileSync(join(env.agentDir, "trust.json"), JSON.stringify({ [realpathSync(env.home)]: true }));
		expect((await runPi(["-p", "hi"], env)).exitCode).toBe(0);
		expectTrusted(lastSystemPrompt());
	});
});

describe("json and rpc modes", () => {
	test("json mode skips an undecided project and loads it with --approve", async () => {
		const env = hostileProject();
		expect((await runPi(["--mode", "json", "hi"], env)).exitCode).toBe(0);
		expectUntrusted(lastSystemPrompt());
		expect((await runPi(["--mode", "json", "--approve", "hi"], env)).exitCode).toBe(0);
		expectTrusted(lastSystemPrompt());
	});

	test("rpc: project skills are listed by get_commands only when trusted", async () => {
		const env = hostileProject();
		const commands = async (args: string[]): Promise<string[]> => {
			const stdin = `${JSON.stringify({ id: "1", type: "get_commands" })}\n`;
			const run = await runPi(["--mode", "rpc", ...args], env, { stdin });
			expect(run.exitCode).toBe(0);
			const Reply = v.object({
				id: v.literal("1"),
				data: v.object({ commands: v.array(v.object({ name: v.string() })) }),
			});
			const reply = run.stdout
				.split("\n")
				.filter((line) => line.trim() !== "")
				.map((line): unknown => JSON.parse(line))
				.find((line) => v.is(Reply, line));
			return v.parse(Reply, reply).data.commands.map((c) => c.name);
		};
		expect(await commands([])).not.toContain("skill:sneaky");
		expect(await commands(["--approve"])).toContain("skill:sneaky");
	});
});
