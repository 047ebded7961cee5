import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { agentPaths } from "../../src/config/paths.ts";
import { findExternalTool } from "../../src/tools/external-tools.ts";
import { createFindTool } from "../../src/tools/find.ts";
import { IgnoreFile, IgnoreStack, parseIgnoreFile } from "../../src/tools/gitignore.ts";
import { createGrepTool } from "../../src/tools/grep.ts";
import { createLsTool } from "../../src/tools/ls.ts";
import { asNobody, giveToNobody, permissionTestsUnavailable } from "../support/unprivileged.ts";
import { errorOf, run, tempDir, textOf } from "./helpers.ts";

/** A small project: ignored build output, nested .gitignore with a negation, a hidden file. */
function project(): string {
	const dir = tempDir();
	mkdirSync(join(dir, ".git"));
	mkdirSync(join(dir, "src/lib"), { recursive: true });
	mkdirSync(join(dir, "dist"));
	mkdirSync(join(dir, "logs"));
	writeFileSync(join(dir, ".gitignore"), "dist/\n*.log\n");
	writeFileSync(join(dir, "src/.gitignore"), "secret.ts\n!keep.log\n");
	writeFileSync(join(dir, "src/main.ts"), "import { helper } from './lib/helper';\nconsole.log(helper());\n");
	writeFileSync(join(dir, "src/lib/helper.ts"), "export function helper() {\n\treturn 'TODO: helper';\n}\n");
	writeFileSync(join(dir, "src/secret.ts"), "TODO secret\n");
	writeFileSync(join(dir, "src/keep.log"), "TODO kept log\n");
	writeFileSync(join(dir, "dist/out.js"), "TODO built\n");
	writeFileSync(join(dir, "logs/app.log"), "TODO log\n");
	writeFileSync(join(dir, ".env.example"), "TODO=1\n");
	writeFileSync(join(dir, "README.md"), "# Title\nTODO: docs\n");
	return dir;
}

const builtin = { backend: "builtin" as const };

describe("gitignore matcher", () => {
	const stack = new IgnoreStack().push(
		"",
		new IgnoreFile(parseIgnoreFile("*.log\n!important.log\n/build\ndocs/**/*.tmp\ncache/\n# c\n")),
	);
	test.each([
		["a.log", false, true],
		["deep/x.log", false, true],
		["important.log", false, false],
		["build", true, true],
		["sub/build", true, false],
		["docs/a/b/c.tmp", false, true],
		["docs/c.tmp", false, true],
		["cache", true, true],
		["cache", false, false],
		["src/main.ts", false, false],
	])("%s (dir=%p) ignored=%p", (path, isDir, expected) => {
		expect(stack.ignores(path, isDir)).toBe(expected);
	});
});

