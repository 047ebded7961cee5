/**
 * Ctrl+V pastes a clipboard image (pi-spec §9.2): a fake `xclip` first on PATH plays the clipboard; the image is
 * saved under the temp folder and its path typed into the editor. Without a tool or an image a status line says so.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readClipboardImage } from "../../src/modes/interactive/clipboard-image.ts";
import { type Harness, startInteractive } from "./harness.ts";

// The 8-byte PNG signature and a few more bytes: enough to check the bytes arrive unchanged.
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

let current: Harness | undefined;
let savedPath: string | undefined;
let savedWayland: string | undefined;
let binDir: string;

beforeEach(() => {
	savedPath = process.env.PATH;
	savedWayland = process.env.WAYLAND_DISPLAY;
	delete process.env.WAYLAND_DISPLAY;
	binDir = mkdtempSync(join(tmpdir(), "pi-fake-bin-"));
});

afterEach(async () => {
	if (current) await current.quit();
	current = undefined;
	process.env.PATH = savedPath;
	if (savedWayland !== undefined) process.env.WAYLAND_DISPLAY = savedWayland;
});

/** An `xclip` that lists `types` as TARGETS and prints the PNG for image/png (exit 1 for anything else). */
function fakeXclip(types: string[]): void {
	const png = join(binDir, "clip.png");
	writeFileSync(png, PNG);
	const script = join(binDir, "xclip");
	writeFileSync(
		script,
		`#!/bin/sh
case "$*" in
  *TARGETS*) printf '${types.join("\\n")}\\n' ;;
  *image/png*) ${types.includes("image/png") ? `cat '${png}'` : "exit 1"} ;;
  *) exit 1 ;;
esac
`,
	);
	chmodSync(script, 0o755);
	process.env.PATH = `${binDir}:${savedPath ?? ""}`;
}

describe.skipIf(process.platform !== "linux")("clipboard image paste", () => {
	test("ctrl+v saves the image and types its path; the path is sent with the prompt", async () => {
		fakeXclip(["TARGETS", "image/png"]);
		const h = await startInteractive({ turns: [{ chunks: ["I see it"] }] });
		current = h;
		h.type("look at ");
		h.type("\x16");
		await h.waitFor(/look at \S*pi-clipboard-[0-9a-f-]+\.png/);
		const path = /look at (\S*pi-clipboard-[0-9a-f-]+\.png)/.exec(h.screen())?.[1];
		expect(path?.startsWith(tmpdir())).toBe(true);
		expect(readFileSync(path ?? "")).toEqual(PNG);
		h.type("\r");
		await h.waitFor("I see it");
		expect(JSON.stringify(h.contexts[0]?.messages)).toContain(`look at ${path}`);
	});

	test("an empty clipboard and a missing tool each give a status line", async () => {
		fakeXclip(["TARGETS", "text/plain"]);
		const h = await startInteractive({ turns: [] });
		current = h;
		h.type("\x16");
		await h.waitFor("No image in clipboard");
		process.env.PATH = mkdtempSync(join(tmpdir(), "pi-empty-bin-"));
		h.type("\x16");
		await h.waitFor("Cannot read images from the clipboard: install xclip");
		expect(h.session.messages).toHaveLength(0);
	});
});

describe("clipboard tools per platform", () => {
	test("Wayland tries wl-paste first and takes the preferred image type", async () => {
		const calls: string[] = [];
		const result = await readClipboardImage({
			env: { WAYLAND_DISPLAY: "wayland-0" },
			platform: "linux",
			which: () => true,
			run: async (command, args) => {
				calls.push(`${command} ${args.join(" ")}`);
				if (args[0] === "--list-types") return new TextEncoder().encode("text/plain\nimage/jpeg\nimage/png\n");
				return Uint8Array.from(PNG);
			},
		});
		expect(result.ok).toBe(true);
		expect(calls).toEqual(["wl-paste --list-types", "wl-paste --type image/png --no-newline"]);
	});

	test("macOS decodes osascript's PNG data", async () => {
		const result = await readClipboardImage({
			env: {},
			platform: "darwin",
			which: (command) => command === "osascript",
			run: async () => new TextEncoder().encode(`«data PNGf${PNG.toString("hex").toUpperCase()}»\n`),
		});
		expect(result.ok && Buffer.from(result.image.bytes).equals(PNG)).toBe(true);
		const empty = await readClipboardImage({
			env: {},
			platform: "darwin",
			which: () => true,
			run: async () => undefined,
		});
		expect(empty).toEqual({ ok: false, reason: "no-image", tools: ["osascript"] });
	});
});
