/** Project trust on real folders: what needs a decision, trust.json as pi writes it, and pi 1.6.0's decision order. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	hasProtectedProjectResources,
	PROTECTED_PROJECT_ENTRIES,
	type ResolveProjectTrustOptions,
	resolveProjectTrust,
	TrustStore,
	trustOptions,
	trustPromptTitle,
} from "../../src/config/project-trust.ts";

/** A fresh root (real path) with an agent dir and a project folder two levels down. */
function setup(): { root: string; agentDir: string; cwd: string } {
	const root = realpathSync(mkdtempSync(join(tmpdir(), "pi-trust-")));
	const agentDir = join(root, "agent");
	const cwd = join(root, "work", "project");
	mkdirSync(agentDir, { recursive: true });
	mkdirSync(cwd, { recursive: true });
	return { root, agentDir, cwd };
}

function protectedProject(): { root: string; agentDir: string; cwd: string } {
	const dirs = setup();
	mkdirSync(join(dirs.cwd, ".pi"));
	writeFileSync(join(dirs.cwd, ".pi", "SYSTEM.md"), "You are a pirate.");
	return dirs;
}

describe("hasProtectedProjectResources", () => {
	test("each protected .pi entry needs a decision; a bare .pi or other files do not", () => {
		const { cwd } = setup();
		expect(hasProtectedProjectResources(cwd)).toBe(false);
		mkdirSync(join(cwd, ".pi"));
		writeFileSync(join(cwd, ".pi", "notes.txt"), "");
		writeFileSync(join(cwd, "AGENTS.md"), "context files are not protected");
		expect(hasProtectedProjectResources(cwd)).toBe(false);
		for (const entry of PROTECTED_PROJECT_ENTRIES) {
			const { cwd: project } = setup();
			mkdirSync(join(project, ".pi"));
			if (entry.includes(".")) writeFileSync(join(project, ".pi", entry), "{}");
			else mkdirSync(join(project, ".pi", entry));
			expect(hasProtectedProjectResources(project)).toBe(true);
		}
	});

	test(".agents/skills in cwd or any parent counts, except the user's own ~/.agents/skills", () => {
		const { root, cwd } = setup();
		const home = process.env.HOME;
		try {
			process.env.HOME = join(root, "work");
			mkdirSync(join(root, "work", ".agents", "skills"), { recursive: true });
			expect(hasProtectedProjectResources(cwd)).toBe(false);
			mkdirSync(join(root, ".agents", "skills"), { recursive: true });
			expect(hasProtectedProjectResources(cwd)).toBe(true);
		} finally {
			process.env.HOME = home;
		}
	});
});

describe("TrustStore (trust.json)", () => {
	test("the closest saved folder wins; keys are canonical, sorted, pi's layout", () => {
		const { root, agentDir, cwd } = setup();
		const store = new TrustStore(agentDir);
		expect(store.get(cwd)).toBeNull();
		store.set(join(root, "work"), true);
		expect(store.getEntry(cwd)).toEqual({ path: join(root, "work"), trusted: true });
		store.set(cwd, false);
		expect(store.get(cwd)).toBe(false);
		expect(store.get(join(root, "work", "other"))).toBe(true);
		// A symlink to the project is the same project.
		const link = join(root, "link");
		symlinkSync(cwd, link);
		expect(store.get(link)).toBe(false);
		expect(readFileSync(join(agentDir, "trust.json"), "utf8")).toBe(
			`{\n  "${join(root, "work")}": true,\n  "${cwd}": false\n}\n`,
		);
		// null removes the entry.
		store.set(link, null);
		expect(JSON.parse(readFileSync(join(agentDir, "trust.json"), "utf8"))).toEqual({ [join(root, "work")]: true });
	});

	test("a broken trust.json is an error naming the file, and is never overwritten", () => {
		const { agentDir, cwd } = setup();
		const path = join(agentDir, "trust.json");
		writeFileSync(path, '{"/x": "yes"}');
		const store = new TrustStore(agentDir);
		expect(() => store.get(cwd)).toThrow(`Invalid trust store ${path}: value for "/x" must be true, false, or null`);
		expect(() => store.set(cwd, true)).toThrow("Invalid trust store");
		expect(readFileSync(path, "utf8")).toBe('{"/x": "yes"}');
	});
});

describe("trust prompt choices", () => {
	test("pi's labels, order and what each saves", () => {
		const { root, cwd } = setup();
		const options = trustOptions(cwd, { includeSessionOnly: true });
		expect(options.map((o) => o.label)).toEqual([
			"Trust",
			`Trust parent folder (${join(root, "work")})`,
			"Trust (this session only)",
			"Do not trust",
			"Do not trust (this session only)",
		]);
		expect(options[1]?.updates).toEqual([
			{ path: join(root, "work"), decision: true },
			{ path: cwd, decision: null },
		]);
		expect(options[2]?.updates).toEqual([]);
		expect(trustOptions(cwd).map((o) => o.label)).toEqual([
			"Trust",
			`Trust parent folder (${join(root, "work")})`,
			"Do not trust",
		]);
		expect(trustPromptTitle("/p")).toBe(
			"Trust project folder?\n/p\n\nThis allows pi to load .pi settings and resources, install missing project packages, and execute project extensions.",
		);
	});
});