describe("grep (built-in)", () => {
	test("respects .gitignore (nested, negated), includes hidden files", async () => {
		const dir = project();
		const text = textOf(await run(createGrepTool(dir, builtin), { pattern: "TODO" }));
		expect(text.split("\n").sort()).toEqual(
			[
				".env.example:1: TODO=1",
				"README.md:2: TODO: docs",
				"src/keep.log:1: TODO kept log",
				"src/lib/helper.ts:2: \treturn 'TODO: helper';",
			].sort(),
		);
	});

	test("context lines, ignoreCase, literal, glob, single file", async () => {
		const dir = project();
		const grep = createGrepTool(dir, builtin);
		expect(textOf(await run(grep, { pattern: "return", context: 1 }))).toBe(
			"src/lib/helper.ts-1- export function helper() {\nsrc/lib/helper.ts:2: \treturn 'TODO: helper';\nsrc/lib/helper.ts-3- }",
		);
		expect(textOf(await run(grep, { pattern: "title", ignoreCase: true }))).toBe("README.md:1: # Title");
		expect(textOf(await run(grep, { pattern: "helper());", literal: true }))).toBe(
			"src/main.ts:2: console.log(helper());",
		);
		expect(textOf(await run(grep, { pattern: "TODO", glob: "*.ts" }))).toBe(
			"src/lib/helper.ts:2: \treturn 'TODO: helper';",
		);
		expect(textOf(await run(grep, { pattern: "TODO", path: "dist/out.js" }))).toBe("out.js:1: TODO built");
		expect(textOf(await run(grep, { pattern: "nothing-here" }))).toBe("No matches found");
	});

	test("match limit and long lines", async () => {
		const dir = tempDir();
		writeFileSync(
			join(dir, "many.txt"),
			`${Array.from({ length: 10 }, (_, i) => `hit ${i}`).join("\n")}\n${"hit ".repeat(200)}\n`,
		);
		const limited = await run(createGrepTool(dir, builtin), { pattern: "hit", limit: 3 });
		expect(textOf(limited)).toBe(
			"many.txt:1: hit 0\nmany.txt:2: hit 1\nmany.txt:3: hit 2\n\n[3 matches limit reached. Use limit=6 for more, or refine pattern]",
		);
		expect(limited.details).toEqual({ matchLimitReached: 3 });
		const long = await run(createGrepTool(dir, builtin), { pattern: "hit hit" });
		expect(textOf(long)).toEndWith(
			"... [truncated]\n\n[Some lines truncated to 500 chars. Use read tool to see full lines]",
		);
		expect(long.details).toEqual({ linesTruncated: true });
	});

	test("pi 1.6.0: overlapping context is shown once; a limit notice needs one more match; ./ globs", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "n.txt"), `${Array.from({ length: 20 }, (_, i) => `${i + 1}`).join("\n")}\n`);
		const grep = createGrepTool(dir, builtin);
		// Matches 1, 10, 11 (limit 3); line 12 also matches but is shown as the trailing context of the last one.
		expect(textOf(await run(grep, { pattern: "1", path: "n.txt", context: 1, limit: 3 }))).toBe(
			"n.txt:1: 1\nn.txt-2- 2\nn.txt-9- 9\nn.txt:10: 10\nn.txt:11: 11\nn.txt-12- 12\n\n" +
				"[3 matches limit reached. Use limit=6 for more, or refine pattern]",
		);
		// Exactly `limit` matches: nothing was cut off, so no notice; a file's last newline is no extra line.
		expect(textOf(await run(grep, { pattern: "^20$", path: "n.txt", context: 2, limit: 1 }))).toBe(
			"n.txt-18- 18\nn.txt-19- 19\nn.txt:20: 20",
		);
		mkdirSync(join(dir, "sub"));
		writeFileSync(join(dir, "sub/a.ts"), "needle\n");
		writeFileSync(join(dir, "b.ts"), "needle\n");
		expect(textOf(await run(grep, { pattern: "needle", glob: "./sub/*.ts" }))).toBe("sub/a.ts:1: needle");
		expect(textOf(await run(grep, { pattern: "needle", glob: "!./sub/*.ts" }))).toBe("b.ts:1: needle");
	});

	test("errors: missing path, bad regex", async () => {
		const dir = tempDir();
		expect(await errorOf(run(createGrepTool(dir, builtin), { pattern: "x", path: "nope" }))).toBe(
			`Path not found: ${join(dir, "nope")}`,
		);
		expect(await errorOf(run(createGrepTool(dir, builtin), { pattern: "(" }))).toStartWith("regex parse error");
	});

	test("an aborted signal stops grep and find", async () => {
		const dir = project();
		const controller = new AbortController();
		controller.abort();
		const options = { signal: controller.signal };
		expect(await errorOf(run(createGrepTool(dir, builtin), { pattern: "TODO" }, options))).toBe("Operation aborted");
		expect(await errorOf(run(createFindTool(dir, builtin), { pattern: "*" }, options))).toBe("Operation aborted");
		expect(await errorOf(run(createLsTool(dir), {}, options))).toBe("Operation aborted");
	});

	test("symlinks are not followed, binary files are skipped", async () => {
		const dir = tempDir();
		mkdirSync(join(dir, "real"));
		writeFileSync(join(dir, "real/a.txt"), "needle\n");
		symlinkSync(join(dir, "real"), join(dir, "linkdir"));
		symlinkSync(dir, join(dir, "real/loop"));
		writeFileSync(join(dir, "blob.bin"), Buffer.from([0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0, 1, 2]));
		expect(textOf(await run(createGrepTool(dir, builtin), { pattern: "needle" }))).toBe("real/a.txt:1: needle");
	});

	// As root the search runs as nobody: root could read the folder anyway (unprivileged.ts).
	test.skipIf(permissionTestsUnavailable() !== undefined)("unreadable folders are skipped", async () => {
		const dir = tempDir();
		mkdirSync(join(dir, "locked"));
		writeFileSync(join(dir, "locked/x.txt"), "needle\n");
		writeFileSync(join(dir, "open.txt"), "needle\n");
		giveToNobody(dir);
		chmodSync(join(dir, "locked"), 0o000);
		try {
			const output = await asNobody(() => run(createGrepTool(dir, builtin), { pattern: "needle" }));
			expect(textOf(output)).toBe("open.txt:1: needle");
		} finally {
			chmodSync(join(dir, "locked"), 0o755);
		}
	});
});

