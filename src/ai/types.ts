/**
 * The provider-agnostic message model. These shapes are persisted in session files and emitted
 * in JSON/RPC modes, so they follow pi's field names exactly (pi-spec §4).
 */

export type KnownApi =
	| "anthropic-messages"
	| "openai-completions"
	| "openai-responses"
	| "azure-openai-responses"
	| "openai-codex-responses"
	| "mistral-conversations"
	| "google-generative-ai"
	| "google-vertex"
	| "bedrock-converse-stream"
	| "pi-messages";
/** Any registered API string is accepted (models.json may name others); the known ones have built-in streamers. */
export type Api = KnownApi | (string & {});

/**
 * The "API key" of a provider that authenticates through ambient credentials (an AWS profile or credential chain,
 * Google Application Default Credentials): it marks the provider as usable; providers never send it.
 */
export const AMBIENT_CREDENTIALS = "<authenticated>";

/** pi 1.6.0's levels: "xhigh" and "max" exist only for models whose thinking-level map names a value for them. */
export type ThinkingLevel = "off" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";
export const THINKING_LEVELS: readonly ThinkingLevel[] = ["off", "minimal", "low", "medium", "high", "xhigh", "max"];

export interface TextContent {
	type: "text";
	text: string;
	textSignature?: string;
}

export interface ThinkingContent {
	type: "thinking";
	thinking: string;
	thinkingSignature?: string;
	redacted?: boolean;
}

export interface ImageContent {
	type: "image";
	/** base64, no data: prefix */
	data: string;
	mimeType: string;
}

export interface ToolCall {
	type: "toolCall";
	id: string;
	name: string;
	arguments: Record<string, unknown>;
	thoughtSignature?: string;
	/** pi 1.6.0: the OpenAI Responses namespace of a call to a namespaced or dynamically loaded tool. */
	namespace?: string;
	/**
	 * pi 1.6.0: set when the model's complete arguments text was not a valid JSON object (cut off, malformed);
	 * `arguments` is then `{}`. The call is answered with this error instead of being run.
	 */
	argumentsError?: string;
}

export interface Cost {
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	total: number;
}

export interface Usage {
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	totalTokens: number;
	cost: Cost;
}

export type StopReason = "stop" | "length" | "toolUse" | "error" | "aborted";

/**
 * The prompt and tool loadout as a transcript message (pi 1.6.0). The leading system message declares the prompt
 * sections and tools; later ones patch `sections` by name (null removes one), append `content`, and list
 * `toolsAdded` / `toolsRemoved`. Replaying them in order (src/ai/transcript.ts) gives the current prompt and tools.
 */
export interface SystemMessage {
	role: "system";
	content: string | TextContent[];
	sections?: Record<string, string | null>;
	toolsAdded?: Tool[];
	toolsRemoved?: ToolReference[];
	timestamp: number;
}

/** A tool named by a system message's `toolsRemoved`. */
export interface ToolReference {
	name: string;
}

export interface UserMessage {
	role: "user";
	content: string | (TextContent | ImageContent)[];
	timestamp: number;
}

export interface AssistantMessage {
	role: "assistant";
	content: (TextContent | ThinkingContent | ToolCall)[];
	api: Api;
	provider: string;
	model: string;
	usage: Usage;
	/** "pending" only on the copy announced by message_start while the answer streams (pi 1.6.0); never stored. */
	stopReason: StopReason | "pending";
	errorMessage?: string;
	timestamp: number;
	/** The provider's id for this response, when it sends one. */
	responseId?: string;
	/** pi 1.6.0: the thinking level requested for this answer ("off" when none). */
	thinkingLevel?: ThinkingLevel;
	/**
	 * pi 1.6.0: the provider's own effort value this answer was made with, where the request carries it as a
	 * configuration update (OpenAI models with `compat.supportsMidConvoEffort`); replayed before this answer later.
	 */
	providerThinkingLevel?: string;
	/** pi 1.6.0: whether the provider said the model ended its turn (Codex); informational. */
	endTurn?: boolean;
	/** pi 1.6.0: milliseconds from the request to the final event. */
	durationMs?: number;
}

