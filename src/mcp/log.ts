/**
 * Server log messages (`notifications/message`) go to `~/.pi/agent/mcp.log`, one line each:
 * `<ISO time> [<server>] <level> <logger>: <message>`, continuation lines indented. Several pi processes may write
 * the same file, so each message is one synchronous append; past 5 MB the file moves to `mcp.log.1`. Logging is
 * best effort: a write error never reaches a tool call.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";

const MAX_LOG_BYTES = 5 * 1024 * 1024;

interface LogParams {
	level?: unknown;
	logger?: unknown;
	data?: unknown;
}

function asText(data: unknown): string {
	if (typeof data === "string") return data;
	try {
		return JSON.stringify(data) ?? String(data);
	} catch {
		return String(data);
	}
}

export function formatLogLine(server: string, params: LogParams, now = new Date()): string {
	const level = typeof params.level === "string" ? params.level : "info";
	const logger = typeof params.logger === "string" && params.logger ? ` ${params.logger}:` : "";
	const message = asText(params.data).replace(/\r?\n/g, "\n    ");
	return `${now.toISOString()} [${server}] ${level}${logger} ${message}\n`;
}

function fileSize(path: string): number {
	try {
		return statSync(path).size;
	} catch {
		return 0;
	}
}

export class McpServerLog {
	private size: number | undefined;

	constructor(readonly path: string) {}

	write(server: string, params: LogParams): void {
		const line = formatLogLine(server, params);
		try {
			if (this.size === undefined) {
				mkdirSync(dirname(this.path), { recursive: true });
				this.size = fileSize(this.path);
			}
			// Another process may have rotated it already: look again before renaming.
			if (this.size > MAX_LOG_BYTES && fileSize(this.path) > MAX_LOG_BYTES) {
				renameSync(this.path, `${this.path}.1`);
				this.size = 0;
			}
			appendFileSync(this.path, line);
			this.size += Buffer.byteLength(line);
		} catch {
			// Best effort.
		}
	}
}
