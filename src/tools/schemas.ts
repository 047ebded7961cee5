/**
 * The names, descriptions and JSON parameter schemas pi 1.6.0 sends to the model. Key order matters:
 * providers serialise these objects as they are, and they must be byte-identical to pi's requests
 * (test/tools/schemas.test.ts compares them with the wire capture).
 */
import type { ConstrainedSampling, JsonSchema } from "../ai/types.ts";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, GREP_MAX_LINE_LENGTH } from "./truncate.ts";

export interface ToolSpec {
	name: string;
	description: string;
	parameters: JsonSchema;
	/** pi 1.6.0 declares read, bash, edit and write with `{ type: "json_schema", strict: "prefer" }`. */
	constrainedSampling?: ConstrainedSampling;
}

const PREFER_STRICT: ConstrainedSampling = { type: "json_schema", strict: "prefer" };

const KB = DEFAULT_MAX_BYTES / 1024;
export const GREP_DEFAULT_LIMIT = 100;
export const FIND_DEFAULT_LIMIT = 1000;
export const LS_DEFAULT_LIMIT = 500;

const str = (description: string) => ({ type: "string", description });
const num = (description: string) => ({ type: "number", description });
const bool = (description: string) => ({ type: "boolean", description });

export const READ_SPEC: ToolSpec = {
	name: "read",
	description: `Read the contents of a file. Supports text files and images (jpg, png, gif, webp, bmp). Images are sent as attachments. For text files, output is truncated to ${DEFAULT_MAX_LINES} lines or ${KB}KB (whichever is hit first). Use offset/limit for large files. When you need the full file, continue with offset until complete.`,
	parameters: {
		type: "object",
		required: ["path"],
		properties: {
			path: str("Path to the file to read (relative or absolute)"),
			offset: num("Line number to start reading from (1-indexed)"),
			limit: num("Maximum number of lines to read"),
		},
	},
	constrainedSampling: PREFER_STRICT,
};

export const BASH_SPEC: ToolSpec = {
	name: "bash",
	description: `Execute a bash command in the current working directory. Returns stdout and stderr. Output is truncated to last ${DEFAULT_MAX_LINES} lines or ${KB}KB (whichever is hit first). If truncated, full output is saved to a temp file. Optionally provide a timeout in seconds.`,
	parameters: {
		type: "object",
		required: ["command"],
		properties: {
			command: str("Shell command to execute"),
			timeout: num("Timeout in seconds (optional, no default timeout)"),
		},
	},
	constrainedSampling: PREFER_STRICT,
};

export const EDIT_SPEC: ToolSpec = {
	name: "edit",
	description:
		"Edit a single file using exact text replacement. Every edits[].oldText must match a unique, non-overlapping region of the original file. If two changes affect the same block or nearby lines, merge them into one edit instead of emitting overlapping edits. Do not include large unchanged regions just to connect distant changes.",
	parameters: {
		type: "object",
		required: ["path", "edits"],
		properties: {
			path: str("Path to the file to edit (relative or absolute)"),
			edits: {
				type: "array",
				items: {
					type: "object",
					required: ["oldText", "newText"],
					properties: {
						oldText: str(
							"Exact text for one targeted replacement. It must be unique in the original file and must not overlap with any other edits[].oldText in the same call.",
						),
						newText: str("Replacement text for this targeted edit."),
					},
				},
				description:
					"One or more targeted replacements. Each edit is matched against the original file, not incrementally. Do not include overlapping or nested edits. If two changes touch the same block or nearby lines, merge them into one edit instead.",
			},
		},
	},
	constrainedSampling: PREFER_STRICT,
};

export const WRITE_SPEC: ToolSpec = {
	name: "write",
	description:
		"Write content to a file. Creates the file if it doesn't exist, overwrites if it does. Automatically creates parent directories.",
	parameters: {
		type: "object",
		required: ["path", "content"],
		properties: {
			path: str("Path to the file to write (relative or absolute)"),
			content: str("Content to write to the file"),
		},
	},
	constrainedSampling: PREFER_STRICT,
};

export const GREP_SPEC: ToolSpec = {
	name: "grep",
	description: `Search file contents for a pattern. Returns matching lines with file paths and line numbers. Respects .gitignore. Output is truncated to ${GREP_DEFAULT_LIMIT} matches or ${KB}KB (whichever is hit first). Long lines are truncated to ${GREP_MAX_LINE_LENGTH} chars.`,
	parameters: {
		type: "object",
		required: ["pattern"],
		properties: {
			pattern: str("Search pattern (regex or literal string)"),
			path: str("Directory or file to search (default: current directory)"),
			glob: str(
				"Filter files by glob pattern relative to path, e.g. 'src/**/*.ts'. Without '/', e.g. '*.ts', it matches file names at any depth",
			),
			ignoreCase: bool("Case-insensitive search (default: false)"),
			literal: bool("Treat pattern as literal string instead of regex (default: false)"),
			context: num("Number of lines to show before and after each match (default: 0)"),
			limit: num("Maximum number of matches to return (default: 100)"),
		},
	},
};

export const FIND_SPEC: ToolSpec = {
	name: "find",
	description: `Search for files by glob pattern. Returns matching file paths relative to the search directory. Respects .gitignore. Output is truncated to ${FIND_DEFAULT_LIMIT} results or ${KB}KB (whichever is hit first).`,
	parameters: {
		type: "object",
		required: ["pattern"],
		properties: {
			pattern: str(
				"Glob pattern relative to the search directory, e.g. 'src/**/*.ts'. Without '/', e.g. '*.ts', it matches file names at any depth",
			),
			path: str("Directory to search in (default: current directory)"),
			limit: num("Maximum number of results (default: 1000)"),
		},
	},
};

export const LS_SPEC: ToolSpec = {
	name: "ls",
	description: `List directory contents. Returns entries sorted alphabetically, with '/' suffix for directories. Includes dotfiles. Output is truncated to ${LS_DEFAULT_LIMIT} entries or ${KB}KB (whichever is hit first).`,
	parameters: {
		type: "object",
		properties: {
			path: str("Directory to list (default: current directory)"),
			limit: num("Maximum number of entries to return (default: 500)"),
		},
	},
};