export interface ToolResultMessage<TDetails = unknown> {
	role: "toolResult";
	toolCallId: string;
	toolName: string;
	content: (TextContent | ImageContent)[];
	/** Tool-specific UI metadata, never sent to the LLM. */
	details?: TDetails;
	isError: boolean;
	/** pi 1.6.0: how long the tool ran, in milliseconds. */
	durationMs?: number;
	timestamp: number;
}

export type Message = UserMessage | AssistantMessage | ToolResultMessage;

/** JSON Schema object as sent to providers. Kept byte-compatible with pi's TypeBox output. */
export type JsonSchema = { [key: string]: unknown };

/** How a provider may constrain the arguments it samples for a tool (pi 1.6.0; carried opaquely). */
export type ConstrainedSampling =
	| false
	| { type: "json_schema"; strict: "prefer" | "require" }
	| { type: "grammar"; variants: unknown };

export interface Tool {
	name: string;
	description: string;
	parameters: JsonSchema;
	constrainedSampling?: ConstrainedSampling;
}

export interface Context {
	systemPrompt?: string;
	messages: Message[];
	tools?: Tool[];
	/**
	 * The transcript this context was collapsed from (src/ai/transcript.ts#toProviderContext): every message in
	 * order, with the system messages that declare and later patch the prompt and tools. Providers whose models take
	 * system messages mid-conversation (`compat.supportsMidConvoSystemMessages`) send those in place; the others use
	 * the collapsed `systemPrompt`/`tools`. Without it, `systemPrompt` and `tools` stand for a leading system message.
	 */
	transcript?: (Message | SystemMessage)[];
}

export interface ModelCostRates {
	/** USD per million tokens */
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
}

/** pi 1.6.0: a request whose whole input exceeds `inputTokensAbove` is billed at these rates instead. */
export interface ModelCostTier extends ModelCostRates {
	inputTokensAbove: number;
}

export interface ModelCost extends ModelCostRates {
	tiers?: ModelCostTier[];
}

/**
 * The provider's value for each thinking level: a string replaces the level's default wire value (e.g. xhigh →
 * "max"), null marks the level unsupported; absent levels use the API's default mapping.
 */
export type ThinkingLevelMap = Partial<Record<ThinkingLevel, string | null>>;

