/** The `write` tool (pi-spec §6.3): create or replace a file atomically, creating parent folders. */
import { realpathSync, statSync } from "node:fs";
import type * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { runAbortable } from "./abortable.ts";
import { withFileMutationQueue } from "./file-mutation-queue.ts";
import { resolveToCwd } from "./path-utils.ts";
import { WRITE_SPEC } from "./schemas.ts";
import { argumentParser, vObject, vString } from "./tool-args.ts";

const writeArgsSchema = vObject({ path: vString(), content: vString() });
export type WriteArgs = v.InferOutput<typeof writeArgsSchema>;

export function createWriteTool(cwd: string): AgentTool<WriteArgs, undefined> {
	return {
		name: WRITE_SPEC.name,
		label: "write",
		description: WRITE_SPEC.description,
		parameters: WRITE_SPEC.parameters,
		parseArgs: argumentParser(WRITE_SPEC.name, WRITE_SPEC.parameters, writeArgsSchema),
		execute: (_id, { path, content }, signal) => {
			const absolutePath = resolveToCwd(path, cwd);
			return withFileMutationQueue(absolutePath, () =>
				runAbortable(signal, async () => {
					replaceFileContent(absolutePath, content);
					// pi reports the UTF-16 length as "bytes"; kept for identical results.
					return {
						content: [{ type: "text", text: `Successfully wrote ${content.length} bytes to ${path}` }],
						details: undefined,
					};
				}),
			);
		},
	};
}

/** Keep an existing file's permissions (an executable script stays executable) across the atomic replace. */
function existingMode(path: string): number | undefined {
	try {
		return statSync(path).mode & 0o7777;
	} catch {
		return undefined;
	}
}

/**
 * Replace a file's content atomically. A symlink is followed (its target is replaced, the link stays), as a
 * plain write would do; the temp+rename would otherwise turn the link into a regular file.
 */
export function replaceFileContent(path: string, content: string): void {
	let target = path;
	try {
		target = realpathSync(path);
	} catch {
		// Does not exist yet: create it where asked.
	}
	writeFileAtomicSync(target, content, { mode: existingMode(target) });
}
