/**
 * The keybinding table of pi 0.73.1: action ids (`tui.editor.*`, `tui.input.*`, `tui.select.*`, `app.*`) with
 * their default keys, overridden by `~/.pi/agent/keybindings.json` (a string or an array of key specs per id;
 * pre-0.6x names such as `cursorUp` are migrated to the namespaced ids).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { agentDir } from "../../config/paths.ts";
import { LONGEST_REMEMBERED_INPUT, matchesKey, rememberedPerKey } from "../../tui/keys.ts";
import { writeFileAtomicSync } from "../../util/atomic-write.ts";
import { lazyGroup } from "../../util/lazy-schema.ts";
import { readTextFileSync } from "../../util/text-file.ts";

export interface KeybindingDefinition {
	defaultKeys: readonly string[];
	description: string;
}

const isWindows = process.platform === "win32";

export const KEYBINDING_DEFINITIONS = {
	"tui.editor.cursorUp": { defaultKeys: ["up"], description: "Move cursor up" },
	"tui.editor.cursorDown": { defaultKeys: ["down"], description: "Move cursor down" },
	"tui.editor.cursorLeft": { defaultKeys: ["left", "ctrl+b"], description: "Move cursor left" },
	"tui.editor.cursorRight": { defaultKeys: ["right", "ctrl+f"], description: "Move cursor right" },
	"tui.editor.cursorWordLeft": {
		defaultKeys: ["alt+left", "ctrl+left", "alt+b"],
		description: "Move cursor word left",
	},
	"tui.editor.cursorWordRight": {
		defaultKeys: ["alt+right", "ctrl+right", "alt+f"],
		description: "Move cursor word right",
	},
	"tui.editor.cursorLineStart": { defaultKeys: ["home", "ctrl+a"], description: "Move to line start" },
	"tui.editor.cursorLineEnd": { defaultKeys: ["end", "ctrl+e"], description: "Move to line end" },
	"tui.editor.jumpForward": { defaultKeys: ["ctrl+]"], description: "Jump forward to character" },
	"tui.editor.jumpBackward": { defaultKeys: ["ctrl+alt+]"], description: "Jump backward to character" },
	"tui.editor.pageUp": { defaultKeys: ["pageUp"], description: "Page up" },
	"tui.editor.pageDown": { defaultKeys: ["pageDown"], description: "Page down" },
	"tui.editor.deleteCharBackward": { defaultKeys: ["backspace"], description: "Delete character backward" },
	"tui.editor.deleteCharForward": { defaultKeys: ["delete", "ctrl+d"], description: "Delete character forward" },
	"tui.editor.deleteWordBackward": { defaultKeys: ["ctrl+w", "alt+backspace"], description: "Delete word backward" },
	"tui.editor.deleteWordForward": { defaultKeys: ["alt+d", "alt+delete"], description: "Delete word forward" },
	"tui.editor.deleteToLineStart": { defaultKeys: ["ctrl+u"], description: "Delete to line start" },
	"tui.editor.deleteToLineEnd": { defaultKeys: ["ctrl+k"], description: "Delete to line end" },
	"tui.editor.yank": { defaultKeys: ["ctrl+y"], description: "Yank" },
	"tui.editor.yankPop": { defaultKeys: ["alt+y"], description: "Yank pop" },
	"tui.editor.undo": { defaultKeys: ["ctrl+-"], description: "Undo" },
	"tui.input.newLine": { defaultKeys: ["shift+enter"], description: "Insert newline" },
	"tui.input.submit": { defaultKeys: ["enter"], description: "Submit input" },
	"tui.input.tab": { defaultKeys: ["tab"], description: "Tab / autocomplete" },
	"tui.input.copy": { defaultKeys: ["ctrl+c"], description: "Copy selection" },
	"tui.select.up": { defaultKeys: ["up"], description: "Move selection up" },
	"tui.select.down": { defaultKeys: ["down"], description: "Move selection down" },
	"tui.select.pageUp": { defaultKeys: ["pageUp"], description: "Selection page up" },
	"tui.select.pageDown": { defaultKeys: ["pageDown"], description: "Selection page down" },
	"tui.select.confirm": { defaultKeys: ["enter"], description: "Confirm selection" },
	"tui.select.cancel": { defaultKeys: ["escape", "ctrl+c"], description: "Cancel selection" },
	"tui.altScreen.pageUp": { defaultKeys: ["pageUp"], description: "Scroll the transcript up by one page" },
	"tui.altScreen.pageDown": { defaultKeys: ["pageDown"], description: "Scroll the transcript down by one page" },
	"tui.altScreen.halfPageUp": { defaultKeys: [], description: "Scroll the transcript up by half a page" },
	"tui.altScreen.halfPageDown": { defaultKeys: [], description: "Scroll the transcript down by half a page" },
	"tui.altScreen.lineUp": { defaultKeys: [], description: "Scroll the transcript up by one line" },
	"tui.altScreen.lineDown": { defaultKeys: [], description: "Scroll the transcript down by one line" },
	"tui.altScreen.previousPrompt": {
		defaultKeys: isWindows ? ["ctrl+shift+up", "ctrl+up"] : ["ctrl+shift+up"],
		description: "Jump to the previous marked message",
	},
	"tui.altScreen.nextPrompt": {
		defaultKeys: isWindows ? ["ctrl+shift+down", "ctrl+down"] : ["ctrl+shift+down"],
		description: "Jump to the next marked message",
	},
	"tui.altScreen.search": {
		defaultKeys: [isWindows ? "ctrl+f" : "ctrl+shift+f"],
		description: "Search the rendered transcript",
	},
	"tui.altScreen.searchNext": { defaultKeys: ["enter", "ctrl+g"], description: "Select the next search match" },
	"tui.altScreen.searchPrevious": {
		defaultKeys: ["shift+enter", "ctrl+shift+g"],
		description: "Select the previous search match",
	},
	"tui.altScreen.searchClose": { defaultKeys: ["escape"], description: "Close transcript search" },
	"tui.altScreen.top": { defaultKeys: ["ctrl+home"], description: "Scroll to the beginning of the transcript" },
	"tui.altScreen.bottom": {
		defaultKeys: ["ctrl+end"],
		description: "Scroll to the transcript end and follow new output",
	},
	"app.interrupt": { defaultKeys: ["escape"], description: "Cancel or abort" },
	"app.clear": { defaultKeys: ["ctrl+c"], description: "Clear editor" },
	"app.exit": { defaultKeys: ["ctrl+d"], description: "Exit when editor is empty" },
	"app.suspend": { defaultKeys: isWindows ? [] : ["ctrl+z"], description: "Suspend to background" },
	"app.thinking.cycle": { defaultKeys: ["shift+tab"], description: "Cycle thinking level" },
	"app.model.cycleForward": { defaultKeys: ["ctrl+p"], description: "Cycle to next model" },
	"app.model.cycleBackward": { defaultKeys: ["shift+ctrl+p"], description: "Cycle to previous model" },
	"app.model.select": { defaultKeys: ["ctrl+l"], description: "Open model selector" },
	"app.tools.expand": { defaultKeys: ["ctrl+o"], description: "Toggle tool output" },
	"app.thinking.toggle": { defaultKeys: ["ctrl+t"], description: "Toggle thinking blocks" },
	"app.session.toggleNamedFilter": { defaultKeys: ["ctrl+n"], description: "Toggle named session filter" },
	"app.editor.external": { defaultKeys: ["ctrl+g"], description: "Open external editor" },
	"app.message.copy": { defaultKeys: ["ctrl+x"], description: "Copy the selection or the last answer" },
	"app.message.followUp": { defaultKeys: ["alt+enter"], description: "Queue follow-up message" },
	"app.message.dequeue": { defaultKeys: ["alt+up"], description: "Restore queued messages" },
	"app.clipboard.pasteImage": {
		defaultKeys: [isWindows ? "alt+v" : "ctrl+v"],
		description: "Paste image from clipboard",
	},
	"app.session.new": { defaultKeys: [], description: "Start a new session" },
	"app.session.tree": { defaultKeys: [], description: "Open session tree" },
	"app.session.fork": { defaultKeys: [], description: "Fork current session" },
	"app.session.resume": { defaultKeys: [], description: "Resume a session" },
	"app.tree.foldOrUp": { defaultKeys: ["ctrl+left", "alt+left"], description: "Fold tree branch or move up" },
	"app.tree.unfoldOrDown": { defaultKeys: ["ctrl+right", "alt+right"], description: "Unfold tree branch or move down" },
	"app.tree.editLabel": { defaultKeys: ["shift+l"], description: "Edit tree label" },
	"app.tree.toggleLabelTimestamp": { defaultKeys: ["shift+t"], description: "Toggle tree label timestamps" },
	"app.session.togglePath": { defaultKeys: ["ctrl+p"], description: "Toggle session path display" },
	"app.session.toggleSort": { defaultKeys: ["ctrl+s"], description: "Toggle session sort mode" },
	"app.session.rename": { defaultKeys: ["ctrl+r"], description: "Rename session" },
	"app.session.delete": { defaultKeys: ["ctrl+d"], description: "Delete session" },
	"app.session.deleteNoninvasive": {
		defaultKeys: ["ctrl+backspace"],
		description: "Delete session when query is empty",
	},
	"app.models.save": { defaultKeys: ["ctrl+s"], description: "Save model selection" },
	"app.models.enableAll": { defaultKeys: ["ctrl+a"], description: "Enable all models" },
	"app.models.clearAll": { defaultKeys: ["ctrl+x"], description: "Clear all models" },
	"app.models.toggleProvider": { defaultKeys: ["ctrl+p"], description: "Toggle all models for provider" },
	"app.models.reorderUp": { defaultKeys: ["alt+up"], description: "Move model up in order" },
	"app.models.reorderDown": { defaultKeys: ["alt+down"], description: "Move model down in order" },
	"app.tree.filter.default": { defaultKeys: ["ctrl+d"], description: "Tree filter: default view" },
	"app.tree.filter.noTools": { defaultKeys: ["ctrl+t"], description: "Tree filter: hide tool results" },
	"app.tree.filter.userOnly": { defaultKeys: ["ctrl+u"], description: "Tree filter: user messages only" },
	"app.tree.filter.labeledOnly": { defaultKeys: ["ctrl+l"], description: "Tree filter: labeled entries only" },
	"app.tree.filter.all": { defaultKeys: ["ctrl+a"], description: "Tree filter: show all entries" },
	"app.tree.filter.cycleForward": { defaultKeys: ["ctrl+o"], description: "Tree filter: cycle forward" },
	"app.tree.filter.cycleBackward": { defaultKeys: ["shift+ctrl+o"], description: "Tree filter: cycle backward" },
} as const satisfies Record<string, KeybindingDefinition>;

export type KeybindingId = keyof typeof KEYBINDING_DEFINITIONS;

const KEYBINDING_IDS = Object.keys(KEYBINDING_DEFINITIONS) as KeybindingId[];

function isKeybindingId(id: string): id is KeybindingId {
	return Object.hasOwn(KEYBINDING_DEFINITIONS, id);
}

/** Names used by keybindings.json before actions were namespaced. */
const LEGACY_NAMES: Readonly<Record<string, KeybindingId>> = {
	cursorUp: "tui.editor.cursorUp",
	cursorDown: "tui.editor.cursorDown",
	cursorLeft: "tui.editor.cursorLeft",
	cursorRight: "tui.editor.cursorRight",
	cursorWordLeft: "tui.editor.cursorWordLeft",
	cursorWordRight: "tui.editor.cursorWordRight",
	cursorLineStart: "tui.editor.cursorLineStart",
	cursorLineEnd: "tui.editor.cursorLineEnd",
	jumpForward: "tui.editor.jumpForward",
	jumpBackward: "tui.editor.jumpBackward",
	pageUp: "tui.editor.pageUp",
	pageDown: "tui.editor.pageDown",
	deleteCharBackward: "tui.editor.deleteCharBackward",
	deleteCharForward: "tui.editor.deleteCharForward",
	deleteWordBackward: "tui.editor.deleteWordBackward",
	deleteWordForward: "tui.editor.deleteWordForward",
	deleteToLineStart: "tui.editor.deleteToLineStart",
	deleteToLineEnd: "tui.editor.deleteToLineEnd",
	yank: "tui.editor.yank",
	yankPop: "tui.editor.yankPop",
	undo: "tui.editor.undo",
	newLine: "tui.input.newLine",
	submit: "tui.input.submit",
	tab: "tui.input.tab",
	copy: "tui.input.copy",
	selectUp: "tui.select.up",
	selectDown: "tui.select.down",
	selectPageUp: "tui.select.pageUp",
	selectPageDown: "tui.select.pageDown",
	selectConfirm: "tui.select.confirm",
	selectCancel: "tui.select.cancel",
	interrupt: "app.interrupt",
	clear: "app.clear",
	exit: "app.exit",
	suspend: "app.suspend",
	cycleThinkingLevel: "app.thinking.cycle",
	cycleModelForward: "app.model.cycleForward",
	cycleModelBackward: "app.model.cycleBackward",
	selectModel: "app.model.select",
	expandTools: "app.tools.expand",
	toggleThinking: "app.thinking.toggle",
	toggleSessionNamedFilter: "app.session.toggleNamedFilter",
	externalEditor: "app.editor.external",
	followUp: "app.message.followUp",
	dequeue: "app.message.dequeue",
	pasteImage: "app.clipboard.pasteImage",
	newSession: "app.session.new",
	tree: "app.session.tree",
	fork: "app.session.fork",
	resume: "app.session.resume",
	treeFoldOrUp: "app.tree.foldOrUp",
	treeUnfoldOrDown: "app.tree.unfoldOrDown",
	treeEditLabel: "app.tree.editLabel",
	treeToggleLabelTimestamp: "app.tree.toggleLabelTimestamp",
	toggleSessionPath: "app.session.togglePath",
	toggleSessionSort: "app.session.toggleSort",
	renameSession: "app.session.rename",
	deleteSession: "app.session.delete",
	deleteSessionNoninvasive: "app.session.deleteNoninvasive",
};

