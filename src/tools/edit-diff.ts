/**
 * The edit tool's text machinery (pi-spec §6.4): line-ending and BOM handling, exact-then-fuzzy matching,
 * applying several edits against the original content, and pi's numbered diff for `details.diff`.
 */
import { diffLines } from "./line-diff.ts";

export interface TextEdit {
	oldText: string;
	newText: string;
}

export function detectLineEnding(content: string): "\r\n" | "\n" {
	const lf = content.indexOf("\n");
	const crlf = content.indexOf("\r\n");
	if (lf === -1 || crlf === -1) return "\n";
	return crlf < lf ? "\r\n" : "\n";
}

export function normalizeToLF(text: string): string {
	return text.replace(/\r\n/g, "\n").replace(/\r/g, "\n");
}

export function restoreLineEndings(text: string, ending: "\r\n" | "\n"): string {
	return ending === "\r\n" ? text.replace(/\n/g, "\r\n") : text;
}

export function stripBom(content: string): { bom: string; text: string } {
	return content.startsWith("\uFEFF") ? { bom: "\uFEFF", text: content.slice(1) } : { bom: "", text: content };
}

/**
 * Forgive the differences models typically introduce when retyping text: trailing whitespace, typographic
 * quotes and dashes, exotic spaces and compatibility forms (NFKC).
 */
export function normalizeForFuzzyMatch(text: string): string {
	return text
		.normalize("NFKC")
		.split("\n")
		.map((line) => line.trimEnd())
		.join("\n")
		.replace(/[\u2018\u2019\u201A\u201B]/g, "'")
		.replace(/[\u201C\u201D\u201E\u201F]/g, '"')
		.replace(/[\u2010-\u2015\u2212]/g, "-")
		.replace(/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, " ");
}

interface Match {
	index: number;
	length: number;
	fuzzy: boolean;
}

function findText(content: string, oldText: string): Match | undefined {
	const exact = content.indexOf(oldText);
	if (exact !== -1) return { index: exact, length: oldText.length, fuzzy: false };
	const fuzzyOld = normalizeForFuzzyMatch(oldText);
	const fuzzyIndex = normalizeForFuzzyMatch(content).indexOf(fuzzyOld);
	if (fuzzyIndex === -1) return undefined;
	return { index: fuzzyIndex, length: fuzzyOld.length, fuzzy: true };
}

function countOccurrences(content: string, oldText: string): number {
	return normalizeForFuzzyMatch(content).split(normalizeForFuzzyMatch(oldText)).length - 1;
}

interface Replacement {
	index: number;
	length: number;
	newText: string;
}

/** Start and end offsets of each line of `text`, its "\n" included. */
function lineSpans(text: string): { start: number; end: number }[] {
	const spans: { start: number; end: number }[] = [];
	let start = 0;
	while (start < text.length) {
		const newline = text.indexOf("\n", start);
		const end = newline === -1 ? text.length : newline + 1;
		spans.push({ start, end });
		start = end;
	}
	return spans;
}

function replaceAll(text: string, replacements: readonly Replacement[], offset = 0): string {
	let result = "";
	let cursor = 0;
	for (const replacement of replacements) {
		const index = replacement.index - offset;
		result += text.slice(cursor, index) + replacement.newText;
		cursor = index + replacement.length;
	}
	return result + text.slice(cursor);
}

/**
 * Edits matched in the fuzzy-normalised text become replacements of the original text (pi 1.6.0): the lines an
 * edit touches are written from the normalised text with the edit applied, every other line keeps its own bytes
 * (0.73.1 wrote the whole file normalised: smart quotes and trailing spaces changed far from the edit).
 */
function widenToLines(original: string, normalised: string, located: readonly Replacement[]): Replacement[] {
	const originalLines = lineSpans(original);
	const normalisedLines = lineSpans(normalised);
	if (originalLines.length !== normalisedLines.length) {
		throw new Error("Cannot preserve unchanged lines because the base content has a different line count.");
	}
	const groups: { first: number; last: number; edits: Replacement[] }[] = [];
	for (const edit of located) {
		const first = normalisedLines.findIndex((line) => edit.index >= line.start && edit.index < line.end);
		let last = first;
		while (last >= 0 && last < normalisedLines.length && (normalisedLines[last]?.end ?? 0) < edit.index + edit.length) {
			last++;
		}
		if (first === -1 || last >= normalisedLines.length) {
			throw new Error("Replacement range is outside the base content.");
		}
		const current = groups.at(-1);
		if (current && first <= current.last) {
			current.last = Math.max(current.last, last);
			current.edits.push(edit);
		} else {
			groups.push({ first, last, edits: [edit] });
		}
	}
	return groups.map(({ first, last, edits }) => {
		const from = normalisedLines[first]?.start ?? 0;
		const to = normalisedLines[last]?.end ?? 0;
		const start = originalLines[first]?.start ?? 0;
		const end = originalLines[last]?.end ?? 0;
		return { index: start, length: end - start, newText: replaceAll(normalised.slice(from, to), edits, from) };
	});
}

