/**
 * The sidebar's data: one small record per entry (id, parent, kind, one-line preview, label). The page script
 * builds the navigable tree from it with textContent only, so previews are never parsed as HTML.
 */
import type { AgentMessage } from "../agent/types.ts";
import type { ImageContent, TextContent } from "../ai/types.ts";
import type { SessionEntry } from "../session/types.ts";
import { contentParts } from "./render-tools.ts";

/** Kinds the sidebar filters use: "settings" entries are hidden by default, "tool" ones by No-tools. */
export type TreeNodeKind = "user" | "assistant" | "tool" | "message" | "settings";

export interface TreeNode {
	id: string;
	parentId: string | null;
	kind: TreeNodeKind;
	text: string;
	label?: string;
}

const PREVIEW_CHARS = 120;

function oneLine(text: string): string {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

/** Block text (flattened to one line later), "[image]" for a message that is only images. */
function textOf(content: string | (TextContent | ImageContent)[]): string {
	const { text, images } = contentParts(content);
	return text || (images.length > 0 ? "[image]" : "");
}

function describeMessage(message: AgentMessage): { kind: TreeNodeKind; text: string } {
	switch (message.role) {
		case "user":
			return { kind: "user", text: `user: ${textOf(message.content)}` };
		case "assistant": {
			const text = message.content
				.filter((block): block is TextContent => block.type === "text")
				.map((block) => block.text)
				.join(" ");
			const tools = message.content.flatMap((block) => (block.type === "toolCall" ? [block.name] : []));
			if (text.trim()) return { kind: "assistant", text: `assistant: ${text}` };
			if (tools.length > 0) return { kind: "assistant", text: `assistant: [${tools.join(", ")}]` };
			if (message.stopReason === "error")
				return { kind: "assistant", text: `assistant: error: ${message.errorMessage ?? ""}` };
			if (message.stopReason === "aborted") return { kind: "assistant", text: "assistant: (aborted)" };
			return { kind: "assistant", text: "assistant: (thinking)" };
		}
		case "toolResult":
			return { kind: "tool", text: `[${message.toolName}] ${textOf(message.content)}` };
		case "bashExecution":
			return { kind: "message", text: `$ ${message.command}` };
		case "custom":
			return { kind: "message", text: `[${message.customType}] ${textOf(message.content)}` };
		case "branchSummary":
			return { kind: "message", text: `[branch summary] ${message.summary}` };
		case "compactionSummary":
			return { kind: "message", text: `[compaction] ${message.summary}` };
		case "system":
			return { kind: "settings", text: "[system]" };
	}
}

function describeEntry(entry: SessionEntry): { kind: TreeNodeKind; text: string } {
	switch (entry.type) {
		case "message":
			return describeMessage(entry.message);
		case "model_change":
			return { kind: "settings", text: `[model: ${entry.provider}/${entry.modelId}]` };
		case "thinking_level_change":
			return { kind: "settings", text: `[thinking: ${entry.thinkingLevel}]` };
		case "compaction":
			return { kind: "message", text: `[compaction: ${entry.tokensBefore.toLocaleString("en-US")} tokens]` };
		case "branch_summary":
			return { kind: "message", text: `[branch summary] ${entry.summary}` };
		case "custom_message":
			return { kind: "message", text: `[${entry.customType}] ${textOf(entry.content)}` };
		case "custom":
			return { kind: "settings", text: `[custom: ${entry.customType}]` };
		case "label":
			return { kind: "settings", text: `[label: ${entry.label ?? "(cleared)"}]` };
		case "session_info":
			return { kind: "settings", text: `[name: ${entry.name ?? ""}]` };
		case "usage":
			return { kind: "settings", text: `[usage: ${entry.kind}]` };
		case "context_edit":
			return {
				kind: "settings",
				text: `[context ${entry.replacement === null ? "omit" : "replace"}: ${entry.targetId}]`,
			};
		case "unknown":
			return { kind: "settings", text: `[${entry.role ?? entry.entryType}]` };
	}
}

/** Current label of each entry: the last label entry for it wins, an empty one clears it. */
function labelsById(entries: readonly SessionEntry[]): Map<string, string> {
	const labels = new Map<string, string>();
	for (const entry of entries) {
		if (entry.type !== "label") continue;
		if (entry.label) labels.set(entry.targetId, entry.label);
		else labels.delete(entry.targetId);
	}
	return labels;
}

export function buildTreeData(entries: readonly SessionEntry[]): TreeNode[] {
	const labels = labelsById(entries);
	return entries.map((entry) => {
		const { kind, text } = describeEntry(entry);
		const node: TreeNode = { id: entry.id, parentId: entry.parentId, kind, text: oneLine(text) };
		const label = labels.get(entry.id);
		if (label) node.label = label;
		return node;
	});
}

/** Root-first ids from the root to `leafId` (empty when it is unknown); stops on a parent cycle. */
export function pathIds(entries: readonly SessionEntry[], leafId: string | null): Set<string> {
	const parents = new Map(entries.map((entry) => [entry.id, entry.parentId]));
	const path = new Set<string>();
	for (let id = leafId; id !== null && parents.has(id) && !path.has(id); id = parents.get(id) ?? null) path.add(id);
	return path;
}
