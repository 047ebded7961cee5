/**
 * /settings (pi-spec §9.3): pi 0.73.1's entries in its order. Enter on a value setting moves to the next value and
 * saves it to the global settings at once; "Thinking level" and "Theme" open a list of choices.
 */
import type { ThinkingLevel } from "../../ai/types.ts";
import type { Settings } from "../../config/settings-schema.ts";
import { getImageProtocol } from "../../tui/images/terminal-image.ts";
import { availableThemeNames, currentThemeName, setTheme } from "../../tui/themes/manager.ts";
import { type ListItem, ListSelector } from "./components/list-selector.ts";
import type { InteractiveUi } from "./ui-host.ts";

interface ValueSetting {
	id: string;
	label: string;
	values: readonly string[];
	current: () => string;
	apply: (value: string) => void;
}

interface SubmenuSetting {
	id: string;
	label: string;
	current: () => string;
	open: () => void;
}

type SettingEntry = ValueSetting | SubmenuSetting;

const BOOLEAN = ["true", "false"] as const;
const bool = (value: boolean) => (value ? "true" : "false");

/** Keeps a value that the list does not offer (e.g. editorPaddingX: 5 from the file) reachable by cycling. */
function nextValue(values: readonly string[], current: string): string {
	const index = values.indexOf(current);
	return values[(index + 1) % values.length] ?? current;
}

export class SettingsMenu {
	constructor(private readonly ui: InteractiveUi) {}

	private get session() {
		return this.ui.session;
	}

	private get settings() {
		return this.session.settings;
	}

	/** Closes the list shown last. */
	private close: () => void = () => {};

