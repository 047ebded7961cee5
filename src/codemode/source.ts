/**
 * A codemode input: JavaScript, optionally with an options line first (docs/codemode.md):
 *   // @options: {"max_output_tokens": 2000, "timeout_ms": 60000}
 * An options line anywhere else, unknown fields or bad values fail the call before the script runs.
 */

const PREFIX = "// @options:";
const FIELDS = "`max_output_tokens` and `timeout_ms`";
/** setTimeout's largest delay. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface ScriptOptions {
	maxOutputTokens?: number;
	timeoutMs?: number;
}

export class ScriptSourceError extends Error {}

function parseOptions(json: string): ScriptOptions {
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new ScriptSourceError(`@options must be valid JSON with supported fields ${FIELDS}: ${reason}`);
	}
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new ScriptSourceError(`@options must be a JSON object with supported fields ${FIELDS}`);
	}
	const options: ScriptOptions = {};
	for (const [key, field] of Object.entries(value)) {
		const integer = typeof field === "number" && Number.isSafeInteger(field) && field >= 0;
		if (key === "max_output_tokens") {
			if (!integer)
				throw new ScriptSourceError("@options field `max_output_tokens` must be a non-negative safe integer");
			options.maxOutputTokens = field;
		} else if (key === "timeout_ms") {
			if (!integer || field === 0 || field > MAX_TIMEOUT_MS) {
				throw new ScriptSourceError(`@options field \`timeout_ms\` must be a positive integer up to ${MAX_TIMEOUT_MS}`);
			}
			options.timeoutMs = field;
		} else {
			throw new ScriptSourceError(`@options only supports ${FIELDS}; got \`${key}\``);
		}
	}
	return options;
}

/** The script (options line blanked, so line numbers stay) and its options. */
export function parseScript(input: string): { code: string; options: ScriptOptions } {
	if (input.trim() === "") {
		throw new ScriptSourceError(
			'Expected JavaScript source text (non-empty). Provide JS only, optionally with a first line `// @options: {"max_output_tokens": 1000}`.',
		);
	}
	const lines = input.split("\n");
	const misplaced = lines.findIndex((line, index) => index > 0 && line.trimStart().startsWith(PREFIX));
	if (misplaced !== -1) {
		throw new ScriptSourceError(
			`The ${PREFIX} line must be the first line of the input; found one on line ${misplaced + 1}`,
		);
	}
	const first = (lines[0] ?? "").replace(/\r$/, "").trimStart();
	if (!first.startsWith(PREFIX)) return { code: input, options: {} };
	const json = first.slice(PREFIX.length).trim();
	if (json === "") throw new ScriptSourceError(`@options must be a JSON object with supported fields ${FIELDS}`);
	return { code: ["", ...lines.slice(1)].join("\n"), options: parseOptions(json) };
}