/**
 * Apply edits to LF-normalised content. Every edit is located in the ORIGINAL content; if any of them needs
 * fuzzy matching, all are matched in the fuzzy-normalised content and written back over the lines they touch
 * (widenToLines). Returns the content the diff is computed against (the original) and the new content.
 */
export function applyEdits(
	normalizedContent: string,
	edits: readonly TextEdit[],
	path: string,
): { baseContent: string; newContent: string } {
	const single = edits.length === 1;
	const normalizedEdits = edits.map((edit) => ({
		oldText: normalizeToLF(edit.oldText),
		newText: normalizeToLF(edit.newText),
	}));
	normalizedEdits.forEach((edit, i) => {
		if (edit.oldText.length === 0) {
			throw new Error(
				single ? `oldText must not be empty in ${path}.` : `edits[${i}].oldText must not be empty in ${path}.`,
			);
		}
	});
	const anyFuzzy = normalizedEdits.some((edit) => findText(normalizedContent, edit.oldText)?.fuzzy === true);
	const matchContent = anyFuzzy ? normalizeForFuzzyMatch(normalizedContent) : normalizedContent;

	const located = normalizedEdits.map((edit, i) => {
		const match = findText(matchContent, edit.oldText);
		if (!match) {
			throw new Error(
				single
					? `Could not find the exact text in ${path}. The old text must match exactly including all whitespace and newlines.`
					: `Could not find edits[${i}] in ${path}. The oldText must match exactly including all whitespace and newlines.`,
			);
		}
		const occurrences = countOccurrences(matchContent, edit.oldText);
		if (occurrences > 1) {
			throw new Error(
				single
					? `Found ${occurrences} occurrences of the text in ${path}. The text must be unique. Please provide more context to make it unique.`
					: `Found ${occurrences} occurrences of edits[${i}] in ${path}. Each oldText must be unique. Please provide more context to make it unique.`,
			);
		}
		return { editIndex: i, index: match.index, length: match.length, newText: edit.newText };
	});

	located.sort((a, b) => a.index - b.index);
	for (let i = 1; i < located.length; i++) {
		const previous = located[i - 1];
		const current = located[i];
		if (previous && current && previous.index + previous.length > current.index) {
			throw new Error(
				`edits[${previous.editIndex}] and edits[${current.editIndex}] overlap in ${path}. Merge them into one edit or target disjoint regions.`,
			);
		}
	}

	const baseContent = normalizedContent;
	const newContent = replaceAll(baseContent, anyFuzzy ? widenToLines(baseContent, matchContent, located) : located);

	if (newContent === baseContent) {
		throw new Error(
			single
				? `No changes made to ${path}. The replacement produced identical content. This might indicate an issue with special characters or the text not existing as expected.`
				: `No changes made to ${path}. The replacements produced identical content.`,
		);
	}
	return { baseContent, newContent };
}

/**
 * pi's diff for the edit result: `+`/`-`/space, the line number right-aligned to the widest number, a space,
 * the text; at most `contextLines` unchanged lines around each change, longer gaps shown as "...".
 */
