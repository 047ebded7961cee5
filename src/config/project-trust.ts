/**
 * Project trust, as pi 1.6.0 (docs/security.md "Understand project trust"): a folder's `.pi/` settings and
 * resources load only once the user trusts the folder, so a repository cannot change the system prompt, load
 * skills or run extensions without consent. Context files (AGENTS.md, CLAUDE.md) are not protected.
 *
 * API for the rest of the program (call it once at startup, then pass `trust.trusted` along):
 *
 *   const trust = await resolveProjectTrust({ cwd, agentDir, override, defaultProjectTrust, decide, prompt });
 *   if (trust.trusted) { ...load .pi/settings.json, .pi/mcp.json, .pi/extensions, project packages... }
 *
 * - `override`: `--approve` (true) / `--no-approve` (false); wins over everything.
 * - `decide`: async hook for extensions' `project_trust` event (user-level and `-e` extensions are loaded
 *   before this call). Return `{ trusted, remember }` to decide, undefined to pass. A thrown error is reported
 *   through `onWarning` and the next step decides.
 * - saved decisions: `<agentDir>/trust.json` (pi's file: canonical folder → true/false; the closest folder wins).
 * - `defaultProjectTrust` (global settings only): "always" trusts, "never" refuses, "ask" (default) calls
 *   `prompt` — interactive mode only; without a prompt (print, JSON, RPC) "ask" means not trusted.
 *
 * A folder without protected resources is trusted unless a saved decision says otherwise (pi's rule), so its
 * `.pi/` may still be created later and picked up by /reload. The project `sessionDir` setting is read before
 * trust is decided (pi does the same: sessions must be found first); everything else waits for the decision.
 */
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { errorMessage } from "../util/errors.ts";
import { withFileLockSync } from "../util/file-lock.ts";
import { readTextFileSync } from "../util/text-file.ts";
import { CONFIG_DIR_NAME } from "./paths.ts";

export type DefaultProjectTrust = "ask" | "always" | "never";

/** Entries of `<cwd>/.pi` whose presence needs a trust decision. A bare `.pi` folder does not. */
export const PROTECTED_PROJECT_ENTRIES = [
	"settings.json",
	"mcp.json",
	"extensions",
	"skills",
	"prompts",
	"themes",
	"SYSTEM.md",
	"APPEND_SYSTEM.md",
] as const;

/** The real path of a folder (symlinks resolved), or its absolute path when it does not exist. */
export function canonicalTrustPath(path: string): string {
	const absolute = resolve(path);
	try {
		return realpathSync(absolute);
	} catch {
		return absolute;
	}
}

/** Folders compare case-insensitively on Windows, exactly elsewhere (pi's rule). */
function samePath(a: string, b: string): boolean {
	return process.platform === "win32"
		? resolve(a).toLowerCase() === resolve(b).toLowerCase()
		: resolve(a) === resolve(b);
}

/**
 * True when `cwd` has something project trust guards: one of PROTECTED_PROJECT_ENTRIES in `<cwd>/.pi`, or an
 * `.agents/skills` folder in cwd or any parent (the user's own `~/.agents/skills` excepted).
 */
export function hasProtectedProjectResources(cwd: string): boolean {
	let dir = canonicalTrustPath(cwd);
	const configDir = join(dir, CONFIG_DIR_NAME);
	if (PROTECTED_PROJECT_ENTRIES.some((entry) => existsSync(join(configDir, entry)))) return true;
	const userAgentsSkills = join(canonicalTrustPath(process.env.HOME || homedir()), ".agents", "skills");
	while (true) {
		const agentsSkills = join(dir, ".agents", "skills");
		if (!samePath(agentsSkills, userAgentsSkills) && existsSync(agentsSkills)) return true;
		const parent = dirname(dir);
		if (parent === dir) return false;
		dir = parent;
	}
}

// ------------------------------------------------------------------------------------------- trust.json

export interface SavedTrustDecision {
	/** The folder the decision was saved for (cwd or one of its parents). */
	path: string;
	trusted: boolean;
}

/** One change to trust.json: `decision: null` removes the folder's entry. */
export interface TrustUpdate {
	path: string;
	decision: boolean | null;
}

type TrustFile = Record<string, boolean | null>;

