/**
 * /scoped-models (pi 0.73.1): choose which models Ctrl+P cycles through. Enter toggles a model, Ctrl+A enables
 * all, Ctrl+X clears, Ctrl+P toggles the selected model's provider, Alt+↑/↓ reorder, Ctrl+S saves the list to
 * settings `enabledModels` as `provider/id` entries (all enabled = the setting removed).
 */
import { resolveModelScope } from "../../ai/model-resolver.ts";
import type { Model } from "../../ai/types.ts";
import type { Focusable } from "../../tui/component.ts";
import { Input } from "../../tui/components/input.ts";
import { truncateToWidth } from "../../tui/text-utils.ts";
import type { UiComponent } from "./components/primitives.ts";
import { activeKeybindings, type KeybindingId } from "./keybindings.ts";
import { visibleWindow } from "./selector-height.ts";
import { bold, fg } from "./style.ts";
import type { InteractiveUi } from "./ui-host.ts";

const fullId = (model: Model) => `${model.provider}/${model.id}`;

/** null means every model is enabled (no filter). */
export type EnabledIds = string[] | null;

export interface ScopedModelsOptions {
	models: Model[];
	enabled: EnabledIds;
	onSave: (enabled: EnabledIds) => void;
	onCancel: () => void;
	maxVisible?: number;
}

class ScopedModelsSelector implements UiComponent, Focusable {
	private enabled: EnabledIds;
	private readonly search = new Input("");
	private selected = 0;
	private dirty = false;
	private readonly byId: Map<string, Model>;
	private readonly allIds: string[];

	constructor(private readonly options: ScopedModelsOptions) {
		this.enabled = options.enabled === null ? null : [...options.enabled];
		this.byId = new Map(options.models.map((model) => [fullId(model), model]));
		this.allIds = options.models.map(fullId);
	}

	get focused(): boolean {
		return this.search.focused;
	}

	set focused(value: boolean) {
		this.search.focused = value;
	}

	get enabledIds(): EnabledIds {
		return this.enabled === null ? null : [...this.enabled];
	}

	private isEnabled(id: string): boolean {
		return this.enabled === null || this.enabled.includes(id);
	}

	/** Enabled models first, in their order; then the rest. */
	private items(): { id: string; model: Model }[] {
		const order =
			this.enabled === null
				? this.allIds
				: [...this.enabled, ...this.allIds.filter((id) => !this.enabled?.includes(id))];
		const query = this.search.getValue().toLowerCase().trim();
		return order.flatMap((id) => {
			const model = this.byId.get(id);
			if (!model) return [];
			if (query && !query.split(/\s+/).every((word) => `${model.id} ${model.provider}`.toLowerCase().includes(word))) {
				return [];
			}
			return [{ id, model }];
		});
	}

	private setEnabled(next: EnabledIds): void {
		// Every model enabled is the same as no filter.
		this.enabled = next !== null && next.length === this.allIds.length ? null : next;
		this.dirty = true;
	}

	private enableAll(targets: string[]): void {
		if (this.enabled === null) return;
		const next = [...this.enabled];
		for (const id of targets) if (!next.includes(id)) next.push(id);
		this.setEnabled(next);
	}

	private clear(targets: string[]): void {
		const current = this.enabled ?? [...this.allIds];
		this.setEnabled(current.filter((id) => !targets.includes(id)));
	}

	handleInput(data: string): void {
		const kb = activeKeybindings();
		const on = (id: KeybindingId) => kb.matches(data, id);
		const items = this.items();
		const item = items[this.selected];
		if (on("tui.select.up")) this.selected = items.length ? (this.selected - 1 + items.length) % items.length : 0;
		else if (on("tui.select.down")) this.selected = items.length ? (this.selected + 1) % items.length : 0;
		else if (on("app.models.reorderUp") || on("app.models.reorderDown")) {
			if (!item || this.enabled === null || !this.enabled.includes(item.id)) return;
			const list = [...this.enabled];
			const from = list.indexOf(item.id);
			const to = from + (on("app.models.reorderUp") ? -1 : 1);
			if (to < 0 || to >= list.length) return;
			list.splice(from, 1);
			list.splice(to, 0, item.id);
			this.setEnabled(list);
			this.selected = Math.max(0, Math.min(items.length - 1, this.selected + (to - from)));
		} else if (on("tui.select.confirm")) {
			if (!item) return;
			if (this.enabled === null) this.setEnabled([item.id]);
			else if (this.enabled.includes(item.id)) this.setEnabled(this.enabled.filter((id) => id !== item.id));
			else this.setEnabled([...this.enabled, item.id]);
		} else if (on("app.models.enableAll"))
			this.enableAll(this.search.getValue() ? items.map((i) => i.id) : this.allIds);
		else if (on("app.models.clearAll")) this.clear(this.search.getValue() ? items.map((i) => i.id) : this.allIds);
		else if (on("app.models.toggleProvider")) {
			if (!item) return;
			const ids = this.allIds.filter((id) => this.byId.get(id)?.provider === item.model.provider);
			if (ids.every((id) => this.isEnabled(id))) this.clear(ids);
			else this.enableAll(ids);
		} else if (on("app.models.save")) {
			this.options.onSave(this.enabledIds);
			this.dirty = false;
		} else if (kb.matches(data, "tui.select.cancel")) {
			// Ctrl+C clears a search before it closes the list.
			if (data === "\x03" && this.search.getValue()) this.search.setValue("");
			else this.options.onCancel();
		} else {
			this.search.handleInput(data);
			this.selected = 0;
		}
	}

