/**
 * A scripted StreamFunction for loop tests: each call plays the next script on timers, like a real provider
 * decoding a response, and honours the abort signal the way providers do (an `aborted` error event).
 */
import * as v from "valibot";
import type { AgentMessage, AgentTool, AgentToolResult } from "../../src/agent/types.ts";
import { PushAssistantStream } from "../../src/ai/event-stream.ts";
import type {
	AssistantMessage,
	Context,
	Message,
	Model,
	StopReason,
	StreamFunction,
	StreamOptions,
	SystemMessage,
	ToolCall,
} from "../../src/ai/types.ts";
import { emptyUsage } from "../../src/ai/types.ts";

export const MODEL: Model = {
	id: "fake-model",
	name: "Fake",
	api: "anthropic-messages",
	provider: "fake",
	baseUrl: "http://127.0.0.1:1",
	reasoning: true,
	input: ["text"],
	cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
	contextWindow: 100000,
	maxTokens: 4096,
};

export interface Script {
	text?: string;
	toolCalls?: { id: string; name: string; args: Record<string, unknown>; argumentsError?: string }[];
	/** The stop reason of a finished answer (default: toolUse with tool calls, else stop). */
	stopReason?: "stop" | "length" | "toolUse";
	/** End with stopReason "error" and this message. */
	error?: string;
	/** Never finish on its own: only an abort ends it. */
	hang?: boolean;
	/** Delay between events (ms). */
	stepMs?: number;
}

export interface RecordedCall {
	context: Context;
	options: StreamOptions | undefined;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function message(
	content: AssistantMessage["content"],
	stopReason: StopReason,
	errorMessage?: string,
): AssistantMessage {
	const result: AssistantMessage = {
		role: "assistant",
		content,
		api: MODEL.api,
		provider: MODEL.provider,
		model: MODEL.id,
		usage: emptyUsage(),
		stopReason,
		timestamp: Date.now(),
	};
	if (errorMessage !== undefined) result.errorMessage = errorMessage;
	return result;
}

async function play(stream: PushAssistantStream, script: Script, signal: AbortSignal | undefined): Promise<void> {
	const step = script.stepMs ?? 0;
	const content: AssistantMessage["content"] = [];
	const snapshot = () => message([...content], "stop");
	const abortedEnd = () => {
		stream.push({ type: "error", reason: "aborted", error: message([...content], "aborted", "Request was aborted") });
	};
	if (signal?.aborted) return abortedEnd();
	stream.push({ type: "start", partial: snapshot() });
	const steps: (() => void)[] = [];
	if (script.text !== undefined) {
		const text = script.text;
		const index = content.length;
		steps.push(() => {
			content.push({ type: "text", text: "" });
			stream.push({ type: "text_start", contentIndex: index, partial: snapshot() });
		});
		steps.push(() => {
			content[index] = { type: "text", text };
			stream.push({ type: "text_delta", contentIndex: index, delta: text, partial: snapshot() });
		});
		steps.push(() => stream.push({ type: "text_end", contentIndex: index, content: text, partial: snapshot() }));
	}
	for (const call of script.toolCalls ?? []) {
		steps.push(() => {
			const toolCall: ToolCall = { type: "toolCall", id: call.id, name: call.name, arguments: call.args };
			if (call.argumentsError) toolCall.argumentsError = call.argumentsError;
			content.push(toolCall);
			stream.push({ type: "toolcall_start", contentIndex: content.length - 1, partial: snapshot() });
			stream.push({ type: "toolcall_end", contentIndex: content.length - 1, toolCall, partial: snapshot() });
		});
	}
	for (const run of steps) {
		await tick(step);
		if (signal?.aborted) return abortedEnd();
		run();
	}
	if (script.hang) {
		await new Promise<void>((resolve) => {
			if (signal?.aborted) resolve();
			signal?.addEventListener("abort", () => resolve(), { once: true });
		});
		return abortedEnd();
	}
	await tick(step);
	if (signal?.aborted) return abortedEnd();
	if (script.error !== undefined) {
		stream.push({ type: "error", reason: "error", error: message([...content], "error", script.error) });
		return;
	}
	const reason = script.stopReason ?? ((script.toolCalls ?? []).length > 0 ? "toolUse" : "stop");
	stream.push({ type: "done", reason, message: message([...content], reason) });
}

export function scriptedModel(scripts: Script[]): { streamFn: StreamFunction; calls: RecordedCall[] } {
	const calls: RecordedCall[] = [];
	const streamFn: StreamFunction = (_model, context, options) => {
		const script = scripts[calls.length] ?? { text: "(no more scripts)" };
		calls.push({ context, options });
		const stream = new PushAssistantStream();
		void play(stream, script, options?.signal);
		return stream;
	};
	return { streamFn, calls };
}

export function keepLlmMessages(messages: AgentMessage[]): (Message | SystemMessage)[] {
	return messages.filter(
		(m): m is Message | SystemMessage =>
			m.role === "system" || m.role === "user" || m.role === "assistant" || m.role === "toolResult",
	);
}

export function userMessage(text: string): AgentMessage {
	return { role: "user", content: [{ type: "text", text }], timestamp: Date.now() };
}

export function textOf(result: AgentToolResult): string {
	return result.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

const SleepArgs = v.object({ ms: v.number(), label: v.string() });

/** A tool that waits `ms` (or until aborted, then throws) and answers with its label. */
export function sleepTool(log: string[] = []): AgentTool<v.InferOutput<typeof SleepArgs>> {
	return {
		name: "sleep",
		label: "Sleep",
		description: "Wait a while",
		parameters: { type: "object", properties: { ms: { type: "number" }, label: { type: "string" } } },
		parseArgs: (raw) => {
			const parsed = v.safeParse(SleepArgs, raw);
			if (!parsed.success) throw new Error(`Validation failed for tool "sleep": ${parsed.issues[0]?.message}`);
			return parsed.output;
		},
		execute: (_id, args, signal, onUpdate) =>
			new Promise((resolve, reject) => {
				log.push(`start ${args.label}`);
				const onAbort = () => {
					clearTimeout(timer);
					log.push(`aborted ${args.label}`);
					reject(new Error("Operation aborted"));
				};
				const timer = setTimeout(() => {
					signal.removeEventListener("abort", onAbort);
					log.push(`end ${args.label}`);
					resolve({ content: [{ type: "text", text: `slept ${args.label}` }], details: { ms: args.ms } });
				}, args.ms);
				if (signal.aborted) return onAbort();
				signal.addEventListener("abort", onAbort, { once: true });
				onUpdate({ content: [{ type: "text", text: `working ${args.label}` }] });
			}),
	};
}
