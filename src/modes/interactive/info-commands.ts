/**
 * Commands that only show or copy something and change nothing: /session (statistics), /hotkeys (the active key
 * table), /copy (the last answer to the system clipboard), /changelog and What's New, and /debug (a dump of what
 * is on screen and the session's messages to pi-debug.log).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { agentPaths } from "../../config/paths.ts";
import { visibleWidth } from "../../tui/text-utils.ts";
import { VERSION } from "../../version.ts";
import { fullChangelog, whatsNew } from "./changelog.ts";
import { markdownLines } from "./components/markdown-lines.ts";
import { RenderCache, type UiComponent } from "./components/primitives.ts";
import { hotkeysMarkdown } from "./hotkeys.ts";
import { bold, fg } from "./style.ts";
import type { InteractiveUi } from "./ui-host.ts";

class MarkdownBlock implements UiComponent {
	private readonly cache = new RenderCache();
	constructor(
		private readonly text: string,
		/** Blank rows above and below the text. */
		private readonly padY = 0,
	) {}
	invalidate(): void {
		this.cache.clear();
	}
	render(width: number): string[] {
		const pad = Array.from({ length: this.padY }, () => "");
		return this.cache.get(width, () => [
			"",
			...pad,
			...markdownLines(this.text, Math.max(1, width - 2)).map((line) => ` ${line}`),
			...pad,
		]);
	}
}

const border = (width: number) => fg("border", "─".repeat(Math.max(1, width)));

/** A titled markdown section between borders (/hotkeys, /changelog, What's New). */
function borderedSection(title: string, text: MarkdownBlock, blankBeforeBorder: boolean): UiComponent {
	return {
		render: (width) => [
			"",
			border(width),
			` ${bold(fg("accent", title))}`,
			...text.render(width),
			...(blankBeforeBorder ? [""] : []),
			border(width),
		],
		invalidate: () => text.invalidate(),
	};
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
		this.ui.addToChat(
			borderedSection("Keyboard Shortcuts", new MarkdownBlock(hotkeysMarkdown(this.ui.keybindings)), true),
		);
	}

	/** /changelog: every entry of our CHANGELOG.md, oldest first, under "What's New" (as pi). */
	showChangelog(): void {
		this.ui.addToChat(borderedSection("What's New", new MarkdownBlock(fullChangelog(), 1), false));
	}

	/**
	 * At startup of a new session after an update: the entries since the version last seen, between borders (one
	 * line with collapseChangelog). The version is recorded; a fresh install shows nothing.
	 */
	showWhatsNewIfUpdated(): void {
		const settings = this.ui.session.settings;
		const markdown = whatsNew(
			{
				get: () => settings.settings.lastChangelogVersion,
				set: (version) => settings.set("lastChangelogVersion", version),
			},
			VERSION,
			this.ui.session.messages.some((message) => message.role !== "system"),
		);
		if (!markdown) return;
		if (settings.settings.collapseChangelog) {
			const latest = markdown.match(/##\s+\[?(\d+\.\d+\.\d+)\]?/)?.[1] ?? VERSION;
			const line = `Updated to v${latest}. Use ${bold("/changelog")} to view full changelog.`;
			this.ui.addToChat({ render: (width) => ["", border(width), ` ${line}`, border(width)] });
			return;
		}
		this.ui.addToChat(borderedSection("What's New", new MarkdownBlock(markdown), true));
	}

	/** /debug (pi): every line on screen with its width, and the session's messages as JSON lines, to pi-debug.log. */
	writeDebugLog(): void {
		const width = this.ui.terminalColumns;
		const lines = this.ui.renderedLines(width);
		const path = agentPaths.debugLog();
		const dump = [
			`Debug output at ${new Date().toISOString()}`,
			`Terminal: ${width}x${this.ui.terminalRows}`,
			`Total lines: ${lines.length}`,
			"",
			"=== All rendered lines with visible widths ===",
			...lines.map((line, index) => `[${index}] (w=${visibleWidth(line)}) ${JSON.stringify(line)}`),
			"",
			"=== Agent messages (JSONL) ===",
			...this.ui.session.messages.map((message) => JSON.stringify(message)),
			"",
		].join("\n");
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, dump);
		this.ui.showInfo(`${fg("accent", "✓ Debug log written")}\n${fg("muted", path)}`);
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
