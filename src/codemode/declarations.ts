/**
 * What a codemode script sees of a tool: the identifier it calls it by (`tools.mcp__docs__search`), and a TypeScript
 * declaration rendered from the tool's JSON Schemas, `name(args: { path: string; limit?: number; }): Promise<string>`.
 * Objects with documented properties are written one property per line with `//` comments that also carry what the
 * type cannot say (`@integer @minimum 1 @default 20`). Local `$ref`s are followed (recursion renders `unknown`).
 */
import type { JsonSchema } from "../ai/types.ts";

/** Characters that are not valid in a JavaScript identifier become `_`: `my-tool` → `my_tool`. */
export function toIdentifier(name: string): string {
	let identifier = "";
	for (const char of name) {
		const valid = identifier === "" ? /^[A-Za-z_$]$/.test(char) : /^[A-Za-z0-9_$]$/.test(char);
		identifier += valid ? char : "_";
	}
	return identifier || "_";
}

type Schema = JsonSchema | boolean;

const INDENT = "  ";
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_REF_EXPANSIONS = 32;
/** A rendered input type longer than this is shown as `unknown` (first without tags, then at all). */
export const INPUT_TYPE_MAX_CHARS = 16_000;
const NUMBER_TAGS = [
	"minimum",
	"exclusiveMinimum",
	"maximum",
	"exclusiveMaximum",
	"multipleOf",
	"minLength",
	"maxLength",
	"minItems",
	"maxItems",
];
const STRING_TAGS = ["pattern", "format"];
const MAX_TAG_CHARS = 80;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The subschema a local `$ref` (`#`, `#/$defs/Item`) names in `root`; undefined for remote or dangling ones. */
export function resolveRef(ref: string, root: unknown): Schema | undefined {
	if (ref !== "#" && !ref.startsWith("#/")) return undefined;
	let current: unknown = root;
	for (const segment of ref.slice(2).split("/").filter(Boolean)) {
		let key: string;
		try {
			key = decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~");
		} catch {
			return undefined;
		}
		if (!isObject(current) || !(key in current)) return undefined;
		current = current[key];
	}
	return typeof current === "boolean" || isObject(current) ? current : undefined;
}

interface RenderContext {
	root: Schema;
	resolving: Set<string>;
	expansions: number;
	tags: boolean;
}

function union(types: string[]): string {
	const unique = [...new Set(types)];
	if (unique.includes("unknown")) return "unknown";
	return unique.length === 0 ? "never" : unique.join(" | ");
}

function render(schema: Schema, context: RenderContext): string {
	if (schema === true) return "unknown";
	if (schema === false) return "never";
	if (!isObject(schema)) return "unknown";
	if (typeof schema.$ref === "string") {
		const ref = schema.$ref;
		if (context.resolving.has(ref) || context.expansions >= MAX_REF_EXPANSIONS) return "unknown";
		const target = resolveRef(ref, context.root);
		if (target === undefined) return "unknown";
		context.expansions++;
		context.resolving.add(ref);
		try {
			return render(target, context);
		} finally {
			context.resolving.delete(ref);
		}
	}
	if ("const" in schema) return JSON.stringify(schema.const) ?? "unknown";
	if (Array.isArray(schema.enum)) return union(schema.enum.map((value) => JSON.stringify(value) ?? "unknown"));
	const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
	if (variants) return union(variants.map((variant) => render(variant as Schema, context)));
	if (Array.isArray(schema.allOf)) {
		const parts = schema.allOf.map((part) => render(part as Schema, context)).filter((part) => part !== "unknown");
		return parts.length === 0
			? "unknown"
			: parts.map((part) => (part.includes(" | ") ? `(${part})` : part)).join(" & ");
	}
	const type = schema.type;
	if (Array.isArray(type)) return union(type.map((entry) => render({ ...schema, type: entry }, context)));
	switch (type) {
		case "string":
			return "string";
		case "number":
		case "integer":
			return "number";
		case "boolean":
			return "boolean";
		case "null":
			return "null";
		case "array":
			return renderArray(schema, context);
		case "object":
			return renderObject(schema, context);
		case undefined:
			if ("properties" in schema || "additionalProperties" in schema || "required" in schema) {
				return renderObject(schema, context);
			}
			return "items" in schema || "prefixItems" in schema ? renderArray(schema, context) : "unknown";
		default:
			return "unknown";
	}
}

function renderArray(schema: Record<string, unknown>, context: RenderContext): string {
	if (schema.items !== undefined && !Array.isArray(schema.items))
		return `Array<${render(schema.items as Schema, context)}>`;
	const tuple = Array.isArray(schema.prefixItems)
		? schema.prefixItems
		: Array.isArray(schema.items)
			? schema.items
			: [];
	return tuple.length > 0 ? `[${tuple.map((item) => render(item as Schema, context)).join(", ")}]` : "unknown[]";
}

