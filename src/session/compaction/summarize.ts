/** One summarization call: system prompt + a single user message, text of the answer joined by newlines. */
import type { Model, StreamOptions, ThinkingLevel } from "../../ai/types.ts";
import { PiError } from "../../util/errors.ts";
import { SUMMARIZATION_SYSTEM_PROMPT } from "./prompts.ts";
import type { CompleteFn } from "./types.ts";

export interface SummaryCall {
	model: Model;
	apiKey: string;
	complete: CompleteFn;
	maxTokens: number;
	signal?: AbortSignal;
	/** Extra request headers (from models.json / auth), as pi passes them. */
	headers?: Record<string, string>;
	/** Provider settings stored with the credential (AWS_PROFILE, CLOUDFLARE_ACCOUNT_ID, …). */
	env?: Readonly<Record<string, string>>;
	/** The session's thinking level; used only for reasoning models, as pi does. */
	thinkingLevel?: ThinkingLevel;
}

export class SummarizationAbortedError extends PiError {
	constructor() {
		super("Summarization was aborted");
	}
}

export async function requestSummary(call: SummaryCall, promptText: string, failurePrefix: string): Promise<string> {
	const options: StreamOptions = { maxTokens: call.maxTokens, apiKey: call.apiKey };
	if (call.signal) options.signal = call.signal;
	if (call.headers) options.headers = call.headers;
	if (call.env) options.env = call.env;
	if (call.model.reasoning && call.thinkingLevel && call.thinkingLevel !== "off")
		options.reasoning = call.thinkingLevel;
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
	return response.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n");
}