export type KeybindingsConfig = Record<string, string | string[]>;

/** Built on first use: only a run with a keybindings.json reads one. */
const schemas = lazyGroup(() => ({
	RawConfigSchema: v.record(v.string(), v.unknown()),
	BindingSchema: v.union([v.string(), v.array(v.string())]),
}));

/**
 * Renames legacy ids (a namespaced id already present wins over its legacy twin) and orders the result as the
 * table, unknown ids last (sorted) — the shape pi writes back.
 */
export function migrateKeybindingsConfig(raw: Record<string, unknown>): {
	config: Record<string, unknown>;
	migrated: boolean;
} {
	const renamed: Record<string, unknown> = {};
	let migrated = false;
	for (const [key, value] of Object.entries(raw)) {
		const target = LEGACY_NAMES[key] ?? key;
		if (target !== key) {
			migrated = true;
			if (Object.hasOwn(raw, target)) continue;
		}
		renamed[target] = value;
	}
	const config: Record<string, unknown> = {};
	for (const id of KEYBINDING_IDS) if (Object.hasOwn(renamed, id)) config[id] = renamed[id];
	for (const key of Object.keys(renamed).sort()) if (!Object.hasOwn(config, key)) config[key] = renamed[key];
	return { config, migrated };
}

/** Keeps the entries that are a key spec or a list of them; anything else in the file is ignored, as pi does. */
export function parseKeybindingsConfig(raw: unknown): KeybindingsConfig {
	// No file (the usual case): nothing to check, and no schema to build.
	if (raw === undefined) return {};
	const record = v.safeParse(schemas().RawConfigSchema, raw);
	if (!record.success) return {};
	const config: KeybindingsConfig = {};
	for (const [key, value] of Object.entries(migrateKeybindingsConfig(record.output).config)) {
		const binding = v.safeParse(schemas().BindingSchema, value);
		if (binding.success) config[key] = binding.output;
	}
	return config;
}

