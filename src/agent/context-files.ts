/**
 * Where the system prompt's extra text comes from (pi-spec §2.6–2.7): AGENTS.md / CLAUDE.md context files, and
 * the custom / appended prompt given on the command line or found in `.pi/` and the agent dir.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { errorMessage } from "../util/errors.ts";
import { readTextFileSync } from "../util/text-file.ts";
import type { ContextFile } from "./system-prompt.ts";

/**
 * Checked in this order; the first one present wins for its directory (pi 1.6.0). AGENTS.override.md replaces
 * AGENTS.md / CLAUDE.md of its own directory only: the agent dir's and other directories' files still apply.
 */
const CONTEXT_FILE_NAMES = ["AGENTS.override.md", "AGENTS.md", "AGENTS.MD", "CLAUDE.md", "CLAUDE.MD"];

function warn(message: string): void {
	process.stderr.write(`Warning: ${message}\n`);
}

function contextFileIn(dir: string): ContextFile | undefined {
	for (const name of CONTEXT_FILE_NAMES) {
		const path = join(dir, name);
		if (!existsSync(path)) continue;
		try {
			// Only regular files: a folder of that name is passed over silently (pi 1.6.0), and a FIFO named
			// AGENTS.md would block startup forever.
			if (!statSync(path).isFile()) continue;
			// A byte-order mark (Windows editors) is not part of the instructions; pi 1.6.0 strips it.
			return { path, content: readTextFileSync(path) };
		} catch (error) {
			// An unreadable file falls through to the next candidate, as in pi.
			warn(`Could not read ${path}: ${errorMessage(error)}`);
		}
	}
	return undefined;
}

/**
 * The global context file from the agent dir first, then one per directory from the filesystem root down to cwd.
 * A file already included (the agent dir may be an ancestor of cwd) is not repeated.
 */
export function loadContextFiles(cwd: string, agentDir: string): ContextFile[] {
	const files: ContextFile[] = [];
	const seen = new Set<string>();
	const global = contextFileIn(agentDir);
	if (global) {
		files.push(global);
		seen.add(global.path);
	}
	const ancestors: ContextFile[] = [];
	let dir = resolve(cwd);
	while (true) {
		const file = contextFileIn(dir);
		if (file && !seen.has(file.path)) {
			ancestors.push(file);
			seen.add(file.path);
		}
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	files.push(...ancestors.reverse());
	return files;
}

const PROMPT_DESCRIPTIONS: Record<"SYSTEM.md" | "APPEND_SYSTEM.md", string> = {
	"SYSTEM.md": "system prompt",
	"APPEND_SYSTEM.md": "append system prompt",
};

/**
 * A `--system-prompt` / `--append-system-prompt` value: the content of the file it names, else the text itself.
 * Without a value, `<cwd>/.pi/<fileName>` (only in a trusted project) and then `<agentDir>/<fileName>` are used
 * when present.
 */
export function resolvePromptSource(
	value: string | undefined,
	cwd: string,
	agentDir: string,
	fileName: "SYSTEM.md" | "APPEND_SYSTEM.md",
	projectTrusted: boolean,
): string | undefined {
	const source = value ?? discoverPromptFile(projectTrusted ? cwd : undefined, agentDir, fileName);
	if (!source) return undefined;
	const path = resolve(cwd, source);
	if (!existsSync(path)) return source;
	try {
		// Without a leading byte-order mark, as pi 1.6.0 reads SYSTEM.md / APPEND_SYSTEM.md.
		return readTextFileSync(path);
	} catch (error) {
		warn(`Could not read ${PROMPT_DESCRIPTIONS[fileName]} file ${source}: ${errorMessage(error)}`);
		return source;
	}
}

function discoverPromptFile(cwd: string | undefined, agentDir: string, fileName: string): string | undefined {
	const candidates = cwd === undefined ? [] : [join(cwd, ".pi", fileName)];
	for (const path of [...candidates, join(agentDir, fileName)]) {
		if (existsSync(path)) return path;
	}
	return undefined;
}
