/**
 * The Converse request for Amazon Bedrock (pi 1.6.0's bedrock-converse-stream): history → Converse messages,
 * tools → toolConfig, prompt-cache points for the Claude models that support them, and thinking as Bedrock's
 * model-specific `additionalModelRequestFields`. Pure data: the SDK types come in as types only.
 */
import type {
	ContentBlock,
	Message as ConverseMessage,
	Tool as ConverseTool,
	ImageFormat,
	SystemContentBlock,
	ToolConfiguration,
	ToolResultContentBlock,
} from "@aws-sdk/client-bedrock-runtime";
import type { DocumentType } from "@smithy/types";
import { providerEnv } from "../../util/env.ts";
import { clampThinkingLevel } from "../model-resolver.ts";
import { transformMessages } from "../transform-messages.ts";
import type {
	CacheRetention,
	Context,
	ImageContent,
	Model,
	StreamOptions,
	TextContent,
	ThinkingLevel,
} from "../types.ts";
import { prefersStrictSampling, strictSamplingFor, toolParameters } from "./constrained-sampling.ts";
import { budgetThinkingLimits, resolveMaxTokens, sanitizeText } from "./options.ts";

/** Bedrock rejects empty text blocks and empty messages; pi sends this placeholder instead. */
const EMPTY_TEXT = "<empty>";
const INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14";
const THINKING_BINDING_BETA = "thinking-binding-controls-2026-08-01";

export interface ConverseRequest {
	modelId: string;
	messages: ConverseMessage[];
	system?: SystemContentBlock[];
	inferenceConfig: { maxTokens?: number; temperature?: number };
	toolConfig?: ToolConfiguration;
	additionalModelRequestFields?: DocumentType;
}

// ---- which model is this ------------------------------------------------------------------------------------

/** Id and name, lower-cased and with separators unified: application inference profiles hide the model in the name. */
function candidates(model: Model): string[] {
	return [model.id, model.name].flatMap((value) => {
		const lower = value.toLowerCase();
		return [lower, lower.replace(/[\s_.:]+/g, "-")];
	});
}

function matchesAny(model: Model, needles: string[]): boolean {
	return candidates(model).some((candidate) => needles.some((needle) => candidate.includes(needle)));
}

export function isClaude(model: Model): boolean {
	return matchesAny(model, ["anthropic.claude", "anthropic/claude", "claude"]);
}

const CLAUDE_5 = ["fable-5", "opus-5", "sonnet-5", "haiku-5"];
/** Adaptive thinking with an effort: Opus 4.6+, Sonnet 4.6 and the Claude 5 family. */
const adaptiveThinking = (model: Model) =>
	matchesAny(model, ["opus-4-6", "opus-4-7", "opus-4-8", "sonnet-4-6", ...CLAUDE_5]);
/** Models that take `xhigh` themselves and thinking block binding (Opus/Sonnet 4.6 reject it). */
const newerClaude = (model: Model) => matchesAny(model, ["opus-4-7", "opus-4-8", ...CLAUDE_5]);

/** Cache points: Claude 3.5 Haiku, 3.7 Sonnet, 4.x and 5; AWS_BEDROCK_FORCE_CACHE=1 for profiles without a name. */
function supportsPromptCache(model: Model, options: StreamOptions | undefined): boolean {
	if (!matchesAny(model, ["claude"])) return providerEnv("AWS_BEDROCK_FORCE_CACHE", options?.env) === "1";
	return matchesAny(model, [...CLAUDE_5, "-4-", "claude-3-7-sonnet", "claude-3-5-haiku"]);
}

function isGovCloud(model: Model, options: StreamOptions | undefined): boolean {
	const region = providerEnv("AWS_REGION", options?.env) ?? providerEnv("AWS_DEFAULT_REGION", options?.env);
	const id = model.id.toLowerCase();
	return (
		Boolean(region?.toLowerCase().startsWith("us-gov-")) || id.startsWith("us-gov.") || id.startsWith("arn:aws-us-gov:")
	);
}

function cacheRetention(options: StreamOptions | undefined): CacheRetention {
	return options?.cacheRetention ?? (providerEnv("PI_CACHE_RETENTION", options?.env) === "long" ? "long" : "short");
}

function cachePoint(retention: CacheRetention): ContentBlock.CachePointMember {
	return { cachePoint: { type: "default", ...(retention === "long" ? { ttl: "1h" } : {}) } };
}

// ---- content ------------------------------------------------------------------------------------------------

function imageFormat(mimeType: string): ImageFormat {
	switch (mimeType) {
		case "image/jpeg":
		case "image/jpg":
			return "jpeg";
		case "image/png":
			return "png";
		case "image/gif":
			return "gif";
		case "image/webp":
			return "webp";
		default:
			throw new Error(`Bedrock cannot take images of type ${mimeType}`);
	}
}

