/**
 * What the /tree navigator shows (pi 1.6.0): the session tree filtered by a mode (default, no-tools, user-only,
 * labeled-only, all) and a search, folded branches left out, and the rows' connectors recomputed over what is
 * left — an entry whose parent is hidden hangs from its nearest shown ancestor, and indentation grows only where
 * the shown tree branches.
 */
import { customMessageText, userText } from "../../../agent/session/messages.ts";
import type { SessionEntry, SessionTreeNode } from "../../../session/types.ts";
import { shortenHome } from "../format.ts";
import { fg, italic } from "../style.ts";

export type TreeFilterMode = "default" | "no-tools" | "user-only" | "labeled-only" | "all";

export const TREE_FILTER_MODES: readonly TreeFilterMode[] = ["default", "no-tools", "user-only", "labeled-only", "all"];

export interface TreeRow {
	node: SessionTreeNode;
	/** Connector text before the entry (`│  ├─ `), with ⊟/⊞ on foldable/folded branch starts. */
	prefix: string;
	/** Folded with no connector to show it in (a root): draw `⊞ ` after the prefix. */
	foldMark: boolean;
}

/** Entries pi keeps out of the default view (settings and bookkeeping). */
const BOOKKEEPING = new Set([
	"label",
	"context_edit",
	"custom",
	"model_change",
	"thinking_level_change",
	"session_info",
]);

function textOf(content: unknown): string {
	if (typeof content === "string") return content;
	if (!Array.isArray(content)) return "";
	let text = "";
	for (const block of content) {
		if (typeof block === "object" && block !== null && "type" in block && block.type === "text" && "text" in block) {
			text += String(block.text);
		}
	}
	return text;
}

const oneLine = (text: string) => text.replace(/[\n\t]/g, " ").trim();

/** pi's tree notation of a tool call: `[read: path:1-10]`, `[bash: cmd…]`, `[name: {args}]`. */
export function treeToolCall(name: string, args: Record<string, unknown>): string {
	const path = (value: unknown) => shortenHome(String(value || ""));
	switch (name) {
		case "read": {
			const offset = typeof args.offset === "number" ? args.offset : undefined;
			const limit = typeof args.limit === "number" ? args.limit : undefined;
			const range =
				offset !== undefined || limit !== undefined
					? `:${offset ?? 1}${limit !== undefined ? `-${(offset ?? 1) + limit - 1}` : ""}`
					: "";
			return `[read: ${path(args.path || args.file_path)}${range}]`;
		}
		case "write":
		case "edit":
			return `[${name}: ${path(args.path || args.file_path)}]`;
		case "bash": {
			const command = String(args.command || "");
			return `[bash: ${oneLine(command).slice(0, 50)}${command.length > 50 ? "..." : ""}]`;
		}
		case "grep":
			return `[grep: /${String(args.pattern || "")}/ in ${path(args.path || ".")}]`;
		case "find":
			return `[find: ${String(args.pattern || "")} in ${path(args.path || ".")}]`;
		case "ls":
			return `[ls: ${path(args.path || ".")}]`;
		default: {
			const json = JSON.stringify(args);
			return `[${name}: ${json.slice(0, 40)}${json.length > 40 ? "..." : ""}]`;
		}
	}
}

export type ToolCalls = ReadonlyMap<string, { name: string; args: Record<string, unknown> }>;

