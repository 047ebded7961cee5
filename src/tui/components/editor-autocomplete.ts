/**
 * The editor's autocomplete, as pi-tui 1.6.0's Editor runs it: a provider (slash commands and their arguments,
 * `@` files, Tab paths) is asked for suggestions when `/` starts the message, when a trigger character (`@`, `#`)
 * starts a word, and while typing in such a context; the list is drawn under the editor; ↑/↓/PgUp/PgDn choose,
 * Tab applies, Enter applies (and on a command name also submits), Escape closes. Requests are asynchronous: a
 * result only shows while the text and cursor are still those it was asked for.
 */
import { matchesKey } from "../keys.ts";
import { visibleWidth } from "../text-utils.ts";
import { type SelectItem, SelectList, type SelectListTheme, selectListTheme } from "./select-list.ts";

export type AutocompleteItem = SelectItem;

export interface AutocompleteSuggestions {
	items: AutocompleteItem[];
	/** The text before the cursor the items replace (`/mo`, `cla`, `@src/ma`). */
	prefix: string;
}

export interface CompletionResult {
	lines: string[];
	cursorLine: number;
	cursorCol: number;
}

/** pi-tui's AutocompleteProvider. */
export interface AutocompleteProvider {
	/** Characters that start a completion at a word start (besides `/`, `@` and `#`). */
	triggerCharacters?: string[];
	getSuggestions(
		lines: string[],
		cursorLine: number,
		cursorCol: number,
		options: { signal: AbortSignal; force?: boolean },
	): Promise<AutocompleteSuggestions | null> | AutocompleteSuggestions | null;
	applyCompletion(
		lines: string[],
		cursorLine: number,
		cursorCol: number,
		item: AutocompleteItem,
		prefix: string,
	): CompletionResult;
	/** Whether Tab may complete a path here. */
	shouldTriggerFileCompletion?(lines: string[], cursorLine: number, cursorCol: number): boolean;
}

/** What the autocomplete needs from the editor. */
export interface AutocompleteHost {
	lines(): string[];
	cursor(): { line: number; col: number };
	/** Replaces the text and cursor with a completion (one undo step). */
	apply(result: CompletionResult): void;
	requestRender(): void;
}

const DEFAULT_TRIGGERS = ["@", "#"];
const ATTACHMENT_DEBOUNCE_MS = 20;
const SLASH_COMMAND_LAYOUT = { minPrimaryColumnWidth: 12, maxPrimaryColumnWidth: 32 };
// pi-tui's token rules: CJK letters belong to words; whitespace and CJK punctuation separate them.
const CJK = String.raw`[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}\p{Script_Extensions=Bopomofo}]`;
const SEPARATOR = String.raw`(?:\s|(?:(?=\p{Punctuation})${CJK}|[，．：；！？（）［］｛｝“”‘’…—]))`;
const TOKEN_START = `(?:^|${SEPARATOR})[([{<\`]*`;
const UNQUOTED_SUFFIX = `(?:(?!${SEPARATOR}).)*`;
const CJK_LETTER = new RegExp(CJK, "u");
const escapeClass = (character: string) => character.replace(/[\\\]^-]/g, "\\$&");

export class EditorAutocomplete {
	private provider: AutocompleteProvider | undefined;
	private state: "regular" | "force" | undefined;
	private list: SelectList | undefined;
	private prefix = "";
	/** The text and cursor the open list was made for: keys typed since may not have been answered yet. */
	private listSnapshot = "";
	private triggers = DEFAULT_TRIGGERS;
	private triggerPattern = EditorAutocomplete.triggerPattern(DEFAULT_TRIGGERS);
	private debouncePattern = EditorAutocomplete.debouncePattern(DEFAULT_TRIGGERS);
	private requestId = 0;
	private abort: AbortController | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** Settles when the newest request has been answered (tests wait on it). */
	pending: Promise<void> = Promise.resolve();
	maxVisible = 5;
	look: SelectListTheme = selectListTheme();

	constructor(private readonly host: AutocompleteHost) {}

	private static triggerPattern(characters: readonly string[]): RegExp {
		return new RegExp(`${TOKEN_START}(?:@"[^"]*|[${characters.map(escapeClass).join("")}]${UNQUOTED_SUFFIX})$`, "u");
	}

