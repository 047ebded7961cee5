/**
 * Tools as the Anthropic Messages API takes them (pi 1.6.0): `input_schema` keeps only what Anthropic accepts at
 * the root (type object, properties, required, additionalProperties and shared definitions — it refuses root
 * anyOf/oneOf/allOf); models whose catalog entry says `supportsStrictTools` get the tools that ask for strict
 * sampling as strict tools with the strict schema, unless the schema uses keywords Anthropic's strict mode refuses.
 */
import type { ToolUnion } from "@anthropic-ai/sdk/resources/messages";
import type { Tool } from "../types.ts";
import {
	prefersStrictSampling,
	strictSamplingFor,
	toolParameters,
	type UnsupportedKeyword,
} from "./constrained-sampling.ts";

type CacheControl = { type: "ephemeral"; ttl?: "5m" | "1h" };

/** Keywords Anthropic's strict tool use refuses with a 400 for the whole request. */
const STRICT_UNSUPPORTED = new Set([
	"minimum",
	"maximum",
	"exclusiveMinimum",
	"exclusiveMaximum",
	"multipleOf",
	"maxItems",
	"uniqueItems",
	"minContains",
	"maxContains",
	"minProperties",
	"maxProperties",
]);
const STRICT_STRING_FORMATS = new Set([
	"date-time",
	"time",
	"date",
	"duration",
	"email",
	"hostname",
	"uri",
	"ipv4",
	"ipv6",
	"uuid",
]);

const anthropicUnsupported: UnsupportedKeyword = (key, value) => {
	if (STRICT_UNSUPPORTED.has(key)) return true;
	if (key === "minItems") return value !== 0 && value !== 1;
	if (key === "format") return typeof value !== "string" || !STRICT_STRING_FORMATS.has(value);
	return false;
};

export interface AnthropicToolOptions {
	/** The name the tool is declared under (Claude Code's names for OAuth subscriptions). */
	name: (tool: Tool) => string;
	eager: boolean;
	cache: CacheControl | undefined;
	supportsStrictTools: boolean;
	/** Tools that only prefer strict sampling go as ordinary tools (the session went over Claude's strict limits). */
	disablePreferredStrict: boolean;
}

export function convertAnthropicTools(
	tools: readonly Tool[],
	options: AnthropicToolOptions,
): { tools: ToolUnion[]; hasPreferredStrictTools: boolean } {
	let hasPreferredStrictTools = false;
	const converted = tools.map((tool, index): ToolUnion => {
		const preferred = prefersStrictSampling(tool);
		const strict =
			options.disablePreferredStrict && preferred
				? undefined
				: strictSamplingFor(tool, options.supportsStrictTools, anthropicUnsupported);
		if (strict === true && preferred) hasPreferredStrictTools = true;
		const parameters = toolParameters(tool, strict);
		const properties =
			typeof parameters.properties === "object" && parameters.properties !== null ? parameters.properties : {};
		const required = Array.isArray(parameters.required)
			? parameters.required.filter((name): name is string => typeof name === "string")
			: [];
		const root = {
			type: "object" as const,
			properties,
			required,
			...(parameters.additionalProperties === undefined
				? {}
				: { additionalProperties: parameters.additionalProperties }),
			...(parameters.$defs === undefined ? {} : { $defs: parameters.$defs }),
			...(parameters.definitions === undefined ? {} : { definitions: parameters.definitions }),
		};
		return {
			name: options.name(tool),
			description: tool.description,
			...(options.eager ? { eager_input_streaming: true } : {}),
			...(strict === true ? { strict: true } : {}),
			// The strict schema keeps its own key order; Anthropic's root fields are laid over it.
			input_schema: strict === true ? { ...parameters, ...root } : root,
			...(options.cache && index === tools.length - 1 ? { cache_control: options.cache } : {}),
		};
	});
	return { tools: converted, hasPreferredStrictTools };
}
