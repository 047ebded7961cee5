/**
 * How a codemode call shows in the interactive transcript: the script under the header, and one row per nested call
 * (tool, state, time, arguments) while the script runs and after it, from the result's `details.calls`.
 */
import * as v from "valibot";
import { lazySchema } from "../util/lazy-schema.ts";

const CallsSchema = lazySchema(() =>
	v.object({
		calls: v.array(
			v.object({
				name: v.string(),
				args: v.string(),
				status: v.string(),
				durationMs: v.optional(v.number()),
				error: v.optional(v.string()),
			}),
		),
	}),
);

const MARKS: Record<string, string> = { running: "…", ok: "✓", error: "✗", cancelled: "○" };

/** The header: `codemode` and the script, as written. */
export function codemodeHeader(args: Record<string, unknown>): string {
	const code = typeof args.code === "string" ? args.code.trimEnd() : "";
	return code ? `codemode\n${code}` : "codemode";
}

/** Rows of the nested calls, or [] when there are none (or the details are not codemode's). */
export function nestedCallRows(details: unknown, maxArgsChars = 80): string[] {
	const parsed = v.safeParse(CallsSchema, details);
	if (!parsed.success) return [];
	return parsed.output.calls.map((call) => {
		const time = call.durationMs === undefined ? "" : ` ${Math.round(call.durationMs)}ms`;
		const args = call.args.length > maxArgsChars ? `${call.args.slice(0, maxArgsChars - 1)}…` : call.args;
		const error = call.error ? ` — ${call.error.split("\n", 1)[0]}` : "";
		return `${MARKS[call.status] ?? "·"} ${call.name}${time} ${args}${error}`;
	});
}
