/** Pure text helpers of the interactive mode: token counts, paths and tool headers. */
import { homedir } from "node:os";
import { codemodeHeader } from "../../codemode/render.ts";

/** pi's footer token format: 999, 1.2k, 12k, 1.2M, 12M. */
export function formatTokens(count: number): string {
	if (count < 1000) return count.toString();
	if (count < 10_000) return `${(count / 1000).toFixed(1)}k`;
	if (count < 1_000_000) return `${Math.round(count / 1000)}k`;
	if (count < 10_000_000) return `${(count / 1_000_000).toFixed(1)}M`;
	return `${Math.round(count / 1_000_000)}M`;
}

/** `$HOME/x` → `~/x` (display only). */
export function shortenHome(path: string, home: string = process.env.HOME ?? homedir()): string {
	if (home && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
	return path;
}

/** Newlines and tabs flattened so a text fits on one status line. */
export function oneLine(text: string): string {
	return text
		.replace(/[\r\n\t]+/g, " ")
		.replace(/ +/g, " ")
		.trim();
}

function str(value: unknown): string | undefined {
	return typeof value === "string" ? value : undefined;
}

function num(value: unknown): number | undefined {
	return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function record(args: unknown): Record<string, unknown> {
	return typeof args === "object" && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

/**
 * The first line of a tool box (pi-spec §9.8): `$ cmd`, `read path:1-10`, `edit path`, ... Unknown tools
 * show their name only; the arguments follow as JSON in the box.
 */
export function formatToolHeader(toolName: string, rawArgs: unknown): string | undefined {
	const args = record(rawArgs);
	const path = str(args.path) ?? str(args.file_path);
	const shown = path === undefined ? undefined : shortenHome(path);
	switch (toolName) {
		case "bash": {
			const command = str(args.command) ?? "...";
			const timeout = num(args.timeout);
			return `$ ${command}${timeout ? ` (timeout ${timeout}s)` : ""}`;
		}
		case "read": {
			const offset = num(args.offset);
			const limit = num(args.limit);
			let range = "";
			if (offset !== undefined || limit !== undefined) {
				const start = offset ?? 1;
				range = limit !== undefined ? `:${start}-${start + limit - 1}` : `:${start}`;
			}
			return `read ${shown ?? "..."}${range}`;
		}
		case "edit":
		case "write":
			return `${toolName} ${shown ?? "..."}`;
		case "grep": {
			const pattern = str(args.pattern) ?? "";
			const glob = str(args.glob);
			const limit = num(args.limit);
			return `grep /${pattern}/ in ${shown ?? "."}${glob ? ` (${glob})` : ""}${limit ? ` limit ${limit}` : ""}`;
		}
		case "find": {
			const limit = num(args.limit);
			return `find ${str(args.pattern) ?? ""} in ${shown ?? "."}${limit ? ` (limit ${limit})` : ""}`;
		}
		case "ls": {
			const limit = num(args.limit);
			return `ls ${shown ?? "."}${limit ? ` (limit ${limit})` : ""}`;
		}
		case "codemode":
			return codemodeHeader(args);
		default: {
			// MCP tools: `server/tool` and the arguments on one line.
			const mcp = /^mcp__(.+?)__(.+)$/.exec(toolName);
			if (!mcp) return undefined;
			const json = JSON.stringify(rawArgs ?? {});
			return `${mcp[1]}/${mcp[2]}${json && json !== "{}" ? ` ${json.length > 200 ? `${json.slice(0, 199)}…` : json}` : ""}`;
		}
	}
}
