/** Temp folder trees for the resource tests. */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SettingsManager } from "../../src/config/settings.ts";
import { type LoadResourcesOptions, loadResources } from "../../src/resources/index.ts";

/** A fresh folder (real path, so symlinked /tmp does not change the paths pi would print). */
export function tempDir(prefix = "pi-res-"): string {
	return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function writeTree(root: string, files: Record<string, string>): void {
	for (const [path, content] of Object.entries(files)) {
		const full = join(root, path);
		mkdirSync(dirname(full), { recursive: true });
		writeFileSync(full, content);
	}
}

export function skillMd(fields: Record<string, string | boolean>, body = "Do the thing."): string {
	const yaml = Object.entries(fields)
		.map(([key, value]) => `${key}: ${typeof value === "string" ? JSON.stringify(value) : String(value)}`)
		.join("\n");
	return `---\n${yaml}\n---\n\n${body}\n`;
}

export interface Layout {
	/** Stands in for HOME. */
	home: string;
	agentDir: string;
	cwd: string;
}

/** HOME, agent dir and project folder under one temp root; HOME is pointed at it for the test's duration. */
export function makeLayout(): Layout {
	const root = tempDir();
	const home = join(root, "home");
	const agentDir = join(home, ".pi", "agent");
	const cwd = join(root, "work", "project");
	mkdirSync(agentDir, { recursive: true });
	mkdirSync(cwd, { recursive: true });
	process.env.HOME = home;
	return { home, agentDir, cwd };
}

export function load(layout: Layout, options: Partial<LoadResourcesOptions> = {}) {
	return loadResources({
		cwd: layout.cwd,
		agentDir: layout.agentDir,
		settings: SettingsManager.create(layout.cwd, layout.agentDir, { projectTrusted: true }),
		skillPaths: [],
		noSkills: false,
		templatePaths: [],
		noTemplates: false,
		...options,
	});
}
