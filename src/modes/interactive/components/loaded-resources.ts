/**
 * The startup listing of what pi loaded (pi-spec §9.1 item 2): `[Context]`, `[Skills]`, `[Prompts]`, `[Themes]`
 * sections — a compact comma list, or one path per line grouped by scope when expanded (Ctrl+O / --verbose) —
 * and the `[Skill conflicts]` / `[Prompt conflicts]` / `[Theme conflicts]` diagnostics.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { LoadedResources, ResourceDiagnostic, SourceInfo } from "../../../resources/index.ts";
import type { ThemeDiagnostic } from "../../../tui/themes/loader.ts";
import { shortenHome } from "../format.ts";
import { type ColorToken, fg } from "../style.ts";
import { BlankLines, TextBlock, type UiComponent } from "./primitives.ts";

/** A custom theme file that was loaded (built-in themes are not listed). */
export interface ListedTheme {
	name: string;
	sourcePath: string;
	sourceInfo?: SourceInfo;
}

/** A loaded extension, as its file and where it came from. */
export interface ListedExtension {
	path: string;
	sourceInfo?: SourceInfo;
}

export interface StartupResources {
	/** AGENTS.md / CLAUDE.md files in the order they enter the system prompt. */
	contextFiles: readonly string[];
	resources: LoadedResources;
	themes: readonly ListedTheme[];
	themeDiagnostics: readonly ThemeDiagnostic[];
	extensions?: readonly ListedExtension[];
	/** Extensions that failed to load (`[Extension issues]`). */
	extensionIssues?: readonly ResourceDiagnostic[];
}

/** pi's compact name of an extension: its file, or its folder when the file is an index. */
function extensionLabel(path: string): string {
	const parts = path.split(/[\\/]/).filter(Boolean);
	const last = parts.at(-1) ?? path;
	return (last === "index.ts" || last === "index.js") && parts.length > 1 ? (parts.at(-2) ?? last) : last;
}

