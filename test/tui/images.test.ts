import { afterEach, describe, expect, test } from "bun:test";
import { Image } from "../../src/tui/components/image.ts";
import { Text } from "../../src/tui/components/text.ts";
import { imageDimensions, imageDimensionsFromBase64 } from "../../src/tui/images/dimensions.ts";
import {
	deleteKittyImage,
	detectImageProtocol,
	encodeITerm2,
	encodeKitty,
	imagePlaceholder,
	imageRows,
	kittyImageIds,
	setCellSize,
	setImageProtocol,
} from "../../src/tui/images/terminal-image.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

/** A PNG with only signature and IHDR: enough for every header reader. */
function png(width: number, height: number): Buffer {
	const data = Buffer.alloc(33);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(data, 0);
	data.writeUInt32BE(13, 8);
	data.write("IHDR", 12, "ascii");
	data.writeUInt32BE(width, 16);
	data.writeUInt32BE(height, 20);
	return data;
}

/** SOI, an APP0 segment to skip, a fill byte, then SOF2 (progressive) with height before width. */
function jpeg(width: number, height: number): Buffer {
	const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	const sof = Buffer.from([
		0xff,
		0xff,
		0xc2,
		0x00,
		0x11,
		0x08,
		height >> 8,
		height & 0xff,
		width >> 8,
		width & 0xff,
		3,
	]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(16)]);
}

function gif(width: number, height: number): Buffer {
	const data = Buffer.alloc(13);
	data.write("GIF89a", 0, "ascii");
	data.writeUInt16LE(width, 6);
	data.writeUInt16LE(height, 8);
	return data;
}

function webp(kind: "VP8 " | "VP8L" | "VP8X", width: number, height: number): Buffer {
	const data = Buffer.alloc(40);
	data.write("RIFF", 0, "ascii");
	data.writeUInt32LE(32, 4);
	data.write("WEBP", 8, "ascii");
	data.write(kind, 12, "ascii");
	if (kind === "VP8 ") {
		data.writeUInt16LE(width, 26);
		data.writeUInt16LE(height, 28);
	} else if (kind === "VP8L") {
		data[20] = 0x2f;
		data.writeUInt32LE((width - 1) | ((height - 1) << 14), 21);
	} else {
		data.writeUIntLE(width - 1, 24, 3);
		data.writeUIntLE(height - 1, 27, 3);
	}
	return data;
}

afterEach(() => {
	setImageProtocol(undefined);
	setCellSize({ widthPx: 9, heightPx: 18 });
});

describe("image dimensions from headers", () => {
	test("PNG, JPEG (segments skipped, progressive frame), GIF and the three WebP kinds", () => {
		expect(imageDimensions(png(800, 600), "image/png")).toEqual({ widthPx: 800, heightPx: 600 });
		expect(imageDimensions(jpeg(1024, 768), "image/jpeg")).toEqual({ widthPx: 1024, heightPx: 768 });
		expect(imageDimensions(gif(32, 16), "image/gif")).toEqual({ widthPx: 32, heightPx: 16 });
		expect(imageDimensions(webp("VP8 ", 640, 480), "image/webp")).toEqual({ widthPx: 640, heightPx: 480 });
		expect(imageDimensions(webp("VP8L", 300, 200), "image/webp")).toEqual({ widthPx: 300, heightPx: 200 });
		expect(imageDimensions(webp("VP8X", 5000, 70000), "image/webp")).toEqual({ widthPx: 5000, heightPx: 70000 });
	});

	test("base64 input, wrong or truncated data gives undefined", () => {
		expect(imageDimensionsFromBase64(png(7, 9).toString("base64"), "image/png")).toEqual({ widthPx: 7, heightPx: 9 });
		expect(imageDimensions(gif(5, 5), "image/png")).toBeUndefined();
		expect(imageDimensions(png(5, 5).subarray(0, 20), "image/png")).toBeUndefined();
		expect(imageDimensions(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01]), "image/jpeg")).toBeUndefined();
		expect(imageDimensionsFromBase64("not base64!", "image/webp")).toBeUndefined();
	});
});

