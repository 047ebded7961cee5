/**
 * pi 1.6.0's project-trust dialogs: the startup prompt ("Trust project folder?", shown before the project's
 * resources load) and `/trust` ("Project trust", with the saved decision and a ✓ on it). Both are a bordered list
 * of config/project-trust.ts's options; ↑/↓ (or k/j) move, Enter chooses, Escape / Ctrl+C cancel.
 */
import type { SavedTrustDecision, TrustOption } from "../../../config/project-trust.ts";
import { truncateToWidth, wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { activeKeybindings, type KeybindingId } from "../keybindings.ts";
import { bold, fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

export interface TrustDialogOptions {
	/** Header lines: the prompt's title (all bold), or /trust's title, folder and saved state. */
	header: (width: number) => string[];
	options: TrustOption[];
	initialIndex?: number;
	/** Options marked with ✓ (the saved decision, in /trust). */
	isMarked?: (option: TrustOption) => boolean;
	/** The Enter hint: "select" at startup, "save" in /trust. */
	confirmLabel: string;
	onSelect: (option: TrustOption) => void;
	onCancel: () => void;
}

function hint(key: string, description: string): string {
	return fg("dim", `${key} ${description}`);
}

export class TrustDialog implements UiComponent {
	private selected: number;

	constructor(private readonly options: TrustDialogOptions) {
		this.selected = Math.min(Math.max(0, options.initialIndex ?? 0), options.options.length - 1);
	}

	handleInput(data: string): void {
		const kb = activeKeybindings();
		const is = (id: KeybindingId) => kb.matches(data, id);
		if (is("tui.select.up") || data === "k") this.selected = Math.max(0, this.selected - 1);
		else if (is("tui.select.down") || data === "j") {
			this.selected = Math.min(this.options.options.length - 1, this.selected + 1);
		} else if (is("tui.select.confirm") || data === "\n") {
			const option = this.options.options[this.selected];
			if (option) this.options.onSelect(option);
		} else if (is("tui.select.cancel")) this.options.onCancel();
	}

	render(width: number): string[] {
		const kb = activeKeybindings();
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const rows = this.options.options.map((option, index) => {
			const isSelected = index === this.selected;
			const marker = this.options.isMarked ? (this.options.isMarked(option) ? fg("accent", "✓ ") : "  ") : "";
			const prefix = isSelected ? fg("accent", "→ ") : "  ";
			const label = isSelected ? fg("accent", option.label) : fg("text", option.label);
			return ` ${prefix}${marker}${label}`;
		});
		const hints = [
			hint("↑↓", "navigate"),
			hint(kb.keyText("tui.select.confirm"), this.options.confirmLabel),
			hint(kb.keyText("tui.select.cancel"), "cancel"),
		].join("  ");
		return [border, "", ...this.options.header(width), "", ...rows, "", ` ${hints}`, "", border].map((line) =>
			truncateToWidth(line, width, "…"),
		);
	}
}

/** Text wrapped inside pi's one-column padding, each line styled by `style`. */
function padded(text: string, width: number, style: (line: string) => string): string[] {
	return text
		.split("\n")
		.flatMap((line) => (line === "" ? [""] : wrapTextWithAnsi(line, Math.max(1, width - 2))))
		.map((line) => (line === "" ? "" : ` ${style(line)}`));
}

/** The startup prompt: pi's multi-line title in bold accent. */
export function trustPromptDialog(
	title: string,
	options: TrustOption[],
	onSelect: (option: TrustOption) => void,
	onCancel: () => void,
): TrustDialog {
	return new TrustDialog({
		header: (width) => padded(title, width, (line) => fg("accent", bold(line))),
		options,
		confirmLabel: "select",
		onSelect,
		onCancel,
	});
}

function describeSaved(ownPath: string | undefined, saved: SavedTrustDecision | null): string {
	if (!saved) return "none";
	const label = saved.trusted ? "trusted" : "untrusted";
	return ownPath !== undefined && saved.path !== ownPath
		? `${label} (inherited from ${saved.path})`
		: `${label} (${saved.path})`;
}

/** `/trust`: the saved decision is preselected and ticked. */
export function trustSettingsDialog(options: {
	cwd: string;
	saved: SavedTrustDecision | null;
	sessionTrusted: boolean;
	choices: TrustOption[];
	onSelect: (option: TrustOption) => void;
	onCancel: () => void;
}): TrustDialog {
	const isSaved = (option: TrustOption) =>
		option.savedPath !== undefined &&
		options.saved?.trusted === option.trusted &&
		options.saved.path === option.savedPath;
	const savedText = `Saved decision: ${describeSaved(options.choices[0]?.savedPath, options.saved)}`;
	const sessionText = `Current session: ${options.sessionTrusted ? "trusted" : "untrusted"}`;
	return new TrustDialog({
		header: (width) => [
			` ${fg("accent", bold("Project trust"))}`,
			...padded(options.cwd, width, (line) => fg("muted", line)),
			"",
			...padded(savedText, width, (line) => fg("muted", line)),
			...padded(sessionText, width, (line) => fg("muted", line)),
		],
		options: options.choices,
		initialIndex: Math.max(0, options.choices.findIndex(isSaved)),
		isMarked: isSaved,
		confirmLabel: "save",
		onSelect: options.onSelect,
		onCancel: options.onCancel,
	});
}
