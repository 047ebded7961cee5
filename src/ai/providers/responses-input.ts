/**
 * A transcript as the OpenAI Responses API's `input` items and `tools`, as pi 1.6.0 builds them for every Responses
 * backend (OpenAI, Azure, Copilot, the ChatGPT subscription's Codex endpoint):
 *
 * - System messages become `developer` items (`system` for models without reasoning or the developer role): the
 *   leading one holds the whole prompt; later ones, for models that take them mid-conversation, render their changes.
 * - Tools: in the top-level list, or — for models with `supportsAdditionalTools` and mid-conversation system
 *   messages — in `additional_tools` items at the place they were declared (removals are announced as text, since an
 *   item cannot remove a tool); models with only `supportsToolSearch` get later additions as client tool-search
 *   results. Tools asking for strict sampling are sent strict where the model allows it (constrained-sampling.ts);
 *   grammar tools become custom tools on models that take them.
 * - The thinking level, for models with `supportsMidConvoEffort`, travels as `configuration_update` items (one
 *   before each earlier answer of this model with the level it was made with, one at the end), so changing it keeps
 *   the prompt cache.
 * - Tool-call ids are `<call_id>|<item_id>`; ids of other providers' calls are rewritten to ones OpenAI accepts.
 */
import type {
	Tool as OpenAITool,
	ResponseInputContent,
	ResponseInputImage,
	ResponseInputItem,
	ResponseInputText,
	ResponseOutputMessage,
} from "openai/resources/responses/responses";
import type { ReasoningEffort } from "openai/resources/shared";
import * as v from "valibot";
import {
	getDeclaredTools,
	getSystemMessageText,
	renderSystemMessageUpdate,
	resolveTranscript,
	resolveTranscriptTools,
	type TranscriptToolSupport,
	transcriptOf,
} from "../transcript.ts";
import { transformMessages } from "../transform-messages.ts";
import type {
	AssistantMessage,
	Context,
	ImageContent,
	Message,
	Model,
	SystemMessage,
	TextContent,
	Tool,
} from "../types.ts";
import {
	grammarInputProperties,
	grammarSamplingFor,
	grammarToolInput,
	strictSamplingFor,
	toolParameters,
} from "./constrained-sampling.ts";
import { sanitizeText } from "./options.ts";

/** A fast deterministic hash used to shorten foreign ids (pi's construction, so ids match across tools). */
export function shortHash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (h2 >>> 0).toString(36) + (h1 >>> 0).toString(36);
}

// ---- tools ------------------------------------------------------------------------------------------------------

export interface ResponsesToolOptions {
	/** `strict` of tools that do not ask for strict sampling (default false; Codex sends null). */
	strict?: boolean | null;
	/** Whether the backend takes the `strict` field at all (catalog `compat.supportsStrictMode`). */
	supportsStrictMode?: boolean;
	/** Whether grammar tools may be sent as custom tools (`compat.supportsOpenAIGrammarTools`). */
	supportsGrammarTools?: boolean;
	/** Tools delivered as a tool-search result: loaded, but deferred. */
	toolSearchResult?: boolean;
}

export function convertResponsesTools(tools: readonly Tool[], options: ResponsesToolOptions = {}): OpenAITool[] {
	const defaultStrict = options.strict === undefined ? false : options.strict;
	const supportsStrictMode = options.supportsStrictMode ?? true;
	const deferred = options.toolSearchResult ? { defer_loading: true } : {};
	return tools.map((tool): OpenAITool => {
		const grammar = grammarSamplingFor(tool, options.supportsGrammarTools ?? false);
		if (grammar) {
			return {
				type: "custom",
				name: tool.name,
				description: tool.description,
				format: { type: "grammar", syntax: grammar.syntax, definition: grammar.definition },
				...deferred,
			};
		}
		const strict = strictSamplingFor(tool, supportsStrictMode) ?? defaultStrict;
		const declared: OpenAITool = {
			type: "function",
			name: tool.name,
			description: tool.description,
			parameters: toolParameters(tool, strict === true),
			...deferred,
			strict,
		};
		// The SDK's type requires `strict`; backends that do not take it get no such field.
		if (!supportsStrictMode) Reflect.deleteProperty(declared, "strict");
		return declared;
	});
}

/** How the model's request expresses tool changes (see TranscriptToolSupport). */
export function responsesToolSupport(options: {
	supportsMidConvoSystemMessages?: boolean;
	supportsAdditionalTools?: boolean;
	supportsToolSearch?: boolean;
}): TranscriptToolSupport {
	if (options.supportsMidConvoSystemMessages && options.supportsAdditionalTools) return "changes";
	return options.supportsToolSearch ? "additions" : "none";
}

