/**
 * Every settings key pi 0.73.1 knows, as valibot schemas (pi-spec §2.2). Each key is validated on its own so
 * that one bad value costs only that key: the rest of the file still applies.
 */
import * as v from "valibot";
import { THINKING_LEVELS } from "../ai/types.ts";

const thinkingLevel = () => v.picklist(THINKING_LEVELS);
const queueMode = () => v.picklist(["all", "one-at-a-time"]);
const stringList = () => v.array(v.string());
const nonNegative = () => v.pipe(v.number(), v.minValue(0));
/** A time limit in milliseconds; 0 or "disabled" turns it off. */
const timeoutSetting = () => v.union([nonNegative(), v.literal("disabled")]);

const packageSource = () =>
	v.union([
		v.string(),
		v.looseObject({
			source: v.string(),
			/** false: a project entry that only adjusts the user's entry of the same package (pi 1.6.0). */
			autoload: v.optional(v.boolean()),
			extensions: v.optional(stringList()),
			skills: v.optional(stringList()),
			prompts: v.optional(stringList()),
			themes: v.optional(stringList()),
		}),
	]);

/**
 * Schemas of the top-level keys, each built when a file first has that key (settingsKeySchema): building all of
 * them at startup cost more than checking the few keys a settings file has. Nested objects are loose: unknown
 * sub-keys are kept, known ones checked.
 */
