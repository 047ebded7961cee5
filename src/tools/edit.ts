/** The `edit` tool (pi-spec §6.4, pi 1.6.0 shape): several exact-text replacements in one file, with a diff. */
import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { writeFileInPlaceSync } from "../util/in-place-write.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { runAbortable } from "./abortable.ts";
import {
	applyEdits,
	detectLineEnding,
	generateDiffString,
	generateUnifiedPatch,
	normalizeToLF,
	restoreLineEndings,
	stripBom,
} from "./edit-diff.ts";
import { assertReadableAsFile } from "./file-kind.ts";
import { withFileMutationQueue } from "./file-mutation-queue.ts";
import { resolveToCwd } from "./path-utils.ts";
import { EDIT_SPEC } from "./schemas.ts";
import { argumentParser, isRecord, vString } from "./tool-args.ts";

// pi 1.6.0 accepts extra fields a model invents (its schema no longer forbids them); they are dropped here.
const editArgsSchema = lazySchema(() =>
	v.object(
		{
			path: vString(),
			edits: v.array(v.object({ oldText: vString(), newText: vString() }, "must be object"), "must be array"),
		},
		"must be object",
	),
);
export type EditArgs = v.InferOutput<typeof editArgsSchema>;
export interface EditDetails {
	diff: string;
	/** pi 1.6.0: the standard unified patch of the change. */
	patch: string;
	firstChangedLine: number | undefined;
}

function isSingleEdit(value: unknown): boolean {
	return isRecord(value) && typeof value.oldText === "string" && typeof value.newText === "string";
}

/**
 * Accept what models actually send (pi 1.6.0): `edits` as a JSON string, a single edit object instead of a list
 * of one, and the pre-0.70 single `oldText`/`newText` pair, which becomes one more entry of `edits`.
 */
function prepareEditArguments(raw: unknown): unknown {
	if (!isRecord(raw)) return raw;
	let args: Record<string, unknown> = { ...raw };
	if (typeof args.edits === "string") {
		try {
			const parsed: unknown = JSON.parse(args.edits);
			if (Array.isArray(parsed)) args.edits = parsed;
			else if (isSingleEdit(parsed)) args.edits = [parsed];
		} catch {
			// Left as is: validation reports it.
		}
	} else if (isSingleEdit(args.edits)) {
		args.edits = [args.edits];
	}
	if (typeof args.oldText === "string" && typeof args.newText === "string") {
		const { oldText, newText, ...rest } = args;
		const edits = Array.isArray(rest.edits) ? [...rest.edits] : [];
		edits.push({ oldText, newText });
		args = { ...rest, edits };
	}
	return args;
}

function errorCode(error: unknown): string {
	if (error instanceof Error && "code" in error) return `Error code: ${String(error.code)}`;
	return String(error);
}

/**
 * Edits work on text: a file that is not UTF-8 (Latin-1, UTF-16, binary) would come back with every byte that does
 * not decode replaced by U+FFFD. It is refused, with what to do instead, and left untouched.
 */
function decodeUtf8(bytes: Uint8Array, path: string): string {
	try {
		// ignoreBOM keeps a BOM in the text (stripBom below takes it off and puts it back).
		return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		throw new Error(
			`Could not edit file: ${path}. It is not valid UTF-8 text (another encoding such as Latin-1 or UTF-16, or binary data); edit would corrupt its bytes, so the file was left unchanged. Convert it first (e.g. with iconv) or rewrite it with the write tool.`,
		);
	}
}

export function createEditTool(cwd: string): AgentTool<EditArgs, EditDetails> {
	return {
		...EDIT_SPEC,
		label: "edit",
		parseArgs: argumentParser(EDIT_SPEC.name, EDIT_SPEC.parameters, editArgsSchema, prepareEditArguments),
		execute: (_id, { path, edits }, signal) => {
			if (edits.length === 0) {
				return Promise.reject(new Error("Edit tool input is invalid. edits must contain at least one replacement."));
			}
			const absolutePath = resolveToCwd(path, cwd);
			return withFileMutationQueue(absolutePath, () =>
				runAbortable(signal, async () => {
					try {
						await access(absolutePath, constants.R_OK | constants.W_OK);
					} catch (error) {
						throw new Error(`Could not edit file: ${path}. ${errorCode(error)}.`);
					}
					await assertReadableAsFile(absolutePath, path);
					const raw = decodeUtf8(await readFile(absolutePath), path);
					// Models never include the invisible BOM in oldText; strip it for matching, put it back on write.
					const { bom, text } = stripBom(raw);
					const ending = detectLineEnding(text);
					const { baseContent, newContent } = applyEdits(normalizeToLF(text), edits, path);
					if (signal.aborted) throw new Error("Operation aborted");
					writeFileInPlaceSync(absolutePath, bom + restoreLineEndings(newContent, ending));
					const { diff, firstChangedLine } = generateDiffString(baseContent, newContent);
					const patch = generateUnifiedPatch(path, baseContent, newContent);
					return {
						content: [{ type: "text", text: `Successfully replaced ${edits.length} block(s) in ${path}.` }],
						details: { diff, patch, firstChangedLine },
					};
				}),
			);
		},
	};
}
