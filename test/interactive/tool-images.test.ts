/** Images in tool results: drawn below the box where the terminal can, a placeholder line otherwise (pi-spec §9.8). */
import { afterEach, describe, expect, test } from "bun:test";
import { ToolExecutionView } from "../../src/modes/interactive/components/tool-execution.ts";
import { setImageProtocol } from "../../src/tui/images/terminal-image.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";

// A 1×1 PNG.
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

const strip = (lines: string[]) => lines.map(stripAnsi).join("\n");

function readResult(showImages = true): ToolExecutionView {
	const view = new ToolExecutionView("read", "r1", { path: "dot.png" }, false, () => ({ showImages, widthCells: 20 }));
	view.updateResult(
		{
			content: [
				{ type: "text", text: "Read image file [image/png]" },
				{ type: "image", data: PNG_1X1, mimeType: "image/png" },
			],
		},
		false,
	);
	return view;
}

afterEach(() => setImageProtocol(undefined));

describe("tool result images", () => {
	test("a terminal without image support gets pi's placeholder with the size", () => {
		setImageProtocol(null);
		const text = strip(readResult().render(80));
		expect(text).toContain("[Image: [image/png] 1x1]");
		expect(text).not.toContain("\x1b_G");
	});

	test("kitty draws the image under the box and drops the placeholder", () => {
		setImageProtocol("kitty");
		const lines = readResult().render(80);
		expect(lines.join("\n")).toContain("\x1b_G");
		expect(strip(lines)).not.toContain("[Image:");
	});

	test("showImages off keeps the placeholder even on kitty", () => {
		setImageProtocol("kitty");
		const lines = readResult(false).render(80);
		expect(lines.join("\n")).not.toContain("\x1b_G");
		expect(strip(lines)).toContain("[Image: [image/png] 1x1]");
	});
});