	render(width: number): string[] {
		const kb = activeKeybindings();
		const key = (id: KeybindingId) => kb.keyText(id);
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const lines = [
			border,
			fg("accent", bold("Model Configuration")),
			fg("muted", `Session-only. ${key("app.models.save")} to save to settings.`),
			"",
			...this.search.render(width),
			"",
		];
		const items = this.items();
		const maxVisible = this.options.maxVisible ?? 10;
		if (items.length === 0) lines.push(fg("muted", "  No matching models"));
		const { start, end } = visibleWindow(this.selected, items.length, maxVisible);
		for (let i = start; i < end; i++) {
			const entry = items[i];
			if (!entry) continue;
			const selected = i === this.selected;
			const status = this.enabled === null ? "" : this.isEnabled(entry.id) ? fg("success", " ✓") : fg("dim", " ✗");
			lines.push(
				`${selected ? fg("accent", "→ ") : "  "}${selected ? fg("accent", entry.model.id) : entry.model.id}${fg("muted", ` [${entry.model.provider}]`)}${status}`,
			);
		}
		if (start > 0 || end < items.length) lines.push(fg("muted", `  (${this.selected + 1}/${items.length})`));
		const current = items[this.selected];
		if (current) lines.push("", fg("muted", `  Model Name: ${current.model.name}`));
		const count = this.enabled === null ? "all enabled" : `${this.enabled.length}/${this.allIds.length} enabled`;
		const parts = [
			`${key("tui.select.confirm")} toggle`,
			`${key("app.models.enableAll")} all`,
			`${key("app.models.clearAll")} clear`,
			`${key("app.models.toggleProvider")} provider`,
			`${key("app.models.reorderUp")}/${key("app.models.reorderDown")} reorder`,
			`${key("app.models.save")} save`,
			count,
		];
		lines.push(
			"",
			fg("dim", `  ${parts.join(" · ")}${this.dirty ? " " : ""}`) + (this.dirty ? fg("warning", "(unsaved)") : ""),
		);
		lines.push(border);
		return lines.map((line) => truncateToWidth(line, width, "…"));
	}
}

/** Opens the selector with the session's scope, else the saved `enabledModels` patterns, else all models. */
export async function openScopedModels(ui: InteractiveUi): Promise<void> {
	const session = ui.session;
	session.modelRegistry.refresh();
	const models = await session.modelRegistry.getAvailable();
	if (models.length === 0) {
		ui.showStatus("No models available");
		return;
	}
	let enabled: EnabledIds = null;
	const scoped = session.getScopedModels();
	if (scoped.length > 0) enabled = scoped.map((entry) => fullId(entry.model));
	else {
		const patterns = session.settings.settings.enabledModels;
		if (patterns && patterns.length > 0) {
			enabled = (await resolveModelScope([...patterns], session.modelRegistry)).models.map((entry) =>
				fullId(entry.model),
			);
		}
	}
	const close = ui.dialogs.show(
		new ScopedModelsSelector({
			models,
			enabled,
			maxVisible: Math.max(5, Math.floor(ui.terminalRows / 2) - 8),
			onSave: (ids) => {
				const all = ids === null || ids.length === models.length;
				session.settings.set("enabledModels", all ? undefined : ids);
				// The running session cycles through the new selection at once (Ctrl+P).
				const chosen = new Set(all ? [] : ids);
				session.setScopedModels(models.filter((model) => chosen.has(fullId(model))).map((model) => ({ model })));
				ui.showStatus("Model selection saved to settings");
			},
			onCancel: () => close(),
		}),
	);
}
