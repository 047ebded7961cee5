/**
 * One grapheme segmenter for the whole TUI, built on first use. Creating one loads ICU's break rules, which a pi
 * that has drawn its editor and waits for the first key does not need yet (the empty editor line asks for none);
 * one shared instance also replaces the five the modules used to build when loaded.
 */
let segmenter: Intl.Segmenter | undefined;

function graphemeSegmenter(): Intl.Segmenter {
	segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
	return segmenter;
}

/** The graphemes of `text` with their offsets (nothing for "", without building the segmenter). */
export function graphemes(text: string): Iterable<Intl.SegmentData> {
	return text.length === 0 ? [] : graphemeSegmenter().segment(text);
}

/** The first grapheme of `text`, or undefined when it is empty. */
export function firstGrapheme(text: string): string | undefined {
	if (text.length === 0) return undefined;
	const first = graphemeSegmenter().segment(text)[Symbol.iterator]().next();
	return first.done ? undefined : first.value.segment;
}