describe("protocol detection", () => {
	test("kitty, ghostty and wezterm use kitty graphics; iTerm2 its own; tmux and unknown terminals none", () => {
		expect(detectImageProtocol({ KITTY_WINDOW_ID: "1" })).toBe("kitty");
		expect(detectImageProtocol({ TERM_PROGRAM: "ghostty" })).toBe("kitty");
		expect(detectImageProtocol({ GHOSTTY_RESOURCES_DIR: "/x" })).toBe("kitty");
		expect(detectImageProtocol({ WEZTERM_PANE: "0" })).toBe("kitty");
		expect(detectImageProtocol({ TERM_PROGRAM: "iTerm.app" })).toBe("iterm2");
		expect(detectImageProtocol({ ITERM_SESSION_ID: "w0" })).toBe("iterm2");
		expect(detectImageProtocol({ KITTY_WINDOW_ID: "1", TMUX: "/tmp/tmux" })).toBeNull();
		expect(detectImageProtocol({ TERM_PROGRAM: "vscode" })).toBeNull();
		expect(detectImageProtocol({})).toBeNull();
	});

	test("PI_TERMINAL_IMAGES overrides detection", () => {
		expect(detectImageProtocol({ PI_TERMINAL_IMAGES: "iterm2" })).toBe("iterm2");
		expect(detectImageProtocol({ PI_TERMINAL_IMAGES: "kitty", TMUX: "1" })).toBe("kitty");
		expect(detectImageProtocol({ PI_TERMINAL_IMAGES: "none", KITTY_WINDOW_ID: "1" })).toBeNull();
	});
});

describe("escape sequences", () => {
	test("kitty: one command for small data, 4096-byte chunks with m=1 … m=0 for large", () => {
		expect(encodeKitty("QUJD", { columns: 10, rows: 3, imageId: 42, moveCursor: false })).toBe(
			"\x1b_Ga=T,f=100,q=2,C=1,c=10,r=3,i=42;QUJD\x1b\\",
		);
		const data = "A".repeat(4096 * 2 + 10);
		const encoded = encodeKitty(data, { imageId: 7 });
		expect(encoded).toBe(
			`\x1b_Ga=T,f=100,q=2,i=7,m=1;${"A".repeat(4096)}\x1b\\` +
				`\x1b_Gm=1;${"A".repeat(4096)}\x1b\\` +
				`\x1b_Gm=0;${"A".repeat(10)}\x1b\\`,
		);
		expect(kittyImageIds(encoded)).toEqual([7]);
		expect(kittyImageIds(deleteKittyImage(7))).toEqual([]);
		expect(deleteKittyImage(7)).toBe("\x1b_Ga=d,d=I,i=7,q=2\x1b\\");
	});

	test("iTerm2: OSC 1337 inline file with size and base64 name, BEL-terminated", () => {
		expect(encodeITerm2("QUJD", { width: 20, height: "auto", name: "a.png" })).toBe(
			`\x1b]1337;File=inline=1;width=20;height=auto;name=${Buffer.from("a.png").toString("base64")}:QUJD\x07`,
		);
	});

	test("rows follow the aspect ratio and the cell size", () => {
		expect(imageRows({ widthPx: 800, heightPx: 600 }, 60)).toBe(23); // 540 px wide → 405 px → 22.5 rows
		expect(imageRows({ widthPx: 800, heightPx: 600 }, 60, { widthPx: 10, heightPx: 20 })).toBe(23);
		expect(imageRows({ widthPx: 1000, heightPx: 1 }, 10)).toBe(1);
	});
});

