import { describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { resolveReadPath, resolveToCwd } from "../../src/tools/path-utils.ts";
import { createReadTool } from "../../src/tools/read.ts";
import { formatSize, truncateHead, truncateLine, truncateTail } from "../../src/tools/truncate.ts";
import { createWriteTool } from "../../src/tools/write.ts";
import { asNobody, giveToNobody, permissionTestsUnavailable } from "../support/unprivileged.ts";
import { errorOf, run, tempDir, textOf } from "./helpers.ts";

const PNG_1X1 = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
	"base64",
);

describe("truncate", () => {
	test("formatSize", () => {
		expect(formatSize(1023)).toBe("1023B");
		expect(formatSize(51200)).toBe("50.0KB");
		expect(formatSize(3 * 1024 * 1024)).toBe("3.0MB");
	});

	test("head truncation by lines and bytes", () => {
		const byLines = truncateHead("a\nb\nc\nd", { maxLines: 2 });
		expect(byLines).toMatchObject({
			content: "a\nb",
			truncated: true,
			truncatedBy: "lines",
			totalLines: 4,
			outputLines: 2,
		});
		const byBytes = truncateHead("aaaa\nbbbb\ncccc", { maxBytes: 10 });
		expect(byBytes).toMatchObject({ content: "aaaa\nbbbb", truncatedBy: "bytes", outputBytes: 9 });
		const first = truncateHead("x".repeat(20), { maxBytes: 10 });
		expect(first).toMatchObject({ content: "", firstLineExceedsLimit: true, outputLines: 0 });
		expect(truncateHead("ok")).toMatchObject({ truncated: false, truncatedBy: null, totalLines: 1, outputBytes: 2 });
	});

	test("tail truncation keeps the end, partial last line on a UTF-8 boundary", () => {
		expect(truncateTail("a\nb\nc\nd", { maxLines: 2 })).toMatchObject({ content: "c\nd", truncatedBy: "lines" });
		const partial = truncateTail(`x\n${"é".repeat(10)}`, { maxBytes: 5 });
		expect(partial.content).toBe("éé");
		expect(partial).toMatchObject({ lastLinePartial: true, truncatedBy: "bytes", outputBytes: 4 });
	});

	test("truncateLine", () => {
		expect(truncateLine("abc", 2)).toEqual({ text: "ab... [truncated]", wasTruncated: true });
		expect(truncateLine("abc")).toEqual({ text: "abc", wasTruncated: false });
	});
});

describe("path resolution", () => {
	test("~, @ prefix, unicode spaces, relative", () => {
		expect(resolveToCwd("~/x", "/tmp")).toBe(join(homedir(), "x"));
		expect(resolveToCwd("@src/a.ts", "/work")).toBe("/work/src/a.ts");
		expect(resolveToCwd("a\u00A0b", "/w")).toBe("/w/a b");
		expect(resolveToCwd("/abs", "/w")).toBe("/abs");
	});

	test("macOS screenshot variants", () => {
		const dir = tempDir();
		const narrow = "Screenshot 2024-01-01 at 10.00.00\u202FAM.png";
		writeFileSync(join(dir, narrow), "x");
		expect(resolveReadPath("Screenshot 2024-01-01 at 10.00.00 AM.png", dir)).toBe(join(dir, narrow));
		const curly = "Capture d\u2019e\u0301cran.png";
		writeFileSync(join(dir, curly), "x");
		expect(resolveReadPath("Capture d'\u00e9cran.png", dir)).toBe(join(dir, curly));
		expect(resolveReadPath("missing.txt", dir)).toBe(join(dir, "missing.txt"));
	});
});