	private static debouncePattern(characters: readonly string[]): RegExp {
		const others = characters.filter((character) => character !== "@").map(escapeClass);
		const alternatives = [`@(?:"[^"]*|${UNQUOTED_SUFFIX})`];
		if (others.length > 0) alternatives.push(`[${others.join("")}]${UNQUOTED_SUFFIX}`);
		return new RegExp(`${TOKEN_START}(?:${alternatives.join("|")})$`, "u");
	}

	setProvider(provider: AutocompleteProvider | undefined): void {
		this.cancel();
		this.provider = provider;
		const next = [...DEFAULT_TRIGGERS];
		for (const character of provider?.triggerCharacters ?? []) {
			if (character.length !== 1 || character === "/" || /\s/.test(character) || next.includes(character)) continue;
			next.push(character);
		}
		this.triggers = next;
		this.triggerPattern = EditorAutocomplete.triggerPattern(next);
		this.debouncePattern = EditorAutocomplete.debouncePattern(next);
	}

	getProvider(): AutocompleteProvider | undefined {
		return this.provider;
	}

	get showing(): boolean {
		return this.state !== undefined;
	}

	/** The suggestions on screen (tests, and the host deciding whose keys win). */
	get items(): AutocompleteItem[] {
		return this.list?.getVisibleItems() ?? [];
	}

	get selectedItem(): AutocompleteItem | undefined {
		return this.list?.getSelectedItem();
	}

	cancel(): void {
		this.requestId++;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.abort?.abort();
		this.abort = undefined;
		this.state = undefined;
		this.list = undefined;
		this.prefix = "";
	}

	private beforeCursor(): string {
		const { line, col } = this.host.cursor();
		return (this.host.lines()[line] ?? "").slice(0, col);
	}

	/** The slash menu only opens on the first line. */
	private inSlashContext(before: string): boolean {
		return this.host.cursor().line === 0 && before.trimStart().startsWith("/");
	}

	/** A command name is being typed: "/mo", not "/model cla". */
	inSlashNameContext(before = this.beforeCursor()): boolean {
		return this.inSlashContext(before) && !before.trimStart().includes(" ");
	}

	/** After a character was typed. */
	afterInsert(character: string): void {
		if (this.state) {
			this.update();
			return;
		}
		const before = this.beforeCursor();
		if (character === "/" && this.host.cursor().line === 0 && (before.trim() === "" || before.trim() === "/")) {
			this.request(false, false);
		} else if (this.triggers.includes(character)) {
			if (this.triggerPattern.test(before)) this.request(false, false);
		} else if (/[a-zA-Z0-9.\-_]/.test(character) || CJK_LETTER.test(character)) {
			if (this.inSlashContext(before) || this.triggerPattern.test(before)) this.request(false, false);
		}
	}

	/** After Backspace or Delete removed something. */
	afterDelete(): void {
		if (this.state) {
			this.update();
			return;
		}
		const before = this.beforeCursor();
		if (this.inSlashContext(before) || this.triggerPattern.test(before)) this.request(false, false);
	}

	/** After the cursor moved left or right: a list for the old position is stale. */
	afterMove(): void {
		if (this.state) this.update();
	}

	private update(): void {
		if (this.state) this.request(this.state === "force", false);
	}

	/** Tab with no list open: the command list on a command name, else path completion. */
	tab(): void {
		if (this.inSlashNameContext()) this.request(false, true);
		else this.request(true, true);
	}

	private request(force: boolean, explicitTab: boolean): void {
		const provider = this.provider;
		if (!provider) return;
		const { line, col } = this.host.cursor();
		if (
			force &&
			provider.shouldTriggerFileCompletion &&
			!provider.shouldTriggerFileCompletion(this.host.lines(), line, col)
		) {
			return;
		}
		this.requestId++;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.abort?.abort();
		const id = this.requestId;
		const debounce =
			!explicitTab && !force && this.debouncePattern.test(this.beforeCursor()) ? ATTACHMENT_DEBOUNCE_MS : 0;
		const run = () => {
			this.timer = undefined;
			this.pending = this.run(id, force, explicitTab);
		};
		if (debounce > 0) {
			this.pending = new Promise((resolve) => {
				this.timer = setTimeout(() => {
					run();
					void this.pending.then(resolve);
				}, debounce);
			});
		} else run();
	}

