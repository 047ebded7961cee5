/**
 * google-generative-ai (Gemini API) over @google/genai. The base URL already names the API version, tools are
 * sent as `parametersJsonSchema`, tool calls arrive whole (one delta each), and thought signatures are replayed
 * only to the model that produced them.
 */
import type {
	Content,
	FunctionCallingConfigMode,
	FunctionResponsePart,
	GenerateContentConfig,
	GenerateContentParameters,
	GenerateContentResponse,
	GoogleGenAI,
	Tool as GoogleTool,
	Part,
} from "@google/genai";
import { clientUserAgent } from "../../util/client-identity.ts";
import { GOOGLE_SDK, importIsland } from "../../util/embedded-asset.ts";
import { transformMessages } from "../transform-messages.ts";
import type { Context, ImageContent, Model, StopReason, StreamOptions, TextContent, Tool } from "../types.ts";
import { strictSamplingFor, toolParameters } from "./constrained-sampling.ts";
import { googleThinkingConfig } from "./google-thinking.ts";
import { mergeHeaders, resolveMaxTokens, sanitizeText } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { type ProviderBody, ProviderProtocolError, type ProviderRun } from "./run-stream.ts";
import { observeProviderEvents } from "./stream-observer.ts";

let toolCallCounter = 0;

/** FunctionCallingConfigMode.VALIDATED, without loading the SDK (an island, see google-sdk.ts) to build a request. */
const VALIDATED = "VALIDATED" as FunctionCallingConfigMode;

/** The SDK, loaded on the first Google request of the process. */
export function loadGoogleSdk(): Promise<typeof import("./google-sdk.ts")> {
	return importIsland<typeof import("./google-sdk.ts")>(GOOGLE_SDK);
}

/** The major version of a Gemini model id (gemini-3.1-pro → 3), if it is one. */
function geminiMajorVersion(modelId: string): number | undefined {
	const major = /^gemini(?:-live)?-(\d+)/.exec(modelId.toLowerCase())?.[1];
	return major === undefined ? undefined : Number.parseInt(major, 10);
}

/** Claude and gpt-oss behind the Gemini API, and Gemini 3 and later (pi 1.6.0), need explicit call ids. */
function requiresToolCallId(modelId: string): boolean {
	const major = geminiMajorVersion(modelId);
	return modelId.startsWith("claude-") || modelId.startsWith("gpt-oss-") || (major !== undefined && major >= 3);
}

/** Gemini before 3 cannot take images inside a function response. */
function supportsMultimodalFunctionResponse(modelId: string): boolean {
	const major = geminiMajorVersion(modelId);
	return major === undefined || major >= 3;
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

/** Sub-schema keywords (and name maps) whose `const` values are rewritten too. */
const SUBSCHEMA_KEYS = new Set([
	"additionalProperties",
	"unevaluatedProperties",
	"propertyNames",
	"items",
	"prefixItems",
	"additionalItems",
	"unevaluatedItems",
	"contains",
	"allOf",
	"anyOf",
	"oneOf",
	"not",
	"if",
	"then",
	"else",
	"contentSchema",
]);
const NAME_MAP_KEYS = new Set([
	"properties",
	"patternProperties",
	"$defs",
	"definitions",
	"dependentSchemas",
	"dependencies",
]);

/** String and number `const`s as one-value `enum`s: Gemini ignores `const` but honours `enum` (pi 1.6.0). */
function constAsEnum(schema: unknown, nameMap = false): unknown {
	if (Array.isArray(schema)) return schema.map((item) => constAsEnum(item));
	if (typeof schema !== "object" || schema === null) return schema;
	const result: Record<string, unknown> = Object.fromEntries(
		Object.entries(schema).map(([key, value]) => {
			if (nameMap || SUBSCHEMA_KEYS.has(key)) return [key, constAsEnum(value)];
			if (NAME_MAP_KEYS.has(key)) return [key, constAsEnum(value, true)];
			return [key, value];
		}),
	);
	if (!nameMap && "const" in result && result.enum === undefined) {
		const value = result.const;
		if (typeof value === "string" || typeof value === "number") {
			delete result.const;
			result.enum = [value];
		}
	}
	return result;
}

/** Gemini 3 and later enforce the schema of strict tools (VALIDATED function calling). */
function supportsStrictTools(model: Model): boolean {
	const major = geminiMajorVersion(model.id);
	return major !== undefined && major >= 3;
}

function convertTools(tools: Tool[], strictMode: boolean): GoogleTool[] {
	return [
		{
			functionDeclarations: tools.map((tool) => ({
				name: tool.name,
				description: tool.description,
				parametersJsonSchema: constAsEnum(toolParameters(tool, strictSamplingFor(tool, strictMode))),
			})),
		},
	];
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
	if (context.tools && context.tools.length > 0) {
		const strictMode = supportsStrictTools(model);
		config.tools = convertTools(context.tools, strictMode);
		// With strict tools the calls are validated against their schemas.
		if (context.tools.some((tool) => strictSamplingFor(tool, strictMode) === true)) {
			config.toolConfig = { functionCallingConfig: { mode: VALIDATED } };
		}
	}
	const thinking = googleThinkingConfig(model, options);
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
		const { GoogleGenAI } = await loadGoogleSdk();
		const client = new GoogleGenAI({
			apiKey: options?.apiKey ?? "",
			httpOptions: {
				...(model.baseUrl ? { baseUrl: model.baseUrl, apiVersion: "" } : {}), // the base URL already has /v1beta
				headers: mergeHeaders({ "User-Agent": clientUserAgent() }, model.headers, options?.headers),
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
	for await (const chunk of observeProviderEvents(chunks, model, options)) {
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
