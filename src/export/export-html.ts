/**
 * HTML export (pi-spec §10): one self-contained page — styles, script and data inline, no network requests.
 * Entries of every branch are rendered to static, escaped HTML; the page's script navigates between branches.
 * The page also carries pi's `session-data` block (base64 JSON) so tools that read pi's exports can read ours.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { loadSessionFile } from "../session/load.ts";
import type { SessionManager } from "../session/session-manager.ts";
import type { SessionEntry, SessionHeader } from "../session/types.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { errorMessage, FileError, PiError } from "../util/errors.ts";
import clientJs from "./client.js" with { type: "text" };
import { escapeHtml, jsonForScript } from "./html-escape.ts";
import { renderPage } from "./page.ts";
import { collectToolResults, renderEntry } from "./render-entries.ts";
import { type ExportTool, renderHeader } from "./render-header.ts";
import templateCss from "./template.css" with { type: "text" };
import { themeCssVariables } from "./theme-vars.ts";
import { buildTreeData, pathIds } from "./tree-data.ts";

export type { ExportTool } from "./render-header.ts";

export interface ExportData {
	header: SessionHeader | undefined;
	/** All entries of all branches, in file order. */
	entries: SessionEntry[];
	/** The entry shown when the page opens (pi: the session's current leaf). */
	leafId: string | null;
	/** Only known for a live session; the CLI's file export has neither (as pi). */
	systemPrompt?: string;
	tools?: ExportTool[];
	/** The pi theme whose colours the page uses (default: the active theme). */
	themeName?: string;
}

function sessionName(entries: readonly SessionEntry[]): string | undefined {
	let name: string | undefined;
	for (const entry of entries) if (entry.type === "session_info") name = entry.name?.trim() || undefined;
	return name;
}

export function buildExportHtml(data: ExportData): string {
	const results = collectToolResults(data.entries);
	const visible = pathIds(data.entries, data.leafId);
	const entriesHtml = data.entries
		.map((entry) => {
			const html = renderEntry(entry, results);
			// Without script the page still shows the current branch: other branches start hidden.
			return visible.has(entry.id) ? html : html.replace("<section ", "<section hidden ");
		})
		.join("\n");
	const name = sessionName(data.entries);
	const piData = {
		header: data.header,
		entries: data.entries,
		leafId: data.leafId,
		systemPrompt: data.systemPrompt,
		tools: data.tools,
	};
	return renderPage({
		title: escapeHtml(name ? `${name} - pi session` : `pi session ${data.header?.id ?? ""}`.trim()),
		css: themeCssVariables(data.themeName) + templateCss,
		header: renderHeader({ ...data, sessionName: name }),
		entries: entriesHtml,
		treeDataJson: jsonForScript({ leafId: data.leafId, nodes: buildTreeData(data.entries) }),
		sessionDataBase64: Buffer.from(JSON.stringify(piData), "utf8").toString("base64"),
		script: clientJs,
	});
}

/** pi's default name: `pi-session-<file basename without .jsonl>.html`, relative to the process cwd. */
export function defaultExportPath(sessionFile: string): string {
	return `pi-session-${basename(sessionFile, ".jsonl")}.html`;
}

function writeHtml(path: string, html: string): void {
	try {
		writeFileAtomicSync(path, html);
	} catch (error) {
		throw new FileError(`Cannot write ${path}: ${errorMessage(error)}`, {
			cause: error,
		});
	}
}

/** `pi --export <file> [out]`: reads the file without changing it (old versions are migrated in memory only). */
export function exportSessionFile(inputPath: string, outputPath?: string): string {
	if (!existsSync(inputPath)) throw new FileError(`File not found: ${inputPath}`);
	const loaded = loadSessionFile(inputPath);
	if (!loaded.header) throw new FileError(`Not a pi session file: ${inputPath}`);
	const leaf = loaded.entries.at(-1);
	const html = buildExportHtml({ header: loaded.header, entries: loaded.entries, leafId: leaf?.id ?? null });
	const target = outputPath || defaultExportPath(inputPath);
	writeHtml(target, html);
	return target;
}

/** `/export` and RPC `export_html`: the live session, with its system prompt and tools. */
export function exportSessionToHtml(
	sessionManager: SessionManager,
	extras: { systemPrompt?: string; tools?: readonly ExportTool[] },
	outputPath?: string,
): string {
	const sessionFile = sessionManager.getSessionFile();
	if (!sessionFile) throw new PiError("Cannot export in-memory session to HTML");
	if (!existsSync(sessionFile)) throw new PiError("Nothing to export yet - start a conversation first");
	const html = buildExportHtml({
		header: sessionManager.getHeader(),
		entries: sessionManager.getEntries(),
		leafId: sessionManager.getLeafId(),
		systemPrompt: extras.systemPrompt,
		tools: extras.tools?.map((tool) => ({
			name: tool.name,
			description: tool.description,
			parameters: tool.parameters,
		})),
	});
	const target = outputPath || defaultExportPath(sessionFile);
	writeHtml(target, html);
	return target;
}