/**
 * Goes before every `additional_tools` item after the first: without it models read the latest item as the whole
 * tool set once a removal was announced (pi 1.6.0's wording).
 */
function incrementalToolsNotice(unavailable: ReadonlySet<string>): string {
	const notice =
		"This is an incremental tools update. Previously declared tools remain available unless explicitly marked unavailable. A tool declared again here is available again, and its latest definition replaces the earlier one.";
	return unavailable.size > 0 ? `${notice}\nStill unavailable: ${[...unavailable].join(", ")}.` : notice;
}

function toolRemovalNotice(names: readonly string[]): string {
	return `The following tools are no longer available. Do not call them:\n${names.map((name) => `- ${name}`).join("\n")}`;
}

// ---- input ------------------------------------------------------------------------------------------------------

export interface ResponsesInputOptions {
	/** Providers whose `<call_id>|<item_id>` ids are OpenAI's own and kept (others get rewritten item ids). */
	toolCallProviders: ReadonlySet<string>;
	/** Tools sent as custom (grammar) tools: name → the argument holding the input text. */
	grammarInputs?: ReadonlyMap<string, string>;
	supportsMidConvoSystemMessages?: boolean;
	supportsAdditionalTools?: boolean;
	supportsToolSearch?: boolean;
	toolOptions?: ResponsesToolOptions;
	/** The effort of the answer being requested, sent as configuration_update items (see the header). */
	configurationUpdateEffort?: string;
}

const TextSignatureSchema = v.object({
	v: v.literal(1),
	id: v.string(),
	phase: v.optional(v.picklist(["commentary", "final_answer"])),
});

/** A text block's signature: pi's `{"v":1,"id",…}` JSON, or a bare item id from older sessions. */
function parseTextSignature(
	signature: string | undefined,
): { id: string; phase?: "commentary" | "final_answer" } | undefined {
	if (!signature) return undefined;
	if (signature.startsWith("{")) {
		try {
			const parsed = v.safeParse(TextSignatureSchema, JSON.parse(signature));
			if (parsed.success) return { id: parsed.output.id, phase: parsed.output.phase };
		} catch {
			// not JSON: a bare id
		}
	}
	return { id: signature };
}

const ReasoningItemSchema = v.looseObject({
	type: v.literal("reasoning"),
	id: v.string(),
	summary: v.array(v.looseObject({ type: v.literal("summary_text"), text: v.string() })),
	encrypted_content: v.optional(v.nullable(v.string())),
});

