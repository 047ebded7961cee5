/**
 * First run without a model or key, the startup listing of loaded resources, and /reload (pi-spec §9.1, §9.3).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { agentPaths } from "../../src/config/paths.ts";
import { SettingsManager } from "../../src/config/settings.ts";
import { Keybindings, setActiveKeybindings } from "../../src/modes/interactive/keybindings.ts";
import { type LoadedResources, loadResources } from "../../src/resources/index.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	if (current) await current.quit();
	current = undefined;
});

function skill(dir: string, name: string, description: string): void {
	mkdirSync(join(dir, name), { recursive: true });
	writeFileSync(join(dir, name, "SKILL.md"), `---\nname: ${name}\ndescription: ${description}\n---\nDo ${name}.\n`);
}

/** A project with AGENTS.md, one skill and one prompt template, loaded as the CLI loads them. */
function project(): { cwd: string; agentDir: string; load: () => LoadedResources } {
	const cwd = mkdtempSync(join(tmpdir(), "pi-startup-cwd-"));
	const agentDir = mkdtempSync(join(tmpdir(), "pi-startup-agent-"));
	writeFileSync(join(cwd, "AGENTS.md"), "Be brief.\n");
	skill(join(cwd, ".pi", "skills"), "lint-fixer", "Fixes lint errors");
	mkdirSync(join(cwd, ".pi", "prompts"), { recursive: true });
	writeFileSync(join(cwd, ".pi", "prompts", "review.md"), "---\ndescription: Review code\n---\nReview $1\n");
	const settings = SettingsManager.inMemory({}, { projectTrusted: true });
	const load = () =>
		loadResources({ cwd, agentDir, settings, skillPaths: [], noSkills: false, templatePaths: [], noTemplates: false });
	return { cwd, agentDir, load };
}

describe("first run", () => {
	test("without any model the screen says how to get one; a prompt explains instead of failing", async () => {
		const h = await startInteractive({ turns: [], model: null });
		current = h;
		await h.waitFor("Warning: No models available. Use /login to log into a provider");
		expect(h.screen()).toContain("ANTHROPIC_API_KEY");
		expect(h.screen()).toContain("models.json");
		h.type("hello");
		h.type("\r");
		await h.waitFor("Error: No model selected.");
		await h.waitFor("Then use /model to select a model.");
		expect(h.contexts).toHaveLength(0);
	});

	test("a model whose provider has no key: the prompt names the provider and the ways to add one", async () => {
		const h = await startInteractive({ turns: [], apiKey: false });
		current = h;
		h.type("hello");
		h.type("\r");
		await h.waitFor("Error: No API key found for anthropic.");
		expect(h.screen()).toContain("Use /login");
		expect(h.contexts).toHaveLength(0);
		// With a model there is no first-run warning.
		expect(h.screen()).not.toContain("No models available");
	});

	test("a model fallback message from the CLI is shown as a warning", async () => {
		const h = await startInteractive({
			turns: [],
			interactive: { modelFallbackMessage: "Could not restore model x/y. Using anthropic/fake-model" },
		});
		current = h;
		await h.waitFor("Warning: Could not restore model x/y. Using anthropic/fake-model");
	});
});

