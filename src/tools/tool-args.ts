/**
 * Validation of the arguments a model sends for a tool call. Like pi (TypeBox's Value.Convert), values of the
 * wrong JSON type are converted first when that is unambiguous ("5" → 5, "TRUE" → true, x → [x]), then the
 * arguments are checked with valibot. Failures produce pi 1.6.0's message (schema-explain.ts words each problem):
 *   Validation failed for tool "<name>":\n  - <path>: <problem>\n\nReceived arguments:\n<pretty JSON>
 */
import * as v from "valibot";
import type { JsonSchema } from "../ai/types.ts";
import { explainSchemaErrors } from "./schema-explain.ts";

export class ToolArgumentError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "ToolArgumentError";
	}
}

export const vString = () => v.string("must be string");
export const vNumber = () => v.number("must be number");
export const vBoolean = () => v.boolean("must be boolean");

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function coerceScalar(value: unknown, type: unknown): unknown {
	switch (type) {
		case "number":
			if (value === null) return 0;
			// As TypeBox's Value.Convert in pi: "" and " 7 " are numbers too (0 and 7).
			if (typeof value === "string" && Number.isFinite(Number(value))) return Number(value);
			if (typeof value === "boolean") return value ? 1 : 0;
			return value;
		case "boolean":
			if (value === null) return false;
			if ((typeof value === "string" && value.toLowerCase() === "true") || value === 1) return true;
			if ((typeof value === "string" && value.toLowerCase() === "false") || value === 0) return false;
			return value;
		case "string":
			if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
			return value;
		default:
			return value;
	}
}

/**
 * A copy of `value` with scalars converted to the types `schema` asks for (never mutates the input). A `null` for
 * an optional property is dropped, as if omitted (pi 1.6.0's pi-schema: models send null for "not given").
 */
export function coerceToSchema(value: unknown, schema: JsonSchema): unknown {
	if (schema.type === "object" && isRecord(value) && isRecord(schema.properties)) {
		const out: Record<string, unknown> = { ...value };
		const required = Array.isArray(schema.required) ? schema.required : [];
		for (const [key, propSchema] of Object.entries(schema.properties)) {
			if (!(key in out) || !isRecord(propSchema)) continue;
			if (out[key] === null && !required.includes(key) && propSchema.type !== "null") delete out[key];
			else out[key] = coerceToSchema(out[key], propSchema);
		}
		return out;
	}
	if (schema.type === "array" && value !== undefined && isRecord(schema.items)) {
		const items = schema.items;
		// A lone value where a list belongs becomes a list of one, as pi's converter does ({…} → [{…}]).
		const list = Array.isArray(value) ? value : [value];
		return list.map((item) => coerceToSchema(item, items));
	}
	return coerceScalar(value, schema.type);
}

/** A valibot issue as a line of the message, for a failure the schema explainer did not find. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
	const keys = (issue.path ?? []).map((item) => String(item.key));
	return `  - ${keys.join(".") || "root"}: ${issue.message}`;
}

function formatValidationError(
	toolName: string,
	jsonSchema: JsonSchema,
	coerced: unknown,
	issues: readonly v.BaseIssue<unknown>[],
	raw: unknown,
): string {
	const explained = explainSchemaErrors(jsonSchema, coerced).map((error) => `  - ${error.path}: ${error.message}`);
	const lines = (explained.length > 0 ? explained : issues.map(describeIssue)).join("\n") || "Unknown validation error";
	return `Validation failed for tool "${toolName}":\n${lines}\n\nReceived arguments:\n${JSON.stringify(raw, null, 2)}`;
}

/** Build a tool's parseArgs: coerce by the JSON schema, validate with valibot, throw pi's message on failure. */
export function argumentParser<TSchema extends v.GenericSchema>(
	toolName: string,
	jsonSchema: JsonSchema,
	schema: TSchema,
	prepare: (raw: unknown) => unknown = (raw) => raw,
): (raw: unknown) => v.InferOutput<TSchema> {
	return (raw) => {
		const coerced = coerceToSchema(prepare(raw), jsonSchema);
		const result = v.safeParse(schema, coerced);
		if (result.success) return result.output;
		throw new ToolArgumentError(formatValidationError(toolName, jsonSchema, coerced, result.issues, raw));
	};
}

/** Root must be an object; valibot's own wording differs from AJV's. */
export function vObject<TEntries extends v.ObjectEntries>(entries: TEntries) {
	return v.object(entries, "must be object");
}