const SETTINGS_KEY_SCHEMAS = {
	lastChangelogVersion: () => v.string(),
	defaultProvider: () => v.string(),
	defaultModel: () => v.string(),
	defaultThinkingLevel: () => thinkingLevel(),
	transport: () => v.picklist(["sse", "websocket", "websocket-cached", "auto"]),
	/** pi 1.6.0: applied as HTTP_PROXY/HTTPS_PROXY; read from the agent folder's settings only. */
	httpProxy: () => v.string(),
	/** pi 1.6.0: how long a WebSocket may take to open. */
	websocketConnectTimeoutMs: () => timeoutSetting(),
	steeringMode: () => queueMode(),
	followUpMode: () => queueMode(),
	theme: () => v.string(),
	compaction: () =>
		v.looseObject({
			enabled: v.optional(v.boolean()),
			reserveTokens: v.optional(nonNegative()),
			keepRecentTokens: v.optional(nonNegative()),
			/** pi 1.6.0: token settings of one model, keyed by its exact "provider/modelId". */
			modelOverrides: v.optional(
				v.record(
					v.string(),
					v.looseObject({ reserveTokens: v.optional(nonNegative()), keepRecentTokens: v.optional(nonNegative()) }),
				),
			),
		}),
	/** pi 1.6.0: a model's starting thinking level, keyed by its exact "provider/modelId". */
	modelThinkingLevels: () => v.record(v.string(), thinkingLevel()),
	branchSummary: () =>
		v.looseObject({
			reserveTokens: v.optional(nonNegative()),
			skipPrompt: v.optional(v.boolean()),
		}),
	retry: () =>
		v.looseObject({
			enabled: v.optional(v.boolean()),
			maxRetries: v.optional(nonNegative()),
			baseDelayMs: v.optional(nonNegative()),
			maxAgentDelayMs: v.optional(nonNegative()),
			provider: v.optional(
				v.looseObject({
					timeoutMs: v.optional(nonNegative()),
					maxRetries: v.optional(nonNegative()),
					maxRetryDelayMs: v.optional(nonNegative()),
				}),
			),
			/** Ours before pi 1.6.0 named it httpIdleTimeoutMs; still read when that is unset. */
			idleTimeoutMs: v.optional(nonNegative()),
		}),
	/** pi 1.6.0: milliseconds a stream may stay silent between chunks; 0 or "disabled" turns the limit off. */
	httpIdleTimeoutMs: () =>
		v.union([
			nonNegative(),
			v.literal("disabled"),
			v.pipe(v.string(), v.regex(/^\s*\d+\s*$/, 'a number of milliseconds or "disabled"')),
		]),
	hideThinkingBlock: () => v.boolean(),
	/** pi 1.6.0: the command Ctrl+G opens the prompt in; wins over $VISUAL and $EDITOR. */
	externalEditor: () => v.string(),
	shellPath: () => v.string(),
	quietStartup: () => v.boolean(),
	shellCommandPrefix: () => v.string(),
	npmCommand: () => stringList(),
	/** `pi update` runs this argv instead of updating itself (pi 1.6.0; read from the agent folder's settings only). */
	selfUpdateCommand: () => stringList(),
	collapseChangelog: () => v.boolean(),
	enableInstallTelemetry: () => v.boolean(),
	packages: () => v.array(packageSource()),
	extensions: () => stringList(),
	skills: () => stringList(),
	prompts: () => stringList(),
	themes: () => stringList(),
	enableSkillCommands: () => v.boolean(),
	terminal: () =>
		v.looseObject({
			showImages: v.optional(v.boolean()),
			imageWidthCells: v.optional(nonNegative()),
			clearOnShrink: v.optional(v.boolean()),
			showTerminalProgress: v.optional(v.boolean()),
		}),
	images: () =>
		v.looseObject({
			autoResize: v.optional(v.boolean()),
			blockImages: v.optional(v.boolean()),
		}),
	enabledModels: () => stringList(),
	doubleEscapeAction: () => v.picklist(["fork", "tree", "none"]),
	treeFilterMode: () => v.picklist(["default", "no-tools", "user-only", "labeled-only", "all"]),
	thinkingBudgets: () =>
		v.looseObject({
			minimal: v.optional(nonNegative()),
			low: v.optional(nonNegative()),
			medium: v.optional(nonNegative()),
			high: v.optional(nonNegative()),
		}),
	editorPaddingX: () => nonNegative(),
	autocompleteMaxVisible: () => nonNegative(),
	showHardwareCursor: () => v.boolean(),
	/** pi 1.6.0: the interactive screen (fullscreen is the default). */
	tuiMode: () => v.picklist(["regular", "fullscreen"]),
	fullscreenExitOutput: () => v.picklist(["transcript", "resume-hint"]),
	fullscreenScrollbar: () => v.picklist(["auto", "always", "hidden"]),
	fullscreenCopyOnSelect: () => v.boolean(),
	fullscreenWheelScrollLines: () =>
		v.union([v.literal("auto"), v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))]),
	markdown: () => v.looseObject({ codeBlockIndent: v.optional(v.string()) }),
	warnings: () => v.looseObject({ anthropicExtraUsage: v.optional(v.boolean()) }),
	sessionDir: () => v.string(),
	/** pi 1.6.0: what to do with a project that has no saved trust decision. Read from global settings only. */
	defaultProjectTrust: () => v.picklist(["ask", "always", "never"]),
	/** pi 1.6.0: the tools on by default; plain names replace read/bash/edit/write, `+name`/`-name` change them. */
	defaultTools: () => stringList(),
	/** pi 1.6.0: how the codemode tool presents the other tools, and the token budget of its tool listing. */
	codemode: () =>
		v.looseObject({
			mode: v.optional(v.picklist(["on", "only"])),
			inlineBudget: v.optional(nonNegative()),
		}),
} as const;

type KeySchemas = { [K in keyof typeof SETTINGS_KEY_SCHEMAS]: ReturnType<(typeof SETTINGS_KEY_SCHEMAS)[K]> };

/** The typed settings object: every key optional, as in the file. */
export type Settings = { -readonly [K in keyof KeySchemas]?: v.InferOutput<KeySchemas[K]> };

export type SettingsKey = keyof Settings;

export function isSettingsKey(key: string): key is SettingsKey {
	return Object.hasOwn(SETTINGS_KEY_SCHEMAS, key);
}

const built = new Map<SettingsKey, v.GenericSchema>();

/** The schema of one key, built on first use. */
export function settingsKeySchema(key: SettingsKey): v.GenericSchema {
	let schema = built.get(key);
	if (!schema) {
		schema = SETTINGS_KEY_SCHEMAS[key]();
		built.set(key, schema);
	}
	return schema;
}
