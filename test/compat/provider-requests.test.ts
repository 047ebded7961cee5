/**
 * Requests against pi 1.6.0's own: the real pi and we run the same conversation (a tool call, then the answer) on
 * built-in catalog models pointed at the fake server, and every request body must be the same, key order included
 * — for the Codex subscription and OpenAI's Responses API the developer item, additional_tools or top-level tools
 * with strict schemas, configuration_update items, max_output_tokens, the replayed reasoning, call and result items;
 * for Chat Completions servers the strict tools and the output limit fitted into the context window — as well as
 * the headers that carry the session and pi's identity (Responses; pi's User-Agent everywhere). What only the machine decides (session ids, the
 * working folder, where the docs are installed, the runtime in the User-Agent) is normalised on both sides.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fakeChatGptToken } from "../ai/subscriptions/jwt.ts";
import { type ScriptedTurn, startLlmServer } from "../support/llm-server.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { runCommand } from "../support/run-command.ts";
import { makePiEnv, piCommand } from "../support/run-pi.ts";

const HEADERS = ["originator", "openai-beta", "accept", "content-type", "content-encoding", "chatgpt-account-id"];
const SESSION_HEADERS = ["session-id", "x-client-request-id"];

interface Captured {
	bodies: string[];
	headers: Record<string, string | undefined>[];
	output: string;
}

/** Runs `command` on `model` with the conversation `turns`, recording the requests, normalised. */
async function capture(
	command: string[],
	model: string,
	thinking: string,
	turns: ScriptedTurn[],
	extraEnv: Record<string, string> = {},
	extraArgs: string[] = [],
): Promise<Captured> {
	const env = makePiEnv();
	// A server per run: its ids count from zero for each side.
	const server = await startLlmServer();
	const provider = model.split("/")[0] ?? "";
	const baseUrl =
		provider === "openai-codex" || provider === "anthropic" ? "" : provider === "google" ? "/v1beta" : "/v1";
	writeFileSync(
		join(env.agentDir, "models.json"),
		JSON.stringify({ providers: { [provider]: { baseUrl: server.url + baseUrl } } }),
	);
	writeFileSync(join(env.agentDir, "settings.json"), JSON.stringify({ transport: "sse" }));
	const credential =
		provider === "openai-codex"
			? { type: "oauth", access: fakeChatGptToken("acct-7"), refresh: "r", expires: Date.now() + 3_600_000 }
			: { type: "api_key", key: "sk-test" };
	writeFileSync(join(env.agentDir, "auth.json"), JSON.stringify({ [provider]: credential }));
	writeFileSync(join(env.cwd, "a.txt"), "alpha\nbeta\n");
	server.enqueue(...turns);
	const args = ["--model", model, "--thinking", thinking, ...extraArgs, "-p", "read a.txt"];
	const result = await runCommand([...command, ...args], {
		cwd: env.cwd,
		env: { ...env.env, ...extraEnv },
		stdin: "ignore",
	});
	const requests = server.requests;
	await server.close();
	const normalise = (text: string) => {
		let out = text.split(env.cwd).join("<cwd>");
		const docs = /Main documentation: (.*?)\/README\.md/.exec(out)?.[1];
		if (docs) out = out.split(docs).join("<docs>");
		for (const request of requests) {
			const session = request.headers["session-id"] ?? request.headers["x-client-request-id"];
			if (session) out = out.split(session).join("<session>");
		}
		return out;
	};
	return {
		bodies: requests.map((request) => normalise(JSON.stringify(request.body))),
		headers: requests.map((request) =>
			Object.fromEntries(
				[...HEADERS, ...SESSION_HEADERS, "user-agent"].map((name) => {
					const value = request.headers[name];
					// Only the runtime part differs: pi runs on Node, we on Bun; the version is each build's own.
					if (name === "user-agent")
						return [name, value?.replace(/^pi\/[^ ]+ \(([^;]+); [^;]+; (.+)\)$/, "pi/<v> ($1; <runtime>; $2)")];
					return [name, value === undefined ? undefined : normalise(value)];
				}),
			),
		),
		output: result.stdout + result.stderr,
	};
}

const TOOL_TURN: ScriptedTurn = {
	thinking: "Let me look.",
	toolCalls: [{ id: "call_1", name: "read", arguments: { path: "a.txt" } }],
};
const ANSWER: ScriptedTurn = { thinking: "Got it.", text: "It says alpha and beta." };

const pi160 = referencePi160();
describe.skipIf(!pi160)("provider requests as pi 1.6.0 sends them", () => {
	/** A prompt of our own where the output limit is fitted into the window: pi's mentions where its docs are installed. */
	const ownPrompt = ["--system-prompt", "You are a test."];
	const cases: [name: string, model: string, thinking: string, env?: Record<string, string>, args?: string[]][] = [
		["Codex, thinking off (additional_tools, strict schemas, zstd)", "openai-codex/gpt-5.6-luna", "off"],
		["Codex, mid-conversation effort (configuration_update items)", "openai-codex/gpt-6-luna", "medium"],
		[
			"OpenAI, mid-conversation effort, long cache retention",
			"openai/gpt-6-luna",
			"high",
			{ PI_CACHE_RETENTION: "long" },
		],
		["OpenAI, top-level strict tools", "openai/gpt-5.4", "low"],
		["OpenAI, no reasoning: system role", "openai/gpt-4o", "off"],
		["OpenAI, no prompt cache", "openai/o3", "medium", { PI_CACHE_RETENTION: "none" }],
		[
			"Chat Completions, strict tools, output limit fitted into the window",
			"groq/llama-3.1-8b-instant",
			"off",
			{},
			ownPrompt,
		],
		["Chat Completions, strict tools and reasoning", "deepseek/deepseek-flash", "high"],
		["Chat Completions, Z.AI", "zai/glm-4.7", "medium"],
		["Anthropic, budget thinking, strict tools", "anthropic/claude-sonnet-4-5", "medium"],
		["Anthropic, adaptive thinking from the catalog", "anthropic/claude-opus-4-7", "high"],
		["Anthropic, thinking off", "anthropic/claude-haiku-4-5", "off"],
		["Gemini 4: thinking level, strict tools validated", "google/gemini-4-argon", "medium"],
		["Gemini 2.5: thinking budget", "google/gemini-2.5-flash", "low"],
	];
	for (const [name, model, thinking, env, args] of cases) {
		test(name, async () => {
			if (!pi160) throw new Error("pi 1.6.0 not installed");
			const theirs = await capture(pi160.command, model, thinking, [TOOL_TURN, ANSWER], env, args);
			const ours = await capture(piCommand(), model, thinking, [TOOL_TURN, ANSWER], env, args);
			expect(theirs.output).toContain("It says alpha and beta.");
			expect(ours.output).toBe(theirs.output);
			expect(ours.bodies).toHaveLength(2);
			expect(ours.bodies).toEqual(theirs.bodies);
			if (["openai", "openai-codex"].includes(model.split("/")[0] ?? "")) {
				expect(ours.headers).toEqual(theirs.headers);
			} else {
				// The others: pi's identity (their SDKs set the rest of the headers).
				const agents = (captured: Captured) => captured.headers.map((headers) => headers["user-agent"]);
				expect(agents(ours)).toEqual(agents(theirs));
			}
		}, 60_000);
	}
});
