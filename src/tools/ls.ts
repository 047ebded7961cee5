/**
 * The `ls` tool (pi-spec §6.8): one folder's entries, dotfiles included, sorted case-insensitively, folders
 * suffixed with `/`. Like pi's, it lists everything (no .gitignore filtering); symlinks to folders count as folders.
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { errorMessage } from "../util/errors.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { runAbortable } from "./abortable.ts";
import { listingResult } from "./listing-result.ts";
import { resolveToCwd } from "./path-utils.ts";
import { LS_DEFAULT_LIMIT, LS_SPEC } from "./schemas.ts";
import { argumentParser, vNumber, vObject, vString } from "./tool-args.ts";
import type { TruncationResult } from "./truncate.ts";

const lsArgsSchema = lazySchema(() => vObject({ path: v.optional(vString()), limit: v.optional(vNumber()) }));
export type LsArgs = v.InferOutput<typeof lsArgsSchema>;
export interface LsDetails {
	entryLimitReached?: number;
	truncation?: TruncationResult;
}

export function createLsTool(cwd: string): AgentTool<LsArgs, LsDetails | undefined> {
	return {
		...LS_SPEC,
		label: "ls",
		parseArgs: argumentParser(LS_SPEC.name, LS_SPEC.parameters, lsArgsSchema),
		execute: (_id, { path, limit }, signal) =>
			runAbortable(signal, async () => {
				const dirPath = resolveToCwd(path || ".", cwd);
				const effectiveLimit = limit ?? LS_DEFAULT_LIMIT;
				if (!existsSync(dirPath)) throw new Error(`Path not found: ${dirPath}`);
				if (!(await stat(dirPath)).isDirectory()) throw new Error(`Not a directory: ${dirPath}`);
				let entries: string[];
				try {
					entries = await readdir(dirPath);
				} catch (error) {
					throw new Error(`Cannot read directory: ${errorMessage(error)}`);
				}
				entries.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
				const results: string[] = [];
				let limitReached = false;
				for (const entry of entries) {
					if (results.length >= effectiveLimit) {
						limitReached = true;
						break;
					}
					try {
						const isDir = (await stat(join(dirPath, entry))).isDirectory();
						results.push(isDir ? `${entry}/` : entry);
					} catch {
						// Broken symlinks and entries that vanished are skipped, as pi does.
					}
				}
				if (results.length === 0) return { content: [{ type: "text", text: "(empty directory)" }], details: undefined };
				if (!limitReached) return listingResult<LsDetails>(results, {}, {});
				return listingResult<LsDetails>(
					results,
					{ entryLimitReached: effectiveLimit },
					{ limit: `${effectiveLimit} entries limit reached. Use limit=${effectiveLimit * 2} for more` },
				);
			}),
	};
}
