/** Building SessionInfo rows for `/resume`, `--session <id>` and `--continue` (pi-spec §3.9). */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { AgentMessage } from "../agent/types.ts";
import { isSpecialFile } from "../util/special-file.ts";
import { parseSessionText, readHeaderOnly } from "./load.ts";
import type { SessionEntry, SessionHeader, SessionInfo } from "./types.ts";

function messageText(message: AgentMessage): string | undefined {
	if (message.role !== "user" && message.role !== "assistant") return undefined;
	const content = message.content;
	if (typeof content === "string") return content;
	const texts: string[] = [];
	for (const block of content) if (block.type === "text") texts.push(block.text);
	return texts.join(" ");
}

/** Latest user/assistant message time (message ms, else entry time), else the header time, else the file mtime. */
function modifiedDate(entries: readonly SessionEntry[], header: SessionHeader, mtime: Date): Date {
	let latest: number | undefined;
	for (const entry of entries) {
		if (entry.type !== "message") continue;
		const role = entry.message.role;
		if (role !== "user" && role !== "assistant") continue;
		const ms =
			typeof entry.message.timestamp === "number" ? entry.message.timestamp : new Date(entry.timestamp).getTime();
		if (!Number.isNaN(ms)) latest = Math.max(latest ?? 0, ms);
	}
	if (latest !== undefined && latest > 0) return new Date(latest);
	const headerTime = new Date(header.timestamp).getTime();
	return Number.isNaN(headerTime) ? mtime : new Date(headerTime);
}

function infoFromText(path: string, text: string, mtime: Date): SessionInfo | undefined {
	const loaded = parseSessionText(text, path);
	const header = loaded.header;
	if (!header) return undefined;
	let name: string | undefined;
	let messageCount = 0;
	let firstMessage = "";
	const texts: string[] = [];
	for (const entry of loaded.entries) {
		if (entry.type === "session_info") name = entry.name?.trim() || undefined;
		if (entry.type !== "message") continue;
		messageCount++;
		const text = messageText(entry.message);
		if (!text) continue;
		texts.push(text);
		if (!firstMessage && entry.message.role === "user") firstMessage = text;
	}
	const info: SessionInfo = {
		path,
		id: header.id,
		cwd: header.cwd,
		created: new Date(header.timestamp),
		modified: modifiedDate(loaded.entries, header, mtime),
		messageCount,
		firstMessage: firstMessage || "(no messages)",
		allMessagesText: texts.join(" "),
	};
	if (name !== undefined) info.name = name;
	if (header.parentSession !== undefined) info.parentSessionPath = header.parentSession;
	return info;
}

export async function readSessionInfo(path: string): Promise<SessionInfo | undefined> {
	// A FIFO would never finish reading (and would hold a thread-pool thread forever): not a session.
	if (isSpecialFile(path)) return undefined;
	try {
		const [text, stats] = await Promise.all([readFile(path, "utf8"), stat(path)]);
		return infoFromText(path, text, stats.mtime);
	} catch {
		return undefined;
	}
}

export function readSessionInfoSync(path: string): SessionInfo | undefined {
	if (isSpecialFile(path)) return undefined;
	try {
		return infoFromText(path, readFileSync(path, "utf8"), statSync(path).mtime);
	} catch {
		return undefined;
	}
}

export async function listSessionsInDir(dir: string): Promise<SessionInfo[]> {
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return [];
	}
	const infos = await Promise.all(
		names.filter((name) => name.endsWith(".jsonl")).map((name) => readSessionInfo(join(dir, name))),
	);
	return infos.filter((info): info is SessionInfo => info !== undefined);
}

export function sortByModifiedDesc(infos: SessionInfo[]): SessionInfo[] {
	return infos.sort((a, b) => b.modified.getTime() - a.modified.getTime());
}

export async function listSessionsUnder(root: string): Promise<SessionInfo[]> {
	let dirs: string[];
	try {
		const children = await readdir(root, { withFileTypes: true });
		dirs = children.filter((child) => child.isDirectory()).map((child) => join(root, child.name));
	} catch {
		return [];
	}
	const perDir = await Promise.all(dirs.map((dir) => listSessionsInDir(dir)));
	return sortByModifiedDesc(perDir.flat());
}

/** Valid session files of a directory with their headers, newest mtime first (for --continue and id lookup). */
export function sessionFilesByMtime(dir: string): { path: string; header: SessionHeader; mtimeMs: number }[] {
	if (!existsSync(dir)) return [];
	const rows: { path: string; header: SessionHeader; mtimeMs: number }[] = [];
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	for (const name of names) {
		if (!name.endsWith(".jsonl")) continue;
		const path = join(dir, name);
		const header = readHeaderOnly(path);
		if (!header) continue;
		try {
			rows.push({ path, header, mtimeMs: statSync(path).mtimeMs });
		} catch {
			// vanished between readdir and stat
		}
	}
	return rows.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

export function subdirectories(root: string): string[] {
	try {
		return readdirSync(root, { withFileTypes: true })
			.filter((child) => child.isDirectory())
			.map((child) => join(root, child.name));
	} catch {
		return [];
	}
}