	/** Asks the provider; a synchronous answer is shown at once, a promised one when it arrives (if still current). */
	private run(id: number, force: boolean, explicitTab: boolean): Promise<void> {
		const provider = this.provider;
		if (!provider || id !== this.requestId) return Promise.resolve();
		const controller = new AbortController();
		this.abort = controller;
		const lines = this.host.lines();
		const { line, col } = this.host.cursor();
		const snapshot = this.snapshot();
		let answer: ReturnType<AutocompleteProvider["getSuggestions"]>;
		try {
			answer = provider.getSuggestions([...lines], line, col, { signal: controller.signal, force });
		} catch {
			answer = null;
		}
		const settle = (suggestions: AutocompleteSuggestions | null) => {
			if (controller.signal.aborted || id !== this.requestId || this.snapshot() !== snapshot) return;
			this.abort = undefined;
			this.show(provider, suggestions, force, explicitTab);
		};
		if (answer instanceof Promise) {
			return answer.then(settle, () => settle(null));
		}
		settle(answer);
		return Promise.resolve();
	}

	/** The text and cursor a list belongs to. */
	private snapshot(): string {
		const { line, col } = this.host.cursor();
		return `${this.host.lines().join("\n")}\0${line}\0${col}`;
	}

	private show(
		provider: AutocompleteProvider,
		suggestions: AutocompleteSuggestions | null,
		force: boolean,
		explicitTab: boolean,
	): void {
		if (!suggestions || suggestions.items.length === 0) {
			this.cancel();
			this.host.requestRender();
			return;
		}
		const { line, col } = this.host.cursor();
		if (force && explicitTab && suggestions.items.length === 1) {
			const item = suggestions.items[0];
			if (item) this.host.apply(provider.applyCompletion(this.host.lines(), line, col, item, suggestions.prefix));
			this.host.requestRender();
			return;
		}
		this.prefix = suggestions.prefix;
		this.listSnapshot = this.snapshot();
		this.list = new SelectList(
			suggestions.items,
			this.maxVisible,
			this.look,
			suggestions.prefix.startsWith("/") ? SLASH_COMMAND_LAYOUT : {},
		);
		// An exact match, else the first item starting with the prefix, is selected.
		const exact = suggestions.items.findIndex((item) => item.value === suggestions.prefix);
		const first = suggestions.prefix
			? suggestions.items.findIndex((item) => item.value.startsWith(suggestions.prefix))
			: -1;
		const best = exact >= 0 ? exact : first;
		if (best >= 0) this.list.setSelectedIndex(best);
		this.state = force ? "force" : "regular";
		this.host.requestRender();
	}

	/**
	 * Keys while the list is open: "handled", "submit" (Enter on a command name: the completed command is sent), or
	 * undefined when the key is not the list's.
	 */
	handleKey(data: string): "handled" | "submit" | undefined {
		const list = this.list;
		const provider = this.provider;
		if (!this.state || !list || !provider) return undefined;
		if (matchesKey(data, "escape")) {
			this.cancel();
			return "handled";
		}
		for (const step of ["up", "down", "pageUp", "pageDown"] as const) {
			if (matchesKey(data, step)) {
				list.move(step);
				return "handled";
			}
		}
		const tab = matchesKey(data, "tab");
		const enter = matchesKey(data, "enter");
		if (!tab && !enter) return undefined;
		// Typed faster than the suggestions came: this list is for older text and must not be applied.
		if (this.snapshot() !== this.listSnapshot) {
			this.cancel();
			return undefined;
		}
		const selected = list.getSelectedItem();
		if (!selected) return enter ? undefined : "handled";
		const submits = enter && this.prefix.startsWith("/") && this.inSlashNameContext();
		const { line, col } = this.host.cursor();
		const result = provider.applyCompletion(this.host.lines(), line, col, selected, this.prefix);
		this.cancel();
		this.host.apply(result);
		return submits ? "submit" : "handled";
	}

	/** The list's rows at the editor's content width, padded as the editor pads its lines. */
	render(contentWidth: number, leftPadding: string, rightPadding: string): string[] {
		if (!this.state || !this.list) return [];
		return this.list
			.render(contentWidth)
			.map(
				(line) => `${leftPadding}${line}${" ".repeat(Math.max(0, contentWidth - visibleWidth(line)))}${rightPadding}`,
			);
	}
}