	private entries(): SettingEntry[] {
		const { settings, session, ui } = this;
		const setTerminal = (key: string, value: unknown) => settings.setNested("terminal", key, value);
		const redraw = () => ui.redraw();
		// pi offers the image entries only on terminals that draw images.
		const imageEntries: SettingEntry[] = getImageProtocol()
			? [
					{
						id: "show-images",
						label: "Show images",
						values: BOOLEAN,
						current: () => bool(settings.getShowImages()),
						apply: (v) => {
							setTerminal("showImages", v === "true");
							redraw();
						},
					},
					{
						id: "image-width-cells",
						label: "Image width",
						values: ["60", "80", "120"],
						current: () => String(settings.settings.terminal?.imageWidthCells ?? 60),
						apply: (v) => {
							setTerminal("imageWidthCells", Number(v));
							redraw();
						},
					},
				]
			: [];
		return [
			{
				id: "autocompact",
				label: "Auto-compact",
				values: BOOLEAN,
				current: () => bool(session.autoCompactionEnabled),
				apply: (v) => session.setAutoCompactionEnabled(v === "true"),
			},
			...imageEntries,
			{
				id: "auto-resize-images",
				label: "Auto-resize images",
				values: BOOLEAN,
				current: () => bool(settings.getImageAutoResize()),
				apply: (v) => settings.setNested("images", "autoResize", v === "true"),
			},
			{
				id: "block-images",
				label: "Block images",
				values: BOOLEAN,
				current: () => bool(settings.getBlockImages()),
				apply: (v) => settings.setNested("images", "blockImages", v === "true"),
			},
			{
				id: "skill-commands",
				label: "Skill commands",
				values: BOOLEAN,
				current: () => bool(session.resources.enableSkillCommands),
				apply: (v) => {
					settings.set("enableSkillCommands", v === "true");
					session.setResources({ ...session.resources, enableSkillCommands: v === "true" });
				},
			},
			{
				id: "show-hardware-cursor",
				label: "Show hardware cursor",
				values: BOOLEAN,
				current: () => bool(settings.getShowHardwareCursor()),
				apply: (v) => {
					settings.set("showHardwareCursor", v === "true");
					ui.applyTerminalSettings();
				},
			},
			{
				id: "editor-padding",
				label: "Editor padding",
				values: ["0", "1", "2", "3"],
				current: () => String(settings.getEditorPaddingX()),
				apply: (v) => settings.set("editorPaddingX", Number(v)),
			},
			{
				id: "autocomplete-max-visible",
				label: "Autocomplete max items",
				values: ["3", "5", "7", "10", "15", "20"],
				current: () => String(settings.getAutocompleteMaxVisible()),
				apply: (v) => {
					settings.set("autocompleteMaxVisible", Number(v));
					this.ui.editor.applySettings();
				},
			},
			{
				id: "clear-on-shrink",
				label: "Clear on shrink",
				values: BOOLEAN,
				current: () => bool(settings.getClearOnShrink()),
				apply: (v) => {
					setTerminal("clearOnShrink", v === "true");
					ui.applyTerminalSettings();
				},
			},
			{
				id: "terminal-progress",
				label: "Terminal progress",
				values: BOOLEAN,
				current: () => bool(settings.settings.terminal?.showTerminalProgress ?? false),
				apply: (v) => setTerminal("showTerminalProgress", v === "true"),
			},
			{
				id: "steering-mode",
				label: "Steering mode",
				values: ["one-at-a-time", "all"],
				current: () => session.steeringMode,
				apply: (v) => session.setSteeringMode(v === "all" ? "all" : "one-at-a-time"),
			},
			{
				id: "follow-up-mode",
				label: "Follow-up mode",
				values: ["one-at-a-time", "all"],
				current: () => session.followUpMode,
				apply: (v) => session.setFollowUpMode(v === "all" ? "all" : "one-at-a-time"),
			},
			{
				id: "transport",
				label: "Transport",
				values: ["sse", "websocket", "websocket-cached", "auto"],
				current: () => settings.getTransport(),
				apply: (v) =>
					settings.set("transport", v === "sse" || v === "websocket" || v === "websocket-cached" ? v : "auto"),
			},
			{
				id: "hide-thinking",
				label: "Hide thinking",
				values: BOOLEAN,
				current: () => bool(ui.hideThinking),
				apply: (v) => {
					ui.hideThinking = v === "true";
					settings.set("hideThinkingBlock", ui.hideThinking);
					ui.renderTranscript();
				},
			},
			{
				id: "collapse-changelog",
				label: "Collapse changelog",
				values: BOOLEAN,
				current: () => bool(settings.settings.collapseChangelog ?? false),
				apply: (v) => settings.set("collapseChangelog", v === "true"),
			},
			{
				id: "quiet-startup",
				label: "Quiet startup",
				values: BOOLEAN,
				current: () => bool(settings.getQuietStartup()),
				apply: (v) => settings.set("quietStartup", v === "true"),
			},
			{
				id: "double-escape-action",
				label: "Double-escape action",
				values: ["tree", "fork", "none"],
				current: () => settings.getDoubleEscapeAction(),
				apply: (v) => settings.set("doubleEscapeAction", v === "fork" || v === "none" ? v : "tree"),
			},
			{
				id: "tree-filter-mode",
				label: "Tree filter mode",
				values: ["default", "no-tools", "user-only", "labeled-only", "all"],
				current: () => settings.getTreeFilterMode(),
				apply: (v) => settings.set("treeFilterMode", treeFilterMode(v)),
			},
			{
				id: "thinking",
				label: "Thinking level",
				current: () => session.thinkingLevel,
				open: () => this.openThinkingLevels(),
			},
			// pi 1.6.0's screen entries: the mode switches at once; the fullscreen ones apply to the running screen.
			{
				id: "tui-mode",
				label: "TUI mode",
				values: ["regular", "fullscreen"],
				current: () => ui.screenMode,
				apply: (v) => {
					const mode = v === "regular" ? "regular" : "fullscreen";
					settings.set("tuiMode", mode);
					ui.setScreenMode(mode);
				},
			},
			{
				id: "fullscreen-exit-output",
				label: "Fullscreen exit output",
				values: ["transcript", "resume-hint"],
				current: () => settings.getFullscreenExitOutput(),
				apply: (v) => settings.set("fullscreenExitOutput", v === "resume-hint" ? v : "transcript"),
			},
			{
				id: "fullscreen-scrollbar",
				label: "Fullscreen scrollbar",
				values: ["auto", "always", "hidden"],
				current: () => settings.getFullscreenScrollbar(),
				apply: (v) => {
					settings.set("fullscreenScrollbar", v === "always" || v === "hidden" ? v : "auto");
					ui.applyTerminalSettings();
				},
			},
			{
				id: "fullscreen-copy-on-select",
				label: "Fullscreen copy on select",
				values: BOOLEAN,
				current: () => bool(settings.getFullscreenCopyOnSelect()),
				apply: (v) => {
					settings.set("fullscreenCopyOnSelect", v === "true");
					ui.applyTerminalSettings();
				},
			},
			{
				id: "fullscreen-wheel-scroll-lines",
				label: "Fullscreen wheel scrolling",
				values: ["auto", "1", "2", "3", "5", "10"],
				current: () => String(settings.getFullscreenWheelScrollLines()),
				apply: (v) => {
					settings.set("fullscreenWheelScrollLines", v === "auto" ? "auto" : Number(v));
					ui.applyTerminalSettings();
				},
			},
			{ id: "theme", label: "Theme", current: () => currentThemeName(), open: () => this.openThemeSelector() },
		];
	}

