/**
 * A tool's `constrainedSampling` request (pi 1.6.0), as the providers carry it out:
 *
 * - `json_schema`: the arguments are sampled under the tool's schema ("strict" tools). Strict mode takes a subset of
 *   JSON Schema: every property listed in `required` (an optional one becomes `anyOf: [schema, {type: "null"}]`),
 *   `additionalProperties: false` on every object, no references, compositions other than `anyOf` of scalars,
 *   tuples or untyped nodes. A schema that fits is converted and sent strict; one that does not is sent as it is
 *   (`strict: "prefer"`, pi's read/bash/edit/write) or is an error (`"require"`). The providers that support strict
 *   tools say so in the catalog (`compat.supportsStrictMode`).
 * - `grammar`: OpenAI's custom tools, whose input is free text sampled under a Lark or regex grammar; the tool's
 *   single required string property carries that text in the arguments pi's tools receive.
 *
 * The conversions produce exactly pi 1.6.0's schemas (the same key order), so requests match byte for byte.
 */
import type { Tool } from "../types.ts";

type SchemaNode = { [key: string]: unknown };

/** A schema the strict subset cannot express. */
class NotStrictError extends Error {}

/** Keywords strict mode rejects outright. */
const UNSUPPORTED_KEYWORDS = [
	"$ref",
	"$defs",
	"definitions",
	"allOf",
	"oneOf",
	"patternProperties",
	"dependentSchemas",
	"dependencies",
	"unevaluatedProperties",
	"propertyNames",
	"contains",
	"prefixItems",
	"not",
	"if",
	"then",
	"else",
] as const;

/** A provider's own extra restrictions (Anthropic's strict mode refuses some formats). */
export type UnsupportedKeyword = (key: string, value: unknown) => boolean;

function isNode(value: unknown): value is SchemaNode {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typesOf(node: SchemaNode): unknown[] {
	if (typeof node.type === "string") return [node.type];
	return Array.isArray(node.type) ? node.type : [];
}

/** An object or array schema (which strict mode cannot put inside an `anyOf`). */
function isStructured(node: unknown): boolean {
	if (!isNode(node)) return false;
	const types = typesOf(node);
	return (
		types.includes("object") || types.includes("array") || node.properties !== undefined || node.items !== undefined
	);
}

function acceptsNull(node: unknown): boolean {
	if (!isNode(node)) return false;
	if (typesOf(node).includes("null")) return true;
	if (node.const === null || (Array.isArray(node.enum) && node.enum.includes(null))) return true;
	return Array.isArray(node.anyOf) && node.anyOf.some(acceptsNull);
}

/** Rewrites `node` in place into the strict subset, or throws NotStrictError saying why it cannot be. */
function makeStrict(node: unknown, unsupported: UnsupportedKeyword | undefined): void {
	if (!isNode(node)) throw new NotStrictError("boolean schemas are unsupported");
	for (const key of UNSUPPORTED_KEYWORDS) {
		if (node[key] !== undefined) throw new NotStrictError(`${key} schemas are unsupported`);
	}
	if (unsupported) {
		for (const [key, value] of Object.entries(node)) {
			if (unsupported(key, value)) throw new NotStrictError(`${key}: ${JSON.stringify(value)} is unsupported`);
		}
	}
	// A bare enum counts as typed; a bare const does not.
	if (node.type === undefined && node.anyOf === undefined && node.enum === undefined) {
		throw new NotStrictError("schemas without a type are unsupported");
	}
	if (node.anyOf !== undefined) {
		if (!Array.isArray(node.anyOf) || node.anyOf.length === 0) {
			throw new NotStrictError("anyOf must contain at least one schema");
		}
		for (const variant of node.anyOf) {
			if (isStructured(variant)) throw new NotStrictError("object and array unions are unsupported");
			makeStrict(variant, unsupported);
		}
	}
	if (node.items !== undefined) {
		if (Array.isArray(node.items)) throw new NotStrictError("tuple schemas are unsupported");
		makeStrict(node.items, unsupported);
	}
	const isObject = node.type === "object";
	if (node.properties !== undefined && !isObject) throw new NotStrictError("properties require type object");
	if (!isObject) return;
	if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
		throw new NotStrictError("schema-valued or true additionalProperties is unsupported");
	}
	const properties = node.properties ?? {};
	if (!isNode(properties)) throw new NotStrictError("object properties must be a schema map");
	const required = node.required ?? [];
	if (!Array.isArray(required) || required.some((key) => typeof key !== "string")) {
		throw new NotStrictError("object required must be a string array");
	}
	const names = Object.keys(properties);
	if (required.some((key) => !names.includes(key))) throw new NotStrictError("required contains an unknown property");
	for (const [name, property] of Object.entries(properties)) {
		makeStrict(property, unsupported);
		if (!required.includes(name) && !acceptsNull(property)) properties[name] = { anyOf: [property, { type: "null" }] };
	}
	node.required = names;
	node.additionalProperties = false;
}

