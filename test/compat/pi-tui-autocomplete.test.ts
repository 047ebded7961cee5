/**
 * The prompt editor's autocomplete as pi 1.6.0's: the same commands (with argument hints and argument completions)
 * and folder, the same keys, and after each key the same text, cursor and rendered rows (list included) from our
 * Editor with PromptAutocomplete as from pi's Editor with its CombinedAutocompleteProvider. Skipped without pi 1.6.0.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PromptAutocomplete } from "../../src/modes/interactive/autocomplete-provider.ts";
import { CURSOR_MARKER } from "../../src/tui/component.ts";
import { Editor } from "../../src/tui/components/editor.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { type AutocompleteCase, type AutocompleteCommand, runPiTui } from "./pi-tui/run.ts";

const TAB = "\t";
const ENTER = "\r";
const ESC = "\x1b";
const UP = "\x1b[A";
const DOWN = "\x1b[B";
const LEFT = "\x1b[D";
const BACKSPACE = "\x7f";
const type = (text: string) => [...text];

const COMMANDS: AutocompleteCommand[] = [
	{ name: "settings", description: "Open settings menu" },
	{
		name: "model",
		description: "Select model (opens selector UI)",
		argumentHint: "<provider/model>",
		args: [
			{ value: "anthropic/claude-sonnet-4-5", label: "claude-sonnet-4-5", description: "anthropic" },
			{ value: "anthropic/claude-opus-4-1", label: "claude-opus-4-1", description: "anthropic" },
			{ value: "openai/gpt-5", label: "gpt-5", description: "openai" },
		],
	},
	{ name: "export", description: "Export session (HTML default, or specify path: .html/.jsonl)" },
	{ name: "session", description: "Show session info and stats" },
	{ name: "resume", description: "Resume a different session" },
	{ name: "reload", description: "Reload keybindings, extensions, skills, prompts, and themes" },
	{ name: "tree", description: "Navigate session tree (switch branches)" },
	{ name: "fork", description: "Create a new fork from a previous message" },
	{ name: "compact", description: "Manually compact the session context" },
	{ name: "quit", description: "Quit pi" },
	{ name: "review", description: "[u] Review the staged changes", argumentHint: "<focus>" },
	{ name: "skill:lint-fix", description: "[u] Fix lint errors" },
];

function folder(): string {
	const dir = mkdtempSync(join(tmpdir(), "pi-autocomplete-"));
	mkdirSync(join(dir, "src"));
	mkdirSync(join(dir, "docs"));
	writeFileSync(join(dir, "README.md"), "");
	writeFileSync(join(dir, "src", "main.ts"), "");
	writeFileSync(join(dir, "src", "util.ts"), "");
	return dir;
}

const STEPS: { name: string; steps: string[]; width?: number }[] = [
	{ name: "slash opens the command list", steps: ["/"] },
	{ name: "typing filters fuzzily", steps: type("/se") },
	{ name: "skills match by their bare name", steps: type("/lint") },
	{ name: "up/down move and wrap", steps: [...type("/re"), DOWN, DOWN, DOWN, UP] },
	{ name: "tab completes the command with a space", steps: [...type("/mo"), TAB] },
	{ name: "enter on a command name submits it", steps: [...type("/tre"), ENTER] },
	{ name: "argument completion after the command", steps: [...type("/model "), ...type("anthropic/claude-o")] },
	{ name: "enter on an argument applies without submitting", steps: [...type("/model anthropic/"), DOWN, ENTER] },
	{ name: "tab on an argument", steps: [...type("/model op"), TAB] },
	{ name: "escape closes the list", steps: [...type("/se"), ESC, ...type("s")] },
	{ name: "backspace updates and reopens", steps: [...type("/sex"), BACKSPACE, BACKSPACE] },
	{ name: "moving the cursor updates the list", steps: [...type("/model an"), LEFT, LEFT, LEFT] },
	{ name: "no match closes the list", steps: type("/zzz") },
	{ name: "slash later in the text is no command", steps: type("hi /se") },
	{ name: "tab completes a path", steps: [...type("look at sr"), TAB] },
	{ name: "tab lists a folder", steps: [...type("look at src/"), TAB] },
	{ name: "narrow list drops descriptions", steps: ["/"], width: 36 },
];

async function ours(c: AutocompleteCase) {
	const editor = new Editor({ terminalRows: () => 24 });
	editor.focused = true;
	const submitted: string[] = [];
	editor.onSubmit = (text) => submitted.push(text);
	const commands = c.commands.map((command) => ({
		name: command.name,
		description: command.description,
		...(command.argumentHint ? { argumentHint: command.argumentHint } : {}),
		...(command.args
			? { completeArgument: (prefix: string) => (command.args ?? []).filter((item) => item.value.startsWith(prefix)) }
			: {}),
	}));
	editor.setAutocompleteProvider(
		new PromptAutocomplete(
			() => c.cwd,
			() => commands,
		),
	);
	const frames = [];
	for (const key of c.steps) {
		editor.handleInput(key);
		await editor.autocomplete.pending;
		await Bun.sleep(1);
		frames.push({ text: editor.getText(), cursor: editor.getCursor(), lines: editor.render(c.width) });
	}
	return { frames, submitted };
}

const plain = (lines: string[]) => lines.map((line) => stripAnsi(line.replaceAll(CURSOR_MARKER, "")).trimEnd());

describe.skipIf(!referencePi160())("editor autocomplete side by side with pi 1.6.0", () => {
	const cwd = folder();
	const cases: AutocompleteCase[] = STEPS.map((step) => ({
		name: step.name,
		commands: COMMANDS,
		cwd,
		width: step.width ?? 80,
		steps: step.steps,
	}));
	const pi = runPiTui({ autocompletes: cases });

	for (const [index, c] of cases.entries()) {
		test(c.name, async () => {
			const theirs = pi?.autocompletes[index];
			if (!theirs) throw new Error("no result from pi");
			const mine = await ours(c);
			for (const [step, frame] of mine.frames.entries()) {
				const other = theirs.frames[step];
				expect({ step, text: frame.text, cursor: frame.cursor, lines: plain(frame.lines) }).toEqual({
					step,
					text: other?.text ?? "",
					cursor: other?.cursor ?? { line: -1, col: -1 },
					lines: plain(other?.lines ?? []),
				});
			}
			expect(mine.submitted).toEqual(theirs.submitted);
		});
	}
});