	open(selectId?: string): void {
		const entries = this.entries();
		const items: ListItem<string>[] = entries.map((entry) => ({
			value: entry.id,
			label: entry.label,
			searchText: entry.label.toLowerCase(),
			description: entry.current(),
		}));
		this.close = this.ui.dialogs.show(
			new ListSelector({
				title: "Settings",
				hint: "enter change · type to search · esc close",
				items,
				initialIndex: Math.max(
					0,
					entries.findIndex((entry) => entry.id === selectId),
				),
				onSelect: (id) => {
					this.close();
					const entry = entries.find((candidate) => candidate.id === id);
					if (!entry) return;
					if ("open" in entry) {
						entry.open();
						return;
					}
					entry.apply(nextValue(entry.values, entry.current()));
					this.ui.requestRender();
					this.open(id);
				},
				onCancel: () => this.close(),
			}),
		);
	}

	private openThinkingLevels(): void {
		const levels = this.session.getAvailableThinkingLevels();
		const current = this.session.thinkingLevel;
		this.close = this.ui.dialogs.show(
			new ListSelector<ThinkingLevel>({
				title: "Thinking Level",
				hint: "Select reasoning depth for thinking-capable models",
				items: levels.map((level) => ({ value: level, label: level, searchText: level })),
				initialIndex: Math.max(0, levels.indexOf(current)),
				onSelect: (level) => {
					this.close();
					this.session.setThinkingLevel(level, { persist: true });
					this.ui.editor.updateBorder();
					this.open("thinking");
				},
				onCancel: () => {
					this.close();
					this.open("thinking");
				},
			}),
		);
	}

	// Theme list of /settings: pick a theme, save it globally, redraw in the new palette.
	private openThemeSelector(): void {
		const names = availableThemeNames();
		const current = this.settings.settings.theme || "system";
		this.close = this.ui.dialogs.show(
			new ListSelector({
				title: "Theme",
				hint: "enter select · esc back",
				items: names.map((name) => ({ value: name, label: name, searchText: name })),
				initialIndex: Math.max(0, names.indexOf(current)),
				onSelect: (name) => {
					this.close();
					const result = setTheme(name, { watch: true });
					this.settings.set("theme", name);
					this.ui.redraw();
					if (!result.success) {
						this.ui.showError(`Failed to load theme "${name}": ${result.error}\nFell back to dark theme.`);
					}
					this.open("theme");
				},
				onCancel: () => {
					this.close();
					this.open("theme");
				},
			}),
		);
	}
}

function treeFilterMode(value: string): NonNullable<Settings["treeFilterMode"]> {
	switch (value) {
		case "no-tools":
		case "user-only":
		case "labeled-only":
		case "all":
			return value;
		default:
			return "default";
	}
}
