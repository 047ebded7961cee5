/**
 * google-generative-ai (Gemini API) over @google/genai. The base URL already names the API version, tools are
 * sent as `parametersJsonSchema`, tool calls arrive whole (one delta each), and thought signatures are replayed
 * only to the model that produced them.
 */
import {
	type Content,
	type FunctionResponsePart,
	type GenerateContentConfig,
	type GenerateContentParameters,
	type GenerateContentResponse,
	GoogleGenAI,
	ThinkingLevel as GoogleThinkingLevel,
	type Tool as GoogleTool,
	type Part,
	type ThinkingConfig,
} from "@google/genai";
import { clampThinkingLevel } from "../model-resolver.ts";
import { transformMessages } from "../transform-messages.ts";
import type { Context, ImageContent, Model, StopReason, StreamOptions, TextContent, Tool } from "../types.ts";
import { type BudgetLevel, clampToHigh, mergeHeaders, resolveMaxTokens, sanitizeText } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { type ProviderBody, ProviderProtocolError, type ProviderRun } from "./run-stream.ts";

let toolCallCounter = 0;

/** Claude and gpt-oss behind the Gemini API need explicit call ids. */
function requiresToolCallId(modelId: string): boolean {
	return modelId.startsWith("claude-") || modelId.startsWith("gpt-oss-");
}

/** Gemini before 3 cannot take images inside a function response. */
function supportsMultimodalFunctionResponse(modelId: string): boolean {
	const major = /^gemini(?:-live)?-(\d+)/.exec(modelId.toLowerCase())?.[1];
	return major === undefined || Number.parseInt(major, 10) >= 3;
}

function validSignature(sameModel: boolean, signature: string | undefined): string | undefined {
	if (!sameModel || !signature || signature.length % 4 !== 0) return undefined;
	return /^[A-Za-z0-9+/]+={0,2}$/.test(signature) ? signature : undefined;
}

function inlineImage(image: ImageContent): Part {
	return { inlineData: { mimeType: image.mimeType, data: image.data } };
}

export function convertGoogleContents(model: Model, context: Context): Content[] {
	const normalizeId = (id: string) =>
		requiresToolCallId(model.id) ? id.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) : id;
	const contents: Content[] = [];
	for (const message of transformMessages(context.messages, model, normalizeId)) {
		if (message.role === "user") {
			const parts: Part[] =
				typeof message.content === "string"
					? [{ text: sanitizeText(message.content) }]
					: message.content.map((block) =>
							block.type === "text" ? { text: sanitizeText(block.text) } : inlineImage(block),
						);
			if (parts.length > 0) contents.push({ role: "user", parts });
		} else if (message.role === "assistant") {
			const sameModel = message.provider === model.provider && message.model === model.id;
			const parts: Part[] = [];
			for (const block of message.content) {
				if (block.type === "text") {
					if (block.text.trim() === "") continue;
					const signature = validSignature(sameModel, block.textSignature);
					parts.push({ text: sanitizeText(block.text), ...(signature ? { thoughtSignature: signature } : {}) });
				} else if (block.type === "thinking") {
					if (block.thinking.trim() === "") continue;
					if (sameModel) {
						const signature = validSignature(sameModel, block.thinkingSignature);
						parts.push({
							thought: true,
							text: sanitizeText(block.thinking),
							...(signature ? { thoughtSignature: signature } : {}),
						});
					} else {
						parts.push({ text: sanitizeText(block.thinking) });
					}
				} else {
					const signature = validSignature(sameModel, block.thoughtSignature);
					parts.push({
						functionCall: {
							name: block.name,
							args: block.arguments,
							...(requiresToolCallId(model.id) ? { id: block.id } : {}),
						},
						...(signature ? { thoughtSignature: signature } : {}),
					});
				}
			}
			if (parts.length > 0) contents.push({ role: "model", parts });
		} else {
			const text = message.content
				.filter((block): block is TextContent => block.type === "text")
				.map((block) => block.text)
				.join("\n");
			const images = model.input.includes("image")
				? message.content.filter((block): block is ImageContent => block.type === "image")
				: [];
			const value = text.length > 0 ? sanitizeText(text) : images.length > 0 ? "(see attached image)" : "";
			const multimodal = supportsMultimodalFunctionResponse(model.id);
			const imageParts: FunctionResponsePart[] = images.map((image) => ({
				inlineData: { mimeType: image.mimeType, data: image.data },
			}));
			const part: Part = {
				functionResponse: {
					name: message.toolName,
					response: message.isError ? { error: value } : { output: value },
					...(images.length > 0 && multimodal ? { parts: imageParts } : {}),
					...(requiresToolCallId(model.id) ? { id: message.toolCallId } : {}),
				},
			};
			// Parallel tool results share one user turn.
			const previous = contents[contents.length - 1];
			if (previous?.role === "user" && previous.parts?.some((p) => p.functionResponse)) previous.parts.push(part);
			else contents.push({ role: "user", parts: [part] });
			if (images.length > 0 && !multimodal) {
				contents.push({ role: "user", parts: [{ text: "Tool result image:" }, ...images.map(inlineImage)] });
			}
		}
	}
	return contents;
}