/** One-line description of an entry, pi's wording and colours. */
export function describeEntry(entry: SessionEntry, toolCalls: ToolCalls): string {
	switch (entry.type) {
		case "message": {
			const message = entry.message;
			switch (message.role) {
				case "user":
					return fg("accent", "user: ") + oneLine(userText(message).slice(0, 200));
				case "assistant": {
					const text = oneLine(textOf(message.content).slice(0, 200));
					if (text) return fg("success", "assistant: ") + text;
					if (message.stopReason === "aborted") return fg("success", "assistant: ") + fg("muted", "(aborted)");
					if (message.errorMessage) {
						return fg("success", "assistant: ") + fg("error", oneLine(message.errorMessage).slice(0, 80));
					}
					return fg("success", "assistant: ") + fg("muted", "(no content)");
				}
				case "toolResult": {
					const call = toolCalls.get(message.toolCallId);
					return fg("muted", call ? treeToolCall(call.name, call.args) : `[${message.toolName ?? "tool"}]`);
				}
				case "bashExecution":
					return fg("dim", `[bash]: ${oneLine(message.command)}`);
				default:
					return fg("dim", `[${message.role}]`);
			}
		}
		case "custom_message":
			return fg("customMessageLabel", `[${entry.customType}]: `) + oneLine(customMessageText(entry.content));
		case "compaction":
			return fg("borderAccent", `[compaction: ${Math.round(entry.tokensBefore / 1000)}k tokens]`);
		case "branch_summary":
			return fg("warning", "[branch summary]: ") + oneLine(entry.summary);
		case "model_change":
			return fg("dim", `[model: ${entry.modelId}]`);
		case "thinking_level_change":
			return fg("dim", `[thinking: ${entry.thinkingLevel}]`);
		case "custom":
			return fg("dim", `[custom: ${entry.customType}]`);
		case "label":
			return fg("dim", `[label: ${entry.label ?? "(cleared)"}]`);
		case "session_info":
			return entry.name
				? fg("dim", `[title: ${entry.name}]`)
				: fg("dim", "[title: ") + italic(fg("dim", "empty")) + fg("dim", "]");
		case "context_edit":
			return fg("dim", `[context ${entry.replacement === null ? "omit" : "replace"}: ${entry.targetId}]`);
		case "usage":
			return "";
		case "unknown":
			// pi 1.6.0: a message of a role it does not know shows the role; an entry of an unknown type, nothing.
			return entry.role !== undefined ? fg("dim", `[${entry.role}]`) : "";
	}
}

/** The text Ctrl+X copies for an entry (undefined when it has none). */
export function entryCopyText(entry: SessionEntry): string | undefined {
	let text: string | undefined;
	if (entry.type === "message") {
		const message = entry.message;
		if (message.role === "bashExecution") text = message.command;
		else if ("content" in message) {
			text = textOf(message.content);
			if (!text && message.role === "assistant") text = message.errorMessage;
		}
	} else if (entry.type === "custom_message") text = textOf(entry.content);
	else if (entry.type === "compaction" || entry.type === "branch_summary") text = entry.summary;
	return text?.trim() ? text : undefined;
}

function searchableText(node: SessionTreeNode): string {
	const entry = node.entry;
	const parts: string[] = node.label ? [node.label] : [];
	switch (entry.type) {
		case "message":
			parts.push(entry.message.role);
			if ("content" in entry.message) parts.push(textOf(entry.message.content).slice(0, 200));
			if (entry.message.role === "bashExecution") parts.push(entry.message.command);
			break;
		case "custom_message":
			parts.push(entry.customType, textOf(entry.content));
			break;
		case "compaction":
			parts.push("compaction");
			break;
		case "branch_summary":
			parts.push("branch summary", entry.summary);
			break;
		case "model_change":
			parts.push("model", entry.modelId);
			break;
		case "thinking_level_change":
			parts.push("thinking", entry.thinkingLevel);
			break;
		case "custom":
			parts.push("custom", entry.customType);
			break;
		case "label":
			parts.push("label", entry.label ?? "");
			break;
		case "session_info":
			parts.push("title", entry.name ?? "");
			break;
		default:
			break;
	}
	return parts.join(" ").toLowerCase();
}

