/**
 * Why a value fails a tool's JSON schema, in pi 1.6.0's words (its pi-schema validator): one error per problem,
 * in pi's order (an object's missing required keys first, then its properties in schema order), each with a dotted
 * path (`edits.0.oldText`, `root` for the whole value). Only the keywords our tool schemas use are explained.
 */
import type { JsonSchema } from "../ai/types.ts";

export interface SchemaError {
	path: string;
	message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** pi-schema's name for a value's type: integers and other numbers apart. */
function typeName(value: unknown): string {
	if (value === null) return "null";
	if (Array.isArray(value)) return "array";
	if (typeof value === "number" && Number.isInteger(value)) return "integer";
	if (typeof value === "number" && !Number.isFinite(value)) return String(value);
	return typeof value;
}

const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
	string: (value) => typeof value === "string",
	number: (value) => typeof value === "number" && Number.isFinite(value),
	integer: (value) => typeof value === "number" && Number.isInteger(value),
	boolean: (value) => typeof value === "boolean",
	null: (value) => value === null,
	array: Array.isArray,
	object: isRecord,
};

function join(path: string, key: string | number): string {
	return path === "" ? String(key) : `${path}.${key}`;
}

function walk(schema: JsonSchema, value: unknown, path: string, out: SchemaError[]): void {
	const push = (message: string, at = path) => out.push({ path: at === "" ? "root" : at, message });
	if (schema.type !== undefined) {
		const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
			(type): type is string => typeof type === "string",
		);
		if (!types.some((type) => TYPE_CHECKS[type]?.(value) ?? false)) {
			push(`expected ${types.join(" or ")}, got ${typeName(value)}`);
			return;
		}
	}
	if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) {
		push(`expected one of ${JSON.stringify(schema.enum)}`);
	}
	if (isRecord(value)) {
		const properties = isRecord(schema.properties) ? schema.properties : {};
		const required = Array.isArray(schema.required) ? schema.required : [];
		for (const key of required) {
			if (typeof key === "string" && value[key] === undefined) push("missing", join(path, key));
		}
		for (const [key, propertySchema] of Object.entries(properties)) {
			if (value[key] !== undefined && isRecord(propertySchema)) {
				walk(propertySchema, value[key], join(path, key), out);
			}
		}
		if (schema.additionalProperties === false) {
			for (const key of Object.keys(value)) if (!(key in properties)) push("unknown field", join(path, key));
		}
	}
	if (Array.isArray(value)) {
		const items = schema.items;
		if (isRecord(items)) {
			for (const [i, item] of value.entries()) walk(items, item, join(path, i), out);
		}
		if (typeof schema.minItems === "number" && value.length < schema.minItems) {
			push(`expected at least ${schema.minItems} items`);
		}
		if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
			push(`expected at most ${schema.maxItems} items`);
		}
	}
}

/** The problems of `value` against `schema`; empty when this explainer finds none. */
export function explainSchemaErrors(schema: JsonSchema, value: unknown): SchemaError[] {
	const out: SchemaError[] = [];
	walk(schema, value, "", out);
	return out;
}
