/** The `write` tool (pi-spec §6.3): create a file (whole, by temp + rename) or rewrite one in place, creating parent folders. */
import type * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { writeFileInPlaceSync } from "../util/in-place-write.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { runAbortable } from "./abortable.ts";
import { withFileMutationQueue } from "./file-mutation-queue.ts";
import { resolveToCwd } from "./path-utils.ts";
import { WRITE_SPEC } from "./schemas.ts";
import { argumentParser, vObject, vString } from "./tool-args.ts";

const writeArgsSchema = lazySchema(() => vObject({ path: vString(), content: vString() }));
export type WriteArgs = v.InferOutput<typeof writeArgsSchema>;

export function createWriteTool(cwd: string): AgentTool<WriteArgs, undefined> {
	return {
		...WRITE_SPEC,
		label: "write",
		parseArgs: argumentParser(WRITE_SPEC.name, WRITE_SPEC.parameters, writeArgsSchema),
		execute: (_id, { path, content }, signal) => {
			const absolutePath = resolveToCwd(path, cwd);
			return withFileMutationQueue(absolutePath, () =>
				runAbortable(signal, async () => {
					// Follows a symlink; an existing file keeps its inode, owner, mode and hard links (util/in-place-write.ts).
					writeFileInPlaceSync(absolutePath, content);
					return {
						content: [{ type: "text", text: `Successfully wrote to ${path}` }],
						details: undefined,
					};
				}),
			);
		},
	};
}