function passes(node: SessionTreeNode, mode: TreeFilterMode, leafId: string | null): boolean {
	const entry = node.entry;
	if (entry.type === "usage") return false;
	// Assistant messages with only tool calls are left out, unless failed, aborted or the current leaf.
	if (entry.type === "message" && entry.message.role === "assistant" && entry.id !== leafId) {
		const message = entry.message;
		const failed = message.stopReason !== "stop" && message.stopReason !== "toolUse";
		if (!textOf(message.content).trim() && !failed) return false;
	}
	switch (mode) {
		case "user-only":
			return entry.type === "message" && entry.message.role === "user";
		case "no-tools":
			return !BOOKKEEPING.has(entry.type) && !(entry.type === "message" && entry.message.role === "toolResult");
		case "labeled-only":
			return node.label !== undefined;
		case "all":
			return true;
		default:
			return !BOOKKEEPING.has(entry.type);
	}
}

export interface TreeViewState {
	mode: TreeFilterMode;
	query: string;
	folded: ReadonlySet<string>;
	leafId: string | null;
}

export interface TreeView {
	rows: TreeRow[];
	/** Shown parent of each shown entry (null: a root). */
	parent: Map<string, string | null>;
	/** Shown children of each shown entry, in order. */
	children: Map<string | null, string[]>;
}

/** All nodes depth first as pi orders them: at each branch the sibling leading to the active leaf first. */
export function allNodes(roots: readonly SessionTreeNode[], leafId: string | null = null): SessionTreeNode[] {
	const preOrder: SessionTreeNode[] = [];
	const walk = [...roots].reverse();
	while (walk.length > 0) {
		const node = walk.pop();
		if (!node) break;
		preOrder.push(node);
		for (let i = node.children.length - 1; i >= 0; i--) {
			const child = node.children[i];
			if (child) walk.push(child);
		}
	}
	const containsActive = new Set<SessionTreeNode>();
	for (let i = preOrder.length - 1; i >= 0; i--) {
		const node = preOrder[i];
		if (!node) continue;
		if ((leafId !== null && node.entry.id === leafId) || node.children.some((child) => containsActive.has(child))) {
			containsActive.add(node);
		}
	}
	const ordered = (nodes: readonly SessionTreeNode[]) => [
		...nodes.filter((node) => containsActive.has(node)),
		...nodes.filter((node) => !containsActive.has(node)),
	];
	// Iterative: long linear sessions would overflow a recursive walk.
	const out: SessionTreeNode[] = [];
	const stack = ordered(roots).reverse();
	while (stack.length > 0) {
		const node = stack.pop();
		if (!node) break;
		out.push(node);
		const children = ordered(node.children);
		for (let i = children.length - 1; i >= 0; i--) {
			const child = children[i];
			if (child) stack.push(child);
		}
	}
	return out;
}

