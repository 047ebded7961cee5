/**
 * Running pi with extensions against a private LLM test server, and reading what the model was sent. pi runs as a
 * subprocess: from the sources, or the compiled binary when PI_TEST_BINARY is set (CI), so the same scenarios prove
 * the binary.
 */
import { afterEach } from "bun:test";
import { type LlmTestServer, type ScriptedTurn, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, type PiRun, runPi } from "../support/run-pi.ts";

const servers: LlmTestServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

export interface ExtensionRun extends PiRun {
	server: LlmTestServer;
	env: PiEnv;
}

export async function scenarioEnv(turns: ScriptedTurn[]): Promise<{ server: LlmTestServer; env: PiEnv }> {
	const server = await startLlmServer({ turns });
	servers.push(server);
	return { server, env: makePiEnv(server.url) };
}

/** `pi <args>` with the scripted turns; `prepare` may add files to the env first. */
export async function runWithExtension(
	turns: ScriptedTurn[],
	args: string[],
	options: { prepare?: (env: PiEnv) => void; extraEnv?: Record<string, string> } = {},
): Promise<ExtensionRun> {
	const { server, env } = await scenarioEnv(turns);
	options.prepare?.(env);
	const run = await runPi(args, env, { extraEnv: options.extraEnv });
	return { ...run, server, env };
}

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
}

/** The openai-completions messages of request `index` (negative counts from the end). */
export function requestMessages(server: LlmTestServer, index = -1): ChatMessage[] {
	const body = server.requests.at(index)?.body;
	if (typeof body !== "object" || body === null || !("messages" in body) || !Array.isArray(body.messages)) {
		throw new Error(`no chat request at ${index} (${server.requests.length} recorded)`);
	}
	return body.messages;
}

/** The tool result texts sent in request `index`. */
export function toolResults(server: LlmTestServer, index = -1): string[] {
	return requestMessages(server, index)
		.filter((message) => message.role === "tool")
		.map((message) => (typeof message.content === "string" ? message.content : JSON.stringify(message.content)));
}

/** The system prompt of request `index`. */
export function systemPrompt(server: LlmTestServer, index = -1): string {
	const first = requestMessages(server, index)[0];
	return first?.role === "system" && typeof first.content === "string" ? first.content : "";
}

/** Names of the tools offered in request `index`. */
export function offeredTools(server: LlmTestServer, index = -1): string[] {
	const body = server.requests.at(index)?.body;
	if (typeof body !== "object" || body === null || !("tools" in body) || !Array.isArray(body.tools)) return [];
	return body.tools.map((tool: { function?: { name?: string } }) => tool.function?.name ?? "");
}
