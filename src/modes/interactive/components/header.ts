/** Startup header: logo, key hints (compact, or the full list after Ctrl+O) and the onboarding line. */
import { VERSION } from "../../../version.ts";
import { activeKeybindings, type KeybindingId } from "../keybindings.ts";
import { bold, fg } from "../style.ts";
import { TextBlock, type UiComponent } from "./primitives.ts";

function hint(key: string, description: string): string {
	return fg("dim", key) + fg("muted", ` ${description}`);
}

/** pi's expanded startup help; keys come from the keybinding table so user overrides show. */
function fullHints(k: (id: KeybindingId) => string): [string, string][] {
	return [
		[k("app.interrupt"), "to interrupt"],
		[k("app.clear"), "to clear"],
		[`${k("app.clear")} twice`, "to exit"],
		[k("app.exit"), "to exit (empty)"],
		[k("app.suspend"), "to suspend"],
		[k("tui.editor.deleteToLineEnd"), "to delete to end"],
		[k("app.thinking.cycle"), "to cycle thinking level"],
		[`${k("app.model.cycleForward")}/${k("app.model.cycleBackward")}`, "to cycle models"],
		[k("app.model.select"), "to select model"],
		[k("app.tools.expand"), "to expand tools"],
		[k("app.thinking.toggle"), "to expand thinking"],
		[k("app.editor.external"), "for external editor"],
		["/", "for commands"],
		["!", "to run bash"],
		["!!", "to run bash (no context)"],
		[k("app.message.followUp"), "to queue follow-up"],
		[k("app.message.dequeue"), "to edit all queued messages"],
		[k("app.clipboard.pasteImage"), "to paste image"],
		["drop files", "to attach"],
	];
}

export class HeaderView implements UiComponent {
	private readonly text = new TextBlock("", 1, 0);
	private expanded = false;

	constructor() {
		this.update();
	}

	setExpanded(expanded: boolean): void {
		this.expanded = expanded;
		this.update();
	}

	/** Re-reads the key hints (after /reload changed the keybindings or the theme). */
	refresh(): void {
		this.update();
	}

	private update(): void {
		const logo = bold(fg("accent", "pi")) + fg("dim", ` v${VERSION}`);
		const onboarding = fg(
			"dim",
			"Pi can explain its own features and look up its docs. Ask it how to use or extend Pi.",
		);
		const kb = activeKeybindings();
		const k = (id: KeybindingId) => kb.keyText(id);
		if (this.expanded) {
			const hints = fullHints(k)
				.map(([key, description]) => hint(key, description))
				.join("\n");
			this.text.setText(`${logo}\n${hints}\n\n${onboarding}`);
			return;
		}
		const compact = [
			hint(k("app.interrupt"), "interrupt"),
			hint(`${k("app.clear")}/${k("app.exit")}`, "clear/exit"),
			hint("/", "commands"),
			hint("!", "bash"),
			hint(k("app.tools.expand"), "more"),
		].join(fg("muted", " · "));
		const more = fg("dim", `Press ${k("app.tools.expand")} to show full startup help and loaded resources.`);
		this.text.setText(`${logo}\n${compact}\n${more}\n\n${onboarding}`);
	}

	render(width: number): string[] {
		return ["", ...this.text.render(width), ""];
	}
}
