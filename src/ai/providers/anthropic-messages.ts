/**
 * anthropic-messages over @anthropic-ai/sdk. Request shape follows pi 0.73.1's wire captures: system prompt as a
 * cached text block, cache_control on the last tool and the last user block, `eager_input_streaming` on tools,
 * consecutive tool results merged into one user message.
 */
import { APIError } from "@anthropic-ai/sdk";
import type {
	ContentBlockParam,
	ImageBlockParam,
	MessageCreateParamsStreaming,
	MessageParam,
	TextBlockParam,
	ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages/messages";
import { clientUserAgent } from "../../util/client-identity.ts";
import { sdkLogger, withSdkWarningsLogged } from "../sdk-warnings.ts";
import { transformMessages } from "../transform-messages.ts";
import {
	AMBIENT_CREDENTIALS,
	type Context,
	type ImageContent,
	type Model,
	type StopReason,
	type StreamOptions,
	type TextContent,
	type Tool,
} from "../types.ts";
import { federatedClient, federationConfig, PiAnthropic } from "./anthropic-federation.ts";
import { convertAnthropicTools } from "./anthropic-tools.ts";
import {
	budgetThinkingLimits,
	mergeHeaders,
	resolveMaxTokens,
	sanitizeText,
	sdkRetryOptions,
	thinkingLevelMapping,
} from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { type ProviderBody, ProviderProtocolError } from "./run-stream.ts";
import { observeProviderEvents } from "./stream-observer.ts";
import {
	hasExceededStrictToolLimits,
	isStrictToolLimitError,
	markStrictToolLimitsExceeded,
} from "./strict-tool-limits.ts";

const INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14";
const FINE_GRAINED_TOOL_STREAMING_BETA = "fine-grained-tool-streaming-2025-05-14";
const CLAUDE_CODE_VERSION = "2.1.75";
const ANTHROPIC_VERSION = "2023-06-01";
const CLAUDE_CODE_IDENTITY = "You are Claude Code, Anthropic's official CLI for Claude.";
/** OAuth (subscription) tokens must present tools under Claude Code's canonical names. */
const CLAUDE_CODE_TOOLS = [
	"Read",
	"Write",
	"Edit",
	"Bash",
	"Grep",
	"Glob",
	"AskUserQuestion",
	"EnterPlanMode",
	"ExitPlanMode",
	"KillShell",
	"NotebookEdit",
	"Skill",
	"Task",
	"TaskOutput",
	"TodoWrite",
	"WebFetch",
	"WebSearch",
];
const claudeCodeNames = new Map(CLAUDE_CODE_TOOLS.map((name) => [name.toLowerCase(), name]));

type CacheControl = { type: "ephemeral"; ttl?: "1h" };
/** The SDK's types no longer list `temperature`, but the API still accepts it and pi sends it. */
type AnthropicParams = MessageCreateParamsStreaming & { temperature?: number };

interface AnthropicCompat {
	supportsEagerToolInputStreaming: boolean;
	supportsLongCacheRetention: boolean;
}

function compatOf(model: Model): AnthropicCompat {
	return {
		supportsEagerToolInputStreaming: model.compat?.supportsEagerToolInputStreaming ?? true,
		supportsLongCacheRetention: model.compat?.supportsLongCacheRetention ?? true,
	};
}

function isOAuthToken(apiKey: string): boolean {
	return apiKey.includes("sk-ant-oat");
}

/**
 * Models that think adaptively (effort levels) instead of with a token budget: the catalog says so
 * (`compat.forceAdaptiveThinking`, pi 1.6.0); Opus 4.6+/Sonnet 4.6 ids are recognised too, for models.json entries.
 */
function supportsAdaptiveThinking(model: Model): boolean {
	return model.compat?.forceAdaptiveThinking === true || /opus-4[-.][67]|sonnet-4[-.]6/.test(model.id);
}

function cacheControlFor(model: Model, options: StreamOptions | undefined): CacheControl | undefined {
	const retention = options?.cacheRetention ?? (process.env.PI_CACHE_RETENTION === "long" ? "long" : "short");
	if (retention === "none") return undefined;
	return retention === "long" && compatOf(model).supportsLongCacheRetention
		? { type: "ephemeral", ttl: "1h" }
		: { type: "ephemeral" };
}

function normalizeToolCallId(id: string): string {
	return id.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
}

function imageBlock(image: ImageContent): ImageBlockParam {
	return {
		type: "image",
		source: { type: "base64", media_type: toMediaType(image.mimeType), data: image.data },
	};
}

function toMediaType(mime: string): "image/jpeg" | "image/png" | "image/gif" | "image/webp" {
	if (mime === "image/png" || mime === "image/gif" || mime === "image/webp") return mime;
	return "image/jpeg";
}

/** Text-only results are sent as one string; results with images as blocks (with a text placeholder if needed). */
function toolResultContent(content: (TextContent | ImageContent)[]): ToolResultBlockParam["content"] {
	if (!content.some((block) => block.type === "image")) {
		return sanitizeText(content.map((block) => (block.type === "text" ? block.text : "")).join("\n"));
	}
	const blocks: (TextBlockParam | ImageBlockParam)[] = content.map((block) =>
		block.type === "text" ? { type: "text", text: sanitizeText(block.text) } : imageBlock(block),
	);
	if (!blocks.some((block) => block.type === "text")) blocks.unshift({ type: "text", text: "(see attached image)" });
	return blocks;
}

function convertMessages(
	context: Context,
	model: Model,
	oauth: boolean,
	cache: CacheControl | undefined,
): MessageParam[] {
	const messages = transformMessages(context.messages, model, normalizeToolCallId);
	const params: MessageParam[] = [];
	for (let i = 0; i < messages.length; i++) {
		const message = messages[i];
		if (!message) continue;
		if (message.role === "user") {
			if (typeof message.content === "string") {
				if (message.content.trim().length > 0) params.push({ role: "user", content: sanitizeText(message.content) });
				continue;
			}
			const blocks: ContentBlockParam[] = [];
			for (const block of message.content) {
				if (block.type === "image") blocks.push(imageBlock(block));
				else if (block.text.trim().length > 0) blocks.push({ type: "text", text: sanitizeText(block.text) });
			}
			if (blocks.length > 0) params.push({ role: "user", content: blocks });
		} else if (message.role === "assistant") {
			const blocks: ContentBlockParam[] = [];
			for (const block of message.content) {
				if (block.type === "text") {
					if (block.text.trim().length > 0) blocks.push({ type: "text", text: sanitizeText(block.text) });
				} else if (block.type === "thinking") {
					if (block.redacted) {
						blocks.push({ type: "redacted_thinking", data: block.thinkingSignature ?? "" });
					} else if (block.thinking.trim().length > 0) {
						// Unsigned thinking (e.g. from an aborted stream) would be rejected; send it as plain text.
						blocks.push(
							block.thinkingSignature?.trim()
								? { type: "thinking", thinking: sanitizeText(block.thinking), signature: block.thinkingSignature }
								: { type: "text", text: sanitizeText(block.thinking) },
						);
					}
				} else {
					blocks.push({
						type: "tool_use",
						id: block.id,
						name: oauth ? (claudeCodeNames.get(block.name.toLowerCase()) ?? block.name) : block.name,
						input: block.arguments,
					});
				}
			}
			if (blocks.length > 0) params.push({ role: "assistant", content: blocks });
		} else {
			// Consecutive tool results travel together in one user message.
			const results: ToolResultBlockParam[] = [];
			let j = i;
			for (let next = messages[j]; next?.role === "toolResult"; next = messages[++j]) {
				results.push({
					type: "tool_result",
					tool_use_id: next.toolCallId,
					content: toolResultContent(next.content),
					is_error: next.isError,
				});
			}
			i = j - 1;
			params.push({ role: "user", content: results });
		}
	}
	// Cache the conversation so far: mark the last block of the last user message.
	const last = params[params.length - 1];
	if (cache && last?.role === "user") {
		if (typeof last.content === "string") {
			last.content = [{ type: "text", text: last.content, cache_control: cache }];
		} else {
			const block = last.content[last.content.length - 1];
			if (block && (block.type === "text" || block.type === "image" || block.type === "tool_result")) {
				block.cache_control = cache;
			}
		}
	}
	return params;
}

export function buildAnthropicParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
	oauth: boolean,
	disablePreferredStrict = false,
): { params: AnthropicParams; hasPreferredStrictTools: boolean } {
	let hasPreferredStrictTools = false;
	const cache = cacheControlFor(model, options);
	const maxTokens = resolveMaxTokens(model, context, options);
	const thinking = model.reasoning ? options?.reasoning : undefined;
	const params: AnthropicParams = {
		model: model.id,
		messages: convertMessages(context, model, oauth, cache),
		max_tokens: maxTokens,
		stream: true,
	};
	const system: TextBlockParam[] = [];
	if (oauth) system.push({ type: "text", text: CLAUDE_CODE_IDENTITY, ...(cache ? { cache_control: cache } : {}) });
	if (context.systemPrompt) {
		system.push({ type: "text", text: sanitizeText(context.systemPrompt), ...(cache ? { cache_control: cache } : {}) });
	}
	if (system.length > 0) params.system = system;
	// Temperature cannot be combined with extended thinking.
	if (options?.temperature !== undefined && !thinking) params.temperature = options.temperature;
	if (context.tools && context.tools.length > 0) {
		const converted = convertAnthropicTools(context.tools, {
			name: (tool) => (oauth ? (claudeCodeNames.get(tool.name.toLowerCase()) ?? tool.name) : tool.name),
			eager: compatOf(model).supportsEagerToolInputStreaming,
			cache,
			supportsStrictTools: model.compat?.supportsStrictTools === true,
			disablePreferredStrict,
		});
		params.tools = converted.tools;
		hasPreferredStrictTools = converted.hasPreferredStrictTools;
	}
	if (model.reasoning) {
		if (!thinking) {
			params.thinking = { type: "disabled" };
		} else if (supportsAdaptiveThinking(model)) {
			params.thinking = { type: "adaptive", display: "summarized" };
			const mapped = thinkingLevelMapping(model, thinking);
			const effort =
				typeof mapped === "string"
					? mapped
					: thinking === "minimal" || thinking === "low"
						? "low"
						: thinking === "medium"
							? "medium"
							: "high";
			params.output_config = { effort: toEffort(effort) };
		} else {
			const budget = budgetThinkingLimits(model, context, options, thinking);
			params.max_tokens = budget.maxTokens;
			params.thinking = { type: "enabled", budget_tokens: budget.thinkingBudget || 1024, display: "summarized" };
		}
	}
	return { params, hasPreferredStrictTools };
}

