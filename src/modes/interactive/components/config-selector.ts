/**
 * `pi config`'s screen (pi 1.6.0's resource picker): every extension, skill, prompt template and theme grouped by
 * where it comes from (packages first, then the user's and the project's own), a checkbox each. Space or Enter
 * switches the selected one on or off at once (written to settings.json), typing filters, Tab switches between the
 * global settings and the project's (`-l`), Escape closes.
 *
 * In project mode the project's resources are switched in `.pi/settings.json`; the user's are shown dimmed as
 * inherited and cannot be overridden from the project (pi 1.6.0 can; README "Differences").
 */
import { basename, dirname } from "node:path";
import type { ConfigResource } from "../../../packages/config-resources.ts";
import type { Component, Focusable } from "../../../tui/component.ts";
import { Input } from "../../../tui/components/input.ts";
import { truncateToWidth, visibleWidth } from "../../../tui/text-utils.ts";
import { shortenHome } from "../format.ts";
import { activeKeybindings } from "../keybindings.ts";
import { bold, fg } from "../style.ts";

export type ConfigScope = "global" | "project";

const TYPE_LABELS = { extensions: "Extensions", skills: "Skills", prompts: "Prompts", themes: "Themes" } as const;
const TYPE_ORDER = ["extensions", "skills", "prompts", "themes"] as const;

type Row =
	| { kind: "group"; label: string; inherited: boolean }
	| { kind: "type"; label: string; inherited: boolean }
	| { kind: "item"; resource: ConfigResource; name: string };

/** A resource as pi names it: an extension by its folder when it has one, a skill by its folder. */
function displayName(resource: ConfigResource): string {
	const file = basename(resource.path);
	const folder = basename(dirname(resource.path));
	if (resource.type === "extensions" && folder !== "extensions") return `${folder}/${file}`;
	if (resource.type === "skills" && file === "SKILL.md") return folder;
	return file;
}

function folderLabel(path: string): string {
	const shown = shortenHome(path).replace(/\\/g, "/");
	return shown.endsWith("/") ? shown : `${shown}/`;
}

function groupLabel(resource: ConfigResource): string {
	if (resource.origin === "package") return `${resource.source} (${resource.scope})`;
	if (resource.source === "auto") {
		return `${resource.scope === "user" ? "User" : "Project"} (${folderLabel(resource.baseDir)})`;
	}
	return resource.scope === "user" ? "User settings" : "Project settings";
}

/** Rows for the resources of a scope's view: packages first, then the user's before the project's. */
function buildRows(resources: readonly ConfigResource[], scope: ConfigScope): Row[] {
	const groups = new Map<string, { label: string; resource: ConfigResource; items: ConfigResource[] }>();
	for (const resource of resources) {
		if (scope === "global" && resource.scope === "project") continue;
		const key = `${resource.origin}:${resource.scope}:${resource.source}:${resource.baseDir}`;
		const group = groups.get(key) ?? { label: groupLabel(resource), resource, items: [] };
		group.items.push(resource);
		groups.set(key, group);
	}
	const ordered = [...groups.values()].sort((a, b) => {
		if (a.resource.origin !== b.resource.origin) return a.resource.origin === "package" ? -1 : 1;
		if (a.resource.scope !== b.resource.scope) return a.resource.scope === "user" ? -1 : 1;
		return a.resource.source.localeCompare(b.resource.source);
	});
	const rows: Row[] = [];
	for (const group of ordered) {
		const inherited = scope === "project" && group.resource.scope === "user";
		rows.push({ kind: "group", label: group.label, inherited });
		for (const type of TYPE_ORDER) {
			const items = group.items
				.filter((item) => item.type === type)
				.map((resource) => ({ resource, name: displayName(resource) }))
				.sort((a, b) => a.name.localeCompare(b.name));
			if (items.length === 0) continue;
			rows.push({ kind: "type", label: TYPE_LABELS[type], inherited });
			for (const item of items) rows.push({ kind: "item", ...item });
		}
	}
	return rows;
}

export interface ConfigSelectorOptions {
	resources: ConfigResource[];
	scope: ConfigScope;
	/** Tab switches to the project's settings (a trusted project). */
	projectAvailable: boolean;
	/** Terminal rows, for how many rows the list shows. */
	rows: number;
	/** Writes the change; returns why it could not be made, or undefined. */
	onToggle(resource: ConfigResource, enabled: boolean): string | undefined;
	onClose(): void;
	requestRender(): void;
}

export class ConfigSelector implements Component, Focusable {
	private scope: ConfigScope;
	private rows: Row[] = [];
	private shown: Row[] = [];
	private selected = 0;
	private readonly search = new Input();
	private readonly maxVisible: number;
	private hasFocus = false;
	/** Why the last change could not be saved (shown under the list until the next one). */
	private problem: string | undefined;

	constructor(private readonly options: ConfigSelectorOptions) {
		this.scope = options.scope;
		// Borders, spacers and the header take eight rows (as pi counts them).
		this.maxVisible = Math.max(5, options.rows - 8);
		this.rebuild();
	}

	get focused(): boolean {
		return this.hasFocus;
	}

	set focused(value: boolean) {
		this.hasFocus = value;
		this.search.focused = value;
	}

	private rebuild(): void {
		this.rows = buildRows(this.options.resources, this.scope);
		this.applyFilter(this.search.getValue());
	}

