/**
 * Chat Completions server quirks: each flag of model.compat, auto-detected from the provider id and base URL when the
 * model does not say (pi 1.6.0's detection; pi-spec §4.7).
 */
import type { Model } from "../types.ts";

export type ThinkingFormat =
	| "openai"
	| "zai"
	| "qwen"
	| "qwen-chat-template"
	| "deepseek"
	| "openrouter"
	| "together"
	| "ant-ling"
	| "baseten";
type Routing = { only?: string[]; order?: string[] };

export interface ResolvedCompat {
	supportsStore: boolean;
	supportsDeveloperRole: boolean;
	supportsReasoningEffort: boolean;
	supportsUsageInStreaming: boolean;
	maxTokensField: "max_completion_tokens" | "max_tokens";
	requiresToolResultName: boolean;
	requiresAssistantAfterToolResult: boolean;
	requiresThinkingAsText: boolean;
	requiresReasoningContentOnAssistantMessages: boolean;
	thinkingFormat: ThinkingFormat;
	openRouterRouting: Routing;
	vercelGatewayRouting: Routing;
	zaiToolStream: boolean;
	supportsStrictMode: boolean;
	/** pi 1.6.0: the server ends every stream with a finish_reason; one that does not was cut short. */
	supportsFinishReason: boolean;
	cacheControlFormat: "anthropic" | undefined;
	sendSessionAffinityHeaders: boolean;
	supportsLongCacheRetention: boolean;
}

/** pi 1.6.0's detection from provider id and base URL, for models (custom ones) whose compat does not say. */
function detectCompat(model: Model): ResolvedCompat {
	const { provider, baseUrl } = model;
	const isZai =
		provider === "zai" ||
		provider === "zai-coding-cn" ||
		baseUrl.includes("api.z.ai") ||
		baseUrl.includes("open.bigmodel.cn");
	const isMoonshot = provider === "moonshotai" || provider === "moonshotai-cn" || baseUrl.includes("api.moonshot.");
	const isWorkersAi = provider === "cloudflare-workers-ai" || baseUrl.includes("api.cloudflare.com");
	const isAiGateway = provider === "cloudflare-ai-gateway" || baseUrl.includes("gateway.ai.cloudflare.com");
	const isGrok = provider === "xai" || baseUrl.includes("api.x.ai");
	const isDeepSeek = provider === "deepseek" || baseUrl.toLowerCase().includes("deepseek.com");
	const isTogether =
		provider === "together" || baseUrl.includes("api.together.ai") || baseUrl.includes("api.together.xyz");
	const isNvidia = provider === "nvidia" || baseUrl.includes("integrate.api.nvidia.com");
	const isAntLing = provider === "ant-ling" || baseUrl.includes("api.ant-ling.com");
	const isNonStandard =
		provider === "cerebras" ||
		baseUrl.includes("cerebras.ai") ||
		isGrok ||
		baseUrl.includes("chutes.ai") ||
		isDeepSeek ||
		isZai ||
		isMoonshot ||
		isTogether ||
		isNvidia ||
		isAntLing ||
		provider === "opencode" ||
		baseUrl.includes("opencode.ai") ||
		isWorkersAi ||
		isAiGateway;
	const useMaxTokens =
		baseUrl.includes("chutes.ai") ||
		isDeepSeek ||
		isMoonshot ||
		isAiGateway ||
		isTogether ||
		isNvidia ||
		isAntLing ||
		isZai;
	return {
		supportsStore: !isNonStandard,
		// The developer role is OpenAI's; other hosts' chat templates often reject it, and all accept system.
		supportsDeveloperRole: provider === "openai" || baseUrl.includes("api.openai.com"),
		supportsReasoningEffort: !isGrok && !isZai && !isMoonshot && !isAiGateway && !isTogether && !isNvidia && !isAntLing,
		supportsUsageInStreaming: true,
		maxTokensField: useMaxTokens ? "max_tokens" : "max_completion_tokens",
		requiresToolResultName: false,
		requiresAssistantAfterToolResult: false,
		requiresThinkingAsText: false,
		requiresReasoningContentOnAssistantMessages: isDeepSeek,
		thinkingFormat: isDeepSeek
			? "deepseek"
			: isZai
				? "zai"
				: isTogether
					? "together"
					: isAntLing
						? "ant-ling"
						: provider === "openrouter" || baseUrl.includes("openrouter.ai")
							? "openrouter"
							: "openai",
		openRouterRouting: {},
		vercelGatewayRouting: {},
		zaiToolStream: false,
		// pi 1.6.0: OpenAI compatibility alone does not imply strict JSON-schema tool support.
		supportsStrictMode: false,
		supportsFinishReason: true,
		cacheControlFormat: provider === "openrouter" && model.id.startsWith("anthropic/") ? "anthropic" : undefined,
		sendSessionAffinityHeaders: false,
		supportsLongCacheRetention: !(isWorkersAi || isAiGateway || isTogether || isNvidia || isAntLing),
	};
}

export function resolveCompat(model: Model): ResolvedCompat {
	const detected = detectCompat(model);
	const compat = model.compat;
	if (!compat) return detected;
	return {
		supportsStore: compat.supportsStore ?? detected.supportsStore,
		supportsDeveloperRole: compat.supportsDeveloperRole ?? detected.supportsDeveloperRole,
		supportsReasoningEffort: compat.supportsReasoningEffort ?? detected.supportsReasoningEffort,
		supportsUsageInStreaming: compat.supportsUsageInStreaming ?? detected.supportsUsageInStreaming,
		maxTokensField: compat.maxTokensField ?? detected.maxTokensField,
		requiresToolResultName: compat.requiresToolResultName ?? detected.requiresToolResultName,
		requiresAssistantAfterToolResult:
			compat.requiresAssistantAfterToolResult ?? detected.requiresAssistantAfterToolResult,
		requiresThinkingAsText: compat.requiresThinkingAsText ?? detected.requiresThinkingAsText,
		requiresReasoningContentOnAssistantMessages:
			compat.requiresReasoningContentOnAssistantMessages ?? detected.requiresReasoningContentOnAssistantMessages,
		thinkingFormat: compat.thinkingFormat ?? detected.thinkingFormat,
		openRouterRouting: compat.openRouterRouting ?? {},
		vercelGatewayRouting: compat.vercelGatewayRouting ?? detected.vercelGatewayRouting,
		zaiToolStream: compat.zaiToolStream ?? detected.zaiToolStream,
		supportsStrictMode: compat.supportsStrictMode ?? detected.supportsStrictMode,
		supportsFinishReason: compat.supportsFinishReason ?? detected.supportsFinishReason,
		cacheControlFormat:
			compat.cacheControlFormat === "anthropic"
				? "anthropic"
				: compat.cacheControlFormat
					? undefined
					: detected.cacheControlFormat,
		sendSessionAffinityHeaders: detected.sendSessionAffinityHeaders,
		supportsLongCacheRetention: compat.supportsLongCacheRetention ?? detected.supportsLongCacheRetention,
	};
}
