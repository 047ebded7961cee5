/**
 * Prompt templates (pi-spec §11.2): markdown files whose body is sent in place of `/name args`, with `$1`, `$@`,
 * `$ARGUMENTS`, `${@:N[:L]}` and `${N:-default}` replaced by the arguments (pi 1.6.0's rules).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import { expandHome } from "../config/paths.ts";
import { isUnder, listDir } from "./dir-entries.ts";
import { parseFrontmatter, stringField } from "./frontmatter.ts";
import type { PromptTemplate, ResourceDiagnostic, SourceInfo } from "./types.ts";

/**
 * Split arguments as pi 1.6.0 does: whitespace separates; a quote ('…' or "…") opens only at the start of an
 * argument (an apostrophe inside a word is text), `\"` inside "…" is a quote character, "" is an empty argument, and
 * a quote that never closes is read as a literal character.
 */
export function parseCommandArgs(text: string): string[] {
	const args: string[] = [];
	let current = "";
	let started = false;
	let quote: string | undefined;
	let quoteAt = 0;
	for (let i = 0; i < text.length; i++) {
		const char = text.charAt(i);
		if (quote) {
			if (char === "\\" && text.charAt(i + 1) === quote) {
				current += quote;
				i++;
			} else if (char === quote) quote = undefined;
			else current += char;
		} else if ((char === '"' || char === "'") && !started) {
			quote = char;
			quoteAt = i;
			started = true;
		} else if (/\s/u.test(char)) {
			if (started) args.push(current);
			current = "";
			started = false;
		} else {
			current += char;
			started = true;
		}
		if (quote && i === text.length - 1) {
			// Never closed: the quote is text, and what followed it is read again as plain arguments.
			quote = undefined;
			current = text.charAt(quoteAt);
			i = quoteAt;
		}
	}
	if (started) args.push(current);
	return args;
}

/**
 * Fill a template's placeholders in one pass over the template (argument text containing `$1` or `$@` is never
 * substituted again), as pi 1.6.0: `$N`; `$@` and `$ARGUMENTS` (all, space-joined); `${@:N}` and `${@:N:L}` (a slice,
 * N from 1; 0 counts as 1); `${N:-default}`, `${@:-default}` and `${ARGUMENTS:-default}` (the default when missing
 * or empty).
 */
export function substituteArgs(content: string, args: readonly string[]): string {
	const all = args.join(" ");
	const placeholder = /\$\{(\d+|ARGUMENTS|@):-([^}]*)\}|\$\{@:(\d+)(?::(\d+))?\}|\$(ARGUMENTS|@|\d+)/g;
	return content.replace(
		placeholder,
		(
			_match,
			defaultOf: string | undefined,
			fallback: string,
			sliceStart: string | undefined,
			sliceLength: string | undefined,
			simple: string,
		) => {
			if (defaultOf) {
				const value = defaultOf === "@" || defaultOf === "ARGUMENTS" ? all : args[Number.parseInt(defaultOf, 10) - 1];
				return value ? value : fallback;
			}
			if (sliceStart) {
				const start = Math.max(0, Number.parseInt(sliceStart, 10) - 1);
				const end = sliceLength === undefined ? undefined : start + Number.parseInt(sliceLength, 10);
				return args.slice(start, end).join(" ");
			}
			if (simple === "ARGUMENTS" || simple === "@") return all;
			return args[Number.parseInt(simple, 10) - 1] ?? "";
		},
	);
}

/** Description: frontmatter `description`, else the first non-empty body line cut to 60 characters. */
function describe(frontmatter: Record<string, unknown>, body: string): string {
	const fromFrontmatter = stringField(frontmatter, "description");
	if (fromFrontmatter !== undefined) return fromFrontmatter;
	const firstLine = body.split("\n").find((line) => line.trim());
	if (!firstLine) return "";
	return firstLine.length > 60 ? `${firstLine.slice(0, 60)}...` : firstLine;
}

/**
 * One template file. A file that cannot be read or whose frontmatter is malformed is left out with a warning
 * (pi 1.6.0; 0.73.1 left it out silently).
 */
