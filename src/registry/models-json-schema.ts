/**
 * The schema of ~/.pi/agent/models.json (pi-spec §2.5), also used for providers an extension registers. Problems
 * are worded one per line, `  - <path>: <message>`.
 */
import * as v from "valibot";
import { lazyGroup, lazySchema } from "../util/lazy-schema.ts";

/**
 * Built on first use: only a run with a models.json (or an extension registering a provider) needs them. Parts a
 * file seldom has (compat flags, thinking level maps, input limits, model overrides) are built when one has them,
 * and optional wrappers are shared: the fewer schemas startup builds, the less valibot's constructor runs
 * (util/lazy-schema.ts).
 */
const schemas = lazyGroup(() => {
	const OptionalBoolean = v.optional(v.boolean());
	const NonEmpty = v.pipe(v.string(), v.minLength(1, "must not be empty"));
	const OptionalNonEmpty = v.optional(NonEmpty);
	const OptionalNumber = v.optional(v.number());
	const OptionalStringMap = v.optional(v.record(v.string(), v.string()));
	const OptionalInputKinds = v.optional(v.array(v.picklist(["text", "image"])));
	const OptionalThinkingLevelMap = v.optional(
		lazySchema(() => {
			const level = v.optional(v.nullable(v.string()));
			return v.object({ off: level, minimal: level, low: level, medium: level, high: level, xhigh: level, max: level });
		}),
	);
	/** Known quirk flags of all APIs (openai-completions, openai-responses, anthropic-messages); others pass through. */
	const CompatSchema = lazySchema(() => {
		const RoutingSchema = v.optional(
			v.looseObject({ only: v.optional(v.array(v.string())), order: v.optional(v.array(v.string())) }),
		);
		return v.looseObject({
			supportsStore: OptionalBoolean,
			supportsDeveloperRole: OptionalBoolean,
			supportsReasoningEffort: OptionalBoolean,
			supportsUsageInStreaming: OptionalBoolean,
			maxTokensField: v.optional(v.picklist(["max_completion_tokens", "max_tokens"])),
			requiresToolResultName: OptionalBoolean,
			requiresAssistantAfterToolResult: OptionalBoolean,
			requiresThinkingAsText: OptionalBoolean,
			requiresReasoningContentOnAssistantMessages: OptionalBoolean,
			thinkingFormat: v.optional(
				v.picklist([
					"openai",
					"openrouter",
					"deepseek",
					"zai",
					"qwen",
					"qwen-chat-template",
					"together",
					"ant-ling",
					"baseten",
				]),
			),
			cacheControlFormat: v.optional(v.literal("anthropic")),
			openRouterRouting: RoutingSchema,
			vercelGatewayRouting: RoutingSchema,
			supportsStrictMode: OptionalBoolean,
			supportsFinishReason: OptionalBoolean,
			supportsLongCacheRetention: OptionalBoolean,
			sendSessionIdHeader: OptionalBoolean,
			supportsEagerToolInputStreaming: OptionalBoolean,
			supportsMidConvoSystemMessages: OptionalBoolean,
			supportsAdditionalTools: OptionalBoolean,
			supportsToolSearch: OptionalBoolean,
			supportsOpenAIGrammarTools: OptionalBoolean,
			supportsMidConvoEffort: OptionalBoolean,
			supportsMaxOutputTokens: OptionalBoolean,
			supportsExplicitPromptCacheMode: OptionalBoolean,
			supportsStrictTools: OptionalBoolean,
			forceAdaptiveThinking: OptionalBoolean,
		});
	});
	const OptionalCompat = v.optional(CompatSchema);
	const OptionalInputLimits = v.optional(
		lazySchema(() => {
			const PositiveInt = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));
			return v.object({
				maxRequestBytes: PositiveInt,
				images: v.optional(
					v.object({
						resize: v.optional(
							v.object({
								maxWidth: PositiveInt,
								maxHeight: PositiveInt,
								maxBytes: PositiveInt,
								jpegQuality: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
							}),
						),
						maxPerMessage: PositiveInt,
						maxPerRequest: PositiveInt,
					}),
				),
			});
		}),
	);
	const costEntries = () => ({ input: v.number(), output: v.number(), cacheRead: v.number(), cacheWrite: v.number() });
	const ModelDefinitionSchema = v.object({
		id: NonEmpty,
		name: OptionalNonEmpty,
		api: OptionalNonEmpty,
		baseUrl: OptionalNonEmpty,
		reasoning: OptionalBoolean,
		thinkingLevelMap: OptionalThinkingLevelMap,
		input: OptionalInputKinds,
		inputLimits: OptionalInputLimits,
		cost: v.optional(v.object(costEntries())),
		contextWindow: OptionalNumber,
		maxTokens: OptionalNumber,
		headers: OptionalStringMap,
		compat: OptionalCompat,
	});
	const ModelOverrideSchema = lazySchema(() =>
		v.object({
			name: OptionalNonEmpty,
			reasoning: OptionalBoolean,
			thinkingLevelMap: OptionalThinkingLevelMap,
			input: OptionalInputKinds,
			inputLimits: OptionalInputLimits,
			cost: v.optional(v.partial(v.object(costEntries()))),
			contextWindow: OptionalNumber,
			maxTokens: OptionalNumber,
			headers: OptionalStringMap,
			compat: OptionalCompat,
		}),
	);
	const ProviderConfigSchema = v.object({
		name: OptionalNonEmpty,
		baseUrl: OptionalNonEmpty,
		apiKey: OptionalNonEmpty,
		api: OptionalNonEmpty,
		headers: OptionalStringMap,
		compat: OptionalCompat,
		authHeader: OptionalBoolean,
		models: v.optional(v.array(ModelDefinitionSchema)),
		modelOverrides: v.optional(v.record(v.string(), ModelOverrideSchema)),
	});
	const ModelsConfigSchema = v.object({ providers: v.record(v.string(), ProviderConfigSchema) });
	return { ModelsConfigSchema, ProviderConfigSchema, ModelOverrideSchema, CompatSchema };
});

type Schemas = ReturnType<typeof schemas>;
export type ModelsConfig = v.InferOutput<Schemas["ModelsConfigSchema"]>;
export type ProviderConfig = v.InferOutput<Schemas["ProviderConfigSchema"]>;
export type ModelOverride = v.InferOutput<Schemas["ModelOverrideSchema"]>;
export type Compat = v.InferOutput<Schemas["CompatSchema"]>;

function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string {
	return issues.map((issue) => `  - ${v.getDotPath(issue) ?? "root"}: ${issue.message}`).join("\n");
}

/** A models.json file's content, checked. */
export function parseModelsConfig(value: unknown): { config: ModelsConfig } | { error: string } {
	const parsed = v.safeParse(schemas().ModelsConfigSchema, value);
	return parsed.success ? { config: parsed.output } : { error: formatIssues(parsed.issues) };
}

/** A provider in models.json's format from elsewhere (an extension's registerProvider), checked the same way. */
export function parseProviderConfig(value: unknown): { config: ProviderConfig } | { error: string } {
	const parsed = v.safeParse(schemas().ProviderConfigSchema, value);
	return parsed.success ? { config: parsed.output } : { error: formatIssues(parsed.issues) };
}