describe("startup listing", () => {
	test("[Context], [Skills] and [Prompts] list what was loaded; ctrl+o shows the full paths", async () => {
		const p = project();
		const h = await startInteractive({
			turns: [],
			cwd: p.cwd,
			resources: p.load(),
			interactive: { contextFiles: [join(p.cwd, "AGENTS.md")] },
		});
		current = h;
		await h.waitFor("[Context]");
		const screen = h.screen();
		expect(screen).toMatch(/\[Context\]\s+AGENTS\.md/);
		expect(screen).toMatch(/\[Skills\]\s+lint-fixer/);
		expect(screen).toMatch(/\[Prompts\]\s+\/review/);
		expect(screen).not.toContain(join(p.cwd, ".pi", "skills"));
		h.type("\x0f");
		await h.waitFor(join(p.cwd, ".pi", "skills", "lint-fixer", "SKILL.md"));
		expect(h.screen()).toMatch(/\[Skills\]\s+project\s/);
		expect(h.screen()).toContain(join(p.cwd, "AGENTS.md"));
	});

	test("quietStartup hides the listing (not the conflicts); --verbose shows it expanded", async () => {
		const p = project();
		// The same skill name in the user folder loses to the project one: a collision.
		skill(join(p.agentDir, "skills"), "lint-fixer", "Older copy");
		const resources = p.load();
		const quiet = await startInteractive({
			turns: [],
			cwd: p.cwd,
			resources,
			settings: { quietStartup: true },
			interactive: { contextFiles: [join(p.cwd, "AGENTS.md")] },
		});
		current = quiet;
		await quiet.waitFor("[Skill conflicts]");
		expect(quiet.screen()).toContain('"lint-fixer" collision:');
		expect(quiet.screen()).toContain("(skipped)");
		expect(quiet.screen()).not.toContain("[Context]");
		expect(quiet.screen()).not.toContain("[Skills]");
		await quiet.quit();

		const verbose = await startInteractive({
			turns: [],
			cwd: p.cwd,
			resources,
			settings: { quietStartup: true },
			interactive: { contextFiles: [join(p.cwd, "AGENTS.md")], verbose: true },
		});
		current = verbose;
		await verbose.waitFor("[Skills]");
		expect(verbose.screen()).toContain(join(p.cwd, ".pi", "skills", "lint-fixer", "SKILL.md"));
	});
});

describe("/reload", () => {
	test("re-reads skills and context files, rebuilds the system prompt and lists them again", async () => {
		const p = project();
		let contextFiles = [join(p.cwd, "AGENTS.md")];
		let reloads = 0;
		const h = await startInteractive({
			turns: [],
			cwd: p.cwd,
			resources: p.load(),
			interactive: {
				contextFiles,
				reload: () => {
					reloads++;
					h.session.setResources(p.load());
					return { contextFiles, themeDiagnostics: [] };
				},
			},
		});
		current = h;
		const skillNames = () => h.session.loadout.getBase().skills.map((s) => s.name);
		expect(skillNames()).toEqual(["lint-fixer"]);
		skill(join(p.cwd, ".pi", "skills"), "doc-writer", "Writes docs");
		mkdirSync(join(p.cwd, "sub"));
		writeFileSync(join(p.cwd, "sub", "CLAUDE.md"), "More rules.\n");
		contextFiles = [join(p.cwd, "AGENTS.md"), join(p.cwd, "sub", "CLAUDE.md")];
		h.type("/reload");
		h.type("\r");
		await h.waitFor("Reloaded keybindings, extensions, skills, prompts, themes");
		expect(reloads).toBe(1);
		expect(skillNames()).toContain("doc-writer");
		expect(h.screen()).toMatch(/\[Skills\]\s+doc-writer, lint-fixer/);
		expect(h.screen()).toContain("sub/CLAUDE.md");
	});

	test("re-reads keybindings.json: a key bound after startup works, and the header shows it", async () => {
		const file = agentPaths.keybindings();
		rmSync(file, { force: true });
		try {
			const h = await startInteractive({ turns: [], interactive: { keybindings: undefined } });
			current = h;
			h.type("\x1bx"); // alt+x: not bound yet
			await Bun.sleep(30);
			await h.terminal.flush();
			expect(h.screen()).not.toContain("to expand tools");
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, JSON.stringify({ "app.tools.expand": "alt+x" }));
			h.type("/reload");
			h.type("\r");
			await h.waitFor("Reloaded keybindings");
			await h.waitFor("alt+x more");
			h.type("\x1bx");
			await h.waitFor("to expand tools");
		} finally {
			rmSync(file, { force: true });
			setActiveKeybindings(new Keybindings());
		}
	});

	test("is refused while the agent is answering", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const h = await startInteractive({ turns: [{ chunks: ["thinking about it"], gate }] });
		current = h;
		h.type("question");
		h.type("\r");
		await h.waitFor("thinking about it");
		h.type("/reload");
		h.type("\r");
		await h.waitFor("Warning: Wait for the current response to finish before reloading.");
		release();
		await h.waitUntil(() => !h.session.isStreaming);
	});
});