export function generateDiffString(
	oldContent: string,
	newContent: string,
	contextLines = 4,
): { diff: string; firstChangedLine: number | undefined } {
	const parts = diffLines(oldContent, newContent);
	const width = String(Math.max(oldContent.split("\n").length, newContent.split("\n").length)).length;
	const num = (n: number) => String(n).padStart(width, " ");
	const ellipsis = ` ${"".padStart(width, " ")} ...`;
	const output: string[] = [];
	let oldLine = 1;
	let newLine = 1;
	let lastWasChange = false;
	let firstChangedLine: number | undefined;

	const pushContext = (lines: readonly string[]) => {
		for (const line of lines) {
			output.push(` ${num(oldLine)} ${line}`);
			oldLine++;
			newLine++;
		}
	};
	const skip = (count: number) => {
		output.push(ellipsis);
		oldLine += count;
		newLine += count;
	};

	parts.forEach((part, i) => {
		const lines = part.value.split("\n");
		if (lines.at(-1) === "") lines.pop();
		if (part.added || part.removed) {
			firstChangedLine ??= newLine;
			for (const line of lines) {
				if (part.added) output.push(`+${num(newLine++)} ${line}`);
				else output.push(`-${num(oldLine++)} ${line}`);
			}
			lastWasChange = true;
			return;
		}
		const next = parts[i + 1];
		const changeFollows = next !== undefined && (next.added || next.removed);
		if (lastWasChange && changeFollows) {
			if (lines.length <= contextLines * 2) pushContext(lines);
			else {
				pushContext(lines.slice(0, contextLines));
				skip(lines.length - 2 * contextLines);
				pushContext(lines.slice(lines.length - contextLines));
			}
		} else if (lastWasChange) {
			pushContext(lines.slice(0, contextLines));
			if (lines.length > contextLines) skip(lines.length - contextLines);
		} else if (changeFollows) {
			const skipped = Math.max(0, lines.length - contextLines);
			if (skipped > 0) skip(skipped);
			pushContext(lines.slice(skipped));
		} else {
			oldLine += lines.length;
			newLine += lines.length;
		}
		lastWasChange = false;
	});
	return { diff: output.join("\n"), firstChangedLine };
}

/** A line with its newline, as the patch builder handles them (the last line may have none). */
function linesWithNewlines(text: string): string[] {
	if (text === "") return [""];
	const lines = text.split("\n").map((line) => `${line}\n`);
	if (text.endsWith("\n")) lines.pop();
	else lines.push((lines.pop() ?? "").slice(0, -1));
	return lines;
}

interface PatchHunk {
	oldStart: number;
	oldLines: number;
	newStart: number;
	newLines: number;
	lines: string[];
}

/**
 * The standard unified patch of an edit (pi 1.6.0's `details.patch`, jsdiff's createTwoFilesPatch with file
 * headers only): hunks with `contextLines` unchanged lines around each change, hunks closer than twice that
 * merged, "\ No newline at end of file" where a side ends without one.
 */
export function generateUnifiedPatch(path: string, oldContent: string, newContent: string, contextLines = 4): string {
	const parts = [...diffLines(oldContent, newContent), { value: "", added: false, removed: false, count: 0 }];
	const hunks: PatchHunk[] = [];
	let oldRangeStart = 0;
	let newRangeStart = 0;
	let range: string[] = [];
	let oldLine = 1;
	let newLine = 1;
	const asContext = (lines: readonly string[]) => lines.map((line) => ` ${line}`);
	let previousLines: string[] = [];
	parts.forEach((part, i) => {
		const lines = part.value === "" ? [] : linesWithNewlines(part.value);
		if (part.added || part.removed) {
			if (!oldRangeStart) {
				oldRangeStart = oldLine;
				newRangeStart = newLine;
				if (i > 0) {
					range = contextLines > 0 ? asContext(previousLines.slice(-contextLines)) : [];
					oldRangeStart -= range.length;
					newRangeStart -= range.length;
				}
			}
			for (const line of lines) range.push((part.added ? "+" : "-") + line);
			if (part.added) newLine += lines.length;
			else oldLine += lines.length;
		} else {
			if (oldRangeStart) {
				if (lines.length <= contextLines * 2 && i < parts.length - 2) {
					range.push(...asContext(lines));
				} else {
					const contextSize = Math.min(lines.length, contextLines);
					range.push(...asContext(lines.slice(0, contextSize)));
					hunks.push({
						oldStart: oldRangeStart,
						oldLines: oldLine - oldRangeStart + contextSize,
						newStart: newRangeStart,
						newLines: newLine - newRangeStart + contextSize,
						lines: range,
					});
					oldRangeStart = 0;
					newRangeStart = 0;
					range = [];
				}
			}
			oldLine += lines.length;
			newLine += lines.length;
		}
		previousLines = lines;
	});
	const out = [`--- ${path}`, `+++ ${path}`];
	for (const hunk of hunks) {
		// Unified diff quirk: an empty side starts one line earlier.
		const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
		const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
		out.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`);
		for (const line of hunk.lines) {
			if (line.endsWith("\n")) out.push(line.slice(0, -1));
			else out.push(line, "\\ No newline at end of file");
		}
	}
	return `${out.join("\n")}\n`;
}