function keybindingsPath(dir: string = agentDir()): string {
	return join(dir, "keybindings.json");
}

function readConfigFile(path: string): unknown {
	if (!existsSync(path)) return undefined;
	try {
		// A byte-order mark (Windows editors) is read past, as pi 1.6.0 does.
		return JSON.parse(readTextFileSync(path));
	} catch {
		return undefined;
	}
}

/** pi's startup migration: rewrites a file that still uses legacy names. Malformed files are left alone. */
export function migrateKeybindingsFile(path: string = keybindingsPath()): boolean {
	return migrateFileContent(path, readConfigFile(path));
}

function migrateFileContent(path: string, content: unknown): boolean {
	if (content === undefined) return false;
	const raw = v.safeParse(schemas().RawConfigSchema, content);
	if (!raw.success) return false;
	const { config, migrated } = migrateKeybindingsConfig(raw.output);
	if (!migrated) return false;
	try {
		writeFileAtomicSync(path, `${JSON.stringify(config, null, 2)}\n`);
	} catch {
		return false;
	}
	return true;
}

function uniqueKeys(keys: string | readonly string[] | undefined): string[] {
	if (keys === undefined) return [];
	return [...new Set(typeof keys === "string" ? [keys] : keys)];
}

export class Keybindings {
	private readonly keysById = new Map<KeybindingId, string[]>();
	/** Keys the user gave to more than one action. */
	readonly conflicts: { key: string; ids: string[] }[] = [];

