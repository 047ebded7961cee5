/** Skills and templates through the real CLI: print mode against the test LLM server, and RPC get_commands. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, piCommand, runPi } from "../support/run-pi.ts";
import { skillMd, writeTree } from "./helpers.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

const RequestSchema = v.object({
	messages: v.array(v.object({ role: v.string(), content: v.unknown() })),
});

/** The system prompt and the last user message text of the latest request (OpenAI completions format). */
function lastRequest(): { system: string; user: string } {
	const body = v.parse(RequestSchema, server.requests.at(-1)?.body);
	const text = (content: unknown): string =>
		typeof content === "string"
			? content
			: v
					.parse(v.array(v.object({ type: v.string(), text: v.optional(v.string()) })), content)
					.map((part) => part.text ?? "")
					.join("");
	const system = body.messages.find((m) => m.role === "system" || m.role === "developer");
	const user = body.messages.filter((m) => m.role === "user").at(-1);
	return { system: text(system?.content), user: text(user?.content) };
}

function withResources(env: PiEnv): void {
	writeTree(env.agentDir, {
		"skills/deploy/SKILL.md": skillMd({ description: "Deploy the app & check it" }, "Run ./deploy.sh then verify."),
		"skills/secret/SKILL.md": skillMd({ description: "Hidden", "disable-model-invocation": true }, "Secret steps."),
	});
	writeTree(env.cwd, {
		".pi/prompts/review.md": "---\ndescription: Review a file\n---\nReview $1 focusing on $" + "{@:2}.",
		"extra/SKILL.md": skillMd({ name: "extra", description: "From --skill" }),
	});
}

describe("print mode", () => {
	test("skills are listed in the system prompt and a template is expanded in the request", async () => {
		const env = makePiEnv(server.url);
		withResources(env);
		server.enqueue({ text: "done" });
		// The project's .pi/prompts load only in a trusted project (here: --approve).
		const run = await runPi(["-p", "--approve", "--skill", "extra", "/review src/a.ts speed 'error handling'"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		const { system, user } = lastRequest();
		expect(user).toBe("Review src/a.ts focusing on speed error handling.");
		const deployFile = join(env.agentDir, "skills", "deploy", "SKILL.md");
		expect(system).toContain(
			`<available_skills>\n  <skill>\n    <name>deploy</name>\n    <description>Deploy the app &amp; check it</description>\n    <location>${deployFile}</location>\n  </skill>\n`,
		);
		expect(system).toContain(`<name>extra</name>`);
		expect(system).not.toContain("secret");
		// pi 1.6.0: the skills section sits after the project context and right before the cwd section.
		expect(system.indexOf("</available_skills>\n</skills>\n\n<cwd>\n")).toBeGreaterThan(0);
	});

	test("/skill:name expands to the skill's body, even one hidden from the model", async () => {
		const env = makePiEnv(server.url);
		withResources(env);
		server.enqueue({ text: "ok" });
		const run = await runPi(["-p", "/skill:secret now please"], env);
		expect(run.exitCode).toBe(0);
		const dir = join(env.agentDir, "skills", "secret");
		expect(lastRequest().user).toBe(
			`<skill name="secret" location="${join(dir, "SKILL.md")}">\nReferences are relative to ${dir}.\n\nSecret steps.\n</skill>\n\nnow please`,
		);
	});

	test("--no-skills and --no-prompt-templates turn discovery off; without read or bash, no skills block", async () => {
		const env = makePiEnv(server.url);
		withResources(env);
		server.enqueue({ text: "ok" });
		await runPi(["-p", "--no-skills", "--no-prompt-templates", "/review x"], env);
		const off = lastRequest();
		expect(off.user).toBe("/review x");
		expect(off.system).not.toContain("<available_skills>");
		server.enqueue({ text: "ok" });
		await runPi(["-p", "--tools", "bash", "hello"], env);
		expect(lastRequest().system).toContain("Use bash to load a skill's file");
		server.enqueue({ text: "ok" });
		await runPi(["-p", "--tools", "edit", "hello"], env);
		expect(lastRequest().system).not.toContain("<available_skills>");
	});
});

describe("rpc mode", () => {
	test("get_commands lists templates, then skills as skill:<name>, with their source", async () => {
		const env = makePiEnv(server.url);
		withResources(env);
		// Trusted through a saved decision this time.
		writeFileSync(join(env.agentDir, "trust.json"), JSON.stringify({ [realpathSync(env.cwd)]: true }));
		const proc = Bun.spawn([...piCommand(), "--mode", "rpc", "--no-skills", "--skill", "extra"], {
			cwd: env.cwd,
			env: env.env,
			stdin: new TextEncoder().encode(`${JSON.stringify({ id: "1", type: "get_commands" })}\n`),
			stdout: "pipe",
			stderr: "pipe",
		});
		const stdout = await new Response(proc.stdout).text();
		await proc.exited;
		const response: unknown = stdout
			.split("\n")
			.filter((line) => line.trim() !== "")
			.map((line): unknown => JSON.parse(line))
			.find((line) => v.is(v.object({ id: v.literal("1") }), line));
		const extraFile = join(env.cwd, "extra", "SKILL.md");
		const reviewFile = join(env.cwd, ".pi", "prompts", "review.md");
		expect(response).toEqual({
			id: "1",
			type: "response",
			command: "get_commands",
			success: true,
			data: {
				commands: [
					{
						name: "review",
						description: "Review a file",
						source: "prompt",
						sourceInfo: {
							path: reviewFile,
							source: "auto",
							scope: "project",
							origin: "top-level",
							baseDir: join(env.cwd, ".pi"),
						},
					},
					{
						name: "skill:extra",
						description: "From --skill",
						source: "skill",
						sourceInfo: {
							path: extraFile,
							source: "local",
							scope: "temporary",
							origin: "top-level",
							baseDir: join(env.cwd, "extra"),
						},
					},
				],
			},
		});
	});
});
