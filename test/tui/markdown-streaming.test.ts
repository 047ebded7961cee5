import { describe, expect, test } from "bun:test";
import { Markdown } from "../../src/tui/components/markdown.ts";
import { type ParsedMarkdown, parseBlocks, parseMarkdown } from "../../src/tui/components/markdown-blocks.ts";

/** Every construct the parser knows, including the ones that look ahead (tables, loose lists, quotes, fences). */
const SAMPLE = [
	"# Title",
	"",
	"A paragraph that runs",
	"over two lines.",
	"| a | b |",
	"|---|:-:|",
	"| 1 | 2 |",
	"",
	"- one",
	"  continued",
	"",
	"- two",
	"  1. nested",
	"",
	"> quoted",
	"> - item",
	"",
	"```ts",
	"const x = 1;",
	"",
	"const y = `a`;",
	"```",
	"***",
	"~~~",
	"tilde fence",
	"~~~",
	"Last paragraph with **bold** and `code`.",
	"## Closing",
].join("\n");

/** Feeds `text` in chunks of `size`, parsing each prefix incrementally; checks every step against a full parse. */
function streamParse(text: string, size: number): void {
	let parsed: ParsedMarkdown | undefined;
	for (let end = size; end < text.length + size; end += size) {
		const prefix = text.slice(0, end);
		parsed = parseMarkdown(prefix, parsed);
		expect({ end, blocks: parsed.blocks }).toEqual({ end, blocks: parseBlocks(prefix) });
	}
}

describe("incremental Markdown", () => {
	test("a text parsed as it grows gives the blocks of a full parse at every step, whatever the chunk size", () => {
		for (const size of [1, 2, 3, 7, 16, 64]) streamParse(SAMPLE, size);
	});

	test("blocks that a later line could still change are parsed again", () => {
		// A paragraph line becomes a table header once the separator arrives; a list goes on after a blank line.
		streamParse("intro\n\na | b\n|--|--|\n| 1 | 2 |\n\n- x\n\n- y\n\ntext", 1);
	});

	test("finished blocks are taken over, not parsed again", () => {
		const first = parseMarkdown("# One\n\nsome text\n\n- a\n- b\n");
		const second = parseMarkdown("# One\n\nsome text\n\n- a\n- b\n- c", first);
		expect(first.blocks).toHaveLength(3);
		expect(second.blocks).toHaveLength(3);
		expect(second.blocks[0]).toBe(first.blocks[0] as (typeof second.blocks)[number]);
		expect(second.blocks[1]).toBe(first.blocks[1] as (typeof second.blocks)[number]);
		expect(second.blocks[2]).not.toBe(first.blocks[2] as (typeof second.blocks)[number]);
	});

	test("a text that is replaced, not extended, or holds carriage returns is parsed whole", () => {
		const first = parseMarkdown("one\n\ntwo\n\nthree");
		expect(parseMarkdown("uno\n\ntwo\n\nthree", first).blocks).toEqual(parseBlocks("uno\n\ntwo\n\nthree"));
		const crlf = parseMarkdown("a\r\n\r\nb\r\n", undefined);
		expect(parseMarkdown("a\r\n\r\nb\r\n\r\nc", crlf).blocks).toEqual(parseBlocks("a\r\n\r\nb\r\n\r\nc"));
	});

	test("a Markdown component fed a growing text draws what a fresh one draws, at every step", () => {
		const streamed = new Markdown("", 1, 1);
		for (let end = 1; end <= SAMPLE.length + 4; end += 5) {
			const prefix = SAMPLE.slice(0, end);
			streamed.setText(prefix);
			expect({ end, lines: streamed.render(30) }).toEqual({ end, lines: new Markdown(prefix, 1, 1).render(30) });
		}
		// A narrower width lays everything out again.
		expect(streamed.render(20)).toEqual(new Markdown(SAMPLE, 1, 1).render(20));
	});
});
