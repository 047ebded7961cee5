/** Startup header: logo, key hints (compact, or the full list after Ctrl+O) and the onboarding line. */
import { VERSION } from "../../../version.ts";
import { bold, fg } from "../style.ts";
import { TextBlock, type UiComponent } from "./primitives.ts";

function hint(key: string, description: string): string {
	return fg("dim", key) + fg("muted", ` ${description}`);
}

const FULL_HINTS: [string, string][] = [
	["escape", "to interrupt"],
	["ctrl+c", "to clear"],
	["ctrl+c twice", "to exit"],
	["ctrl+d", "to exit (empty)"],
	["ctrl+z", "to suspend"],
	["ctrl+k", "to delete to end"],
	["shift+tab", "to cycle thinking level"],
	["ctrl+p/shift+ctrl+p", "to cycle models"],
	["ctrl+l", "to select model"],
	["ctrl+o", "to expand tools"],
	["ctrl+t", "to expand thinking"],
	["ctrl+g", "for external editor"],
	["/", "for commands"],
	["!", "to run bash"],
	["!!", "to run bash (no context)"],
	["alt+enter", "to queue follow-up"],
	["alt+up", "to edit all queued messages"],
	["ctrl+v", "to paste image"],
	["drop files", "to attach"],
];

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

	private update(): void {
		const logo = bold(fg("accent", "pi")) + fg("dim", ` v${VERSION}`);
		const onboarding = fg(
			"dim",
			"Pi can explain its own features and look up its docs. Ask it how to use or extend Pi.",
		);
		if (this.expanded) {
			const hints = FULL_HINTS.map(([key, description]) => hint(key, description)).join("\n");
			this.text.setText(`${logo}\n${hints}\n\n${onboarding}`);
			return;
		}
		const compact = [
			hint("escape", "interrupt"),
			hint("ctrl+c/ctrl+d", "clear/exit"),
			hint("/", "commands"),
			hint("!", "bash"),
			hint("ctrl+o", "more"),
		].join(fg("muted", " · "));
		const more = fg("dim", "Press ctrl+o to show full startup help and loaded resources.");
		this.text.setText(`${logo}\n${compact}\n${more}\n\n${onboarding}`);
	}

	render(width: number): string[] {
		return ["", ...this.text.render(width), ""];
	}
}