function convertTools(tools: Tool[]): GoogleTool[] {
	return [
		{
			functionDeclarations: tools.map((tool) => ({
				name: tool.name,
				description: tool.description,
				parametersJsonSchema: tool.parameters,
			})),
		},
	];
}

const isGemini3Pro = (model: Model) => /gemini-3(?:\.\d+)?-pro/.test(model.id.toLowerCase());
const isGemini3Flash = (model: Model) => /gemini-3(?:\.\d+)?-flash/.test(model.id.toLowerCase());
const isGemma4 = (model: Model) => /gemma-?4/.test(model.id.toLowerCase());

function thinkingLevelFor(model: Model, level: BudgetLevel): GoogleThinkingLevel {
	if (isGemini3Pro(model))
		return level === "minimal" || level === "low" ? GoogleThinkingLevel.LOW : GoogleThinkingLevel.HIGH;
	if (isGemma4(model))
		return level === "minimal" || level === "low" ? GoogleThinkingLevel.MINIMAL : GoogleThinkingLevel.HIGH;
	switch (level) {
		case "minimal":
			return GoogleThinkingLevel.MINIMAL;
		case "low":
			return GoogleThinkingLevel.LOW;
		case "medium":
			return GoogleThinkingLevel.MEDIUM;
		case "high":
			return GoogleThinkingLevel.HIGH;
	}
}

function thinkingBudgetFor(model: Model, level: BudgetLevel, custom: StreamOptions["thinkingBudgets"]): number {
	const override = custom?.[level];
	if (override !== undefined) return override;
	if (model.id.includes("2.5-pro")) return { minimal: 128, low: 2048, medium: 8192, high: 32768 }[level];
	if (model.id.includes("2.5-flash-lite")) return { minimal: 512, low: 2048, medium: 8192, high: 24576 }[level];
	if (model.id.includes("2.5-flash")) return { minimal: 128, low: 2048, medium: 8192, high: 24576 }[level];
	return -1; // dynamic
}

function thinkingConfig(model: Model, options: StreamOptions | undefined): ThinkingConfig | undefined {
	if (!model.reasoning) return undefined;
	if (!options?.reasoning) {
		// Thinking cannot be switched fully off on Gemini 3 / Gemma 4; ask for the least.
		if (isGemini3Pro(model)) return { thinkingLevel: GoogleThinkingLevel.LOW };
		if (isGemini3Flash(model) || isGemma4(model)) return { thinkingLevel: GoogleThinkingLevel.MINIMAL };
		return { thinkingBudget: 0 };
	}
	const clamped = clampThinkingLevel(model, options.reasoning);
	const level = clampToHigh(clamped === "off" ? "high" : clamped);
	if (isGemini3Pro(model) || isGemini3Flash(model) || isGemma4(model)) {
		return { includeThoughts: true, thinkingLevel: thinkingLevelFor(model, level) };
	}
	return { includeThoughts: true, thinkingBudget: thinkingBudgetFor(model, level, options.thinkingBudgets) };
}

export function buildGoogleParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): GenerateContentParameters {
	const config: GenerateContentConfig = {};
	if (options?.temperature !== undefined) config.temperature = options.temperature;
	const maxTokens = resolveMaxTokens(model, context, options);
	if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
	if (context.systemPrompt) config.systemInstruction = sanitizeText(context.systemPrompt);
	if (context.tools && context.tools.length > 0) config.tools = convertTools(context.tools);
	const thinking = thinkingConfig(model, options);
	if (thinking) config.thinkingConfig = thinking;
	return { model: model.id, contents: convertGoogleContents(model, context), config };
}

