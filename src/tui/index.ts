/** The terminal UI engine: differential renderer, terminal, key decoding and components. */
export { type Component, CURSOR_MARKER, type Focusable, isFocusable } from "./component.ts";
export { type BackgroundFn, Box } from "./components/box.ts";
export { Editor, type EditorOptions } from "./components/editor.ts";
export { Image, type ImageOptions } from "./components/image.ts";
export { Input } from "./components/input.ts";
export { Loader } from "./components/loader.ts";
export { defaultMarkdownTheme, Markdown, type MarkdownTheme } from "./components/markdown.ts";
export { type SelectItem, SelectList } from "./components/select-list.ts";
export {
	highlighterGeneration,
	loadShikiLanguage,
	onHighlighterReady,
	shikiHighlight,
	shikiLanguageId,
} from "./components/shiki-highlight.ts";
export { Spacer } from "./components/spacer.ts";
export { Text } from "./components/text.ts";
export { imageDimensions, imageDimensionsFromBase64 } from "./images/dimensions.ts";
export {
	type CellSize,
	deleteKittyImage,
	detectImageProtocol,
	encodeITerm2,
	encodeKitty,
	getCellSize,
	getImageProtocol,
	type ImageDimensions,
	type ImageProtocol,
	imagePlaceholder,
	imageRows,
	isImageLine,
	setCellSize,
	setImageProtocol,
} from "./images/terminal-image.ts";
export { pasteContent, splitInput, splitInputWithRemainder } from "./input-split.ts";
export { isKeyRelease, matchesKey, parseKey, printableText } from "./keys.ts";
export { ProcessTerminal, type Terminal, type TerminalInput, type TerminalOutput } from "./terminal.ts";
export { padToWidth, stripAnsi, truncateToWidth, visibleWidth, wrapTextWithAnsi } from "./text-utils.ts";
export * from "./theme.ts";
export { Container, TUI } from "./tui.ts";