describe("find (built-in)", () => {
	test("name globs, path globs, .gitignore, dirs with slash", async () => {
		const dir = project();
		const find = createFindTool(dir, builtin);
		expect(textOf(await run(find, { pattern: "*.ts" }))).toBe("src/lib/helper.ts\nsrc/main.ts");
		expect(textOf(await run(find, { pattern: "src/**/*.ts" }))).toBe("src/lib/helper.ts\nsrc/main.ts");
		expect(textOf(await run(find, { pattern: "lib" }))).toBe("src/lib/");
		expect(textOf(await run(find, { pattern: "*.log" }))).toBe("src/keep.log");
		expect(textOf(await run(find, { pattern: "*.ts", path: "src/lib" }))).toBe("helper.ts");
		expect(textOf(await run(find, { pattern: "*.py" }))).toBe("No files found matching pattern");
		expect(await errorOf(run(find, { pattern: "*", path: "missing" }))).toBe(`Path not found: ${join(dir, "missing")}`);
	});

	test("result limit notice, only when more results exist (pi 1.6.0)", async () => {
		const dir = tempDir();
		for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}.txt`), "");
		const result = await run(createFindTool(dir, builtin), { pattern: "*.txt", limit: 2 });
		expect(textOf(result)).toBe("f0.txt\nf1.txt\n\n[2 results limit reached. Use limit=4 for more, or refine pattern]");
		expect(result.details).toEqual({ resultLimitReached: 2 });
		const all = await run(createFindTool(dir, builtin), { pattern: "*.txt", limit: 5 });
		expect(textOf(all)).toBe("f0.txt\nf1.txt\nf2.txt\nf3.txt\nf4.txt");
		expect(all.details).toBeUndefined();
	});

	test("pi 1.6.0: path patterns are relative to the search folder, ./ is dropped, lowercase ignores case", async () => {
		const dir = project();
		mkdirSync(join(dir, "pkg/src"), { recursive: true });
		writeFileSync(join(dir, "pkg/src/deep.ts"), "");
		const find = createFindTool(dir, builtin);
		expect(textOf(await run(find, { pattern: "src/*.ts" }))).toBe("src/main.ts");
		expect(textOf(await run(find, { pattern: "**/src/*.ts" }))).toBe("pkg/src/deep.ts\nsrc/main.ts");
		expect(textOf(await run(find, { pattern: "./src/*.ts" }))).toBe("src/main.ts");
		expect(textOf(await run(find, { pattern: "lib/*.ts", path: "src" }))).toBe("lib/helper.ts");
		expect(textOf(await run(find, { pattern: "readme.md" }))).toBe("README.md");
		expect(textOf(await run(find, { pattern: "Readme.md" }))).toBe("No files found matching pattern");
		expect(textOf(await run(find, { pattern: `${dir}/src/*.ts` }))).toBe("src/main.ts");
	});
});

describe("ls", () => {
	test("sorted case-insensitively, dotfiles, folder suffix, limit", async () => {
		const dir = tempDir();
		mkdirSync(join(dir, "Beta"));
		writeFileSync(join(dir, "alpha.txt"), "");
		writeFileSync(join(dir, ".hidden"), "");
		writeFileSync(join(dir, "Zed"), "");
		symlinkSync(join(dir, "nowhere"), join(dir, "broken"));
		const ls = createLsTool(dir);
		expect(textOf(await run(ls, {}))).toBe(".hidden\nalpha.txt\nBeta/\nZed");
		const limited = await run(ls, { limit: 2 });
		expect(textOf(limited)).toBe(".hidden\nalpha.txt\n\n[2 entries limit reached. Use limit=4 for more]");
		expect(limited.details).toEqual({ entryLimitReached: 2 });
	});

	test("errors and empty folder", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "file"), "");
		mkdirSync(join(dir, "empty"));
		const ls = createLsTool(dir);
		expect(textOf(await run(ls, { path: "empty" }))).toBe("(empty directory)");
		expect(await errorOf(run(ls, { path: "file" }))).toBe(`Not a directory: ${join(dir, "file")}`);
		expect(await errorOf(run(ls, { path: "nope" }))).toBe(`Path not found: ${join(dir, "nope")}`);
	});
});

describe("external rg/fd", () => {
	const bin = agentPaths.bin();
	afterEach(() => rmSync(bin, { recursive: true, force: true }));

	/** An executable shell script named `name` in pi's bin folder; returns its path. */
	function fakeTool(name: string, script: string): string {
		mkdirSync(bin, { recursive: true });
		const path = join(bin, name);
		writeFileSync(path, `#!/bin/sh\n${script}`);
		chmodSync(path, 0o755);
		return path;
	}

	test("pi's bin folder is searched before PATH; a fake rg receives pi's flags", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "a.txt"), "one\nfound it\n");
		const argsFile = join(dir, "args");
		const event = JSON.stringify({
			type: "match",
			data: { path: { text: join(dir, "a.txt") }, lines: { text: "found it\n" }, line_number: 2 },
		});
		const eventsFile = join(dir, "events.jsonl");
		writeFileSync(eventsFile, `{"type":"begin"}\n${event}\n`);
		const fakeRg = fakeTool("rg", `printf '%s\\n' "$@" > ${argsFile}\ncat ${eventsFile}\n`);
		expect(findExternalTool("rg", "")).toBe(fakeRg);
		const result = await run(createGrepTool(dir), { pattern: "found", ignoreCase: true, glob: "*.txt" });
		expect(textOf(result)).toBe("a.txt:2: found it");
		// pi 1.6.0: no rg config file, and a folder is searched from inside it (rg roots --glob at its cwd).
		expect(readFileSync(argsFile, "utf-8").split("\n").slice(0, -1)).toEqual([
			"--no-config",
			"--json",
			"--line-number",
			"--color=never",
			"--hidden",
			"--ignore-case",
			"--glob",
			"*.txt",
			"--",
			"found",
			".",
		]);
	});

	test("a fake fd: pi 1.6.0's flags, path patterns anchored at the search folder, output relativised", async () => {
		const dir = tempDir();
		const argsFile = join(dir, "args");
		const lines = ["src/a.spec.ts", "src/sub/", "src/b.spec.ts"].map((path) => `echo '${dir}/${path}'`).join("\n");
		fakeTool("fd", `printf '%s\\n' "$@" > ${argsFile}\n${lines}\n`);
		// One result more than the limit proves there are more; exactly the limit would have no notice.
		const result = await run(createFindTool(dir), { pattern: "./src/**/*.spec.ts", limit: 2 });
		expect(textOf(result)).toBe(
			"src/a.spec.ts\nsrc/sub/\n\n[2 results limit reached. Use limit=4 for more, or refine pattern]",
		);
		const args = readFileSync(argsFile, "utf-8").split("\n").slice(0, -1);
		// --no-require-git only outside a git work tree (fd then applies .gitignore as git does).
		expect(args.filter((arg) => arg !== "--no-require-git")).toEqual([
			"--color=never",
			"--hidden",
			"--glob",
			"--max-results",
			"3",
			"--full-path",
			"--ignore-case",
			"--",
			`${dir}/src/**/*.spec.ts`,
			dir,
		]);
		const exactly = await run(createFindTool(dir), { pattern: "*.ts", limit: 3 });
		expect(textOf(exactly)).toBe("src/a.spec.ts\nsrc/sub/\nsrc/b.spec.ts");
	});

	test("an fd too old for --no-require-git (Debian 12's 8.6) falls back to the built-in search", async () => {
		const dir = project();
		fakeTool(
			"fd",
			`echo "error: Found argument '--no-require-git' which wasn't expected, or isn't valid in this context" >&2\nexit 2\n`,
		);
		const viaOldFd = textOf(await run(createFindTool(dir), { pattern: "*.ts" }));
		const viaBuiltin = textOf(await run(createFindTool(dir, builtin), { pattern: "*.ts" }));
		expect(viaOldFd).toBe(viaBuiltin);
		expect(viaOldFd).not.toContain("error");
	});

	const rg = findExternalTool("rg");
	if (!rg) console.warn("rg comparison skipped: ripgrep is not installed (apt-get install ripgrep)");
	test.skipIf(!rg)("real rg and the built-in grep agree", async () => {
		const dir = project();
		const sorted = (text: string) => text.split("\n").sort();
		const viaRg = textOf(await run(createGrepTool(dir), { pattern: "TODO" }));
		const viaBuiltin = textOf(await run(createGrepTool(dir, builtin), { pattern: "TODO" }));
		expect(sorted(viaRg)).toEqual(sorted(viaBuiltin));
	});

	const fd = findExternalTool("fd");
	if (!fd) console.warn("fd comparison skipped: fd is not installed (apt-get install fd-find)");
	test.skipIf(!fd)("real fd and the built-in find agree", async () => {
		const dir = project();
		const sorted = (text: string) => text.split("\n").sort();
		const viaFd = textOf(await run(createFindTool(dir), { pattern: "*" }));
		const viaBuiltin = textOf(await run(createFindTool(dir, builtin), { pattern: "*" }));
		// Inside a git work tree fd before 9 lists .git itself (as pi does with it); the built-in search never does.
		const withoutGit = (rows: string[]) => rows.filter((row) => !row.startsWith(".git/"));
		expect(withoutGit(sorted(viaFd))).toEqual(sorted(viaBuiltin));
	});
});
