import { afterEach, beforeEach, describe, expect, spyOn, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadContextFiles, resolvePromptSource } from "../../src/agent/context-files.ts";

let root: string;
let agentDir: string;

beforeEach(() => {
	root = realpathSync(mkdtempSync(join(tmpdir(), "pi-ctx-")));
	agentDir = join(root, "agent");
	mkdirSync(agentDir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("loadContextFiles", () => {
	test("global first, then root-down to cwd, one per directory, AGENTS.md preferred", () => {
		const project = join(root, "proj");
		const sub = join(project, "sub");
		mkdirSync(sub, { recursive: true });
		writeFileSync(join(agentDir, "AGENTS.md"), "global");
		writeFileSync(join(root, "CLAUDE.md"), "root claude");
		writeFileSync(join(project, "AGENTS.md"), "project agents");
		writeFileSync(join(project, "CLAUDE.md"), "project claude (ignored)");
		writeFileSync(join(sub, "CLAUDE.md"), "sub claude");
		const files = loadContextFiles(sub, agentDir);
		// Ancestors above the temp root (e.g. /tmp) have no context files in a clean environment.
		expect(files).toEqual([
			{ path: join(agentDir, "AGENTS.md"), content: "global" },
			{ path: join(root, "CLAUDE.md"), content: "root claude" },
			{ path: join(project, "AGENTS.md"), content: "project agents" },
			{ path: join(sub, "CLAUDE.md"), content: "sub claude" },
		]);
	});

	test("the agent dir's file is not repeated when cwd is inside the agent dir", () => {
		writeFileSync(join(agentDir, "AGENTS.md"), "global");
		const inside = join(agentDir, "x");
		mkdirSync(inside);
		expect(loadContextFiles(inside, agentDir)).toEqual([{ path: join(agentDir, "AGENTS.md"), content: "global" }]);
	});

	test("no files → empty list; a folder named like a context file is passed over silently (pi 1.6.0)", () => {
		const project = join(root, "p");
		mkdirSync(join(project, "AGENTS.md"), { recursive: true });
		expect(loadContextFiles(root, agentDir)).toEqual([]);
		writeFileSync(join(project, "CLAUDE.md"), "claude");
		const stderr = spyOn(process.stderr, "write").mockImplementation(() => true);
		try {
			expect(loadContextFiles(project, agentDir)).toEqual([{ path: join(project, "CLAUDE.md"), content: "claude" }]);
			expect(stderr).not.toHaveBeenCalled();
		} finally {
			stderr.mockRestore();
		}
	});

	test("AGENTS.override.md replaces AGENTS.md / CLAUDE.md of its own folder only", () => {
		const project = join(root, "proj");
		const sub = join(project, "sub");
		mkdirSync(sub, { recursive: true });
		writeFileSync(join(agentDir, "AGENTS.md"), "global");
		writeFileSync(join(project, "AGENTS.override.md"), "project override");
		writeFileSync(join(project, "AGENTS.md"), "project agents (replaced)");
		writeFileSync(join(project, "CLAUDE.md"), "project claude (replaced)");
		writeFileSync(join(sub, "CLAUDE.md"), "sub claude");
		expect(loadContextFiles(sub, agentDir)).toEqual([
			{ path: join(agentDir, "AGENTS.md"), content: "global" },
			{ path: join(project, "AGENTS.override.md"), content: "project override" },
			{ path: join(sub, "CLAUDE.md"), content: "sub claude" },
		]);
		// In the agent dir it replaces the global AGENTS.md too.
		writeFileSync(join(agentDir, "AGENTS.override.md"), "global override");
		expect(loadContextFiles(sub, agentDir)[0]).toEqual({
			path: join(agentDir, "AGENTS.override.md"),
			content: "global override",
		});
	});

	test("a leading byte-order mark is not part of the instructions", () => {
		writeFileSync(join(root, "AGENTS.md"), "\uFEFFrules\uFEFF");
		expect(loadContextFiles(root, agentDir)).toEqual([{ path: join(root, "AGENTS.md"), content: "rules\uFEFF" }]);
	});
});

describe("resolvePromptSource", () => {
	test("a path to an existing file gives its content, otherwise the literal text", () => {
		const file = join(root, "prompt.txt");
		writeFileSync(file, "from file");
		expect(resolvePromptSource(file, root, agentDir, "SYSTEM.md", true)).toBe("from file");
		expect(resolvePromptSource("prompt.txt", root, agentDir, "SYSTEM.md", true)).toBe("from file");
		expect(resolvePromptSource("Be a pirate", root, agentDir, "SYSTEM.md", true)).toBe("Be a pirate");
		expect(resolvePromptSource("", root, agentDir, "SYSTEM.md", true)).toBeUndefined();
	});

	test("a file's leading byte-order mark is dropped (SYSTEM.md written by a Windows editor)", () => {
		writeFileSync(join(agentDir, "SYSTEM.md"), "\uFEFFBe brief.");
		expect(resolvePromptSource(undefined, root, agentDir, "SYSTEM.md", true)).toBe("Be brief.");
		expect(resolvePromptSource(join(agentDir, "SYSTEM.md"), root, agentDir, "APPEND_SYSTEM.md", true)).toBe(
			"Be brief.",
		);
	});

	test("without a value: project .pi/<file>, then agentDir/<file>, else undefined", () => {
		const cwd = join(root, "proj");
		mkdirSync(join(cwd, ".pi"), { recursive: true });
		expect(resolvePromptSource(undefined, cwd, agentDir, "APPEND_SYSTEM.md", true)).toBeUndefined();
		writeFileSync(join(agentDir, "APPEND_SYSTEM.md"), "global append");
		expect(resolvePromptSource(undefined, cwd, agentDir, "APPEND_SYSTEM.md", true)).toBe("global append");
		expect(resolvePromptSource(undefined, cwd, agentDir, "SYSTEM.md", true)).toBeUndefined();
		writeFileSync(join(cwd, ".pi", "APPEND_SYSTEM.md"), "project append");
		expect(resolvePromptSource(undefined, cwd, agentDir, "APPEND_SYSTEM.md", true)).toBe("project append");
		// An explicit value wins over discovery.
		expect(resolvePromptSource("literal", cwd, agentDir, "APPEND_SYSTEM.md", true)).toBe("literal");
		// An untrusted project's file is skipped: the agent dir's applies.
		expect(resolvePromptSource(undefined, cwd, agentDir, "APPEND_SYSTEM.md", false)).toBe("global append");
	});
});