/** What a property's type cannot express, as tags: `@integer @minimum 1 @default 20`. */
function tagsOf(property: unknown): string {
	if (!isObject(property)) return "";
	// `int | None` (Pydantic) keeps its constraints in the non-null branch.
	const variants = Array.isArray(property.anyOf) ? property.anyOf : Array.isArray(property.oneOf) ? property.oneOf : [];
	const nonNull = variants.filter((variant) => !(isObject(variant) && variant.type === "null"));
	const sources = nonNull.length === 1 && isObject(nonNull[0]) ? [property, nonNull[0]] : [property];
	const tags: string[] = [];
	const isInteger = (type: unknown) => type === "integer" || (Array.isArray(type) && type.includes("integer"));
	if (sources.some((source) => isInteger(source.type))) tags.push("@integer");
	for (const keyword of [...NUMBER_TAGS, ...STRING_TAGS]) {
		for (const source of sources) {
			const value = source[keyword];
			if (typeof value === "number" || typeof value === "string") {
				tags.push(`@${keyword} ${value}`);
				break;
			}
		}
	}
	if (property.default !== undefined && property.default !== null)
		tags.push(`@default ${JSON.stringify(property.default)}`);
	if (property.deprecated === true) tags.push("@deprecated");
	return tags
		.filter((tag) => tag.length <= MAX_TAG_CHARS)
		.map((tag) => tag.replace(/[\r\n\u2028\u2029]/g, " "))
		.join(" ");
}

function renderObject(schema: Record<string, unknown>, context: RenderContext): string {
	const properties = isObject(schema.properties) ? schema.properties : {};
	const required = new Set(Array.isArray(schema.required) ? schema.required : []);
	const names = Object.keys(properties).sort();
	const members = names.map((name) => {
		const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
		return `${key}${required.has(name) ? "" : "?"}: ${render(properties[name] as Schema, context)};`;
	});
	const additional = schema.additionalProperties;
	if (additional !== undefined && additional !== false) {
		members.push(`[key: string]: ${additional === true ? "unknown" : render(additional as Schema, context)};`);
	} else if (additional === undefined && names.length === 0) {
		members.push("[key: string]: unknown;");
	}
	if (members.length === 0) return "{}";
	const comments = names.map((name) => {
		const property = properties[name];
		const description = isObject(property) && typeof property.description === "string" ? property.description : "";
		const lines = description
			.split(/[\r\n\u2028\u2029]+/)
			.map((line) => line.trim())
			.filter(Boolean);
		const tags = context.tags ? tagsOf(property) : "";
		return tags ? [...lines, tags] : lines;
	});
	if (!comments.some((lines) => lines.length > 0)) return `{ ${members.join(" ")} }`;
	const lines = ["{"];
	comments.forEach((comment, index) => {
		for (const line of comment) lines.push(`${INDENT}// ${line}`);
		lines.push(`${INDENT}${(members[index] ?? "").replaceAll("\n", `\n${INDENT}`)}`);
	});
	for (const member of members.slice(names.length)) lines.push(`${INDENT}${member}`);
	lines.push("}");
	return lines.join("\n");
}

/** A schema as a TypeScript type; longer than `maxChars` renders without tags, then as `unknown`. */
export function schemaToType(schema: Schema, maxChars?: number): string {
	const attempt = (tags: boolean) => render(schema, { root: schema, resolving: new Set(), expansions: 0, tags });
	const type = attempt(true);
	if (maxChars === undefined || type.length <= maxChars) return type;
	const plain = attempt(false);
	return plain.length <= maxChars ? plain : "unknown";
}

export interface DeclaredTool {
	name: string;
	description: string;
	inputSchema?: Schema;
	outputSchema?: Schema;
}

/** The type a call resolves to: the output schema's, or `string` for tools without one. */
export function outputType(schema: Schema | undefined): string {
	return schema === undefined ? "string" : schemaToType(schema);
}

/** `name(args: T): Promise<R>;` with the name scripts use. */
export function toolSignature(tool: DeclaredTool): string {
	const input = tool.inputSchema === undefined ? "unknown" : schemaToType(tool.inputSchema, INPUT_TYPE_MAX_CHARS);
	return `${toIdentifier(tool.name)}(args: ${input}): Promise<${outputType(tool.outputSchema)}>;`;
}

/** The description followed by the declaration: what listings, describeTool() and ALL_TOOLS show. */
export function toolSample(tool: DeclaredTool): string {
	const declaration = `declare const tools: { ${toolSignature(tool)} };`;
	return `${tool.description.trim()}\n\ncodemode tool declaration:\n\`\`\`ts\n${declaration}\n\`\`\``;
}
