/**
 * Validating a model's arguments for an extension tool against the tool's schema (TypeBox, or any JSON Schema),
 * as pi 0.73.1's pi-ai does: a copy of the arguments is converted (numeric strings to numbers, "true" to true, a lone
 * value to a one-item array), then checked with TypeBox's compiled validator. A failure reads like pi's:
 *
 *   Validation failed for tool "<name>":
 *     - <path>: <problem>
 *
 *   Received arguments:
 *   <pretty JSON>
 *
 * Imported only when an extension registers a tool: TypeBox is loaded with it.
 */
import { Compile } from "typebox/compile";
import { Value } from "typebox/value";
import type { JsonSchema } from "../ai/types.ts";
import { coerceToSchema, ToolArgumentError } from "../tools/tool-args.ts";

type Validator = ReturnType<typeof Compile>;
const validators = new WeakMap<object, Validator>();

function validatorFor(schema: JsonSchema): Validator {
	let validator = validators.get(schema);
	if (!validator) {
		validator = Compile(schema);
		validators.set(schema, validator);
	}
	return validator;
}

interface ValidationErrorLike {
	keyword: string;
	instancePath: string;
	params: unknown;
	message: string;
}

function errorPath(error: ValidationErrorLike): string {
	const base = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
	if (error.keyword === "required" && typeof error.params === "object" && error.params !== null) {
		const missing = "requiredProperties" in error.params ? error.params.requiredProperties : undefined;
		const first = Array.isArray(missing) ? missing[0] : undefined;
		if (typeof first === "string") return base ? `${base}.${first}` : first;
	}
	return base || "root";
}

/** The validated (and converted) arguments; throws ToolArgumentError with pi's message. */
export function validateToolArguments(toolName: string, schema: JsonSchema, raw: unknown): Record<string, unknown> {
	const validator = validatorFor(schema);
	let args: unknown = structuredClone(raw ?? {});
	try {
		args = Value.Convert(schema, args);
	} catch {
		// A schema TypeBox cannot convert with (plain JSON Schema it does not model): our own conversion below.
	}
	args = coerceToSchema(args, schema);
	if (validator.Check(args) && typeof args === "object" && args !== null && !Array.isArray(args)) {
		return { ...args };
	}
	const lines = validator
		.Errors(args)
		.map((error) => `  - ${errorPath(error)}: ${error.message}`)
		.join("\n");
	throw new ToolArgumentError(
		`Validation failed for tool "${toolName}":\n${lines || "  - root: must be object"}\n\nReceived arguments:\n${JSON.stringify(raw, null, 2)}`,
	);
}