describe("Image component", () => {
	const base64 = png(800, 600).toString("base64");

	test("no image support: pi's placeholder with file name, type and size", () => {
		setImageProtocol(null);
		const lines = new Image(base64, "image/png", { filename: "shot.png" }).render(80);
		expect(lines.map(stripAnsi)).toEqual(["[Image: shot.png [image/png] 800x600]"]);
		expect(imagePlaceholder("image/gif")).toBe("[Image: [image/gif]]");
		const colored = new Image(base64, "image/png", { fallbackColor: (text) => `<${text}>` }).render(80);
		expect(colored).toEqual(["<[Image: [image/png] 800x600]>"]);
		// Unreadable data: no size in the placeholder.
		expect(new Image("AAAA", "image/png").render(80).map(stripAnsi)).toEqual(["[Image: [image/png]]"]);
	});

	test("kitty: empty rows reserve the height, the last row goes up, draws without moving the cursor, comes back", () => {
		setImageProtocol("kitty");
		const image = new Image(base64, "image/png", { maxWidthCells: 20 });
		const lines = image.render(80);
		// 20 cells × 9 px = 180 px wide → 135 px high → 8 rows of 18 px.
		expect(lines).toHaveLength(8);
		expect(lines.slice(0, 7)).toEqual(Array(7).fill(""));
		expect(lines[7]).toBe(`\x1b[7A\x1b_Ga=T,f=100,q=2,C=1,c=20,r=8,i=${image.imageId};${base64}\x1b\\\x1b[7B`);
		expect(image.render(80)).toBe(lines);
	});

	test("maxHeightCells narrows the image to keep its aspect ratio", () => {
		setImageProtocol("kitty");
		const lines = new Image(base64, "image/png", { maxWidthCells: 60, maxHeightCells: 4 }).render(80);
		expect(lines).toHaveLength(4);
		// 4 rows × 18 px = 72 px high → 96 px wide → 10 cells.
		expect(lines[3]).toContain("c=10,r=4,");
	});

	test("iTerm2: the cursor goes up and the image follows; width capped at the terminal width", () => {
		setImageProtocol("iterm2");
		const lines = new Image(base64, "image/png", { filename: "x.png" }).render(30);
		// 28 cells × 9 px = 252 px wide → 189 px high → 11 rows.
		expect(lines).toHaveLength(11);
		expect(lines[10]).toBe(
			`\x1b[10A\x1b]1337;File=inline=1;width=28;height=auto;name=${Buffer.from("x.png").toString("base64")}:${base64}\x07`,
		);
	});
});

describe("images in the differential renderer", () => {
	async function setup() {
		setImageProtocol("kitty");
		const terminal = new VirtualTerminal(40, 30);
		const tui = new TUI(terminal);
		const header = new Text("header", 0);
		const image = new Image(base64Png, "image/png", { maxWidthCells: 8 });
		const footer = new Text("footer", 0);
		tui.addChild(header);
		tui.addChild(image);
		tui.addChild(footer);
		tui.start();
		await terminal.settle();
		return { terminal, tui, header, image, footer };
	}
	const base64Png = png(80, 60).toString("base64");

	test("rows are reserved: the text below the image lands under it", async () => {
		const { terminal, image } = await setup();
		// 8 cells × 9 px = 72 px wide → 54 px high → 3 rows.
		expect(terminal.getViewport().slice(0, 5)).toEqual(["header", "", "", "", "footer"]);
		expect(terminal.writes.join("")).toContain(`i=${image.imageId};${base64Png}`);
	});

	test("the cell size is asked for and its reply resizes the image without reaching the components", async () => {
		const { terminal, tui, image } = await setup();
		expect(terminal.writes.join("")).toContain("\x1b[16t");
		let typed = "";
		tui.onInput = (key) => {
			typed += key;
			return false;
		};
		// Cells twice as tall: 72 × 54 px is 8 cells wide, 54 / 36 → 2 rows.
		terminal.sendInput("\x1b[6;36;9t");
		await terminal.settle();
		expect(typed).toBe("");
		expect(image.render(40)).toHaveLength(2);
		expect(terminal.getViewport().slice(0, 4)).toEqual(["header", "", "", "footer"]);
	});

	test("a change below the image does not send the image again", async () => {
		const { terminal, tui, footer } = await setup();
		terminal.resetCounters();
		footer.setText("footer 2");
		tui.requestRender();
		await terminal.settle();
		const written = terminal.writes.join("");
		expect(written).toContain("footer 2");
		expect(written).not.toContain(base64Png);
		expect(written).not.toContain("\x1b_G");
	});

	test("a change above the image deletes the old placement and draws it again", async () => {
		const { terminal, tui, header, image, footer } = await setup();
		terminal.resetCounters();
		header.setText("header\nsecond line");
		tui.requestRender();
		await terminal.settle();
		const written = terminal.writes.join("");
		const deletion = written.indexOf(`\x1b_Ga=d,d=I,i=${image.imageId},q=2\x1b\\`);
		expect(deletion).toBeGreaterThanOrEqual(0);
		expect(written.indexOf(base64Png)).toBeGreaterThan(deletion);
		expect(terminal.getViewport().slice(0, 6)).toEqual(["header", "second line", "", "", "", footer.getText()]);
	});
});
