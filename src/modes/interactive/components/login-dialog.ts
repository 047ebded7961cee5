/**
 * The dialog that replaces the editor during /login (pi 0.73.1): the sign-in URL, instructions, progress lines
 * and a one-line input for what the provider asks (a pasted code, or an API key shown masked). Escape cancels;
 * pending prompts then fail with "Login cancelled".
 */
import { CURSOR_MARKER, type Focusable } from "../../../tui/component.ts";
import { Input } from "../../../tui/components/input.ts";
import { truncateToWidth, wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { activeKeybindings } from "../keybindings.ts";
import { bold, fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

export class LoginCancelledError extends Error {
	constructor() {
		super("Login cancelled");
	}
}

function hint(key: string, text: string): string {
	return fg("dim", key) + fg("muted", ` ${text}`);
}

export class LoginDialog implements UiComponent, Focusable {
	private readonly abort = new AbortController();
	private lines: string[] = [];
	private readonly input = new Input("");
	private prompt: { resolve: (value: string) => void; reject: (error: Error) => void; masked: boolean } | undefined;
	private isFocused = false;

	constructor(
		private readonly title: string,
		private readonly requestRender: () => void,
		private readonly onCancel: () => void = () => {},
	) {
		this.input.onSubmit = (value) => {
			const pending = this.prompt;
			this.prompt = undefined;
			pending?.resolve(value);
			this.requestRender();
		};
	}

	get signal(): AbortSignal {
		return this.abort.signal;
	}

	get focused(): boolean {
		return this.isFocused;
	}

	set focused(value: boolean) {
		this.isFocused = value;
		this.input.focused = value;
	}

	/** The sign-in URL as a terminal hyperlink, and instructions such as a device code. */
	showAuth(url: string, instructions?: string): void {
		const clickHint = process.platform === "darwin" ? "Cmd+click to open" : "Ctrl+click to open";
		this.lines = [
			"",
			fg("accent", `\x1b]8;;${url}\x07${url}\x1b]8;;\x07`),
			fg("dim", `\x1b]8;;${url}\x07${clickHint}\x1b]8;;\x07`),
		];
		if (instructions) this.lines.push("", fg("warning", instructions));
		this.requestRender();
	}

	/** A provider's note, with links shown as terminal hyperlinks (a login flow's info notice). */
	showInfo(message: string, links: readonly { label?: string; url: string }[] = []): void {
		this.lines.push("", fg("text", message));
		for (const link of links) {
			const text = link.label ? `${link.label}: ${link.url}` : link.url;
			this.lines.push(fg("accent", `\x1b]8;;${link.url}\x07${text}\x1b]8;;\x07`));
		}
		this.requestRender();
	}

	showProgress(message: string): void {
		this.lines.push(fg("dim", message));
		this.requestRender();
	}

	/** Asks for one line; `masked` shows `*` for each character (API keys). */
	ask(message: string, options: { masked?: boolean } = {}): Promise<string> {
		this.prompt?.reject(new Error("Prompt replaced"));
		this.lines.push("", message);
		this.input.setValue("");
		this.requestRender();
		return new Promise((resolve, reject) => {
			this.prompt = { resolve, reject, masked: options.masked ?? false };
		});
	}

	/** Whether a prompt is open (the OAuth flow may finish through the browser first and close it). */
	get isAsking(): boolean {
		return this.prompt !== undefined;
	}

	closePrompt(): void {
		this.prompt = undefined;
		this.requestRender();
	}

	cancel(): void {
		this.abort.abort();
		const pending = this.prompt;
		this.prompt = undefined;
		pending?.reject(new LoginCancelledError());
		this.onCancel();
	}

	handleInput(data: string): void {
		if (activeKeybindings().matches(data, "tui.select.cancel")) {
			this.cancel();
			return;
		}
		if (this.prompt) this.input.handleInput(data);
	}

	render(width: number): string[] {
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const kb = activeKeybindings();
		const body = this.lines.flatMap((line) => (line ? wrapTextWithAnsi(line, Math.max(1, width - 2)) : [""]));
		const out = [border, ` ${fg("accent", bold(this.title))}`, ...body.map((line) => (line ? ` ${line}` : ""))];
		if (this.prompt) {
			const value = this.input.getValue();
			if (this.prompt.masked) {
				// Never draw the key itself: one * per character, the cursor after them.
				const stars = "*".repeat(Math.min(value.length, Math.max(0, width - 2)));
				out.push(`${stars}${this.isFocused ? CURSOR_MARKER : ""}\x1b[7m \x1b[27m`);
			} else out.push(...this.input.render(width));
			out.push(
				` (${hint(kb.keyText("tui.select.cancel"), "to cancel,")} ${hint(kb.keyText("tui.select.confirm"), "to submit")})`,
			);
		} else out.push("", ` (${hint(kb.keyText("tui.select.cancel"), "to cancel")})`);
		out.push(border);
		return out.map((line) => truncateToWidth(line, width, ""));
	}
}