function readTrustFile(path: string): TrustFile {
	if (!existsSync(path)) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(readTextFileSync(path));
	} catch (error) {
		throw new Error(`Failed to read trust store ${path}: ${errorMessage(error)}`);
	}
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
		throw new Error(`Invalid trust store ${path}: expected an object`);
	}
	const data: TrustFile = {};
	for (const [key, value] of Object.entries(parsed)) {
		if (value !== true && value !== false && value !== null) {
			throw new Error(`Invalid trust store ${path}: value for ${JSON.stringify(key)} must be true, false, or null`);
		}
		data[key] = value;
	}
	return data;
}

/** pi's layout: keys sorted, two-space indent, trailing newline. */
function formatTrustFile(data: TrustFile): string {
	const sorted: TrustFile = {};
	for (const key of Object.keys(data).sort()) {
		const value = data[key];
		if (value !== undefined) sorted[key] = value;
	}
	return `${JSON.stringify(sorted, null, 2)}\n`;
}

/**
 * `<agentDir>/trust.json`, shared with pi: read under the same `trust.json.lock` directory lock, written
 * atomically. A file we cannot parse is reported and never overwritten.
 */
export class TrustStore {
	readonly path: string;

	constructor(agentDir: string) {
		this.path = join(resolve(agentDir), "trust.json");
	}

	/** The decision that applies to `cwd` (its own, else the closest parent's); null when there is none. */
	get(cwd: string): boolean | null {
		return this.getEntry(cwd)?.trusted ?? null;
	}

	getEntry(cwd: string): SavedTrustDecision | null {
		const data = withFileLockSync(this.path, () => readTrustFile(this.path));
		let dir = canonicalTrustPath(cwd);
		while (true) {
			for (const key of Object.keys(data)) {
				const value = data[key];
				if (samePath(key, dir) && (value === true || value === false)) return { path: key, trusted: value };
			}
			const parent = dirname(dir);
			if (parent === dir) return null;
			dir = parent;
		}
	}

	set(cwd: string, decision: boolean | null): void {
		this.setMany([{ path: cwd, decision }]);
	}

	setMany(updates: readonly TrustUpdate[]): void {
		if (updates.length === 0) return;
		withFileLockSync(this.path, () => {
			const data = readTrustFile(this.path);
			for (const { path, decision } of updates) {
				const key = canonicalTrustPath(path);
				for (const existing of Object.keys(data)) if (samePath(existing, key)) delete data[existing];
				if (decision !== null) data[key] = decision;
			}
			mkdirSync(dirname(this.path), { recursive: true });
			writeFileAtomicSync(this.path, formatTrustFile(data));
		});
	}
}

// ------------------------------------------------------------------------------------ prompt choices

export interface TrustOption {
	label: string;
	trusted: boolean;
	/** What choosing it saves to trust.json (nothing for the "this session only" choices). */
	updates: TrustUpdate[];
	/** The folder whose saved decision this option is (for the ✓ in /trust). */
	savedPath?: string;
}

/**
 * pi's choices, in pi's order and words: Trust, Trust parent folder (…), [Trust (this session only)],
 * Do not trust, [Do not trust (this session only)]. The session-only ones are offered by the startup prompt only.
 */
export function trustOptions(cwd: string, options: { includeSessionOnly?: boolean } = {}): TrustOption[] {
	const path = canonicalTrustPath(cwd);
	const parent = dirname(path);
	const result: TrustOption[] = [
		{ label: "Trust", trusted: true, updates: [{ path, decision: true }], savedPath: path },
	];
	if (parent !== path) {
		result.push({
			label: `Trust parent folder (${parent})`,
			trusted: true,
			updates: [
				{ path: parent, decision: true },
				{ path, decision: null },
			],
			savedPath: parent,
		});
	}
	if (options.includeSessionOnly) result.push({ label: "Trust (this session only)", trusted: true, updates: [] });
	result.push({ label: "Do not trust", trusted: false, updates: [{ path, decision: false }], savedPath: path });
	if (options.includeSessionOnly) {
		result.push({ label: "Do not trust (this session only)", trusted: false, updates: [] });
	}
	return result;
}

/** The startup prompt's title, word for word as pi 1.6.0. */
export function trustPromptTitle(cwd: string): string {
	return `Trust project folder?\n${cwd}\n\nThis allows pi to load ${CONFIG_DIR_NAME} settings and resources, install missing project packages, and execute project extensions.`;
}