/** openai-completions quirks; each field is auto-detected from provider/baseUrl when absent (pi-spec §4.7). */
export interface OpenAICompat {
	supportsStore?: boolean;
	supportsDeveloperRole?: boolean;
	supportsReasoningEffort?: boolean;
	/** Kept for models.json files written for older pi versions; 0.73.1 uses Model.thinkingLevelMap. */
	reasoningEffortMap?: Partial<Record<ThinkingLevel, string>>;
	supportsUsageInStreaming?: boolean;
	maxTokensField?: "max_completion_tokens" | "max_tokens";
	requiresToolResultName?: boolean;
	requiresAssistantAfterToolResult?: boolean;
	requiresThinkingAsText?: boolean;
	thinkingFormat?:
		| "openai"
		| "openrouter"
		| "deepseek"
		| "zai"
		| "qwen"
		| "qwen-chat-template"
		| "together"
		| "ant-ling"
		| "baseten";
	requiresReasoningContentOnAssistantMessages?: boolean;
	cacheControlFormat?: string;
	supportsLongCacheRetention?: boolean;
	sendSessionIdHeader?: boolean;
	supportsEagerToolInputStreaming?: boolean;
	zaiToolStream?: boolean;
	openRouterRouting?: { only?: string[]; order?: string[] };
	vercelGatewayRouting?: { only?: string[]; order?: string[] };
	supportsStrictMode?: boolean;
	/** pi 1.6.0, default true: streamed responses end with a finish_reason; false infers stop or toolUse. */
	supportsFinishReason?: boolean;
	/** pi 1.6.0: the model takes system messages mid-conversation (later prompt/tool changes are sent in place). */
	supportsMidConvoSystemMessages?: boolean;
	/** pi 1.6.0 (Responses): tools can be declared in `additional_tools` input items. */
	supportsAdditionalTools?: boolean;
	/** pi 1.6.0 (Responses): tools can be added later as client tool-search results. */
	supportsToolSearch?: boolean;
	/** pi 1.6.0 (Responses): grammar-constrained tools can be sent as custom tools. */
	supportsOpenAIGrammarTools?: boolean;
	/** pi 1.6.0 (Responses): the thinking level can change mid-conversation through configuration_update items. */
	supportsMidConvoEffort?: boolean;
	/** pi 1.6.0 (Anthropic Messages): the model thinks adaptively (effort levels), never with a token budget. */
	forceAdaptiveThinking?: boolean;
	/** pi 1.6.0 (Anthropic Messages, Bedrock Claude): tools asking for strict sampling may be sent strict. */
	supportsStrictTools?: boolean;
	/** pi 1.6.0 (Responses): the prompt cache is configured with prompt_cache_options (mode, ttl). */
	supportsExplicitPromptCacheMode?: boolean;
	/** pi 1.6.0 (Responses, default true): the backend takes `max_output_tokens`. */
	supportsMaxOutputTokens?: boolean;
}

/**
 * pi 1.6.0's limits on what a model takes in. Of these pi uses the image resize profile: images are shrunk to it
 * before they enter the conversation (default 2000×2000, 4.5 MB, JPEG quality 80 — the value of every catalog model,
 * which is why the catalog does not carry it); models.json may set it per model.
 */
export interface ModelInputLimits {
	maxRequestBytes?: number;
	images?: {
		resize?: { maxWidth?: number; maxHeight?: number; maxBytes?: number; jpegQuality?: number };
		maxPerMessage?: number;
		maxPerRequest?: number;
	};
}

export interface Model {
	id: string;
	name: string;
	api: Api;
	provider: string;
	baseUrl: string;
	reasoning: boolean;
	input: ("text" | "image")[];
	cost: ModelCost;
	contextWindow: number;
	maxTokens: number;
	headers?: Record<string, string>;
	compat?: OpenAICompat;
	thinkingLevelMap?: ThinkingLevelMap;
	inputLimits?: ModelInputLimits;
}

export type CacheRetention = "none" | "short" | "long";

export type Transport = "sse" | "websocket" | "websocket-cached" | "auto";

/** What a request needs besides the API key, resolved by the caller's credential store (src/registry). */
export interface RequestAuth {
	headers?: Record<string, string>;
	env?: Readonly<Record<string, string>>;
}

