/**
 * Commands that only show or copy something and change nothing: /session (statistics), /hotkeys (the active key
 * table) and /copy (the last answer to the system clipboard).
 */
import { markdownLines } from "./components/markdown-lines.ts";
import { RenderCache, type UiComponent } from "./components/primitives.ts";
import { hotkeysMarkdown } from "./hotkeys.ts";
import { bold, fg } from "./style.ts";
import type { InteractiveUi } from "./ui-host.ts";

class MarkdownBlock implements UiComponent {
	private readonly cache = new RenderCache();
	constructor(private readonly text: string) {}
	invalidate(): void {
		this.cache.clear();
	}
	render(width: number): string[] {
		return this.cache.get(width, () => [
			"",
			...markdownLines(this.text, Math.max(1, width - 2)).map((line) => ` ${line}`),
		]);
	}
}

export class InfoCommands {
	constructor(private readonly ui: InteractiveUi) {}

	/** /copy */
	async copyLastAnswer(): Promise<void> {
		const last = this.ui.session.getLastAssistantText();
		if (!last) this.ui.showError("No agent messages to copy yet.");
		else {
			await this.ui.copyToClipboard(last);
			this.ui.showStatus("Copied last agent message to clipboard");
		}
	}

	/** /hotkeys: drawn from the active keybindings, so remapped keys show as remapped. */
	showHotkeys(): void {
		const border = (width: number) => fg("border", "─".repeat(Math.max(1, width)));
		const table = new MarkdownBlock(hotkeysMarkdown(this.ui.keybindings));
		this.ui.addToChat({
			render: (width) => [
				"",
				border(width),
				` ${bold(fg("accent", "Keyboard Shortcuts"))}`,
				...table.render(width),
				"",
				border(width),
			],
			invalidate: () => table.invalidate(),
		});
	}

	/** /session: file, id, message counts, tokens and cost (cache and cost lines only when non-zero, as pi). */
	showSessionInfo(): void {
		const session = this.ui.session;
		const stats = session.getSessionStats();
		const lines = [
			bold("Session Info"),
			"",
			...(session.sessionName ? [`${fg("dim", "Name:")} ${session.sessionName}`] : []),
			`${fg("dim", "File:")} ${stats.sessionFile ?? "In-memory"}`,
			`${fg("dim", "ID:")} ${stats.sessionId}`,
			"",
			bold("Messages"),
			`${fg("dim", "User:")} ${stats.userMessages}`,
			`${fg("dim", "Assistant:")} ${stats.assistantMessages}`,
			`${fg("dim", "Tool Calls:")} ${stats.toolCalls}`,
			`${fg("dim", "Tool Results:")} ${stats.toolResults}`,
			`${fg("dim", "Total:")} ${stats.totalMessages}`,
			"",
			bold("Tokens"),
			`${fg("dim", "Input:")} ${stats.tokens.input.toLocaleString("en-US")}`,
			`${fg("dim", "Output:")} ${stats.tokens.output.toLocaleString("en-US")}`,
			...(stats.tokens.cacheRead
				? [`${fg("dim", "Cache Read:")} ${stats.tokens.cacheRead.toLocaleString("en-US")}`]
				: []),
			...(stats.tokens.cacheWrite
				? [`${fg("dim", "Cache Write:")} ${stats.tokens.cacheWrite.toLocaleString("en-US")}`]
				: []),
			`${fg("dim", "Total:")} ${stats.tokens.total.toLocaleString("en-US")}`,
			...(stats.cost > 0 ? ["", bold("Cost"), `${fg("dim", "Total:")} ${stats.cost.toFixed(4)}`] : []),
		];
		this.ui.showInfo(lines.join("\n"));
	}
}