	constructor(readonly userConfig: KeybindingsConfig = {}) {
		const claims = new Map<string, string[]>();
		for (const [id, keys] of Object.entries(userConfig)) {
			if (!isKeybindingId(id)) continue;
			for (const key of uniqueKeys(keys)) claims.set(key, [...(claims.get(key) ?? []), id]);
		}
		for (const [key, ids] of claims) if (ids.length > 1) this.conflicts.push({ key, ids });
		for (const id of KEYBINDING_IDS) {
			const user = userConfig[id];
			this.keysById.set(id, uniqueKeys(user ?? KEYBINDING_DEFINITIONS[id].defaultKeys));
		}
	}

	static load(path: string = keybindingsPath()): Keybindings {
		return new Keybindings(parseKeybindingsConfig(readConfigFile(path)));
	}

	/** At startup: the file is read once, rewritten first if it still uses legacy names (as pi does), then loaded. */
	static loadMigrating(path: string = keybindingsPath()): Keybindings {
		const content = readConfigFile(path);
		migrateFileContent(path, content);
		return new Keybindings(parseKeybindingsConfig(content));
	}

	/**
	 * The actions a short input is bound to, found once per input: a key press is asked about ~35 times (by the
	 * screen's scroll keys, the app's actions and the editor's), each time trying that action's keys.
	 */
	private readonly boundTo = rememberedPerKey((data: string) => {
		const ids = new Set<KeybindingId>();
		for (const [id, keys] of this.keysById) if (keys.some((key) => matchesKey(data, key))) ids.add(id);
		return ids;
	});