/** The reasoning item a thinking block carries as its signature, replayed exactly as it was received. */
function reasoningItem(signature: string): v.InferOutput<typeof ReasoningItemSchema> | undefined {
	try {
		const parsed: unknown = JSON.parse(signature);
		return v.is(ReasoningItemSchema, parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function imagePart(image: ImageContent): ResponseInputImage {
	return { type: "input_image", detail: "auto", image_url: `data:${image.mimeType};base64,${image.data}` };
}

function normalizeIdPart(part: string): string {
	return part
		.replace(/[^a-zA-Z0-9_-]/g, "_")
		.slice(0, 64)
		.replace(/_+$/, "");
}

/** A tool result as a call output: its text, or text and images for models that see images. */
function toolOutput(model: Model, content: readonly (TextContent | ImageContent)[]): string | ResponseInputContent[] {
	const text = content
		.filter((block): block is TextContent => block.type === "text")
		.map((block) => block.text)
		.join("\n");
	const images = content.filter((block): block is ImageContent => block.type === "image");
	const hasText = text.trim().length > 0;
	if (images.length === 0 || !model.input.includes("image")) {
		return sanitizeText(hasText ? text : images.length > 0 ? "(see attached image)" : "(no tool output)");
	}
	const parts: (ResponseInputText | ResponseInputImage)[] = [];
	if (hasText) parts.push({ type: "input_text", text: sanitizeText(text) });
	for (const image of images) parts.push(imagePart(image));
	return parts;
}

/** The `input` items of a transcript (already resolved for the model: see transcript.ts#resolveTranscript). */
export function convertResponsesInput(
	model: Model,
	transcript: (Message | SystemMessage)[],
	options: ResponsesInputOptions,
): ResponseInputItem[] {
	const normalizeToolCallId = (id: string, _target: Model, source: AssistantMessage): string => {
		if (!options.toolCallProviders.has(model.provider) || !id.includes("|")) return normalizeIdPart(id);
		const [callId = "", itemId = ""] = id.split("|");
		const foreign = source.provider !== model.provider || source.api !== model.api;
		let item = foreign ? `fc_${shortHash(itemId)}`.slice(0, 64) : normalizeIdPart(itemId);
		if (!item.startsWith("fc_")) item = normalizeIdPart(`fc_${item}`);
		return `${normalizeIdPart(callId)}|${item}`;
	};
	const messages = transformMessages(transcript, model, normalizeToolCallId);
	const toolSupport = responsesToolSupport(options);
	const { foldedSystemMessages } = resolveTranscriptTools(transcript, toolSupport);
	const developerRole = model.compat?.supportsDeveloperRole !== false;
	const instructionRole = model.reasoning && developerRole ? "developer" : "system";
	const input: ResponseInputItem[] = [];
	let declaredAdditionalTools = false;
	/** Tools announced as removed and not declared again since. */
	const unavailable = new Set<string>();

	const declareAddedTools = (message: SystemMessage, seed: string): void => {
		const tools = message.toolsAdded ?? [];
		for (const tool of tools) unavailable.delete(tool.name);
		if (tools.length === 0) return;
		if (toolSupport === "changes") {
			if (declaredAdditionalTools) input.push({ role: instructionRole, content: incrementalToolsNotice(unavailable) });
			declaredAdditionalTools = true;
			input.push({
				type: "additional_tools",
				role: "developer",
				tools: convertResponsesTools(tools, options.toolOptions),
			});
			return;
		}
		if (toolSupport !== "additions") return;
		const names = tools.map((tool) => tool.name);
		const callId = `pi_tool_load_${shortHash(`${seed}:${names.join(",")}`)}`;
		input.push({
			type: "tool_search_call",
			call_id: callId,
			execution: "client",
			status: "completed",
			arguments: { query: names.join(" "), limit: names.length },
		});
		input.push({
			type: "tool_search_output",
			call_id: callId,
			execution: "client",
			status: "completed",
			tools: convertResponsesTools(tools, { ...options.toolOptions, toolSearchResult: true }),
		});
	};
	const pushConfigurationUpdate = (value: string): void => {
		const effort = knownEffort(value);
		if (effort !== undefined) input.push({ type: "configuration_update", reasoning: { effort } });
	};

	let messageIndex = 0;
	let systemIndex = 0;
	messages.forEach((message, position) => {
		const leadingSystem = position === 0 && message.role === "system";
		if (message.role === "system") {
			const anchorsToolChanges = systemIndex++ >= foldedSystemMessages;
			if (anchorsToolChanges) declareAddedTools(message, `system:${messageIndex}`);
			const parts = [leadingSystem ? getSystemMessageText(message) : renderSystemMessageUpdate(message)];
			if (anchorsToolChanges) {
				// A redefinition is a removal plus an addition of the same name; only real removals are announced.
				const added = new Set((message.toolsAdded ?? []).map((tool) => tool.name));
				const removed = (message.toolsRemoved ?? []).map((tool) => tool.name).filter((name) => !added.has(name));
				if (removed.length > 0) parts.push(toolRemovalNotice(removed));
				for (const name of removed) unavailable.add(name);
			}
			const text = parts.filter((part) => part.length > 0).join("\n\n");
			if (text.length > 0) input.push({ role: instructionRole, content: sanitizeText(text) });
		} else if (message.role === "user") {
			const content: ResponseInputContent[] =
				typeof message.content === "string"
					? [{ type: "input_text", text: sanitizeText(message.content) }]
					: message.content.map((block) =>
							block.type === "text" ? { type: "input_text", text: sanitizeText(block.text) } : imagePart(block),
						);
			if (content.length === 0) return;
			input.push({ role: "user", content });
		} else if (message.role === "assistant") {
			const items = assistantItems(model, message, messageIndex, options.grammarInputs);
			if (items.length === 0) return;
			const sameModel = message.provider === model.provider && message.api === model.api && message.model === model.id;
			if (options.configurationUpdateEffort !== undefined && sameModel && message.providerThinkingLevel !== undefined) {
				pushConfigurationUpdate(message.providerThinkingLevel);
			}
			input.push(...items);
		} else {
			const [callId = ""] = message.toolCallId.split("|");
			const output = toolOutput(model, message.content);
			if (options.grammarInputs?.has(message.toolName)) {
				input.push({ type: "custom_tool_call_output", call_id: callId, output });
			} else {
				input.push({ type: "function_call_output", call_id: callId, output });
			}
		}
		if (!leadingSystem) messageIndex++;
	});
	if (options.configurationUpdateEffort !== undefined) pushConfigurationUpdate(options.configurationUpdateEffort);
	return input;
}

type Effort = Exclude<ReasoningEffort, null>;
const EFFORTS: readonly Effort[] = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

/** An effort name the API knows; a model's thinking-level map could name others, which OpenAI would refuse. */
export function knownEffort(value: string): Effort | undefined {
	return EFFORTS.find((effort) => effort === value);
}

/** An answer's blocks as output items: reasoning replayed verbatim, text messages, function or custom tool calls. */
function assistantItems(
	model: Model,
	message: AssistantMessage,
	messageIndex: number,
	grammarInputs: ReadonlyMap<string, string> | undefined,
): ResponseInputItem[] {
	const sameApi = message.provider === model.provider && message.api === model.api;
	const sameModel = sameApi && message.model === model.id;
	const otherModel = sameApi && message.model !== model.id;
	const items: ResponseInputItem[] = [];
	let textIndex = 0;
	for (const block of message.content) {
		if (block.type === "thinking") {
			const item = block.thinkingSignature ? reasoningItem(block.thinkingSignature) : undefined;
			if (item) items.push(item);
		} else if (block.type === "text") {
			const signature = parseTextSignature(block.textSignature);
			const fallback = textIndex === 0 ? `msg_pi_${messageIndex}` : `msg_pi_${messageIndex}_${textIndex}`;
			textIndex++;
			let id = signature?.id || fallback;
			if (id.length > 64) id = `msg_${shortHash(id)}`;
			const item: ResponseOutputMessage = {
				type: "message",
				role: "assistant",
				content: [{ type: "output_text", text: sanitizeText(block.text), annotations: [] }],
				status: "completed",
				id,
				...(signature?.phase ? { phase: signature.phase } : {}),
			};
			items.push(item);
		} else {
			const [callId = "", rawItemId] = block.id.split("|");
			const inputProperty = grammarInputs?.get(block.name);
			// Item ids another model made are rejected, as are ids of the other call type (fc_ vs ctc_).
			const prefix = inputProperty === undefined ? "fc_" : "ctc_";
			const itemId = otherModel || !rawItemId?.startsWith(prefix) ? undefined : rawItemId;
			const namespace = sameModel && block.namespace !== undefined ? { namespace: block.namespace } : {};
			if (inputProperty !== undefined) {
				items.push({
					type: "custom_tool_call",
					...(itemId !== undefined ? { id: itemId } : {}),
					call_id: callId,
					name: block.name,
					input: sanitizeText(grammarToolInput(block.name, block.arguments, inputProperty)),
					...namespace,
				});
			} else {
				items.push({
					type: "function_call",
					...(itemId !== undefined ? { id: itemId } : {}),
					call_id: callId,
					name: block.name,
					arguments: JSON.stringify(block.arguments),
					...namespace,
				});
			}
		}
	}
	return items;
}

// ---- one request --------------------------------------------------------------------------------------------------

export interface ResponsesRequestParts {
	input: ResponseInputItem[];
	/** The top-level tool list; undefined when there is none. */
	tools: OpenAITool[] | undefined;
	/** Tools sent as custom (grammar) tools: their calls stream as custom_tool_call items. */
	grammarInputs: ReadonlyMap<string, string>;
}

/** `input` and `tools` of a Responses request for `context`, by the model's catalog quirks. */
export function responsesRequestParts(
	model: Model,
	context: Context,
	options: {
		toolCallProviders: ReadonlySet<string>;
		/** Whether the backend takes `strict` when the model's compat does not say (Azure yes, OpenAI no). */
		strictModeDefault: boolean;
		/** `strict` of tools that do not ask for strict sampling (Codex: null). */
		strict?: boolean | null;
		configurationUpdateEffort?: string;
	},
): ResponsesRequestParts {
	const compat = model.compat;
	const flags = {
		supportsMidConvoSystemMessages: compat?.supportsMidConvoSystemMessages === true,
		supportsAdditionalTools: compat?.supportsAdditionalTools === true,
		supportsToolSearch: compat?.supportsToolSearch === true,
	};
	const toolOptions: ResponsesToolOptions = {
		...(options.strict !== undefined ? { strict: options.strict } : {}),
		supportsStrictMode:
			typeof compat?.supportsStrictMode === "boolean" ? compat.supportsStrictMode : options.strictModeDefault,
		supportsGrammarTools: compat?.supportsOpenAIGrammarTools === true,
	};
	const transcript = resolveTranscript(transcriptOf(context), flags.supportsMidConvoSystemMessages);
	const grammarInputs = grammarInputProperties(getDeclaredTools(transcript), toolOptions.supportsGrammarTools ?? false);
	const { requestTools } = resolveTranscriptTools(transcript, responsesToolSupport(flags));
	const input = convertResponsesInput(model, transcript, {
		toolCallProviders: options.toolCallProviders,
		grammarInputs,
		...flags,
		toolOptions,
		...(options.configurationUpdateEffort !== undefined
			? { configurationUpdateEffort: options.configurationUpdateEffort }
			: {}),
	});
	const tools = requestTools.length > 0 ? convertResponsesTools(requestTools, toolOptions) : undefined;
	return { input, tools, grammarInputs };
}
