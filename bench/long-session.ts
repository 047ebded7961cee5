/**
 * A generated long session (v3 JSONL written through our SessionManager, the format pi reads): turns of a question,
 * a bash call with a 30-line output and a Markdown answer with a code block, until the transcript holds ~`tokens`
 * tokens (4 characters a token). Used by the benches that resume a long session.
 */
import type { AgentMessage } from "../src/agent/types.ts";
import { type AssistantMessage, emptyUsage } from "../src/ai/types.ts";
import { SessionManager } from "../src/session/session-manager.ts";

const ANSWER = [
	"Here is what I found in the **repository**: the parser reads `settings.json` first, then merges the project",
	"file over it. The merge order decides who wins:",
	"",
	"- global settings are read from the agent folder",
	"- project settings override them key by key",
	"",
	"```ts",
	"export function merge(global: Settings, project: Settings): Settings {",
	"\treturn { ...global, ...project, terminal: { ...global.terminal, ...project.terminal } };",
	"}",
	"```",
	"",
	"Tell me if you want the tests changed as well.",
].join("\n");
const OUTPUT = Array.from(
	{ length: 30 },
	(_, n) => `src/module-${n}/file-${n}.ts: export const value${n} = ${n};`,
).join("\n");
const tokens = (text: string) => Math.ceil(text.length / 4);

/** The model an assistant message names (the session's own test model unless a bench needs another). */
export interface TranscriptModel {
	api: AssistantMessage["api"];
	provider: string;
	id: string;
}
const SESSION_MODEL: TranscriptModel = { api: "openai-completions", provider: "test", id: "test-model" };

export function assistantMessage(
	model: TranscriptModel,
	content: AssistantMessage["content"],
	stopReason: AssistantMessage["stopReason"],
): AssistantMessage {
	return {
		role: "assistant",
		content,
		api: model.api,
		provider: model.provider,
		model: model.id,
		usage: { ...emptyUsage(), input: 1000, output: 200, totalTokens: 1200 },
		stopReason,
		timestamp: Date.now(),
	};
}

/** The messages of a transcript of ~`targetTokens` tokens (also used in memory by frame-pipeline.ts). */
export function longTranscript(targetTokens: number, model: TranscriptModel = SESSION_MODEL): AgentMessage[] {
	const messages: AgentMessage[] = [];
	let count = 0;
	for (let i = 0; count < targetTokens; i++) {
		const question = `Question ${i}: where do the settings get merged, and in which order?`;
		const id = `call-${i}`;
		const call = { type: "toolCall" as const, id, name: "bash", arguments: { command: `grep -rn merge src/${i}` } };
		messages.push(
			{ role: "user", content: [{ type: "text", text: question }], timestamp: Date.now() },
			assistantMessage(model, [call], "toolUse"),
			{
				role: "toolResult",
				toolCallId: id,
				toolName: "bash",
				content: [{ type: "text", text: OUTPUT }],
				isError: false,
				timestamp: Date.now(),
			},
			assistantMessage(model, [{ type: "text", text: ANSWER }], "stop"),
		);
		count += tokens(question) + 10 + tokens(OUTPUT) + tokens(ANSWER);
	}
	return messages;
}

/** Writes the transcript as a session into `sessionDir` (for the project `cwd`); returns its path and size. */
export function writeLongSession(
	cwd: string,
	sessionDir: string,
	targetTokens: number,
): { file: string; messages: number } {
	const manager = SessionManager.create(cwd, sessionDir);
	const messages = longTranscript(targetTokens);
	for (const message of messages) manager.appendMessage(message);
	const file = manager.getSessionFile();
	if (!file) throw new Error("the session was not written");
	return { file, messages: messages.length };
}
