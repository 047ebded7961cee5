/** One summarization call: system prompt + a single user message, text of the answer joined by newlines. */
import type { Model } from "../../ai/types.ts";
import { PiError } from "../../util/errors.ts";
import { SUMMARIZATION_SYSTEM_PROMPT } from "./prompts.ts";
import type { CompleteFn } from "./types.ts";

export interface SummaryCall {
	model: Model;
	apiKey: string;
	complete: CompleteFn;
	maxTokens: number;
	signal?: AbortSignal;
}

export class SummarizationAbortedError extends PiError {
	constructor() {
		super("Summarization was aborted");
	}
}

export async function requestSummary(call: SummaryCall, promptText: string, failurePrefix: string): Promise<string> {
	const options: { maxTokens: number; apiKey: string; signal?: AbortSignal } = {
		maxTokens: call.maxTokens,
		apiKey: call.apiKey,
	};
	if (call.signal) options.signal = call.signal;
	const stream = call.complete(
		call.model,
		{
			systemPrompt: SUMMARIZATION_SYSTEM_PROMPT,
			messages: [{ role: "user", content: [{ type: "text", text: promptText }], timestamp: Date.now() }],
		},
		options,
	);
	const response = await stream.result();
	if (response.stopReason === "aborted") throw new SummarizationAbortedError();
	if (response.stopReason === "error") {
		throw new PiError(`${failurePrefix}: ${response.errorMessage || "Unknown error"}`);
	}
	return response.content
		.filter((block) => block.type === "text")
		.map((block) => (block.type === "text" ? block.text : ""))
		.join("\n");
}