/** The rows to show for `nodes` (from allNodes) in `state`; connectors and indentation as pi draws them. */
export function buildTreeView(nodes: readonly SessionTreeNode[], state: TreeViewState): TreeView {
	const tokens = state.query.toLowerCase().split(/\s+/).filter(Boolean);
	const byId = new Map(nodes.map((node) => [node.entry.id, node]));
	let shown = nodes.filter((node) => {
		if (!passes(node, state.mode, state.leafId)) return false;
		if (tokens.length === 0) return true;
		const text = searchableText(node);
		return tokens.every((token) => text.includes(token));
	});
	// Descendants of folded entries are left out.
	if (state.folded.size > 0) {
		const hidden = new Set<string>();
		for (const node of nodes) {
			const parentId = node.entry.parentId;
			if (parentId != null && (state.folded.has(parentId) || hidden.has(parentId))) hidden.add(node.entry.id);
		}
		shown = shown.filter((node) => !hidden.has(node.entry.id));
	}
	const visible = new Set(shown.map((node) => node.entry.id));
	const parent = new Map<string, string | null>();
	const children = new Map<string | null, string[]>([[null, []]]);
	for (const node of shown) {
		let ancestor = node.entry.parentId ?? null;
		while (ancestor !== null && !visible.has(ancestor)) ancestor = byId.get(ancestor)?.entry.parentId ?? null;
		parent.set(node.entry.id, ancestor);
		const list = children.get(ancestor) ?? [];
		list.push(node.entry.id);
		children.set(ancestor, list);
	}
	const rows: TreeRow[] = [];
	const roots = children.get(null) ?? [];
	const multipleRoots = roots.length > 1;
	// pi's rules: a branch point's children indent one more, and so does the first generation after a branch
	// (below the top level); single-child chains stay flat. Gutters (│) run where a connector was drawn.
	type Gutter = { position: number; show: boolean };
	type Item = {
		id: string;
		indent: number;
		justBranched: boolean;
		connector: boolean;
		last: boolean;
		gutters: Gutter[];
		virtualRootChild: boolean;
	};
	const stack: Item[] = [];
	for (let i = roots.length - 1; i >= 0; i--) {
		const id = roots[i];
		if (id === undefined) continue;
		stack.push({
			id,
			indent: multipleRoots ? 1 : 0,
			justBranched: multipleRoots,
			connector: multipleRoots,
			last: i === roots.length - 1,
			gutters: [],
			virtualRootChild: multipleRoots,
		});
	}
	while (stack.length > 0) {
		const item = stack.pop();
		if (!item) break;
		const node = byId.get(item.id);
		if (!node) continue;
		const displayIndent = multipleRoots ? Math.max(0, item.indent - 1) : item.indent;
		const connectorShown = item.connector && !item.virtualRootChild;
		const connectorAt = connectorShown ? displayIndent - 1 : -1;
		const folded = state.folded.has(item.id);
		let prefix = "";
		for (let level = 0; level < displayIndent; level++) {
			const gutter = item.gutters.find((g) => g.position === level);
			if (gutter) prefix += gutter.show ? "│  " : "   ";
			else if (level === connectorAt) {
				const mark = folded ? "⊞" : isFoldable(item.id, parent, children) ? "⊟" : "─";
				prefix += `${item.last ? "└" : "├"}${mark} `;
			} else prefix += "   ";
		}
		rows.push({ node, prefix, foldMark: folded && !connectorShown });
		const kids = children.get(item.id) ?? [];
		const branching = kids.length > 1;
		const childIndent = branching || (item.justBranched && item.indent > 0) ? item.indent + 1 : item.indent;
		const childGutters = connectorShown
			? [...item.gutters, { position: Math.max(0, displayIndent - 1), show: !item.last }]
			: item.gutters;
		for (let i = kids.length - 1; i >= 0; i--) {
			const kid = kids[i];
			if (kid === undefined) continue;
			stack.push({
				id: kid,
				indent: childIndent,
				justBranched: branching,
				connector: branching,
				last: i === kids.length - 1,
				gutters: childGutters,
				virtualRootChild: false,
			});
		}
	}
	return { rows, parent, children };
}

/** Rows of the whole tree, unfiltered (tests and the export use it). */
export function flattenTree(roots: readonly SessionTreeNode[], leafId: string | null = null): TreeRow[] {
	return buildTreeView(allNodes(roots, leafId), { mode: "all", query: "", folded: new Set(), leafId }).rows;
}

/** A root or the first entry of a branch, with something under it, can be folded. */
export function isFoldable(
	id: string,
	parent: ReadonlyMap<string, string | null>,
	children: ReadonlyMap<string | null, string[]>,
): boolean {
	if ((children.get(id) ?? []).length === 0) return false;
	const up = parent.get(id);
	if (up === null || up === undefined) return true;
	return (children.get(up) ?? []).length > 1;
}

/** pi's label time: today "14:05", this year "3/7 14:05", else "24/3/7 14:05". */
export function labelTime(timestamp: string, now = new Date()): string {
	const date = new Date(timestamp);
	const time = `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
	if (date.toDateString() === now.toDateString()) return time;
	const day = `${date.getMonth() + 1}/${date.getDate()}`;
	if (date.getFullYear() === now.getFullYear()) return `${day} ${time}`;
	return `${String(date.getFullYear()).slice(-2)}/${day} ${time}`;
}