function imageBlock(image: ImageContent): ContentBlock.ImageMember {
	return { image: { format: imageFormat(image.mimeType), source: { bytes: Buffer.from(image.data, "base64") } } };
}

function textBlock(text: string): ContentBlock.TextMember | undefined {
	const clean = sanitizeText(text);
	return clean.trim() === "" ? undefined : { text: clean };
}

/** Bedrock requires tool-use ids of [a-zA-Z0-9_-], at most 64 characters. */
function normalizeToolCallId(id: string): string {
	return id.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
}

/** Keys Bedrock's document type cannot hold (empty ones) are dropped, recursively. */
function toDocument(value: unknown): DocumentType {
	if (Array.isArray(value)) return value.map(toDocument);
	if (value !== null && typeof value === "object") {
		return Object.fromEntries(
			Object.entries(value)
				.filter(([key]) => key !== "")
				.map(([key, nested]) => [key, toDocument(nested)]),
		);
	}
	if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
		return value;
	}
	return null;
}

function toolResultContent(content: (TextContent | ImageContent)[]): ToolResultContentBlock[] {
	const blocks: ToolResultContentBlock[] = [];
	for (const block of content) {
		if (block.type === "image") blocks.push({ image: imageBlock(block).image });
		else {
			const text = textBlock(block.text);
			if (text) blocks.push(text);
		}
	}
	return blocks.length > 0 ? blocks : [{ text: EMPTY_TEXT }];
}

