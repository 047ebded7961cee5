/**
 * write and edit change an existing file in place (same inode, owner, mode, hard links), create new files whole
 * (temp + rename), and report the real error when something fails.
 */
import { describe, expect, spyOn, test } from "bun:test";
import * as fs from "node:fs";
import { chmodSync, chownSync, linkSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEditTool } from "../../src/tools/edit.ts";
import { createWriteTool } from "../../src/tools/write.ts";
import { writeFileAtomicSync } from "../../src/util/atomic-write.ts";
import { writeFileInPlaceSync } from "../../src/util/in-place-write.ts";
import { asNobody, giveToNobody, NOBODY, permissionTestsUnavailable, runningAsRoot } from "../support/unprivileged.ts";
import { errorOf, run, tempDir, textOf } from "./helpers.ts";

const edit = (dir: string, path: string, oldText: string, newText: string) =>
	run(createEditTool(dir), { path, edits: [{ oldText, newText }] });

describe("existing files are rewritten in place", () => {
	test("write and edit keep the inode and the mode; a hard link sees the new content", async () => {
		const dir = tempDir();
		const file = join(dir, "script.sh");
		writeFileSync(file, "echo old\n");
		chmodSync(file, 0o750);
		linkSync(file, join(dir, "hardlink.sh"));
		const inode = statSync(file).ino;

		await edit(dir, "script.sh", "old", "edited");
		expect(readFileSync(join(dir, "hardlink.sh"), "utf8")).toBe("echo edited\n");
		await run(createWriteTool(dir), { path: "script.sh", content: "echo written, and longer than before\n" });
		expect(readFileSync(join(dir, "hardlink.sh"), "utf8")).toBe("echo written, and longer than before\n");
		await run(createWriteTool(dir), { path: "script.sh", content: "short\n" });
		expect(readFileSync(join(dir, "hardlink.sh"), "utf8")).toBe("short\n");

		expect(statSync(file).ino).toBe(inode);
		expect(statSync(file).mode & 0o777).toBe(0o750);
		expect(statSync(file).nlink).toBe(2);
		// Nothing left beside it.
		expect(readdirSync(dir).sort()).toEqual(["hardlink.sh", "script.sh"]);
	});

	test.skipIf(!runningAsRoot)("a file root edits stays its owner's", async () => {
		const dir = tempDir();
		const file = join(dir, "theirs.txt");
		writeFileSync(file, "a line\n");
		chownSync(file, NOBODY.uid, NOBODY.gid);
		await edit(dir, "theirs.txt", "a line", "an edited line");
		await run(createWriteTool(dir), { path: "theirs.txt", content: "written by root\n" });
		expect(readFileSync(file, "utf8")).toBe("written by root\n");
		expect([statSync(file).uid, statSync(file).gid]).toEqual([NOBODY.uid, NOBODY.gid]);
	});
	if (!runningAsRoot) console.warn("owner-keeping test skipped: only root can make a file another user's");

	test.skipIf(permissionTestsUnavailable() !== undefined)(
		"a writable file in a folder we may not write to can be edited and rewritten, as in pi",
		async () => {
			const dir = tempDir();
			writeFileSync(join(dir, "notes.txt"), "first draft\n");
			giveToNobody(dir);
			chmodSync(dir, 0o555);
			try {
				await asNobody(async () => {
					await edit(dir, "notes.txt", "first", "second");
					await run(createWriteTool(dir), { path: "notes.txt", content: "third draft\n" });
				});
				expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("third draft\n");
				// A new file there is still refused, with the OS's reason.
				const refused = await asNobody(() => errorOf(run(createWriteTool(dir), { path: "new.txt", content: "x" })));
				expect(refused).toContain("EACCES");
			} finally {
				chmodSync(dir, 0o755);
			}
		},
	);

	test("a FIFO is refused instead of waited on", async () => {
		const dir = tempDir();
		const fifo = join(dir, "pipe");
		expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
		expect(() => writeFileInPlaceSync(fifo, "x")).toThrow("not a regular file");
	});
});

describe("new files are created whole", () => {
	test("temp file + rename: the content appears at once, nothing is left beside it", async () => {
		const dir = tempDir();
		const result = await run(createWriteTool(dir), { path: "sub/new.txt", content: "fresh" });
		expect(textOf(result)).toBe("Successfully wrote to sub/new.txt");
		expect(readFileSync(join(dir, "sub/new.txt"), "utf8")).toBe("fresh");
		expect(readdirSync(join(dir, "sub"))).toEqual(["new.txt"]);
	});

	test("a failed temp cleanup never hides the real error", () => {
		const dir = tempDir();
		const rename = spyOn(fs, "renameSync").mockImplementation(() => {
			throw Object.assign(new Error("EXDEV: cross-device link not permitted, rename"), { code: "EXDEV" });
		});
		const cannotRemove = () => {
			throw Object.assign(new Error("EROFS: read-only file system, unlink"), { code: "EROFS" });
		};
		const removers = [spyOn(fs, "unlinkSync"), spyOn(fs, "rmSync")].map((spy) => spy.mockImplementation(cannotRemove));
		try {
			expect(() => writeFileAtomicSync(join(dir, "a.txt"), "x")).toThrow("EXDEV");
		} finally {
			rename.mockRestore();
			for (const spy of removers) spy.mockRestore();
		}
	});
});