/** Context files inside the cwd are shown relative to it in the compact list. */
function contextPath(path: string, cwd: string): string {
	const absolute = resolve(cwd, path);
	const rel = relative(resolve(cwd), absolute);
	const inside = rel === "" || (!rel.startsWith("..") && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
	return inside ? rel || "." : shortenHome(absolute);
}

type ScopeGroup = "project" | "user" | "path";

function scopeGroup(info: SourceInfo | undefined): ScopeGroup {
	if (!info) return "path";
	if (info.source === "cli" || info.scope === "temporary") return "path";
	return info.scope === "user" ? "user" : "project";
}

interface GroupedItem {
	path: string;
	sourceInfo?: SourceInfo;
	label: string;
}

/** Expanded form: `project`, `user`, then `path` groups (accent), each with its sorted entries (dim). */
function scopeGroups(items: readonly GroupedItem[]): string {
	const lines: string[] = [];
	for (const group of ["project", "user", "path"] as const) {
		const members = items.filter((item) => scopeGroup(item.sourceInfo) === group);
		if (members.length === 0) continue;
		lines.push(`  ${fg("accent", group)}`);
		for (const item of [...members].sort((a, b) => a.path.localeCompare(b.path))) {
			lines.push(fg("dim", `    ${item.label}`));
		}
	}
	return lines.join("\n");
}

function compactList(labels: readonly string[], sort = true): string {
	const cleaned = labels.map((label) => label.trim()).filter((label) => label.length > 0);
	if (sort) cleaned.sort((a, b) => a.localeCompare(b));
	return fg("dim", `  ${cleaned.join(", ")}`);
}

/** A section whose body switches between the compact and the expanded form. */
export class ResourceSection implements UiComponent {
	private readonly block = new TextBlock("", 0, 0);

	constructor(
		readonly name: string,
		private readonly collapsed: string,
		private readonly expanded: string,
		private isExpanded: boolean,
	) {
		this.update();
	}

	setExpanded(expanded: boolean): void {
		this.isExpanded = expanded;
		this.update();
	}

	private update(): void {
		this.block.setText(`${fg("mdHeading", `[${this.name}]`)}\n${this.isExpanded ? this.expanded : this.collapsed}`);
	}

	render(width: number): string[] {
		return this.block.render(width);
	}
}

/** pi's source label: local files by scope, CLI paths as "path", anything else by source with its scope. */
function sourceLabel(info: SourceInfo): string {
	const temp = info.scope === "temporary" ? " (temp)" : "";
	if (info.source === "local") {
		if (info.scope === "user" || info.scope === "project") return info.scope;
		return `path${temp}`;
	}
	if (info.source === "cli") return `path${temp}`;
	const scope = info.scope === "temporary" ? "temp" : info.scope;
	return `${info.source} (${scope})`;
}

function withSource(path: string, info: SourceInfo | undefined): string {
	return info ? `${sourceLabel(info)} ${shortenHome(path)}` : shortenHome(path);
}

type Diagnostic = ResourceDiagnostic | ThemeDiagnostic;

/** Collisions grouped by name (winner ✓, skipped ✗), then every other problem with its path. */
function formatDiagnostics(diagnostics: readonly Diagnostic[], sourceOf: (path: string) => SourceInfo | undefined) {
	const lines: string[] = [];
	const collisions = new Map<string, ResourceDiagnostic[]>();
	const others: Diagnostic[] = [];
	for (const diagnostic of diagnostics) {
		if (diagnostic.type === "collision" && "collision" in diagnostic && diagnostic.collision) {
			const list = collisions.get(diagnostic.collision.name) ?? [];
			list.push(diagnostic);
			collisions.set(diagnostic.collision.name, list);
		} else others.push(diagnostic);
	}
	for (const [name, list] of collisions) {
		const first = list[0]?.collision;
		if (!first) continue;
		lines.push(fg("warning", `  "${name}" collision:`));
		lines.push(fg("dim", `    ${fg("success", "✓")} ${withSource(first.winnerPath, sourceOf(first.winnerPath))}`));
		for (const diagnostic of list) {
			const loser = diagnostic.collision?.loserPath;
			if (loser) lines.push(fg("dim", `    ${fg("warning", "✗")} ${withSource(loser, sourceOf(loser))} (skipped)`));
		}
	}
	for (const diagnostic of others) {
		const color: ColorToken = diagnostic.type === "error" ? "error" : "warning";
		if (diagnostic.path) {
			lines.push(fg(color, `  ${withSource(diagnostic.path, sourceOf(diagnostic.path))}`));
			lines.push(fg(color, `    ${diagnostic.message}`));
		} else lines.push(fg(color, `  ${diagnostic.message}`));
	}
	return lines.join("\n");
}

export interface ListingOptions {
	cwd: string;
	/** The sections themselves (not quiet, or --verbose). */
	showListing: boolean;
	/** Start expanded (--verbose, or tool output already expanded). */
	expanded: boolean;
}

/** The components to add to the chat, in pi's order; empty when nothing is loaded and nothing went wrong. */
export function loadedResourcesListing(input: StartupResources, options: ListingOptions): UiComponent[] {
	const out: UiComponent[] = [];
	const { skills, templates, skillDiagnostics, templateDiagnostics } = input.resources;
	const addSection = (name: string, collapsed: string, expanded: string) => {
		out.push(new ResourceSection(name, collapsed, expanded, options.expanded), new BlankLines(1));
	};
	if (options.showListing) {
		if (input.contextFiles.length > 0) {
			out.push(new BlankLines(1));
			addSection(
				"Context",
				compactList(
					input.contextFiles.map((path) => contextPath(path, options.cwd)),
					false,
				),
				input.contextFiles.map((path) => fg("dim", `  ${shortenHome(path)}`)).join("\n"),
			);
		}
		if (skills.length > 0) {
			addSection(
				"Skills",
				compactList(skills.map((skill) => skill.name)),
				scopeGroups(
					skills.map((s) => ({ path: s.filePath, sourceInfo: s.sourceInfo, label: shortenHome(s.filePath) })),
				),
			);
		}
		if (templates.length > 0) {
			addSection(
				"Prompts",
				compactList(templates.map((template) => `/${template.name}`)),
				scopeGroups(templates.map((t) => ({ path: t.filePath, sourceInfo: t.sourceInfo, label: `/${t.name}` }))),
			);
		}
		const extensions = input.extensions ?? [];
		if (extensions.length > 0) {
			addSection(
				"Extensions",
				compactList(extensions.map((extension) => extensionLabel(extension.path))),
				scopeGroups(extensions.map((e) => ({ path: e.path, sourceInfo: e.sourceInfo, label: shortenHome(e.path) }))),
			);
		}
		if (input.themes.length > 0) {
			addSection(
				"Themes",
				compactList(input.themes.map((theme) => theme.name)),
				scopeGroups(
					input.themes.map((t) => ({ path: t.sourcePath, sourceInfo: t.sourceInfo, label: shortenHome(t.sourcePath) })),
				),
			);
		}
	}
	// Problems are shown even with quietStartup (pi's showDiagnosticsWhenQuiet).
	const sources = new Map<string, SourceInfo>();
	for (const skill of skills) sources.set(skill.filePath, skill.sourceInfo);
	for (const template of templates) sources.set(template.filePath, template.sourceInfo);
	const sourceOf = (path: string): SourceInfo | undefined => {
		let current = path;
		for (;;) {
			const found = sources.get(current);
			if (found) return found;
			const cut = current.lastIndexOf("/");
			if (cut <= 0) return undefined;
			current = current.slice(0, cut);
		}
	};
	const conflicts: [string, readonly Diagnostic[]][] = [
		["Skill conflicts", skillDiagnostics],
		["Prompt conflicts", templateDiagnostics],
		["Theme conflicts", input.themeDiagnostics],
		["Extension issues", input.extensionIssues ?? []],
	];
	for (const [title, diagnostics] of conflicts) {
		if (diagnostics.length === 0) continue;
		out.push(
			new TextBlock(`${fg("warning", `[${title}]`)}\n${formatDiagnostics(diagnostics, sourceOf)}`, 0, 0),
			new BlankLines(1),
		);
	}
	return out;
}