	private applyFilter(query: string): void {
		const needle = query.trim().toLowerCase();
		if (!needle) this.shown = [...this.rows];
		else {
			// An item matches by name, kind or path; its group and kind headings stay with it.
			const keep = new Set<Row>();
			let group: Row | undefined;
			let type: Row | undefined;
			for (const row of this.rows) {
				if (row.kind === "group") group = row;
				else if (row.kind === "type") type = row;
				else if ([row.name, row.resource.type, row.resource.path].some((text) => text.toLowerCase().includes(needle))) {
					if (group) keep.add(group);
					if (type) keep.add(type);
					keep.add(row);
				}
			}
			this.shown = this.rows.filter((row) => keep.has(row));
		}
		this.selected = Math.max(
			0,
			this.shown.findIndex((row) => row.kind === "item"),
		);
	}

	private move(direction: 1 | -1, steps = 1): void {
		let target = this.selected;
		for (let moved = 0; moved < steps; ) {
			const next = target + direction;
			if (next < 0 || next >= this.shown.length) break;
			target = next;
			if (this.shown[target]?.kind === "item") {
				moved++;
				this.selected = target;
			}
		}
	}

	private toggle(): void {
		const row = this.shown[this.selected];
		if (row?.kind !== "item") return;
		const { resource } = row;
		// In project mode only the project's own resources change; the user's are inherited.
		if (this.scope === "project" && resource.scope === "user") return;
		if (this.scope === "global" && resource.scope === "project") return;
		this.problem = this.options.onToggle(resource, !resource.enabled);
	}

	handleInput(data: string): void {
		const kb = activeKeybindings();
		if (kb.matches(data, "tui.select.up")) this.move(-1);
		else if (kb.matches(data, "tui.select.down")) this.move(1);
		else if (kb.matches(data, "tui.select.pageUp")) this.move(-1, this.maxVisible);
		else if (kb.matches(data, "tui.select.pageDown")) this.move(1, this.maxVisible);
		else if (kb.matches(data, "tui.select.cancel")) this.options.onClose();
		else if (kb.matches(data, "tui.input.tab")) {
			if (!this.options.projectAvailable) return;
			this.scope = this.scope === "global" ? "project" : "global";
			this.rebuild();
		} else if (data === " " || kb.matches(data, "tui.select.confirm")) this.toggle();
		else {
			const before = this.search.getValue();
			this.search.handleInput(data);
			if (this.search.getValue() !== before) this.applyFilter(this.search.getValue());
		}
		this.options.requestRender();
	}

	private header(width: number): string[] {
		const title = bold(this.scope === "project" ? "Project Local Resources" : "Global Resources");
		const sep = fg("muted", " · ");
		const hint = (key: string, text: string) => fg("dim", key) + fg("muted", ` ${text}`);
		const tabKey = activeKeybindings().keyText("tui.input.tab") || "tab";
		const hints =
			(this.options.projectAvailable ? hint(tabKey, "switch mode") + sep : "") +
			hint("space", "toggle") +
			sep +
			hint("esc", "close");
		const gap = " ".repeat(Math.max(1, width - visibleWidth(title) - visibleWidth(hints)));
		const file =
			this.scope === "project"
				? ".pi/settings.json · inherited global resources are dimmed"
				: "~/.pi/agent/settings.json";
		return [truncateToWidth(title + gap + hints, width, ""), truncateToWidth(fg("muted", file), width, "")];
	}

	private list(width: number): string[] {
		const lines = [...this.search.render(width), ""];
		if (this.shown.length === 0) return [...lines, fg("muted", "  No resources found")];
		const start = Math.max(
			0,
			Math.min(this.selected - Math.floor(this.maxVisible / 2), this.shown.length - this.maxVisible),
		);
		const end = Math.min(start + this.maxVisible, this.shown.length);
		for (let i = start; i < end; i++) {
			const row = this.shown[i];
			if (!row) continue;
			if (row.kind === "group") {
				const label = bold(`${row.label}${row.inherited ? " · inherited global" : ""}`);
				lines.push(truncateToWidth(`  ${fg(row.inherited ? "dim" : "accent", label)}`, width, ""));
			} else if (row.kind === "type") {
				lines.push(truncateToWidth(`    ${fg(row.inherited ? "dim" : "muted", row.label)}`, width, ""));
			} else {
				const isSelected = i === this.selected;
				const inherited = this.scope === "project" && row.resource.scope === "user";
				const box = row.resource.enabled ? fg(inherited ? "dim" : "success", "[x]") : fg("dim", "[ ]");
				const name = inherited ? fg("dim", row.name) : isSelected ? bold(row.name) : row.name;
				const suffix = inherited ? fg("dim", "  inherited global") : "";
				lines.push(truncateToWidth(`${isSelected ? "> " : "  "}    ${box} ${name}${suffix}`, width, "..."));
			}
		}
		if (start > 0 || end < this.shown.length) {
			const items = this.shown.filter((row) => row.kind === "item").length;
			const position = this.shown.slice(0, this.selected).filter((row) => row.kind === "item").length + 1;
			lines.push(fg("dim", `  (${position}/${items})`));
		}
		return lines;
	}

	render(width: number): string[] {
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const problem = this.problem ? [truncateToWidth(fg("error", `  ${this.problem}`), width, "")] : [];
		return ["", border, "", ...this.header(width), "", ...this.list(width), ...problem, "", border];
	}
}