function mapFinishReason(reason: string): Exclude<StopReason, "aborted" | "toolUse"> {
	if (reason === "STOP") return "stop";
	if (reason === "MAX_TOKENS") return "length";
	return "error";
}

export function googleGenerativeAiBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ProviderBody {
	return async (run) => {
		const client = new GoogleGenAI({
			apiKey: options?.apiKey ?? "",
			httpOptions: {
				...(model.baseUrl ? { baseUrl: model.baseUrl, apiVersion: "" } : {}), // the base URL already has /v1beta
				headers: mergeHeaders(model.headers, options?.headers),
				retryOptions: { attempts: 1 }, // the agent layer owns retries
				fetch: run.fetch,
			},
		});
		await streamGoogleContent(client, model, context, options, run);
	};
}

/** One generateContentStream call and its chunks → events; shared by the Gemini API and Vertex AI. */
export async function streamGoogleContent(
	client: GoogleGenAI,
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
	{ builder, signal, touch }: ProviderRun,
): Promise<void> {
	let params = buildGoogleParams(model, context, options);
	params = await applyPayloadHook(params, model, options);
	params = { ...params, config: { ...params.config, abortSignal: signal } };
	const chunks: AsyncIterable<GenerateContentResponse> = await client.models.generateContentStream(params);
	builder.start();

	let current: { kind: "text" | "thinking"; index: number } | undefined;
	let finish: string | undefined;
	for await (const chunk of chunks) {
		touch();
		builder.setResponseId(chunk.responseId);
		const candidate = chunk.candidates?.[0];
		for (const part of candidate?.content?.parts ?? []) {
			// Even an empty text part opens a block, as in pi: Gemini 3 sends one last to carry a thought signature,
			// and pi's sessions keep that (empty) block, so ours do too.
			if (part.text !== undefined) {
				const kind = part.thought === true ? "thinking" : "text";
				if (current?.kind !== kind) {
					if (current) builder.end(current.index);
					current = { kind, index: kind === "thinking" ? builder.startThinking() : builder.startText() };
				}
				const signature = part.thoughtSignature;
				if (kind === "thinking") {
					builder.appendThinking(current.index, part.text, true);
					const block = builder.thinkingBlock(current.index);
					if (block && signature) block.thinkingSignature = signature;
				} else {
					builder.appendText(current.index, part.text, true);
					const block = builder.output.content[current.index];
					if (block?.type === "text" && signature) block.textSignature = signature;
				}
			}
			if (part.functionCall) {
				if (current) builder.end(current.index);
				current = undefined;
				const call = part.functionCall;
				const name = call.name ?? "";
				const provided = call.id;
				const duplicate = builder.output.content.some((block) => block.type === "toolCall" && block.id === provided);
				const id = provided && !duplicate ? provided : `${name}_${Date.now()}_${++toolCallCounter}`;
				const index = builder.startToolCall(id, name);
				const block = builder.toolCall(index);
				if (block && part.thoughtSignature) block.thoughtSignature = part.thoughtSignature;
				builder.appendToolArguments(index, JSON.stringify(call.args ?? {}));
				builder.end(index);
			}
		}
		if (candidate?.finishReason) finish = candidate.finishReason;
		const usage = chunk.usageMetadata;
		if (usage) {
			const cached = usage.cachedContentTokenCount ?? 0;
			builder.setUsage({
				input: (usage.promptTokenCount ?? 0) - cached,
				output: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
				cacheRead: cached,
				cacheWrite: 0,
				totalTokens: usage.totalTokenCount ?? 0,
			});
		}
	}
	builder.endAll();
	if (signal.aborted) throw new Error("Request was aborted");
	// Every complete Gemini answer names its finish reason; a stream without one was cut short: retried.
	if (!finish) throw new ProviderProtocolError("Google stream ended without a finish reason");
	const stop = mapFinishReason(finish);
	if (stop === "error") throw new Error(`Provider finish reason: ${finish}`);
	builder.finish(builder.hasToolCalls ? "toolUse" : stop);
}
