/** Tracking which files tool calls read or changed, carried from summary to summary (pi-spec §7.4). */
import type { AgentMessage } from "../../agent/types.ts";
import type { FileListDetails, FileOperations } from "./types.ts";

export function createFileOps(): FileOperations {
	return { read: new Set(), written: new Set(), edited: new Set() };
}

/** read / write / edit tool calls with a string `path` argument. */
export function addFileOpsFromMessage(message: AgentMessage, fileOps: FileOperations): void {
	if (message.role !== "assistant") return;
	for (const block of message.content) {
		if (block.type !== "toolCall") continue;
		const path = block.arguments.path;
		if (typeof path !== "string" || !path) continue;
		if (block.name === "read") fileOps.read.add(path);
		else if (block.name === "write") fileOps.written.add(path);
		else if (block.name === "edit") fileOps.edited.add(path);
	}
}

function stringArray(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Files recorded in the `details` of an earlier pi-made summary entry. */
export function addFileOpsFromDetails(details: unknown, fileOps: FileOperations): void {
	if (typeof details !== "object" || details === null) return;
	for (const file of stringArray(Reflect.get(details, "readFiles"))) fileOps.read.add(file);
	for (const file of stringArray(Reflect.get(details, "modifiedFiles"))) fileOps.edited.add(file);
}

/** Read-only files (never modified) and modified files, each sorted. */
export function computeFileLists(fileOps: FileOperations): FileListDetails {
	const modified = new Set([...fileOps.edited, ...fileOps.written]);
	const readFiles = [...fileOps.read].filter((file) => !modified.has(file)).sort();
	return { readFiles, modifiedFiles: [...modified].sort() };
}

/** The XML blocks appended to a summary; empty when no files were touched. */
export function formatFileOperations(readFiles: readonly string[], modifiedFiles: readonly string[]): string {
	const sections: string[] = [];
	if (readFiles.length > 0) sections.push(`<read-files>\n${readFiles.join("\n")}\n</read-files>`);
	if (modifiedFiles.length > 0) sections.push(`<modified-files>\n${modifiedFiles.join("\n")}\n</modified-files>`);
	return sections.length === 0 ? "" : `\n\n${sections.join("\n\n")}`;
}