describe("resolveProjectTrust: pi 1.6.0's order", () => {
	const resolve = (options: ResolveProjectTrustOptions) => resolveProjectTrust(options);

	test("--approve / --no-approve win over everything, without asking", async () => {
		const { agentDir, cwd } = protectedProject();
		new TrustStore(agentDir).set(cwd, false);
		const ask = () => Promise.reject(new Error("must not ask"));
		expect((await resolve({ cwd, agentDir, override: true, prompt: ask })).trusted).toBe(true);
		expect((await resolve({ cwd, agentDir, override: false, defaultProjectTrust: "always" })).trusted).toBe(false);
	});

	test("nothing protected: trusted unless a saved decision says no", async () => {
		const { agentDir, cwd } = setup();
		expect(await resolve({ cwd, agentDir, defaultProjectTrust: "never" })).toMatchObject({
			trusted: true,
			source: "no-protected-resources",
			hasProtectedResources: false,
		});
		new TrustStore(agentDir).set(cwd, false);
		expect(await resolve({ cwd, agentDir })).toMatchObject({ trusted: false, source: "saved" });
	});

	test("an extension decides before saved decisions; undefined passes; remember saves; errors are warnings", async () => {
		const { agentDir, cwd } = protectedProject();
		const store = new TrustStore(agentDir);
		store.set(cwd, false);
		const yes = await resolve({ cwd, agentDir, decide: async () => ({ trusted: true }) });
		expect(yes).toMatchObject({ trusted: true, source: "extension" });
		expect(store.get(cwd)).toBe(false);
		expect((await resolve({ cwd, agentDir, decide: async () => undefined })).source).toBe("saved");
		await resolve({ cwd, agentDir, decide: async () => ({ trusted: true, remember: true }) });
		expect(store.get(cwd)).toBe(true);
		const warnings: string[] = [];
		const failed = await resolve({
			cwd,
			agentDir,
			decide: () => Promise.reject(new Error("boom")),
			onWarning: (message) => warnings.push(message),
		});
		expect(failed).toMatchObject({ trusted: true, source: "saved" });
		expect(warnings).toEqual(["project_trust handler failed: boom"]);
	});

	test("saved decisions, then defaultProjectTrust; 'ask' without a prompt (print, JSON, RPC) skips", async () => {
		const { root, agentDir, cwd } = protectedProject();
		expect(await resolve({ cwd, agentDir })).toMatchObject({ trusted: false, source: "default" });
		expect(await resolve({ cwd, agentDir, defaultProjectTrust: "always" })).toMatchObject({ trusted: true });
		expect(await resolve({ cwd, agentDir, defaultProjectTrust: "never" })).toMatchObject({ trusted: false });
		new TrustStore(agentDir).set(root, true);
		expect(await resolve({ cwd, agentDir, defaultProjectTrust: "never" })).toMatchObject({
			trusted: true,
			source: "saved",
		});
	});

	test("interactive 'ask' shows the prompt; its choice is saved (or not, for this session only)", async () => {
		const { root, agentDir, cwd } = protectedProject();
		const store = new TrustStore(agentDir);
		const seen: string[][] = [];
		const choose = (label: string) => async (_folder: string, options: { label: string }[]) => {
			seen.push(options.map((o) => o.label));
			return trustOptions(cwd, { includeSessionOnly: true }).find((o) => o.label === label);
		};
		expect(await resolve({ cwd, agentDir, prompt: choose("Trust (this session only)") })).toMatchObject({
			trusted: true,
			source: "prompt",
		});
		expect(seen[0]).toHaveLength(5);
		expect(store.get(cwd)).toBeNull();
		expect((await resolve({ cwd, agentDir, prompt: async () => undefined })).trusted).toBe(false);
		expect(store.get(cwd)).toBeNull();
		await resolve({ cwd, agentDir, prompt: choose(`Trust parent folder (${join(root, "work")})`) });
		expect(store.getEntry(cwd)).toEqual({ path: join(root, "work"), trusted: true });
	});

	test("a broken trust.json is reported and treated as no saved decision", async () => {
		const { agentDir, cwd } = protectedProject();
		writeFileSync(join(agentDir, "trust.json"), "not json");
		const warnings: string[] = [];
		const trust = await resolve({ cwd, agentDir, onWarning: (m) => warnings.push(m) });
		expect(trust).toMatchObject({ trusted: false, source: "default" });
		expect(warnings[0]).toStartWith(`Failed to read trust store ${join(agentDir, "trust.json")}:`);
	});
});
