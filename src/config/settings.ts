/**
 * Global (`~/.pi/agent/settings.json`) and project (`.pi/settings.json`) settings, merged with pi's rules
 * (pi-spec §2.2). A `settings.toml` with the same keys is accepted where no settings.json exists.
 *
 * Decisions:
 * - A file that does not parse is reported (file and problem) and ignored, and we never write over it.
 * - A key with a bad value is reported (file, key, problem) and only that key is ignored.
 * - Unknown keys are kept when we write the file back; writes touch only the keys changed in this process,
 *   re-reading the file first, so concurrent pi instances don't clobber each other (as pi does).
 * - settings.toml is read-only for us: changes made in the app are kept for the session and not written,
 *   because rewriting a hand-written TOML file would lose its comments.
 * - Project settings count only once the project is trusted (config/project-trust.ts); until then only the
 *   project's `sessionDir` is read (getStartupSessionDir), as pi 1.6.0 does.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { isToolModifier } from "../agent/tool-list-syntax.ts";
import { resolveDefaultTools } from "../agent/tool-selection.ts";
import type { ThinkingLevel } from "../ai/types.ts";
import { DEFAULT_COMPACTION_SETTINGS } from "../session/compaction/types.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { errorMessage } from "../util/errors.ts";
import { withFileLockSync } from "../util/file-lock.ts";
import { readTextFileSync } from "../util/text-file.ts";
import { agentDir as defaultAgentDir, expandHome, projectConfigDir } from "./paths.ts";
import { isSettingsKey, type Settings, type SettingsKey, settingsKeySchema } from "./settings-schema.ts";

export type SettingsScope = "global" | "project";

type RawObject = Record<string, unknown>;

interface LoadedFile {
	/** The path that was read, or the JSON path where a new file would be written. */
	path: string;
	format: "json" | "toml" | "missing";
	raw: RawObject;
	settings: Settings;
	/** True when the file could not be parsed: we must not write over it. */
	broken: boolean;
}

