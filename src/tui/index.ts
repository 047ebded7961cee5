/** The terminal UI engine: differential renderer, terminal, key decoding and components. */
export { type Component, CURSOR_MARKER, type Focusable, isFocusable } from "./component.ts";
export { Editor, type EditorOptions } from "./components/editor.ts";
export { Input } from "./components/input.ts";
export { Loader } from "./components/loader.ts";
export { defaultMarkdownTheme, Markdown, type MarkdownTheme } from "./components/markdown.ts";
export { type SelectItem, SelectList } from "./components/select-list.ts";
export { Spacer } from "./components/spacer.ts";
export { Text } from "./components/text.ts";
export {
	isKeyRelease,
	matchesKey,
	type ParsedKey,
	parseKey,
	pasteContent,
	printableText,
	splitInput,
	splitInputWithRemainder,
} from "./keys.ts";
export { ProcessTerminal, type Terminal, type TerminalInput, type TerminalOutput } from "./terminal.ts";
export { padToWidth, stripAnsi, truncateToWidth, visibleWidth, wrapTextWithAnsi } from "./text-utils.ts";
export * from "./theme.ts";
export { Container, TUI } from "./tui.ts";