export function convertBedrockMessages(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ConverseMessage[] {
	const messages: ConverseMessage[] = [];
	const claude = isClaude(model);
	for (const message of transformMessages(context.messages, model, normalizeToolCallId)) {
		if (message.role === "user") {
			const content: ContentBlock[] =
				typeof message.content === "string"
					? [textBlock(message.content) ?? { text: EMPTY_TEXT }]
					: message.content.flatMap((block): ContentBlock[] => {
							if (block.type === "image") return [imageBlock(block)];
							const text = textBlock(block.text);
							return text ? [text] : [];
						});
			messages.push({ role: "user", content: content.length > 0 ? content : [{ text: EMPTY_TEXT }] });
		} else if (message.role === "assistant") {
			const content: ContentBlock[] = [];
			for (const block of message.content) {
				if (block.type === "text") {
					const text = textBlock(block.text);
					if (text) content.push(text);
				} else if (block.type === "toolCall") {
					content.push({ toolUse: { toolUseId: block.id, name: block.name, input: toDocument(block.arguments) } });
				} else if (block.redacted) {
					// Encrypted reasoning (non-Anthropic models): replayed as it came.
					if (block.thinkingSignature) {
						content.push({ reasoningContent: { redactedContent: Buffer.from(block.thinkingSignature, "base64") } });
					}
				} else {
					const thinking = sanitizeText(block.thinking);
					if (thinking.trim() === "") continue;
					// Only Claude takes signatures; unsigned Claude reasoning (an interrupted turn) goes back as text.
					if (!claude) content.push({ reasoningContent: { reasoningText: { text: thinking } } });
					else if (block.thinkingSignature?.trim()) {
						content.push({
							reasoningContent: { reasoningText: { text: thinking, signature: block.thinkingSignature } },
						});
					} else content.push({ text: thinking });
				}
			}
			if (content.length > 0) messages.push({ role: "assistant", content });
		} else {
			// Consecutive tool results travel in one user message, as Bedrock requires.
			const result: ContentBlock.ToolResultMember = {
				toolResult: {
					toolUseId: message.toolCallId,
					content: toolResultContent(message.content),
					status: message.isError ? "error" : "success",
				},
			};
			const previous = messages[messages.length - 1];
			if (previous?.role === "user" && previous.content?.every((block) => "toolResult" in block && block.toolResult)) {
				previous.content.push(result);
			} else messages.push({ role: "user", content: [result] });
		}
	}
	const retention = cacheRetention(options);
	const last = messages[messages.length - 1];
	if (retention !== "none" && supportsPromptCache(model, options) && last?.role === "user") {
		last.content?.push(cachePoint(retention));
	}
	return messages;
}

function systemBlocks(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): SystemContentBlock[] | undefined {
	if (!context.systemPrompt) return undefined;
	const retention = cacheRetention(options);
	const blocks: SystemContentBlock[] = [{ text: sanitizeText(context.systemPrompt) }];
	if (retention !== "none" && supportsPromptCache(model, options)) blocks.push(cachePoint(retention));
	return blocks;
}

/**
 * The tools (pi 1.6.0): on models that take strict tools (`compat.supportsStrictMode`) a tool asking for strict
 * sampling goes strict with the strict schema, unless the session went over Claude's strict limits (then the tools
 * that only prefer it go as ordinary tools).
 */
function toolConfig(
	model: Model,
	context: Context,
	disablePreferredStrict: boolean,
): { config: ToolConfiguration | undefined; hasPreferredStrictTools: boolean } {
	if (!context.tools?.length) return { config: undefined, hasPreferredStrictTools: false };
	const supportsStrictMode = model.compat?.supportsStrictMode === true;
	let hasPreferredStrictTools = false;
	const tools: ConverseTool[] = context.tools.map((tool) => {
		const preferred = prefersStrictSampling(tool);
		const strict = disablePreferredStrict && preferred ? undefined : strictSamplingFor(tool, supportsStrictMode);
		if (strict === true && preferred) hasPreferredStrictTools = true;
		return {
			toolSpec: {
				name: tool.name,
				description: tool.description,
				inputSchema: { json: toDocument(toolParameters(tool, strict)) },
				...(strict === true ? { strict: true } : {}),
			},
		};
	});
	return { config: { tools }, hasPreferredStrictTools };
}

// ---- thinking -------------------------------------------------------------------------------------------------

const GPT_EFFORT: Record<Exclude<ThinkingLevel, "off">, string> = {
	minimal: "low",
	low: "low",
	medium: "medium",
	high: "high",
	xhigh: "xhigh",
	max: "max",
};

function claudeEffort(model: Model, level: Exclude<ThinkingLevel, "off">): string {
	if (level === "xhigh" && newerClaude(model)) return "xhigh";
	const mapped = model.thinkingLevelMap?.[level];
	if (typeof mapped === "string") return mapped;
	return level === "minimal" || level === "low" ? "low" : level === "medium" ? "medium" : "high";
}

/** Thinking as each model family on Bedrock takes it; also returns the output budget budget-based Claude needs. */
function thinkingFields(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): { fields?: DocumentType; maxTokens?: number } {
	const maxTokens = resolveMaxTokens(model, context, options);
	const requested = options?.reasoning ? clampThinkingLevel(model, options.reasoning) : "off";
	if (!model.reasoning || requested === "off") return { maxTokens };
	const level = requested;
	if (isClaude(model)) {
		// GovCloud's Converse schema rejects Claude's thinking.display and block binding for now.
		const gov = isGovCloud(model, options);
		if (adaptiveThinking(model)) {
			const binding = !gov && newerClaude(model);
			const thinking: Record<string, DocumentType> = { type: "adaptive" };
			if (!gov) thinking.display = "summarized";
			if (binding) thinking.block_binding = { prefix_mismatch_behavior: "drop_block" };
			const fields: Record<string, DocumentType> = { thinking, output_config: { effort: claudeEffort(model, level) } };
			if (binding) fields.anthropic_beta = [THINKING_BINDING_BETA];
			return { maxTokens, fields };
		}
		const budget = budgetThinkingLimits(model, context, options, level);
		const thinking: Record<string, DocumentType> = { type: "enabled", budget_tokens: budget.thinkingBudget };
		if (!gov) thinking.display = "summarized";
		return { maxTokens: budget.maxTokens, fields: { thinking, anthropic_beta: [INTERLEAVED_THINKING_BETA] } };
	}
	if (matchesAny(model, ["gpt-oss"])) {
		return {
			maxTokens,
			fields: { reasoning_effort: level === "minimal" ? "low" : ["xhigh", "max"].includes(level) ? "high" : level },
		};
	}
	if (matchesAny(model, ["gpt-"])) {
		const mapped = model.thinkingLevelMap?.[level];
		return { maxTokens, fields: { reasoning: { effort: typeof mapped === "string" ? mapped : GPT_EFFORT[level] } } };
	}
	return { maxTokens };
}

export function buildConverseRequest(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
	disablePreferredStrict = false,
): { request: ConverseRequest; hasPreferredStrictTools: boolean } {
	const thinking = thinkingFields(model, context, options);
	const request: ConverseRequest = {
		modelId: model.id,
		messages: convertBedrockMessages(model, context, options),
		inferenceConfig: {
			...(thinking.maxTokens !== undefined ? { maxTokens: thinking.maxTokens } : {}),
			...(options?.temperature !== undefined ? { temperature: options.temperature } : {}),
		},
	};
	const system = systemBlocks(model, context, options);
	if (system) request.system = system;
	const tools = toolConfig(model, context, disablePreferredStrict);
	if (tools.config) request.toolConfig = tools.config;
	if (thinking.fields) request.additionalModelRequestFields = thinking.fields;
	return { request, hasPreferredStrictTools: tools.hasPreferredStrictTools };
}
