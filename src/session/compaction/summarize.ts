/**
 * One summarization call (pi 1.6.0's completeSummarization): system prompt + a single user message, up to the
 * model's output limit, with no prompt caching (a one-off request) and the session's routing id (or a fresh one);
 * the text of the answer joined by newlines.
 */
import { isRetryableError, retryDelayMs } from "../../agent/retry.ts";
import type { AssistantMessage, Model, StreamOptions, ThinkingLevel, Usage } from "../../ai/types.ts";
import { PiError } from "../../util/errors.ts";
import { sleep } from "../../util/sleep.ts";
import { createSessionId } from "../ids.ts";
import { SUMMARIZATION_SYSTEM_PROMPT } from "./prompts.ts";
import type { CompleteFn } from "./types.ts";

export interface SummaryCall {
	model: Model;
	apiKey: string;
	complete: CompleteFn;
	signal?: AbortSignal;
	/** The session's id, so the provider can route the request like the session's own; else a fresh one. */
	sessionId?: string;
	/** Extra request headers (from models.json / auth), as pi passes them. */
	headers?: Record<string, string>;
	/** Provider settings stored with the credential (AWS_PROFILE, CLOUDFLARE_ACCOUNT_ID, …). */
	env?: Readonly<Record<string, string>>;
	/** The session's thinking level; used only for reasoning models, as pi does. */
	thinkingLevel?: ThinkingLevel;
	/** settings.retry: transient failures (a dropped stream, a 503) are retried like the agent's own requests. */
	retry?: SummaryRetry;
}

/** The retry policy and what to report around each retry (pi 1.6.0's summarization_retry_* events). */
export interface SummaryRetry {
	enabled: boolean;
	maxRetries: number;
	baseDelayMs: number;
	maxAgentDelayMs: number;
	onScheduled?: (attempt: number, maxAttempts: number, delayMs: number, errorMessage: string) => void;
	onAttemptStart?: () => void;
	onFinished?: () => void;
}

export class SummarizationAbortedError extends PiError {
	override name = "SummarizationAbortedError";
	constructor() {
		super("Summarization was aborted");
	}
}

/** The summary's text and what its request used (recorded on the entry, counted in the session totals). */
export interface SummaryText {
	text: string;
	usage: Usage;
}

export async function requestSummary(
	call: SummaryCall,
	promptText: string,
	/** Names the call in errors: "Summarization", "Turn prefix summarization", "Branch summarization". */
	label: string,
): Promise<SummaryText> {
	const options: StreamOptions = {
		apiKey: call.apiKey,
		cacheRetention: "none",
		sessionId: call.sessionId ?? createSessionId(),
	};
	if (call.signal) options.signal = call.signal;
	if (call.headers) options.headers = call.headers;
	if (call.env) options.env = call.env;
	if (call.model.reasoning && call.thinkingLevel && call.thinkingLevel !== "off")
		options.reasoning = call.thinkingLevel;
	const context = {
		systemPrompt: SUMMARIZATION_SYSTEM_PROMPT,
		messages: [
			{ role: "user" as const, content: [{ type: "text" as const, text: promptText }], timestamp: Date.now() },
		],
	};
	const response = await withRetries(call, () => call.complete(call.model, context, options).result());
	if (response.stopReason === "aborted") throw new SummarizationAbortedError();
	if (response.stopReason === "error") {
		throw new PiError(`${label} failed: ${response.errorMessage || "Unknown error"}`);
	}
	// A cut-off summary must not become a checkpoint, nor an answer that calls a tool (pi 1.6.0).
	if (response.stopReason === "length") {
		throw new PiError(`${label} failed: generation hit the token cap and the summary is incomplete`);
	}
	if (response.content.some((block) => block.type === "toolCall")) {
		throw new PiError(`${label} attempted to call a tool`);
	}
	const text = response.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n");
	return { text, usage: response.usage };
}

/** Runs the request again after a transient failure, with the agent's backoff, until it succeeds or the budget ends. */
async function withRetries(call: SummaryCall, request: () => Promise<AssistantMessage>): Promise<AssistantMessage> {
	const policy = call.retry;
	const maxAttempts = policy?.enabled ? policy.maxRetries : 0;
	let attempt = 0;
	for (;;) {
		const response = await request();
		const retryable = response.stopReason === "error" && isRetryableError(response, call.model.contextWindow);
		if (!policy || !retryable || attempt >= maxAttempts) {
			if (attempt > 0) policy?.onFinished?.();
			return response;
		}
		attempt++;
		const delayMs = retryDelayMs(policy.baseDelayMs, attempt, policy.maxAgentDelayMs);
		policy.onScheduled?.(attempt, maxAttempts, delayMs, response.errorMessage || "Unknown error");
		try {
			await sleep(delayMs, call.signal);
		} catch {
			policy.onFinished?.();
			return { ...response, stopReason: "aborted" };
		}
		policy.onAttemptStart?.();
	}
}
