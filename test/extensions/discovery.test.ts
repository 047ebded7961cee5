/** Which extension files load, in which order (pi 1.6's rules), and what that costs when none is configured. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extensionsMayLoad } from "../../src/extensions/configured.ts";
import { type DiscoveryOptions, discoverExtensions } from "../../src/extensions/discovery.ts";

function layout(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), "pi-ext-discovery-"));
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(join(root, path, ".."), { recursive: true });
		writeFileSync(join(root, path), content);
	}
	return root;
}

function options(root: string, overrides: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
	return {
		cwd: join(root, "project"),
		agentDir: join(root, "agent"),
		cliPaths: [],
		globalEntries: [],
		projectEntries: [],
		noExtensions: false,
		projectTrusted: true,
		...overrides,
	};
}

describe("extension discovery", () => {
	test("one level deep: *.ts/*.js files, folders with index.ts, package.json pi.extensions", () => {
		const root = layout({
			"agent/extensions/a.ts": "",
			"agent/extensions/b.js": "",
			"agent/extensions/notes.md": "",
			"agent/extensions/folder/index.ts": "",
			"agent/extensions/folder/helper.ts": "",
			"agent/extensions/pkg/package.json": JSON.stringify({ pi: { extensions: ["./src/main.ts"] } }),
			"agent/extensions/pkg/src/main.ts": "",
			"agent/extensions/pkg/index.ts": "",
			"agent/extensions/deep/nested/index.ts": "",
			"agent/extensions/node_modules/x/index.ts": "",
		});
		const found = discoverExtensions(options(root)).sources.map((source) => source.resolvedPath);
		expect(found).toEqual([
			join(root, "agent/extensions/a.ts"),
			join(root, "agent/extensions/b.js"),
			join(root, "agent/extensions/folder/index.ts"),
			join(root, "agent/extensions/pkg/src/main.ts"),
		]);
	});

	test("pi packages: a -e package's extensions where it stands among the -e values, then the settings' packages", () => {
		const root = layout({ "a.ts": "", "b.ts": "", "tmp/x.ts": "", "pkg/y.ts": "", "agent/extensions/u.ts": "" });
		const info = (path: string, source: string, scope: "temporary" | "user") => ({
			path,
			sourceInfo: { path, source, scope, origin: "package" as const },
		});
		const found = discoverExtensions(
			options(root, {
				cliPaths: [join(root, "a.ts"), "npm:x", join(root, "b.ts")],
				cliPackages: new Map([["npm:x", [info(join(root, "tmp/x.ts"), "npm:x", "temporary")]]]),
				packageExtensions: [info(join(root, "pkg/y.ts"), "npm:y", "user")],
			}),
		).sources;
		expect(found.map((source) => source.resolvedPath)).toEqual([
			join(root, "a.ts"),
			join(root, "tmp/x.ts"),
			join(root, "b.ts"),
			join(root, "pkg/y.ts"),
			join(root, "agent/extensions/u.ts"),
		]);
		expect(found[3]?.sourceInfo).toMatchObject({ source: "npm:y", scope: "user", origin: "package" });
		// --no-extensions keeps the -e ones only, packages of -e included.
		const only = discoverExtensions(
			options(root, {
				cliPaths: ["npm:x"],
				noExtensions: true,
				cliPackages: new Map([["npm:x", [info(join(root, "tmp/x.ts"), "npm:x", "temporary")]]]),
				packageExtensions: [info(join(root, "pkg/y.ts"), "npm:y", "user")],
			}),
		).sources;
		expect(only.map((source) => source.resolvedPath)).toEqual([join(root, "tmp/x.ts")]);
	});

	test("pi's order, each file once: -e, project settings, user settings, project folder, user folder", () => {
		const root = layout({
			"cli.ts": "",
			"project/.pi/extensions/p.ts": "",
			"project/local.ts": "",
			"agent/extensions/u.ts": "",
			"agent/mine.ts": "",
		});
		const result = discoverExtensions(
			options(root, {
				cliPaths: [join(root, "cli.ts"), join(root, "agent/extensions/u.ts")],
				projectEntries: ["../local.ts"],
				globalEntries: ["mine.ts"],
			}),
		);
		expect(result.sources.map((source) => [source.resolvedPath.slice(root.length), source.sourceInfo.scope])).toEqual([
			["/cli.ts", "temporary"],
			["/agent/extensions/u.ts", "temporary"],
			["/project/local.ts", "project"],
			["/agent/mine.ts", "user"],
			["/project/.pi/extensions/p.ts", "project"],
		]);
	});

	test("an untrusted project contributes nothing, and says where it would have", () => {
		const root = layout({ "project/.pi/extensions/p.ts": "", "project/local.ts": "", "agent/extensions/u.ts": "" });
		const result = discoverExtensions(options(root, { projectTrusted: false, projectEntries: ["../local.ts"] }));
		expect(result.sources.map((source) => source.resolvedPath)).toEqual([join(root, "agent/extensions/u.ts")]);
		expect(result.untrustedProjectPaths).toEqual([
			join(root, "project/.pi/settings.json"),
			join(root, "project/.pi/extensions"),
		]);
	});

	test("--no-extensions keeps -e; a missing -e path is reported; settings filters turn discovered files off", () => {
		const root = layout({ "agent/extensions/u.ts": "", "agent/extensions/off.ts": "", "cli.ts": "" });
		const none = discoverExtensions(
			options(root, { noExtensions: true, cliPaths: [join(root, "cli.ts"), join(root, "gone.ts")] }),
		);
		expect(none.sources.map((source) => source.resolvedPath)).toEqual([join(root, "cli.ts")]);
		expect(none.missing).toEqual([
			{ path: join(root, "gone.ts"), error: `Extension path does not exist: ${join(root, "gone.ts")}` },
		]);
		const filtered = discoverExtensions(options(root, { globalEntries: ["-extensions/off.ts"] }));
		expect(filtered.sources.map((source) => source.resolvedPath)).toEqual([join(root, "agent/extensions/u.ts")]);
	});

	test("nothing configured: the cheap check says no, so nothing of the host is loaded", () => {
		const root = layout({ "project/README.md": "" });
		const config = { ...options(root), cliPaths: [] };
		expect(extensionsMayLoad(config)).toBe(false);
		expect(extensionsMayLoad({ ...config, globalEntries: ["!*.ts"] })).toBe(false);
		expect(extensionsMayLoad({ ...config, globalEntries: ["x.ts"] })).toBe(true);
		expect(extensionsMayLoad({ ...config, cliPaths: ["x.ts"], noExtensions: true })).toBe(true);
		mkdirSync(join(root, "agent", "extensions"), { recursive: true });
		expect(extensionsMayLoad(config)).toBe(true);
		expect(extensionsMayLoad({ ...config, noExtensions: true })).toBe(false);
	});
});
