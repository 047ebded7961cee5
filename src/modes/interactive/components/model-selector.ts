/**
 * The /model selector as pi 1.6.0 lays it out: between borders, the scope line (all | scoped, Tab switches) or the
 * "configured providers" hint, the search input, ten rows of `→ ✓ id (name) [provider] · default`, the position,
 * the selected model's name, and the keys (Enter select · Ctrl+S set as default · Escape cancel). The current model
 * comes first, then the default one, then by provider; typing filters fuzzily ("default" finds the default model).
 */
import type { Model } from "../../../ai/types.ts";
import type { Component, Focusable } from "../../../tui/component.ts";
import { Input } from "../../../tui/components/input.ts";
import { fuzzyFilter } from "../../../tui/fuzzy.ts";
import { wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { activeKeybindings, capitalizeKeys, type KeybindingId } from "../keybindings.ts";
import { fg } from "../style.ts";

const MAX_VISIBLE = 10;

export interface ModelSelectorOptions {
	current: Model | undefined;
	/** Models with credentials. */
	available: readonly Model[];
	/** `--models` / enabledModels: the "scoped" list Tab switches to. */
	scoped: readonly Model[];
	defaultModel?: { provider: string; id: string };
	initialSearch?: string;
	onSelect(model: Model): void;
	/** Ctrl+S: select and save as the default model. */
	onSelectAsDefault(model: Model): void;
	onCancel(): void;
}

const same = (a: Model | undefined, b: Model | undefined) => !!a && !!b && a.provider === b.provider && a.id === b.id;

const words = (value: string) =>
	value
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);

/** pi's getDistinctModelName: the name only when it says more than the id. */
export function distinctModelName(id: string, name: string | undefined): string | undefined {
	const trimmed = name?.trim();
	if (!trimmed) return undefined;
	const idWords = words(id);
	const tokens = new Set(idWords);
	const compact = idWords.join("");
	const covered = (word: string) => tokens.has(word) || (word.length > 1 && compact.includes(word));
	return words(trimmed).every(covered) ? undefined : trimmed;
}

export class ModelSelector implements Component, Focusable {
	private readonly input = new Input();
	private scope: "all" | "scoped";
	private readonly all: Model[];
	private filtered: Model[];
	private selected = 0;
	private _focused = false;

	constructor(private readonly options: ModelSelectorOptions) {
		this.scope = options.scoped.length > 0 ? "scoped" : "all";
		this.all = this.sorted(options.available);
		this.filtered = this.active();
		const current = this.filtered.findIndex((model) => same(model, options.current));
		this.selected = Math.max(0, current);
		if (options.initialSearch) {
			this.input.setValue(options.initialSearch);
			this.filter(options.initialSearch);
		}
	}

	get focused(): boolean {
		return this._focused;
	}

	set focused(value: boolean) {
		this._focused = value;
		this.input.focused = value;
	}

	private isDefault(model: Model): boolean {
		const preset = this.options.defaultModel;
		return preset?.provider === model.provider && preset.id === model.id;
	}

	private sorted(models: readonly Model[]): Model[] {
		const rank = (model: Model) => (same(model, this.options.current) ? 0 : this.isDefault(model) ? 1 : 2);
		return [...models].sort((a, b) => rank(a) - rank(b) || a.provider.localeCompare(b.provider));
	}

	private active(): Model[] {
		return this.scope === "scoped" ? [...this.options.scoped] : this.all;
	}

	private filter(query: string): void {
		const models = this.active();
		if (!query) {
			this.filtered = models;
			this.selected = Math.min(this.selected, Math.max(0, models.length - 1));
			return;
		}
		const found = fuzzyFilter(
			models,
			query,
			(model) =>
				`${model.provider} ${model.provider}/${model.id} ${model.provider} ${model.id}${model.name ? ` ${model.name}` : ""}${this.isDefault(model) ? " default" : ""}`,
		);
		const normalized = query.trim().toLowerCase();
		if (normalized.length > 0 && "default".startsWith(normalized)) {
			const defaults = models.filter((model) => this.isDefault(model));
			this.filtered = [...defaults, ...found.filter((model) => !this.isDefault(model))];
		} else this.filtered = found;
		this.selected = 0;
	}