	/** Whether `data` is a key of any action (false for most typed characters: their callers need ask no further). */
	bindsAny(data: string): boolean {
		return data.length > LONGEST_REMEMBERED_INPUT || this.boundTo(data).size > 0;
	}

	matches(data: string, id: KeybindingId): boolean {
		if (data.length <= LONGEST_REMEMBERED_INPUT) return this.boundTo(data).has(id);
		for (const key of this.keysById.get(id) ?? []) if (matchesKey(data, key)) return true;
		return false;
	}

	keys(id: KeybindingId): string[] {
		return [...(this.keysById.get(id) ?? [])];
	}

	/** `key1/key2` as pi's hints show it ("" when unbound). */
	keyText(id: KeybindingId): string {
		return this.keys(id).join("/");
	}

	/** Every action with its effective keys (one key as a string, otherwise an array), as pi's getEffectiveConfig. */
	effective(): Record<KeybindingId, string | string[]> {
		const result = {} as Record<KeybindingId, string | string[]>;
		for (const id of KEYBINDING_IDS) {
			const keys = this.keys(id);
			result[id] = keys.length === 1 ? (keys[0] ?? "") : keys;
		}
		return result;
	}
}

/** `ctrl+shift+p` → `Ctrl+Shift+P`; alternatives separated by `/` stay separated. */
export function capitalizeKeys(text: string): string {
	return text
		.split("/")
		.map((key) =>
			key
				.split("+")
				.map((part) => part.charAt(0).toUpperCase() + part.slice(1))
				.join("+"),
		)
		.join("/");
}

/** The defaults, built only if something asks before the interactive mode sets the user's table (tests, tools). */
let active: Keybindings | undefined;

/** The table the running UI uses (selectors read it without threading it through every constructor). */
export function activeKeybindings(): Keybindings {
	active ??= new Keybindings();
	return active;
}

export function setActiveKeybindings(keybindings: Keybindings): void {
	active = keybindings;
}
