/**
 * `@earendil-works/pi-tui` as extensions see it: our own implementation of pi-tui's API (src/extensions/pi-tui/) over
 * src/tui, not the npm package (README "Design notes: extensions" says why). Components have pi-tui's constructors and
 * defaults (a `Text` pads one column and one line unless told otherwise) and render as string lines, the Component
 * shape our renderer draws; keys are decoded by the parser our editor uses, so `matchesKey` agrees with what the
 * editor sees. Names we do not implement (pi-tui's own terminal and renderer classes, colour maths, image codecs)
 * throw a clear error when used.
 */

import { fuzzyFilter } from "../../ai/list-models.ts";
import { CURSOR_MARKER, isFocusable } from "../../tui/component.ts";
import { padToWidth, truncateToWidth as truncate, wrapTextWithAnsi } from "../../tui/text-utils.ts";
import { Container } from "../../tui/tui.ts";
import { Image, Markdown } from "../pi-tui/content.ts";
import { Editor, Input } from "../pi-tui/inputs.ts";
import {
	decodeKittyPrintable,
	getKeybindings,
	getSelectPageIndex,
	isKeyRelease,
	isKeyRepeat,
	isKittyProtocolActive,
	Key,
	KeybindingsManager,
	keyId,
	matchesKey,
	setKeybindings,
	setKittyActive,
	TUI_KEYBINDINGS,
} from "../pi-tui/keys.ts";
import { SelectList, SettingsList } from "../pi-tui/lists.ts";
import { CancellableLoader, Loader } from "../pi-tui/loaders.ts";
import {
	Box,
	fuzzyMatch,
	renderFakeCursor,
	replaceControlCharacters,
	Spacer,
	sliceByColumn,
	stripTerminalSequences,
	Text,
	TruncatedText,
	visibleWidth,
} from "../pi-tui/text.ts";
import { completeModule } from "./stubs.ts";

function truncateToWidth(text: string, maxWidth: number, ellipsis = "...", pad = false): string {
	const cut = truncate(text, maxWidth, ellipsis);
	return pad ? padToWidth(cut, maxWidth) : cut;
}

export function buildPiTuiModule(): Record<string, unknown> {
	return completeModule("pi-tui", {
		Text,
		TruncatedText,
		Box,
		Container,
		Spacer,
		SelectList,
		SettingsList,
		Input,
		Editor,
		Loader,
		CancellableLoader,
		Markdown,
		Image,
		Key,
		KeybindingsManager,
		TUI_KEYBINDINGS,
		getKeybindings,
		setKeybindings,
		getSelectPageIndex,
		CURSOR_MARKER,
		isFocusable,
		renderFakeCursor,
		matchesKey,
		parseKey: keyId,
		isKeyRelease,
		isKeyRepeat,
		decodeKittyPrintable,
		isKittyProtocolActive,
		setKittyProtocolActive: setKittyActive,
		truncateToWidth,
		visibleWidth,
		wrapTextWithAnsi,
		sliceByColumn,
		stripTerminalSequences,
		replaceControlCharacters,
		fuzzyFilter,
		fuzzyMatch,
	});
}