/** The tool's schema in the strict subset (a converted copy); throws NotStrictError when it cannot be. */
function strictSchema(schema: Tool["parameters"], unsupported?: UnsupportedKeyword): SchemaNode {
	const copy: unknown = structuredClone(schema);
	if (!isNode(copy)) throw new NotStrictError("root schema must have type object");
	makeStrict(copy, unsupported);
	if (copy.type !== "object") throw new NotStrictError("root schema must have type object");
	return copy;
}

/** A tool that asks for strict sampling only where it is possible (pi's built-in tools). */
export function prefersStrictSampling(tool: Tool): boolean {
	const config = tool.constrainedSampling;
	return !!config && config.type === "json_schema" && config.strict === "prefer";
}

/**
 * Whether a tool goes strict: true when it asks for JSON-schema sampling and the provider can (and the schema fits),
 * undefined when it does not ask or its "prefer" cannot be met. A "require" that cannot be met is an error.
 */
export function strictSamplingFor(
	tool: Tool,
	supportsStrictMode: boolean,
	unsupported?: UnsupportedKeyword,
): true | undefined {
	const config = tool.constrainedSampling;
	if (typeof config !== "object" || config.type !== "json_schema") return undefined;
	if (!supportsStrictMode) {
		if (config.strict !== "require") return undefined;
		throw new Error(`Tool "${tool.name}" requires JSON-schema constrained sampling, but strict tools are unsupported.`);
	}
	try {
		strictSchema(tool.parameters, unsupported);
		return true;
	} catch (error) {
		if (!(error instanceof NotStrictError)) throw error;
		if (config.strict !== "require") return undefined;
		throw new Error(`Tool "${tool.name}" requires JSON-schema constrained sampling, but ${error.message}.`);
	}
}

/** The parameters to declare: the strict conversion for a strict tool, else the schema as it is. */
export function toolParameters(tool: Tool, strict: boolean | undefined): Tool["parameters"] {
	return strict === true ? strictSchema(tool.parameters) : tool.parameters;
}

// ---- grammar (OpenAI custom tools) ------------------------------------------------------------------------------

export interface GrammarSampling {
	syntax: "lark" | "regex";
	definition: string;
	/** The tool's one required string property: the custom tool's input text goes there. */
	inputProperty: string;
}

function grammarVariant(variants: unknown, name: string): string | undefined {
	if (!isNode(variants)) return undefined;
	const value = variants[name];
	return typeof value === "string" && value.trim().length > 0 ? value : undefined;
}

function grammarInputProperty(tool: Tool): string {
	const schema = tool.parameters;
	if (schema.type !== "object") throw new Error("grammar constrained sampling requires an object parameter schema");
	const required = schema.required;
	const [property] = Array.isArray(required) ? required : [];
	if (!Array.isArray(required) || required.length !== 1 || typeof property !== "string") {
		throw new Error("grammar constrained sampling requires exactly one required string property");
	}
	const declared = isNode(schema.properties) ? schema.properties[property] : undefined;
	if (!declared) throw new Error(`grammar constrained sampling requires a properties entry for ${property}`);
	if (!isNode(declared) || declared.type !== "string") {
		throw new Error(`grammar constrained sampling property ${property} must have type string`);
	}
	return property;
}

/** The grammar a tool is sampled under, on models that take OpenAI grammar tools; undefined otherwise. */
export function grammarSamplingFor(tool: Tool, supportsGrammarTools: boolean): GrammarSampling | undefined {
	const config = tool.constrainedSampling;
	if (typeof config !== "object" || config.type !== "grammar" || !supportsGrammarTools) return undefined;
	const lark = grammarVariant(config.variants, "openai_lark");
	const regex = grammarVariant(config.variants, "openai_regex");
	const definition = lark ?? regex;
	if (definition === undefined) {
		throw new Error(
			`Tool "${tool.name}" cannot use grammar constrained sampling: no supported grammar variant was provided.`,
		);
	}
	try {
		return { syntax: lark !== undefined ? "lark" : "regex", definition, inputProperty: grammarInputProperty(tool) };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		throw new Error(`Tool "${tool.name}" cannot use grammar constrained sampling: ${message}.`);
	}
}

/** Tool name → input property of the tools sent as grammar (custom) tools. */
export function grammarInputProperties(tools: readonly Tool[], supportsGrammarTools: boolean): Map<string, string> {
	const properties = new Map<string, string>();
	for (const tool of tools) {
		const grammar = grammarSamplingFor(tool, supportsGrammarTools);
		if (grammar) properties.set(tool.name, grammar.inputProperty);
	}
	return properties;
}

/** A custom tool call's input text from the arguments pi stored for it. */
export function grammarToolInput(toolName: string, args: Record<string, unknown>, inputProperty: string): string {
	const input = args[inputProperty];
	if (typeof input !== "string") {
		throw new Error(`Grammar tool call "${toolName}" requires argument "${inputProperty}" to be a string.`);
	}
	return input;
}