/** Shown in interactive mode when protected resources were skipped (pi 1.6.0's words). */
export const UNTRUSTED_PROJECT_WARNING = `This project is not trusted. Project ${CONFIG_DIR_NAME} resources and packages are ignored. Use /trust to save a trust decision, then restart pi.`;

// ------------------------------------------------------------------------------------------- deciding

/** An extension's answer to `project_trust` (pi: `{ trusted: "yes" | "no", remember }`). */
export interface ProjectTrustVerdict {
	trusted: boolean;
	/** Save the verdict to trust.json for the folder. */
	remember?: boolean;
}

/** Extensions' `project_trust` event: undefined when no extension decided. */
export type ProjectTrustDecider = (cwd: string) => Promise<ProjectTrustVerdict | undefined>;

/** Shows pi's trust prompt and resolves with the chosen option, or undefined when it was cancelled. */
export type ProjectTrustPrompt = (cwd: string, options: TrustOption[]) => Promise<TrustOption | undefined>;

export type ProjectTrustSource =
	| "cli" // --approve / --no-approve
	| "no-protected-resources" // nothing to guard (trusted unless trust.json says otherwise)
	| "extension"
	| "saved" // trust.json
	| "default" // defaultProjectTrust "always" / "never", or "ask" without a prompt
	| "prompt";

export interface ProjectTrust {
	/** The canonical folder the decision is about. */
	readonly cwd: string;
	readonly trusted: boolean;
	/** Whether the folder has protected resources (see hasProtectedProjectResources). */
	readonly hasProtectedResources: boolean;
	readonly source: ProjectTrustSource;
}

export interface ResolveProjectTrustOptions {
	cwd: string;
	agentDir: string;
	/** `--approve` → true, `--no-approve` → false. */
	override?: boolean;
	/** The global settings' `defaultProjectTrust` (project settings cannot set it). Default "ask". */
	defaultProjectTrust?: DefaultProjectTrust;
	decide?: ProjectTrustDecider;
	/** Interactive mode only. */
	prompt?: ProjectTrustPrompt;
	/** Extension errors and an unreadable/unwritable trust.json; the decision still completes. */
	onWarning?: (message: string) => void;
}

/** pi 1.6.0's decision order; see the file comment. Never throws for a broken trust.json (reported, skipped). */
export async function resolveProjectTrust(options: ResolveProjectTrustOptions): Promise<ProjectTrust> {
	const cwd = canonicalTrustPath(options.cwd);
	const hasProtectedResources = hasProtectedProjectResources(cwd);
	const store = new TrustStore(options.agentDir);
	const warn = options.onWarning ?? (() => {});
	const result = (trusted: boolean, source: ProjectTrustSource): ProjectTrust => ({
		cwd,
		trusted,
		hasProtectedResources,
		source,
	});
	const saved = (): boolean | null => {
		try {
			return store.get(cwd);
		} catch (error) {
			warn(errorMessage(error));
			return null;
		}
	};
	const save = (updates: readonly TrustUpdate[]): void => {
		try {
			store.setMany(updates);
		} catch (error) {
			warn(`Could not save the trust decision: ${errorMessage(error)}`);
		}
	};

	if (options.override !== undefined) return result(options.override, "cli");
	if (!hasProtectedResources) {
		const decision = saved();
		return result(decision ?? true, decision === null ? "no-protected-resources" : "saved");
	}

	if (options.decide) {
		let verdict: ProjectTrustVerdict | undefined;
		try {
			verdict = await options.decide(cwd);
		} catch (error) {
			warn(`project_trust handler failed: ${errorMessage(error)}`);
		}
		if (verdict) {
			if (verdict.remember) save([{ path: cwd, decision: verdict.trusted }]);
			return result(verdict.trusted, "extension");
		}
	}

	const decision = saved();
	if (decision !== null) return result(decision, "saved");

	const fallback = options.defaultProjectTrust ?? "ask";
	if (fallback === "always") return result(true, "default");
	if (fallback === "never" || !options.prompt) return result(false, "default");

	// The title shows the folder as the user named it; the saved paths are canonical.
	const chosen = await options.prompt(resolve(options.cwd), trustOptions(cwd, { includeSessionOnly: true }));
	if (!chosen) return result(false, "prompt");
	save(chosen.updates);
	return result(chosen.trusted, "prompt");
}