function toEffort(value: string): "low" | "medium" | "high" | "max" | "xhigh" {
	return value === "low" || value === "medium" || value === "max" || value === "xhigh" ? value : "high";
}

function mapStopReason(reason: string): Exclude<StopReason, "aborted"> {
	switch (reason) {
		case "end_turn":
		case "pause_turn":
		case "stop_sequence":
			return "stop";
		case "max_tokens":
		case "model_context_window_exceeded":
			return "length";
		case "tool_use":
			return "toolUse";
		case "refusal":
		case "sensitive":
			return "error";
		default:
			throw new ProviderProtocolError(`Unhandled stop reason: ${reason}`);
	}
}

function createClient(
	model: Model,
	apiKey: string,
	options: StreamOptions | undefined,
	context: Context,
	fetchFn: typeof fetch,
) {
	// [subscriptions] GitHub Copilot: its token travels as a bearer token, without Claude Code's identity headers.
	const copilot = model.provider === "github-copilot";
	const oauth = !copilot && isOAuthToken(apiKey);
	const betas: string[] = [];
	if (context.tools?.length && !compatOf(model).supportsEagerToolInputStreaming)
		betas.push(FINE_GRAINED_TOOL_STREAMING_BETA);
	// pi 1.6.0: interleaved thinking is asked for only when budget thinking is on.
	if (model.reasoning && options?.reasoning && !supportsAdaptiveThinking(model)) {
		betas.push(INTERLEAVED_THINKING_BETA);
	}
	const baseHeaders: Record<string, string> = {
		// pi's identity; an OAuth subscription goes as Claude Code instead (below).
		"user-agent": clientUserAgent(),
		accept: "application/json",
		// Pinned to the API version pi 0.73.1 speaks; newer SDKs default to a later one.
		"anthropic-version": ANTHROPIC_VERSION,
		"anthropic-dangerous-direct-browser-access": "true",
	};
	// API keys travel in x-api-key (this SDK would otherwise send them as a bearer token); OAuth tokens as bearer.
	// With ambient credentials the caller's Authorization header (ANTHROPIC_AUTH_TOKEN) authenticates instead, or
	// the access token the SDK gets by workload identity federation.
	if (!oauth && !copilot && apiKey !== AMBIENT_CREDENTIALS) baseHeaders["x-api-key"] = apiKey;
	const federation = federationConfig(model, apiKey, mergeHeaders(model.headers, options?.headers), options?.env);
	if (oauth) {
		baseHeaders["anthropic-beta"] = ["claude-code-20250219", "oauth-2025-04-20", ...betas].join(",");
		baseHeaders["user-agent"] = `claude-cli/${CLAUDE_CODE_VERSION}`;
		baseHeaders["x-app"] = "cli";
	} else if (betas.length > 0) {
		baseHeaders["anthropic-beta"] = betas.join(",");
	}
	const clientOptions = {
		baseURL: model.baseUrl,
		dangerouslyAllowBrowser: true,
		logger: sdkLogger,
		...sdkRetryOptions(options),
		fetch: fetchFn,
		defaultHeaders: mergeHeaders(baseHeaders, model.headers, options?.headers),
	};
	const client = federation
		? federatedClient(federation, clientOptions)
		: new PiAnthropic({ ...clientOptions, apiKey: null, authToken: oauth || copilot ? apiKey : null });
	return { client, oauth };
}