describe("read", () => {
	test("plain text, offset and limit with continuation notice", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "f.txt"), "one\ntwo\nthree\nfour\n");
		const read = createReadTool(dir);
		expect(textOf(await run(read, { path: "f.txt" }))).toBe("one\ntwo\nthree\nfour\n");
		expect(textOf(await run(read, { path: "f.txt", offset: 2, limit: 2 }))).toBe(
			"two\nthree\n\n[2 more lines in file. Use offset=4 to continue.]",
		);
		expect(await errorOf(run(read, { path: "f.txt", offset: 10 }))).toBe(
			"Offset 10 is beyond end of file (5 lines total)",
		);
	});

	test("2000-line truncation with details", async () => {
		const dir = tempDir();
		const lines = Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`);
		writeFileSync(join(dir, "big.txt"), lines.join("\n"));
		const result = await run(createReadTool(dir), { path: "big.txt" });
		expect(textOf(result)).toEndWith("line 2000\n\n[Showing lines 1-2000 of 2500. Use offset=2001 to continue.]");
		expect(result.details?.truncation).toMatchObject({ truncatedBy: "lines", outputLines: 2000, totalLines: 2500 });
		const next = await run(createReadTool(dir), { path: "big.txt", offset: 2001 });
		expect(textOf(next)).toStartWith("line 2001\n");
		expect(next.details).toBeUndefined();
	});

	test("50KB truncation and oversized first line", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "wide.txt"), Array.from({ length: 100 }, () => "y".repeat(1000)).join("\n"));
		const wide = textOf(await run(createReadTool(dir), { path: "wide.txt" }));
		expect(wide).toEndWith("\n\n[Showing lines 1-51 of 100 (50.0KB limit). Use offset=52 to continue.]");
		writeFileSync(join(dir, "long.txt"), `short\n${"z".repeat(60 * 1024)}\n`);
		expect(textOf(await run(createReadTool(dir), { path: "long.txt", offset: 2 }))).toBe(
			"[Line 2 is 60.0KB, exceeds 50.0KB limit. Use bash: sed -n '2p' long.txt | head -c 51200]",
		);
	});

	test("images by magic bytes, not by extension", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "pic.dat"), PNG_1X1);
		const result = await run(createReadTool(dir), { path: "pic.dat" });
		expect(result.content[0]).toEqual({ type: "text", text: "Read image file [image/png]" });
		expect(result.content[1]).toEqual({ type: "image", mimeType: "image/png", data: PNG_1X1.toString("base64") });
		writeFileSync(join(dir, "fake.png"), "not an image");
		expect(textOf(await run(createReadTool(dir), { path: "fake.png" }))).toBe("not an image");
	});

	test("an image over the inline limit is re-encoded; one that does not decode is omitted unless auto-resize is off", async () => {
		const dir = tempDir();
		// A 1x1 PNG padded to 3.6 MB (4.8 MB of base64): decoded and re-encoded, with pi's coordinate note.
		writeFileSync(join(dir, "padded.png"), Buffer.concat([PNG_1X1, Buffer.alloc(3_600_000)]));
		const reencoded = await run(createReadTool(dir), { path: "padded.png" });
		expect(reencoded.content[0]).toEqual({
			type: "text",
			text: "Read image file [image/png]\n[Image: original 1x1, displayed at 1x1. Multiply coordinates by 1.00 to map to original image.]",
		});
		expect(reencoded.content[1]).toMatchObject({ type: "image", mimeType: "image/png" });
		// A PNG header over garbage cannot be decoded, so it cannot be made to fit.
		writeFileSync(join(dir, "broken.png"), Buffer.concat([PNG_1X1.subarray(0, 33), Buffer.alloc(100, 7)]));
		const omitted = await run(createReadTool(dir), { path: "broken.png" });
		expect(omitted.content).toEqual([
			{
				type: "text",
				text: "Read image file [image/png]\n[Image omitted: could not be resized below the inline image size limit.]",
			},
		]);
		const raw = await run(createReadTool(dir, { autoResizeImages: false }), { path: "broken.png" });
		expect(raw.content[1]).toMatchObject({ type: "image", mimeType: "image/png" });
	});

	test("binary non-image content is decoded lossily", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "bin"), Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62]));
		expect(textOf(await run(createReadTool(dir), { path: "bin" }))).toBe("a\uFFFD\uFFFD\u0000b");
	});

	test("missing file and abort", async () => {
		const dir = tempDir();
		expect(await errorOf(run(createReadTool(dir), { path: "nope.txt" }))).toContain("ENOENT");
		const controller = new AbortController();
		controller.abort();
		writeFileSync(join(dir, "a"), "a");
		expect(await errorOf(run(createReadTool(dir), { path: "a" }, { signal: controller.signal }))).toBe(
			"Operation aborted",
		);
	});

	// As root the read runs as nobody: root could read the file anyway (unprivileged.ts).
	test.skipIf(permissionTestsUnavailable() !== undefined)("unreadable file reports the OS error", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "secret"), "x");
		giveToNobody(dir);
		chmodSync(join(dir, "secret"), 0o000);
		expect(await asNobody(() => errorOf(run(createReadTool(dir), { path: "secret" })))).toContain("EACCES");
	});
});

describe("write", () => {
	test("creates parent folders and reports pi's text", async () => {
		const dir = tempDir();
		const result = await run(createWriteTool(dir), { path: "a/b/c.txt", content: "héllo" });
		expect(textOf(result)).toBe("Successfully wrote to a/b/c.txt");
		expect(result.details).toBeUndefined();
		expect(readFileSync(join(dir, "a/b/c.txt"), "utf-8")).toBe("héllo");
	});

	test("overwrites keeping the mode, writes through symlinks", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "run.sh"), "old");
		chmodSync(join(dir, "run.sh"), 0o755);
		await run(createWriteTool(dir), { path: "run.sh", content: "new" });
		expect(readFileSync(join(dir, "run.sh"), "utf-8")).toBe("new");
		expect(statSync(join(dir, "run.sh")).mode & 0o777).toBe(0o755);
		mkdirSync(join(dir, "real"));
		writeFileSync(join(dir, "real/t.txt"), "t");
		symlinkSync(join(dir, "real/t.txt"), join(dir, "link.txt"));
		await run(createWriteTool(dir), { path: "link.txt", content: "via link" });
		expect(lstatSync(join(dir, "link.txt")).isSymbolicLink()).toBe(true);
		expect(readFileSync(join(dir, "real/t.txt"), "utf-8")).toBe("via link");
	});

	test("concurrent writes to one file are serialised", async () => {
		const dir = tempDir();
		const write = createWriteTool(dir);
		await Promise.all(Array.from({ length: 10 }, (_, i) => run(write, { path: "same.txt", content: `v${i}` })));
		expect(readFileSync(join(dir, "same.txt"), "utf-8")).toBe("v9");
	});
});