	handleInput(data: string): void {
		const kb = activeKeybindings();
		const is = (id: KeybindingId) => kb.matches(data, id);
		const count = this.filtered.length;
		if (is("tui.input.tab")) {
			if (this.options.scoped.length === 0) return;
			this.scope = this.scope === "all" ? "scoped" : "all";
			const current = this.active().findIndex((model) => same(model, this.options.current));
			this.selected = Math.max(0, current);
			this.filter(this.input.getValue());
		} else if (is("tui.select.up")) {
			if (count > 0) this.selected = this.selected === 0 ? count - 1 : this.selected - 1;
		} else if (is("tui.select.down")) {
			if (count > 0) this.selected = this.selected === count - 1 ? 0 : this.selected + 1;
		} else if (is("tui.select.pageUp") || is("tui.select.pageDown")) {
			if (count > 0) {
				const step = is("tui.select.pageUp") ? -MAX_VISIBLE : MAX_VISIBLE;
				this.selected = Math.max(0, Math.min(count - 1, this.selected + step));
			}
		} else if (is("tui.select.confirm")) {
			const model = this.filtered[this.selected];
			if (model) this.options.onSelect(model);
		} else if (is("tui.select.cancel")) this.options.onCancel();
		else if (is("app.models.save")) {
			const model = this.filtered[this.selected];
			if (model) this.options.onSelectAsDefault(model);
		} else {
			const before = this.input.getValue();
			this.input.handleInput(data);
			const query = this.input.getValue();
			if (query !== before) this.filter(query);
		}
	}

	render(width: number): string[] {
		const kb = activeKeybindings();
		const text = (line: string) => wrapTextWithAnsi(line, Math.max(1, width));
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const lines = [border, ""];
		if (this.options.scoped.length > 0) {
			const scope = (name: "all" | "scoped") => fg(this.scope === name ? "accent" : "muted", name);
			lines.push(...text(`${fg("muted", "Scope: ")}${scope("all")}${fg("muted", " | ")}${scope("scoped")}`));
			const tab = kb.keyText("tui.input.tab");
			lines.push(...text(`${fg("dim", tab)}${fg("muted", " scope")}${fg("muted", " (all/scoped)")}`));
		} else {
			lines.push(...text(fg("warning", "Only showing models from configured providers. Use /login to add providers.")));
		}
		lines.push("", ...this.input.render(width), "");
		lines.push(...this.renderList(text));
		lines.push("");
		const display = (id: KeybindingId) => capitalizeKeys(kb.keyText(id));
		lines.push(
			...text(
				fg(
					"dim",
					`  ${display("tui.select.confirm")} to select · ${display("app.models.save")} to set as default · ${display("tui.select.cancel")} to cancel`,
				),
			),
		);
		lines.push(border);
		return lines;
	}

	private renderList(text: (line: string) => string[]): string[] {
		const lines: string[] = [];
		const count = this.filtered.length;
		const start = Math.max(0, Math.min(this.selected - Math.floor(MAX_VISIBLE / 2), count - MAX_VISIBLE));
		const end = Math.min(start + MAX_VISIBLE, count);
		for (let i = start; i < end; i++) {
			const model = this.filtered[i];
			if (!model) continue;
			const selected = i === this.selected;
			const cursor = selected ? fg("accent", "→ ") : "  ";
			const current = same(model, this.options.current) ? fg("accent", "✓ ") : "  ";
			const id = selected ? fg("accent", model.id) : model.id;
			const name = distinctModelName(model.id, model.name);
			const nameText = name ? fg("muted", ` (${name})`) : "";
			const badge = this.isDefault(model) ? fg("muted", " · default") : "";
			lines.push(...text(`${cursor}${current}${id}${nameText} ${fg("muted", `[${model.provider}]`)}${badge}`));
		}
		if (start > 0 || end < count) lines.push(...text(fg("muted", `  (${this.selected + 1}/${count})`)));
		const chosen = this.filtered[this.selected];
		if (count === 0 || !chosen) lines.push(...text(fg("muted", "  No matching models")));
		else lines.push("", ...text(fg("muted", `  Model Name: ${chosen.name}`)));
		return lines;
	}
}