export function anthropicMessagesBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ProviderBody {
	return async ({ builder, signal, touch, fetch: fetchFn }) => {
		const { client, oauth } = createClient(model, options?.apiKey ?? "", options, context, fetchFn);
		// Over Claude's strict-tool limits once, a session sends the tools that only prefer strict as ordinary ones.
		let disablePreferredStrict = hasExceededStrictToolLimits(options?.sessionId);
		let events: Awaited<ReturnType<typeof client.messages.create>>;
		for (;;) {
			const built = buildAnthropicParams(model, context, options, oauth, disablePreferredStrict);
			const params = await applyPayloadHook(built.params, model, options);
			try {
				events = await withSdkWarningsLogged(() => client.messages.create(params, { signal }));
				break;
			} catch (error) {
				const overLimits =
					error instanceof APIError &&
					error.status === 400 &&
					error.type === "invalid_request_error" &&
					isStrictToolLimitError(error.message);
				if (signal.aborted || disablePreferredStrict || !built.hasPreferredStrictTools || !overLimits) throw error;
				disablePreferredStrict = true;
				markStrictToolLimitsExceeded(options?.sessionId);
			}
		}
		// `start` goes out once message_start has been read, so its partial already carries the input usage
		// (pi's consumers observe it that way).
		/** Anthropic block index → our content index. */
		const blocks = new Map<number, number>();
		const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
		let stopReason: Exclude<StopReason, "aborted"> = "stop";
		let sawStop = false;
		let pendingResponseId: string | undefined;
		for await (const event of observeProviderEvents(events, model, options)) {
			touch();
			if (pendingResponseId) {
				builder.setResponseId(pendingResponseId);
				pendingResponseId = undefined;
			}
			switch (event.type) {
				case "message_start": {
					const u = event.message.usage;
					usage.input = u.input_tokens ?? 0;
					usage.output = u.output_tokens ?? 0;
					usage.cacheRead = u.cache_read_input_tokens ?? 0;
					usage.cacheWrite = u.cache_creation_input_tokens ?? 0;
					builder.setUsage(usage);
					builder.start();
					// Attached with the next event: pi's message_start snapshot has the input usage but no response id.
					pendingResponseId = event.message.id;
					break;
				}
				case "content_block_start": {
					const block = event.content_block;
					if (block.type === "text") blocks.set(event.index, builder.startText());
					else if (block.type === "thinking") blocks.set(event.index, builder.startThinking({ thinkingSignature: "" }));
					else if (block.type === "redacted_thinking") {
						const index = builder.startThinking({ thinkingSignature: block.data, redacted: true });
						builder.appendThinking(index, "[Reasoning redacted]");
						blocks.set(event.index, index);
					} else if (block.type === "tool_use") {
						const name = oauth ? originalToolName(block.name, context.tools) : block.name;
						blocks.set(event.index, builder.startToolCall(block.id, name));
					}
					break;
				}
				case "content_block_delta": {
					const index = blocks.get(event.index);
					if (index === undefined) break;
					const delta = event.delta;
					if (delta.type === "text_delta") builder.appendText(index, delta.text);
					else if (delta.type === "thinking_delta") builder.appendThinking(index, delta.thinking);
					else if (delta.type === "input_json_delta") builder.appendToolArguments(index, delta.partial_json);
					else if (delta.type === "signature_delta") {
						const thinking = builder.thinkingBlock(index);
						if (thinking) thinking.thinkingSignature = (thinking.thinkingSignature ?? "") + delta.signature;
					}
					break;
				}
				case "content_block_stop": {
					const index = blocks.get(event.index);
					if (index !== undefined) builder.end(index);
					break;
				}
				case "message_delta": {
					if (event.delta.stop_reason) stopReason = mapStopReason(event.delta.stop_reason);
					// Proxies may omit fields here; keep what message_start reported.
					const u = event.usage;
					if (u.input_tokens != null) usage.input = u.input_tokens;
					if (u.output_tokens != null) usage.output = u.output_tokens;
					if (u.cache_read_input_tokens != null) usage.cacheRead = u.cache_read_input_tokens;
					if (u.cache_creation_input_tokens != null) usage.cacheWrite = u.cache_creation_input_tokens;
					builder.setUsage(usage);
					break;
				}
				case "message_stop":
					sawStop = true;
					break;
			}
		}
		if (signal.aborted) throw new Error("Request was aborted");
		if (!sawStop) throw new ProviderProtocolError("Anthropic stream ended without message_stop");
		if (stopReason === "error") throw new Error("The model refused to answer (stop reason: refusal)");
		builder.finish(stopReason);
	};
}

function originalToolName(name: string, tools: Tool[] | undefined): string {
	const lower = name.toLowerCase();
	return tools?.find((tool) => tool.name.toLowerCase() === lower)?.name ?? name;
}