export interface StreamOptions {
	temperature?: number;
	/** Default min(model.maxTokens, 32000). */
	maxTokens?: number;
	signal?: AbortSignal;
	apiKey?: string;
	cacheRetention?: CacheRetention;
	/** Prompt-cache key. */
	sessionId?: string;
	/** Win over the model's and the provider's own headers; `null` removes one of those (pi's ProviderHeaders). */
	headers?: ProviderHeaders;
	/**
	 * Provider settings for this request (pi 1.6.0's ProviderEnv): values stored with the credential, such as
	 * AWS_PROFILE, AWS_REGION, GOOGLE_CLOUD_PROJECT or CLOUDFLARE_ACCOUNT_ID. They win over the process
	 * environment, which providers read otherwise.
	 */
	env?: Readonly<Record<string, string>>;
	/** If the server asks to wait longer than this, fail with a message naming the delay. Default 60000; 0 = no cap. */
	maxRetryDelayMs?: number;
	/**
	 * Retries inside the provider SDK (settings retry.provider.maxRetries), before the agent's own retry sees an
	 * error. Unset = the SDK's default, as in pi: 2 for the Anthropic and OpenAI SDKs, none for Gemini.
	 */
	maxRetries?: number;
	/** Request timeout inside the provider SDK (settings retry.provider.timeoutMs). Unset = the SDK's default. */
	timeoutMs?: number;
	/** undefined = thinking off */
	reasoning?: Exclude<ThinkingLevel, "off">;
	thinkingBudgets?: Partial<Record<"minimal" | "low" | "medium" | "high", number>>;
	/** Once the answer streams: abort and report a transient error after this long without a chunk
	 * (settings httpIdleTimeoutMs). Default 300000; 0 = no limit. */
	idleTimeoutMs?: number;
	/** From sending the request to the answer's first byte (settings retry.provider.timeoutMs, else longer than the
	 * idle limit). Default 600000; 0 = no limit. */
	firstByteTimeoutMs?: number;
	/** pi 1.6.0's `transport` setting, for providers that have more than one (Codex: WebSocket or SSE). */
	transport?: Transport;
	/** How long a WebSocket may take to open (settings websocketConnectTimeoutMs, default 15000; 0 = no limit). */
	websocketConnectTimeoutMs?: number;
	/** May inspect or replace the request payload just before it is sent. */
	onPayload?: (payload: unknown, model: Model) => unknown;
	/** Told each HTTP response's status and headers, before its body is read (extensions' after_provider_response). */
	onResponse?: (response: ProviderResponse, model: Model) => unknown;
	/**
	 * Shown each parsed provider event before it is normalized, awaited in stream order (extensions'
	 * provider_stream_event). Leave unset unless someone listens: the stream then takes its fastest path.
	 */
	onProviderStreamEvent?: (data: unknown, model: Model) => unknown;
}

/** Request headers where `null` removes a header the provider would otherwise send (pi 1.6.0). */
export type ProviderHeaders = Record<string, string | null>;

/** An HTTP response as `onResponse` sees it: status and lower-cased header names. */
export interface ProviderResponse {
	status: number;
	headers: Record<string, string>;
}

/** Streaming protocol (pi-spec §4.5). Every event but done/error carries the whole message so far. */
export type AssistantMessageEvent =
	| { type: "start"; partial: AssistantMessage }
	| { type: "text_start"; contentIndex: number; partial: AssistantMessage }
	| { type: "text_delta"; contentIndex: number; delta: string; partial: AssistantMessage }
	| { type: "text_end"; contentIndex: number; content: string; partial: AssistantMessage }
	| { type: "thinking_start"; contentIndex: number; partial: AssistantMessage }
	| { type: "thinking_delta"; contentIndex: number; delta: string; partial: AssistantMessage }
	| { type: "thinking_end"; contentIndex: number; content: string; partial: AssistantMessage }
	| { type: "toolcall_start"; contentIndex: number; partial: AssistantMessage }
	| { type: "toolcall_delta"; contentIndex: number; delta: string; partial: AssistantMessage }
	| { type: "toolcall_end"; contentIndex: number; toolCall: ToolCall; partial: AssistantMessage }
	| { type: "done"; reason: "stop" | "length" | "toolUse"; message: AssistantMessage }
	| { type: "error"; reason: "error" | "aborted"; error: AssistantMessage };

/**
 * A provider stream: iterate the events; `result()` resolves with the final message (also on error/abort).
 * Streams never throw after being returned: failures arrive as an `error` event.
 */
export interface AssistantMessageStream extends AsyncIterable<AssistantMessageEvent> {
	result(): Promise<AssistantMessage>;
}

export type StreamFunction = (model: Model, context: Context, options?: StreamOptions) => AssistantMessageStream;

export function emptyUsage(): Usage {
	return {
		input: 0,
		output: 0,
		cacheRead: 0,
		cacheWrite: 0,
		totalTokens: 0,
		cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
	};
}
