/**
 * The session picker of `/resume` and `pi -r` (pi 0.73.1): current folder / all scope (Tab), search with
 * fuzzy words, "exact phrases" and `re:regex`, sort threaded / recent / relevance, named-only filter, path
 * display, rename, and delete with a confirmation step.
 */
import type { SessionInfo } from "../../../session/types.ts";
import type { Focusable } from "../../../tui/component.ts";
import { Input } from "../../../tui/components/input.ts";
import { truncateToWidth, visibleWidth } from "../../../tui/text-utils.ts";
import { errorMessage } from "../../../util/errors.ts";
import { shortenHome } from "../format.ts";
import { activeKeybindings, type KeybindingId } from "../keybindings.ts";
import { visibleWindow } from "../selector-height.ts";
import { deleteSessionFile } from "../session-files.ts";
import { filterSessions, type SessionSortMode } from "../session-search.ts";
import { bg, bold, fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

export interface SessionSelectorOptions {
	loadCurrent: () => Promise<SessionInfo[]>;
	loadAll: () => Promise<SessionInfo[]>;
	currentSessionPath?: string;
	onSelect: (path: string) => void;
	onCancel: () => void;
	/** Rename is offered only when given. */
	rename?: (path: string, name: string) => Promise<void> | void;
	requestRender: () => void;
	maxVisible?: number;
}

interface Row {
	session: SessionInfo;
	prefix: string;
}

/** pi's compact age: now, 5m, 3h, 2d, 1w, 4mo, 1y. */
export function formatSessionAge(date: Date, now: number = Date.now()): string {
	const minutes = Math.floor((now - date.getTime()) / 60_000);
	if (minutes < 1) return "now";
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h`;
	const days = Math.floor(hours / 24);
	if (days < 7) return `${days}d`;
	if (days < 30) return `${Math.floor(days / 7)}w`;
	if (days < 365) return `${Math.floor(days / 30)}mo`;
	return `${Math.floor(days / 365)}y`;
}

/** Forks under the session they were forked from, newest first at every level. */
function threadRows(sessions: SessionInfo[]): Row[] {
	const byPath = new Set(sessions.map((s) => s.path));
	const children = new Map<string, SessionInfo[]>();
	const roots: SessionInfo[] = [];
	for (const session of sessions) {
		const parent = session.parentSessionPath;
		if (parent && byPath.has(parent)) children.set(parent, [...(children.get(parent) ?? []), session]);
		else roots.push(session);
	}
	const newest = (a: SessionInfo, b: SessionInfo) => b.modified.getTime() - a.modified.getTime();
	const rows: Row[] = [];
	const walk = (list: SessionInfo[], depth: number, continues: boolean[]) => {
		list.sort(newest).forEach((session, index) => {
			const last = index === list.length - 1;
			const prefix = depth === 0 ? "" : `${continues.map((c) => (c ? "│  " : "   ")).join("")}${last ? "└─ " : "├─ "}`;
			rows.push({ session, prefix });
			walk(children.get(session.path) ?? [], depth + 1, depth === 0 ? [] : [...continues, !last]);
		});
	};
	walk(roots, 0, []);
	return rows;
}

export class SessionSelector implements UiComponent, Focusable {
	private scope: "current" | "all" = "current";
	private sortMode: SessionSortMode = "threaded";
	private nameFilter: "all" | "named" = "all";
	private showPath = false;
	private readonly sessions: { current?: SessionInfo[]; all?: SessionInfo[] } = {};
	private loading = false;
	private readonly search = new Input("");
	private selected = 0;
	private confirmingDelete: string | undefined;
	private status: { kind: "info" | "error"; text: string } | undefined;
	private renaming: { path: string; input: Input } | undefined;
	private readonly maxVisible: number;
	private isFocused = false;

	constructor(private readonly options: SessionSelectorOptions) {
		this.maxVisible = options.maxVisible ?? 10;
		void this.load("current");
	}

	get focused(): boolean {
		return this.isFocused;
	}

	set focused(value: boolean) {
		this.isFocused = value;
		this.search.focused = value && !this.renaming;
		if (this.renaming) this.renaming.input.focused = value;
	}

	/** Resolves once the sessions of the shown scope are loaded (tests, and -r before the first frame). */
	loaded: Promise<void> = Promise.resolve();

	private load(scope: "current" | "all"): Promise<void> {
		this.loading = true;
		const loader = scope === "current" ? this.options.loadCurrent : this.options.loadAll;
		this.loaded = loader().then(
			(sessions) => {
				this.sessions[scope] = sessions;
				this.loading = false;
				this.clampSelection();
				this.options.requestRender();
			},
			(error: unknown) => {
				this.loading = false;
				this.sessions[scope] = this.sessions[scope] ?? [];
				this.setStatus("error", `Failed to load sessions: ${errorMessage(error)}`);
			},
		);
		return this.loaded;
	}

	private setStatus(kind: "info" | "error", text: string): void {
		this.status = { kind, text };
		this.options.requestRender();
	}

	private rows(): Row[] {
		const all = this.sessions[this.scope] ?? [];
		const query = this.search.getValue();
		if (this.sortMode === "threaded" && !query.trim()) {
			const named = this.nameFilter === "named" ? all.filter((s) => s.name?.trim()) : all;
			return threadRows(named);
		}
		return filterSessions(all, query, this.sortMode, this.nameFilter).map((session) => ({ session, prefix: "" }));
	}

	private clampSelection(): void {
		this.selected = Math.max(0, Math.min(this.selected, this.rows().length - 1));
	}

	private isCurrent(path: string): boolean {
		return path === this.options.currentSessionPath;
	}

	handleInput(data: string): void {
		const kb = activeKeybindings();
		this.status = undefined;
		if (this.renaming) {
			if (kb.matches(data, "tui.select.cancel")) this.renaming = undefined;
			else this.renaming.input.handleInput(data);
			this.focused = this.isFocused;
			return;
		}
		if (this.confirmingDelete !== undefined) {
			const path = this.confirmingDelete;
			if (kb.matches(data, "tui.select.confirm")) {
				this.confirmingDelete = undefined;
				void this.deleteSession(path);
			} else if (kb.matches(data, "tui.select.cancel")) this.confirmingDelete = undefined;
			return;
		}
		const rows = this.rows();
		const on = (id: KeybindingId) => kb.matches(data, id);
		if (on("tui.input.tab")) {
			this.scope = this.scope === "current" ? "all" : "current";
			this.selected = 0;
			if (!this.sessions[this.scope]) void this.load(this.scope);
		} else if (on("app.session.toggleSort")) {
			this.sortMode = this.sortMode === "threaded" ? "recent" : this.sortMode === "recent" ? "relevance" : "threaded";
		} else if (on("app.session.toggleNamedFilter")) {
			this.nameFilter = this.nameFilter === "all" ? "named" : "all";
			this.clampSelection();
		} else if (on("app.session.togglePath")) this.showPath = !this.showPath;
		else if (on("app.session.delete")) this.startDelete(rows);
		else if (on("app.session.rename")) this.startRename(rows);
		else if (on("app.session.deleteNoninvasive") && this.search.getValue() === "") this.startDelete(rows);
		else if (on("tui.select.up")) this.selected = Math.max(0, this.selected - 1);
		else if (on("tui.select.down")) this.selected = Math.min(rows.length - 1, this.selected + 1);
		else if (on("tui.select.pageUp")) this.selected = Math.max(0, this.selected - this.maxVisible);
		else if (on("tui.select.pageDown")) this.selected = Math.min(rows.length - 1, this.selected + this.maxVisible);
		else if (on("tui.select.confirm")) {
			const row = rows[this.selected];
			if (row) this.options.onSelect(row.session.path);
		} else if (on("tui.select.cancel")) this.options.onCancel();
		else {
			this.search.handleInput(data);
			this.selected = 0;
		}
		this.selected = Math.max(0, this.selected);
	}

	private startDelete(rows: Row[]): void {
		const row = rows[this.selected];
		if (!row) return;
		if (this.isCurrent(row.session.path)) {
			this.setStatus("error", "Cannot delete the currently active session");
			return;
		}
		this.confirmingDelete = row.session.path;
	}

	private startRename(rows: Row[]): void {
		const rename = this.options.rename;
		const row = rows[this.selected];
		if (!rename || !row) return;
		const input = new Input("");
		input.setValue(row.session.name ?? "");
		input.onSubmit = (value) => {
			const name = value.trim();
			if (!name) return;
			const path = row.session.path;
			this.renaming = undefined;
			this.focused = this.isFocused;
			void Promise.resolve(rename(path, name)).then(() => this.reload());
		};
		this.renaming = { path: row.session.path, input };
		this.focused = this.isFocused;
	}

	private async deleteSession(path: string): Promise<void> {
		const result = await deleteSessionFile(path);
		if (!result.ok) {
			this.setStatus("error", `Failed to delete: ${result.error ?? "Unknown error"}`);
			return;
		}
		for (const scope of ["current", "all"] as const) {
			this.sessions[scope] = this.sessions[scope]?.filter((s) => s.path !== path);
		}
		this.clampSelection();
		this.setStatus("info", result.method === "trash" ? "Session moved to trash" : "Session deleted");
	}

	private async reload(): Promise<void> {
		delete this.sessions.all;
		delete this.sessions.current;
		await this.load(this.scope);
	}

	render(width: number): string[] {
		const border = fg("accent", "─".repeat(Math.max(1, width)));
		if (this.renaming) {
			return [
				"",
				border,
				"",
				` ${bold("Rename Session")}`,
				"",
				...this.renaming.input.render(width),
				"",
				` ${fg("muted", `${this.keyText("tui.select.confirm")} to save · ${this.keyText("tui.select.cancel")} to cancel`)}`,
				"",
				border,
			].map((line) => truncateToWidth(line, width, ""));
		}
		return ["", border, "", ...this.renderHeader(width), "", ...this.renderList(width), "", border].map((line) =>
			truncateToWidth(line, width, ""),
		);
	}

	private keyText(id: KeybindingId): string {
		return activeKeybindings().keyText(id);
	}

	private hint(id: KeybindingId, description: string): string {
		return fg("dim", this.keyText(id)) + fg("muted", ` ${description}`);
	}

	private renderHeader(width: number): string[] {
		const title = bold(this.scope === "current" ? "Resume Session (Current Folder)" : "Resume Session (All)");
		const scopeText = this.loading
			? `${fg("muted", "○ Current Folder | ")}${fg("accent", "Loading ...")}`
			: this.scope === "current"
				? `${fg("accent", "◉ Current Folder")}${fg("muted", " | ○ All")}`
				: `${fg("muted", "○ Current Folder | ")}${fg("accent", "◉ All")}`;
		const sortLabel = this.sortMode === "threaded" ? "Threaded" : this.sortMode === "recent" ? "Recent" : "Fuzzy";
		const right = truncateToWidth(
			`${scopeText}  ${fg("muted", "Name: ")}${fg("accent", this.nameFilter === "all" ? "All" : "Named")}  ${fg("muted", "Sort: ")}${fg("accent", sortLabel)}`,
			width,
			"",
		);
		const left = truncateToWidth(title, Math.max(0, width - visibleWidth(right) - 1), "");
		const first = `${left}${" ".repeat(Math.max(0, width - visibleWidth(left) - visibleWidth(right)))}${right}`;
		if (this.confirmingDelete !== undefined) {
			const text = `Delete session? ${this.keyText("tui.select.confirm")} confirm · ${this.keyText("tui.select.cancel")} cancel`;
			return [first, fg("error", truncateToWidth(text, width, "…")), ""];
		}
		if (this.status) {
			return [
				first,
				fg(this.status.kind === "error" ? "error" : "accent", truncateToWidth(this.status.text, width, "…")),
				"",
			];
		}
		const sep = fg("muted", " · ");
		const hint1 = this.hint("tui.input.tab", "scope") + sep + fg("muted", 're:<pattern> regex · "phrase" exact');
		const parts = [
			this.hint("app.session.toggleSort", "sort"),
			this.hint("app.session.toggleNamedFilter", "named"),
			this.hint("app.session.delete", "delete"),
			this.hint("app.session.togglePath", `path ${this.showPath ? "(on)" : "(off)"}`),
		];
		if (this.options.rename) parts.push(this.hint("app.session.rename", "rename"));
		return [first, truncateToWidth(hint1, width, "…"), truncateToWidth(parts.join(sep), width, "…")];
	}

	private renderList(width: number): string[] {
		const lines = [...this.search.render(width), ""];
		const rows = this.rows();
		if (rows.length === 0) {
			let message: string;
			const toggle = this.keyText("app.session.toggleNamedFilter");
			if (this.nameFilter === "named") {
				message =
					this.scope === "all"
						? `  No named sessions found. Press ${toggle} to show all.`
						: `  No named sessions in current folder. Press ${toggle} to show all, or Tab to view all.`;
			} else if (this.scope === "all") message = "  No sessions found";
			else message = "  No sessions in current folder. Press Tab to view all.";
			lines.push(fg("muted", truncateToWidth(message, width, "…")));
			return lines;
		}
		const { start, end } = visibleWindow(this.selected, rows.length, this.maxVisible);
		for (let i = start; i < end; i++) {
			const row = rows[i];
			if (row) lines.push(this.renderRow(row, i === this.selected, width));
		}
		if (start > 0 || end < rows.length)
			lines.push(fg("muted", truncateToWidth(`  (${this.selected + 1}/${rows.length})`, width, "")));
		return lines;
	}

	private renderRow({ session, prefix }: Row, selected: boolean, width: number): string {
		const deleting = session.path === this.confirmingDelete;
		// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters would break the row
		const text = (session.name ?? session.firstMessage).replace(/[\x00-\x1f\x7f]/g, " ").trim();
		let right = `${session.messageCount} ${formatSessionAge(session.modified)}`;
		if (this.scope === "all" && session.cwd) right = `${shortenHome(session.cwd)} ${right}`;
		if (this.showPath) right = `${shortenHome(session.path)} ${right}`;
		const cursor = selected ? fg("accent", "› ") : "  ";
		const available = width - 2 - visibleWidth(prefix) - visibleWidth(right) - 2;
		const shown = truncateToWidth(text, Math.max(10, available), "…");
		const color = deleting ? "error" : this.isCurrent(session.path) ? "accent" : session.name ? "warning" : undefined;
		let styled = color ? fg(color, shown) : shown;
		if (selected) styled = bold(styled);
		const left = cursor + fg("dim", prefix) + styled;
		const spacing = Math.max(1, width - visibleWidth(left) - visibleWidth(right));
		const line = left + " ".repeat(spacing) + fg(deleting ? "error" : "dim", right);
		return truncateToWidth(selected ? bg("selectedBg", line) : line, width);
	}
}