function isPlainObject(value: unknown): value is RawObject {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plain objects merged at every depth, `overrides` winning (pi 1.6.0's deepMergeObjects). */
function deepMerge(base: RawObject, overrides: RawObject): RawObject {
	const result: RawObject = { ...base };
	for (const [key, value] of Object.entries(overrides)) {
		if (value === undefined) continue;
		const baseValue = result[key];
		result[key] = isPlainObject(value) && isPlainObject(baseValue) ? deepMerge(baseValue, value) : value;
	}
	return result;
}

/**
 * pi 1.6.0's merge: project keys win; plain objects merge at every depth (a project's compaction.modelOverrides
 * entry adds to the user's).
 */
export function mergeSettings(base: Settings, overrides: Settings): Settings {
	const result = deepMerge(base, overrides);
	// pi 1.6.0: a project `defaultTools` of only +name/-name entries changes the global list instead of replacing it.
	if (base.defaultTools && overrides.defaultTools?.every(isToolModifier)) {
		result.defaultTools = [...base.defaultTools, ...overrides.defaultTools];
	}
	return result as Settings;
}

/** Legacy keys pi migrates on load. */
function migrateLegacyKeys(raw: RawObject): void {
	if ("queueMode" in raw && !("steeringMode" in raw)) {
		raw.steeringMode = raw.queueMode;
		delete raw.queueMode;
	}
	if (!("transport" in raw) && typeof raw.websockets === "boolean") {
		raw.transport = raw.websockets ? "websocket" : "sse";
		delete raw.websockets;
	}
	const skills = raw.skills;
	if (isPlainObject(skills)) {
		if (skills.enableSkillCommands !== undefined && raw.enableSkillCommands === undefined) {
			raw.enableSkillCommands = skills.enableSkillCommands;
		}
		if (Array.isArray(skills.customDirectories) && skills.customDirectories.length > 0) {
			raw.skills = skills.customDirectories;
		} else {
			delete raw.skills;
		}
	}
	const retry = raw.retry;
	if (isPlainObject(retry) && typeof retry.maxDelayMs === "number") {
		const provider = isPlainObject(retry.provider) ? retry.provider : {};
		if (provider.maxRetryDelayMs === undefined) retry.provider = { ...provider, maxRetryDelayMs: retry.maxDelayMs };
		delete retry.maxDelayMs;
	}
}

function describeIssues(issues: v.BaseIssue<unknown>[]): string {
	return issues
		.map((issue) => {
			const path = issue.path?.map((item) => String(item.key)).join(".");
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join("; ");
}

/** Validate key by key; bad keys are reported and left out of the typed result. */
export function validateSettings(raw: RawObject, file: string, warnings: string[]): Settings {
	const settings: RawObject = {};
	for (const [key, value] of Object.entries(raw)) {
		if (!isSettingsKey(key)) continue;
		const result = v.safeParse(settingsKeySchema(key), value);
		if (result.success) settings[key] = result.output;
		else warnings.push(`${file}: setting "${key}" is invalid (${describeIssues(result.issues)}); using the default`);
	}
	return settings as Settings;
}

function parseSettingsText(text: string, format: "json" | "toml"): unknown {
	if (text.trim() === "") return {};
	return format === "json" ? JSON.parse(text) : Bun.TOML.parse(text);
}

function loadSettingsFile(dir: string, warnings: string[]): LoadedFile {
	const jsonPath = join(dir, "settings.json");
	const tomlPath = join(dir, "settings.toml");
	const path = existsSync(jsonPath) ? jsonPath : existsSync(tomlPath) ? tomlPath : undefined;
	if (!path) return { path: jsonPath, format: "missing", raw: {}, settings: {}, broken: false };
	const format = path === jsonPath ? "json" : "toml";
	let parsed: unknown;
	try {
		parsed = parseSettingsText(readTextFileSync(path), format);
	} catch (error) {
		warnings.push(`${path}: cannot be parsed (${errorMessage(error)}); its settings are ignored until it is fixed`);
		return { path, format, raw: {}, settings: {}, broken: true };
	}
	if (!isPlainObject(parsed)) {
		warnings.push(`${path}: must contain an object of settings; its settings are ignored until it is fixed`);
		return { path, format, raw: {}, settings: {}, broken: true };
	}
	migrateLegacyKeys(parsed);
	return { path, format, raw: parsed, settings: validateSettings(parsed, path, warnings), broken: false };
}

export class SettingsManager {
	private global: LoadedFile;
	private project: LoadedFile;
	private merged: Settings;
	/** Top-level keys changed in this process; for plain-object keys, the sub-keys changed. */
	private modified = new Map<SettingsKey, Set<string> | "whole">();
	/** Problems found while loading, for the caller to print as warnings. */
	readonly warnings: string[] = [];

	private constructor(
		private readonly globalDir: string,
		private projectDir: string | undefined,
		private projectTrusted: boolean,
	) {
		this.global = loadSettingsFile(globalDir, this.warnings);
		this.project = this.loadProject();
		this.merged = mergeSettings(this.global.settings, this.project.settings);
	}

	/**
	 * `projectTrusted` (default false): whether `.pi/settings.json` applies. Decide it with
	 * config/project-trust.ts and switch with setProjectTrusted once known.
	 */
	static create(
		cwd: string,
		agentDir: string = defaultAgentDir(),
		options: { projectTrusted?: boolean } = {},
	): SettingsManager {
		return new SettingsManager(agentDir, projectConfigDir(cwd), options.projectTrusted ?? false);
	}

	/**
	 * The run works in another folder than it started in (a session of another project was opened): its project
	 * settings are that folder's. Only before the trust decision, while project settings are not loaded yet.
	 */
	moveProjectTo(cwd: string): void {
		if (this.projectTrusted) throw new Error("moveProjectTo after the project was trusted");
		this.projectDir = projectConfigDir(cwd);
	}

	private loadProject(): LoadedFile {
		if (!this.projectDir || !this.projectTrusted) {
			return { path: "", format: "missing", raw: {}, settings: {}, broken: false };
		}
		return loadSettingsFile(this.projectDir, this.warnings);
	}

	isProjectTrusted(): boolean {
		return this.projectTrusted;
	}

	/** Load (trusted) or drop (untrusted) the project settings file. */
	setProjectTrusted(trusted: boolean): void {
		if (trusted === this.projectTrusted) return;
		this.projectTrusted = trusted;
		this.project = this.loadProject();
		this.merged = mergeSettings(this.global.settings, this.project.settings);
	}

	/** Settings not backed by files (tests, --no-session style embedding). */
	static inMemory(settings: Settings = {}, options: { projectTrusted?: boolean } = {}): SettingsManager {
		const manager = new SettingsManager("", undefined, options.projectTrusted ?? false);
		manager.global = { path: "", format: "missing", raw: { ...settings }, settings, broken: false };
		manager.merged = settings;
		manager.inMemoryOnly = true;
		return manager;
	}

	private inMemoryOnly = false;

	/** The effective (merged) settings. */
	get settings(): Readonly<Settings> {
		return this.merged;
	}

	getGlobalSettings(): Settings {
		return structuredClone(this.global.settings);
	}

	getProjectSettings(): Settings {
		return structuredClone(this.project.settings);
	}

	/** Re-read both files (pi's /reload). */
	reload(): void {
		this.warnings.length = 0;
		this.global = loadSettingsFile(this.globalDir, this.warnings);
		this.project = this.loadProject();
		this.merged = mergeSettings(this.global.settings, this.project.settings);
		this.modified.clear();
	}

	/** Change a top-level global setting and save it. */
	set<K extends SettingsKey>(key: K, value: Settings[K]): void {
		this.global.settings[key] = value;
		this.global.raw[key] = value;
		this.modified.set(key, "whole");
		this.afterChange();
	}

	/** Change one sub-key of an object setting (e.g. compaction.enabled) and save it. */
	setNested<K extends SettingsKey>(key: K, subKey: string, value: unknown): void {
		const current: unknown = this.global.settings[key];
		const next: RawObject = { ...(isPlainObject(current) ? current : {}), [subKey]: value };
		(this.global.settings as RawObject)[key] = next;
		this.global.raw[key] = next;
		const changed = this.modified.get(key);
		if (changed !== "whole") this.modified.set(key, new Set([...(changed ?? []), subKey]));
		this.afterChange();
	}

	/**
	 * Change a top-level setting of the project file (`.pi/settings.json`), e.g. `pi install -l`. Only in a
	 * trusted project; the key is written into the file as it is on disk now, everything else kept.
	 */
	setProject<K extends SettingsKey>(key: K, value: Settings[K]): void {
		if (!this.projectTrusted || !this.projectDir) {
			throw new Error("Project is not trusted; refusing to write project settings");
		}
		if (this.project.broken) throw new Error(`${this.project.path}: cannot be parsed; fix it before changing it`);
		if (this.project.format === "toml") {
			throw new Error(`${this.project.path}: settings.toml is read-only for pi; edit it by hand`);
		}
		const path = join(this.projectDir, "settings.json");
		withFileLockSync(path, () => {
			let onDisk: RawObject = {};
			if (existsSync(path)) {
				const parsed: unknown = JSON.parse(readTextFileSync(path) || "{}");
				if (isPlainObject(parsed)) onDisk = parsed;
			}
			if (value === undefined) delete onDisk[key];
			else onDisk[key] = value;
			mkdirSync(this.projectDir ?? "", { recursive: true });
			writeFileAtomicSync(path, `${JSON.stringify(onDisk, null, 2)}\n`);
		});
		this.project = this.loadProject();
		this.merged = mergeSettings(this.global.settings, this.project.settings);
	}

	private afterChange(): void {
		this.merged = mergeSettings(this.global.settings, this.project.settings);
		this.save();
	}

	/** Write the changed keys into the global file, keeping everything else in it as it is on disk now. */
	private save(): void {
		if (this.inMemoryOnly || this.global.broken || this.global.format === "toml") return;
		const path = this.global.path;
		// A full disk or read-only folder must not take the running session down with it (pi records the error
		// too): the change applies in memory, and the next change writes every modified key again.
		try {
			this.writeModified(path);
		} catch (error) {
			this.warnings.push(`${path}: cannot be saved (${errorMessage(error)}); the change applies to this session only`);
		}
	}

	private writeModified(path: string): void {
		withFileLockSync(path, () => {
			let onDisk: RawObject = {};
			if (existsSync(path)) {
				try {
					const parsed: unknown = JSON.parse(readTextFileSync(path) || "{}");
					if (isPlainObject(parsed)) onDisk = parsed;
				} catch {
					return; // Someone broke the file meanwhile: never overwrite what we cannot read.
				}
			}
			for (const [key, changed] of this.modified) {
				const value = this.global.raw[key];
				if (changed === "whole" || !isPlainObject(value)) {
					if (value === undefined) delete onDisk[key];
					else onDisk[key] = value;
					continue;
				}
				const existing = onDisk[key];
				const target: RawObject = isPlainObject(existing) ? { ...existing } : {};
				for (const subKey of changed) target[subKey] = value[subKey];
				onDisk[key] = target;
			}
			writeFileAtomicSync(path, `${JSON.stringify(onDisk, null, 2)}\n`);
		});
	}

	// Effective values with pi's defaults.
	getSessionDir(): string | undefined {
		const dir = this.merged.sessionDir;
		return dir ? expandHome(dir) : undefined;
	}
	/**
	 * The session folder used to find and create the startup session: the project's `sessionDir` counts even
	 * before the project is trusted (pi 1.6.0 reads it before deciding trust; docs/security.md says so).
	 */
	getStartupSessionDir(): string | undefined {
		if (this.projectTrusted || !this.projectDir) return this.getSessionDir();
		const project = loadSettingsFile(this.projectDir, []).settings.sessionDir;
		const dir = project ?? this.global.settings.sessionDir;
		return dir ? expandHome(dir) : undefined;
	}
	/** Global settings only: a project cannot vouch for itself. */
	getDefaultProjectTrust(): "ask" | "always" | "never" {
		return this.global.settings.defaultProjectTrust ?? "ask";
	}
	getDefaultThinkingLevel() {
		return this.merged.defaultThinkingLevel;
	}
	getSteeringMode() {
		return this.merged.steeringMode ?? "one-at-a-time";
	}
	getFollowUpMode() {
		return this.merged.followUpMode ?? "one-at-a-time";
	}
	/**
	 * With a model, its `compaction.modelOverrides["provider/id"]` token values win over the ordinary ones
	 * (pi 1.6.0), each value on its own.
	 */
	getCompactionSettings(model?: { provider: string; id: string }) {
		const c = this.merged.compaction;
		const d = DEFAULT_COMPACTION_SETTINGS;
		const override = model ? c?.modelOverrides?.[`${model.provider}/${model.id}`] : undefined;
		return {
			enabled: c?.enabled ?? d.enabled,
			reserveTokens: override?.reserveTokens ?? c?.reserveTokens ?? d.reserveTokens,
			keepRecentTokens: override?.keepRecentTokens ?? c?.keepRecentTokens ?? d.keepRecentTokens,
		};
	}
	/** pi 1.6.0's `modelThinkingLevels["provider/id"]`: a model's own starting thinking level. */
	getModelThinkingLevel(provider: string, modelId: string): ThinkingLevel | undefined {
		return this.merged.modelThinkingLevels?.[`${provider}/${modelId}`];
	}
	getBranchSummarySettings() {
		const b = this.merged.branchSummary;
		return { reserveTokens: b?.reserveTokens ?? 16384, skipPrompt: b?.skipPrompt ?? false };
	}
	getRetrySettings() {
		const r = this.merged.retry;
		return {
			enabled: r?.enabled ?? true,
			maxRetries: r?.maxRetries ?? 3,
			baseDelayMs: r?.baseDelayMs ?? 2000,
			maxRetryDelayMs: r?.provider?.maxRetryDelayMs ?? 60000,
			/** pi 1.6.0: the agent-level backoff never waits longer than this. */
			maxAgentDelayMs: r?.maxAgentDelayMs ?? 60000,
			/** pi 1.6.0: 0 — the provider SDKs do not retry on their own, the agent does (and sees quota errors). */
			providerMaxRetries: r?.provider?.maxRetries ?? 0,
			providerTimeoutMs: r?.provider?.timeoutMs,
			...streamTimeLimits(this.merged.httpIdleTimeoutMs ?? r?.idleTimeoutMs, r?.provider?.timeoutMs),
		};
	}
	getHideThinkingBlock(): boolean {
		return this.merged.hideThinkingBlock ?? false;
	}
	/** The `externalEditor` setting when it names a command (blank counts as unset, as in pi). */
	getExternalEditor(): string | undefined {
		const command = this.merged.externalEditor;
		return command?.trim() ? command : undefined;
	}
	getQuietStartup(): boolean {
		return this.merged.quietStartup ?? false;
	}
	getImageAutoResize(): boolean {
		return this.merged.images?.autoResize ?? true;
	}
	getBlockImages(): boolean {
		return this.merged.images?.blockImages ?? false;
	}
	getShowImages(): boolean {
		return this.merged.terminal?.showImages ?? true;
	}
	getClearOnShrink(): boolean {
		return this.merged.terminal?.clearOnShrink ?? process.env.PI_CLEAR_ON_SHRINK === "1";
	}
	getShowHardwareCursor(): boolean {
		return this.merged.showHardwareCursor ?? process.env.PI_HARDWARE_CURSOR === "1";
	}
	getTuiMode(): "regular" | "fullscreen" {
		return this.merged.tuiMode ?? "fullscreen";
	}
	getFullscreenExitOutput(): "transcript" | "resume-hint" {
		return this.merged.fullscreenExitOutput ?? "transcript";
	}
	getFullscreenScrollbar(): "auto" | "always" | "hidden" {
		return this.merged.fullscreenScrollbar ?? "auto";
	}
	getFullscreenCopyOnSelect(): boolean {
		return this.merged.fullscreenCopyOnSelect ?? true;
	}
	getFullscreenWheelScrollLines(): number | "auto" {
		return this.merged.fullscreenWheelScrollLines ?? "auto";
	}
	getDoubleEscapeAction() {
		return this.merged.doubleEscapeAction ?? "tree";
	}
	getTreeFilterMode() {
		return this.merged.treeFilterMode ?? "default";
	}
	/** pi 1.6.0's warning switches (all on by default). */
	getWarnings(): { anthropicExtraUsage: boolean } {
		return { anthropicExtraUsage: this.merged.warnings?.anthropicExtraUsage ?? true };
	}
	getEditorPaddingX(): number {
		return Math.min(3, Math.max(0, Math.floor(this.merged.editorPaddingX ?? 0)));
	}
	getAutocompleteMaxVisible(): number {
		return Math.min(20, Math.max(3, Math.floor(this.merged.autocompleteMaxVisible ?? 5)));
	}
	getCodeBlockIndent(): string {
		return this.merged.markdown?.codeBlockIndent ?? "  ";
	}
	getWebsocketConnectTimeoutMs(): number {
		const value = this.merged.websocketConnectTimeoutMs;
		return value === "disabled" ? 0 : (value ?? 15_000);
	}
	/** Agent-folder settings only, as pi: a project must not redirect the traffic of whoever opens it. */
	getHttpProxy(): string | undefined {
		return this.global.settings.httpProxy;
	}
	getTransport() {
		return this.merged.transport ?? "auto";
	}
	/** The `defaultTools` selection resolved against read/bash/edit/write; undefined when not set. */
	getDefaultTools(): string[] | undefined {
		const tools = this.merged.defaultTools;
		return tools === undefined ? undefined : resolveDefaultTools(tools);
	}
}

/** pi 1.6.0's default for httpIdleTimeoutMs. */
export const DEFAULT_HTTP_IDLE_TIMEOUT_MS = 300_000;
/** The shortest wait for a first byte when retry.provider.timeoutMs is unset: local and reasoning models may think
 * for minutes over a long prompt before they send anything. */
const MIN_FIRST_BYTE_TIMEOUT_MS = 600_000;

/**
 * The two stream limits (0 = off): `idleTimeoutMs` between chunks once the answer streams (httpIdleTimeoutMs),
 * `firstByteTimeoutMs` from sending the request to the first byte of the answer — pi's request timeout
 * retry.provider.timeoutMs when set, else twice the idle limit and at least 10 minutes.
 */
export function streamTimeLimits(
	httpIdleTimeoutMs: number | string | undefined,
	providerTimeoutMs: number | undefined,
): { idleTimeoutMs: number; firstByteTimeoutMs: number } {
	const idle =
		httpIdleTimeoutMs === undefined
			? DEFAULT_HTTP_IDLE_TIMEOUT_MS
			: httpIdleTimeoutMs === "disabled"
				? 0
				: Math.floor(Number(httpIdleTimeoutMs));
	const firstByte = providerTimeoutMs ?? (idle === 0 ? 0 : Math.max(2 * idle, MIN_FIRST_BYTE_TIMEOUT_MS));
	return { idleTimeoutMs: idle, firstByteTimeoutMs: firstByte };
}
