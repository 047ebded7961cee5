/** Package sources, pi's install layout and which files of a package load, on real folders. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectPackageResources, type PackageFilter } from "../../src/packages/collect.ts";
import { gitInstallPath, npmInstallPath } from "../../src/packages/layout.ts";
import { packageIdentity, parsePackageSource } from "../../src/packages/source.ts";
import { makePackage, skillMd } from "./fixtures.ts";

describe("sources", () => {
	test("npm specs: name, version, range, pinned", () => {
		expect(parsePackageSource("npm:@scope/pkg@1.2.3")).toEqual({
			type: "npm",
			spec: "@scope/pkg@1.2.3",
			name: "@scope/pkg",
			version: "1.2.3",
			range: "1.2.3",
			pinned: true,
		});
		expect(parsePackageSource("npm:pkg@^1")).toMatchObject({ name: "pkg", range: "^1", pinned: false });
		expect(parsePackageSource("npm:pkg@next")).toEqual({
			type: "npm",
			spec: "pkg@next",
			name: "pkg",
			version: "next",
			pinned: false,
		});
		expect(parsePackageSource("npm:pkg")).toEqual({ type: "npm", spec: "pkg", name: "pkg", pinned: false });
	});

	test("git sources as pi parses them (host and path decide the clone folder)", () => {
		expect(parsePackageSource("git:github.com/user/repo@v1")).toEqual({
			type: "git",
			repo: "https://github.com/user/repo",
			host: "github.com",
			path: "user/repo",
			ref: "v1",
			pinned: true,
		});
		expect(parsePackageSource("git:git@github.com:user/repo.git@main")).toMatchObject({
			repo: "git@github.com:user/repo.git",
			path: "user/repo",
			ref: "main",
		});
		expect(parsePackageSource("https://gitlab.com/group/sub/repo.git")).toMatchObject({
			host: "gitlab.com",
			path: "group/sub/repo",
			pinned: false,
		});
		expect(parsePackageSource("ssh://git@github.com/user/repo")).toMatchObject({
			host: "github.com",
			path: "user/repo",
		});
		// Not git: local paths, and nothing that could escape the install folder.
		expect(parsePackageSource("./pkg")).toEqual({ type: "local", path: "./pkg" });
		expect(parsePackageSource("git:github.com/user/..")).toEqual({ type: "local", path: "git:github.com/user/.." });
	});

	test("identity: one package however it is spelled", () => {
		expect(packageIdentity("npm:pkg@1.0.0", "/a")).toBe(packageIdentity("npm:pkg@^2", "/b"));
		expect(packageIdentity("git:github.com/u/r@v1", "/a")).toBe(packageIdentity("https://github.com/u/r", "/b"));
		expect(packageIdentity("../x", "/a/b")).toBe(packageIdentity("/a/x", "/c"));
	});

	test("install folders are pi's, temporary ones hashed as pi hashes them", () => {
		const roots = { agentDir: "/home/u/.pi/agent", cwd: "/work/p" };
		const npm = parsePackageSource("npm:@s/p");
		const git = parsePackageSource("git:github.com/user/repo@v1");
		if (npm.type !== "npm" || git.type !== "git") throw new Error("parse");
		expect(npmInstallPath(roots, npm, "user")).toBe("/home/u/.pi/agent/npm/node_modules/@s/p");
		expect(npmInstallPath(roots, npm, "project")).toBe("/work/p/.pi/npm/node_modules/@s/p");
		expect(gitInstallPath(roots, git, "user")).toBe("/home/u/.pi/agent/git/github.com/user/repo");
		expect(gitInstallPath(roots, git, "project")).toBe("/work/p/.pi/git/github.com/user/repo");
		const agentDir = mkdtempSync(join(tmpdir(), "pi-agent-"));
		expect(npmInstallPath({ agentDir, cwd: "/w" }, npm, "temporary")).toBe(
			join(agentDir, "tmp/extensions/npm/f35b2129/node_modules/@s/p"),
		);
		expect(gitInstallPath({ agentDir, cwd: "/w" }, git, "temporary")).toBe(
			join(agentDir, "tmp/extensions/git-github.com/18093e51/user/repo"),
		);
	});
});

function collect(root: string, filter?: PackageFilter): Record<string, string[]> {
	const found: Record<string, string[]> = {};
	collectPackageResources(root, filter, (type, path, enabled) => {
		found[type] = [...(found[type] ?? []), `${path.slice(root.length + 1)}${enabled ? "" : " (off)"}`];
	});
	return found;
}

describe("which files of a package load", () => {
	const conventional = () =>
		makePackage(
			{ name: "conv" },
			{
				"extensions/a.ts": "",
				"extensions/multi/index.ts": "",
				"extensions/multi/helper.ts": "",
				"skills/one/SKILL.md": skillMd("one", "One"),
				"skills/two/SKILL.md": skillMd("two", "Two"),
				"prompts/p.md": "p",
				"prompts/nested/q.md": "q",
				"themes/t.json": "{}",
				"README.md": "not a resource",
			},
		);

	test("conventional folders", () => {
		const found = collect(conventional());
		expect(found.extensions?.sort()).toEqual(["extensions/a.ts", "extensions/multi/index.ts"]);
		expect(found.skills?.sort()).toEqual(["skills/one/SKILL.md", "skills/two/SKILL.md"]);
		expect(found.prompts?.sort()).toEqual(["prompts/nested/q.md", "prompts/p.md"]);
		expect(found.themes).toEqual(["themes/t.json"]);
	});

	test("the pi manifest: paths, globs and ! exclusions; a metadata-only manifest keeps the folders", () => {
		const root = makePackage(
			{
				name: "m",
				pi: { extensions: ["./src/ext.ts"], prompts: ["./res/*.md", "!**/skip.md"], skills: ["./res/skills"] },
			},
			{
				"src/ext.ts": "",
				"res/a.md": "",
				"res/skip.md": "",
				"res/skills/s/SKILL.md": skillMd("s", "S"),
				"extensions/ignored.ts": "",
			},
		);
		expect(collect(root)).toEqual({
			extensions: ["src/ext.ts"],
			prompts: ["res/a.md"],
			skills: ["res/skills/s/SKILL.md"],
		});
		const metadataOnly = makePackage({ name: "n", pi: { changelogPath: "./CHANGES.md" } }, { "prompts/x.md": "" });
		expect(collect(metadataOnly)).toEqual({ prompts: ["prompts/x.md"] });
	});

	test("settings filters: [] turns a kind off, patterns narrow it, autoload:false only switches what it names", () => {
		const root = conventional();
		const filtered = collect(root, { skills: [], prompts: ["prompts/p.md"], extensions: ["!extensions/a.ts"] });
		expect(filtered.skills?.sort()).toEqual(["skills/one/SKILL.md (off)", "skills/two/SKILL.md (off)"]);
		expect(filtered.prompts?.sort()).toEqual(["prompts/nested/q.md (off)", "prompts/p.md"]);
		expect(filtered.extensions?.sort()).toEqual(["extensions/a.ts (off)", "extensions/multi/index.ts"]);
		expect(filtered.themes).toEqual(["themes/t.json"]);
		expect(collect(root, { autoload: false, skills: ["-skills/two"] })).toEqual({
			skills: ["skills/two/SKILL.md (off)"],
		});
	});
});