export function loadTemplateFile(
	filePath: string,
	sourceInfo: SourceInfo,
): { template: PromptTemplate | undefined; diagnostics: ResourceDiagnostic[] } {
	let parsed: ReturnType<typeof parseFrontmatter>;
	try {
		parsed = parseFrontmatter(readFileSync(filePath, "utf-8"));
	} catch (error) {
		const message = error instanceof Error ? error.message : "failed to parse prompt template file";
		return { template: undefined, diagnostics: [{ type: "warning", message, path: filePath }] };
	}
	const { frontmatter, body } = parsed;
	const hint = stringField(frontmatter, "argument-hint");
	const template: PromptTemplate = {
		name: basename(filePath).replace(/\.md$/, ""),
		description: describe(frontmatter, body),
		...(hint ? { argumentHint: hint } : {}),
		content: body,
		sourceInfo,
		filePath,
	};
	return { template, diagnostics: [] };
}

export interface TemplateLoadOptions {
	cwd: string;
	userPromptsDir: string;
	projectPromptsDir: string;
}

/**
 * Load templates from an ordered list of files and folders (folders are not searched recursively). Missing paths
 * are skipped here; the caller reports missing CLI paths. The first template of a name wins; the rest are
 * reported as collisions.
 */
export function loadTemplatesFromPaths(
	paths: readonly string[],
	options: TemplateLoadOptions,
): { templates: PromptTemplate[]; diagnostics: ResourceDiagnostic[] } {
	const sourceInfoFor = (file: string): SourceInfo => {
		if (isUnder(file, options.userPromptsDir)) {
			return { path: file, source: "local", scope: "user", origin: "top-level", baseDir: options.userPromptsDir };
		}
		if (isUnder(file, options.projectPromptsDir)) {
			return { path: file, source: "local", scope: "project", origin: "top-level", baseDir: options.projectPromptsDir };
		}
		const baseDir = statSync(file).isDirectory() ? file : resolve(file, "..");
		return { path: file, source: "local", scope: "temporary", origin: "top-level", baseDir };
	};
	const loaded: PromptTemplate[] = [];
	const fileDiagnostics: ResourceDiagnostic[] = [];
	const loadFile = (file: string): void => {
		const { template, diagnostics } = loadTemplateFile(file, sourceInfoFor(file));
		if (template) loaded.push(template);
		fileDiagnostics.push(...diagnostics);
	};
	for (const raw of paths) {
		const expanded = expandHome(raw.trim());
		const path = isAbsolute(expanded) ? expanded : resolve(options.cwd, expanded);
		if (!existsSync(path)) continue;
		try {
			const stats = statSync(path);
			if (stats.isDirectory()) {
				for (const entry of listDir(path, "")) {
					if (entry.isFile && entry.name.endsWith(".md")) loadFile(entry.fullPath);
				}
			} else if (stats.isFile() && path.endsWith(".md")) {
				loadFile(path);
			}
		} catch (error) {
			// A path that exists but cannot be examined (an I/O error, removed meanwhile) is reported, as pi 1.6.0.
			const message = error instanceof Error ? error.message : "failed to read prompt template path";
			fileDiagnostics.push({ type: "warning", message, path });
		}
	}
	const { templates, diagnostics } = dedupeTemplates(loaded);
	return { templates, diagnostics: [...fileDiagnostics, ...diagnostics] };
}

function dedupeTemplates(templates: PromptTemplate[]): {
	templates: PromptTemplate[];
	diagnostics: ResourceDiagnostic[];
} {
	const byName = new Map<string, PromptTemplate>();
	const diagnostics: ResourceDiagnostic[] = [];
	for (const template of templates) {
		const existing = byName.get(template.name);
		if (existing) {
			diagnostics.push({
				type: "collision",
				message: `name "/${template.name}" collision`,
				path: template.filePath,
				collision: {
					resourceType: "prompt",
					name: template.name,
					winnerPath: existing.filePath,
					loserPath: template.filePath,
				},
			});
		} else {
			byName.set(template.name, template);
		}
	}
	return { templates: [...byName.values()], diagnostics };
}

/** `/name args` → the template body with the arguments filled in; any other text is returned unchanged. */
export function expandPromptTemplate(text: string, templates: readonly PromptTemplate[]): string {
	// Any white space ends the name (pi 1.6.0): "/review\nfocus on errors" from a multi-line editor is a template.
	const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
	const template = match && templates.find((candidate) => candidate.name === match[1]);
	if (!template) return text;
	return substituteArgs(template.content, parseCommandArgs(match[2] ?? ""));
}
