import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SettingsManager } from "../../src/config/settings.ts";

function setup(global?: string, project?: string, globalName = "settings.json") {
	const root = mkdtempSync(join(tmpdir(), "pi-settings-"));
	const agentDir = join(root, "agent");
	const cwd = join(root, "project");
	mkdirSync(agentDir, { recursive: true });
	mkdirSync(join(cwd, ".pi"), { recursive: true });
	if (global !== undefined) writeFileSync(join(agentDir, globalName), global);
	if (project !== undefined) writeFileSync(join(cwd, ".pi", "settings.json"), project);
	return { agentDir, cwd, globalPath: join(agentDir, "settings.json") };
}

describe("SettingsManager", () => {
	test("pi 1.6.0: objects merge at every depth; compaction.modelOverrides and modelThinkingLevels per model", () => {
		const { agentDir, cwd } = setup(
			JSON.stringify({
				compaction: { keepRecentTokens: 5000, modelOverrides: { "a/m1": { reserveTokens: 100 } } },
				modelThinkingLevels: { "a/m1": "high" },
			}),
			JSON.stringify({
				compaction: { modelOverrides: { "a/m1": { keepRecentTokens: 7 }, "b/m2": { reserveTokens: 9 } } },
			}),
		);
		const settings = SettingsManager.create(cwd, agentDir, { projectTrusted: true });
		expect(settings.warnings).toEqual([]);
		expect(settings.getCompactionSettings({ provider: "a", id: "m1" })).toEqual({
			enabled: true,
			reserveTokens: 100,
			keepRecentTokens: 7,
		});
		expect(settings.getCompactionSettings({ provider: "b", id: "m2" })).toEqual({
			enabled: true,
			reserveTokens: 9,
			keepRecentTokens: 5000,
		});
		expect(settings.getCompactionSettings()).toEqual({ enabled: true, reserveTokens: 16384, keepRecentTokens: 5000 });
		expect(settings.getModelThinkingLevel("a", "m1")).toBe("high");
		expect(settings.getModelThinkingLevel("a", "other")).toBeUndefined();
	});

	test("project overrides global; objects merge; arrays replace", () => {
		const { agentDir, cwd } = setup(
			JSON.stringify({ theme: "dark", compaction: { enabled: false, reserveTokens: 1000 }, enabledModels: ["a"] }),
			JSON.stringify({ theme: "light", compaction: { reserveTokens: 2000 }, enabledModels: ["b"] }),
		);
		const settings = SettingsManager.create(cwd, agentDir, { projectTrusted: true });
		expect(settings.warnings).toEqual([]);
		expect(settings.settings.theme).toBe("light");
		expect(settings.getCompactionSettings()).toEqual({ enabled: false, reserveTokens: 2000, keepRecentTokens: 20000 });
		expect(settings.settings.enabledModels).toEqual(["b"]);
	});

	test("an untrusted project's settings do not apply, except its sessionDir for finding sessions", () => {
		const { agentDir, cwd } = setup(
			JSON.stringify({ theme: "dark", defaultProjectTrust: "always" }),
			JSON.stringify({ theme: "light", sessionDir: "/proj-sessions", defaultProjectTrust: "never", bogus: 1 }),
		);
		const settings = SettingsManager.create(cwd, agentDir);
		expect(settings.isProjectTrusted()).toBe(false);
		expect(settings.settings.theme).toBe("dark");
		expect(settings.getSessionDir()).toBeUndefined();
		expect(settings.getStartupSessionDir()).toBe("/proj-sessions");
		expect(settings.getProjectSettings()).toEqual({});
		settings.setProjectTrusted(true);
		expect(settings.settings.theme).toBe("light");
		expect(settings.getSessionDir()).toBe("/proj-sessions");
		// A project cannot choose how much it is trusted.
		expect(settings.getDefaultProjectTrust()).toBe("always");
		settings.setProjectTrusted(false);
		expect(settings.settings.theme).toBe("dark");
	});

	test("defaults as pi", () => {
		const { agentDir, cwd } = setup();
		const settings = SettingsManager.create(cwd, agentDir);
		expect(settings.getRetrySettings()).toEqual({
			enabled: true,
			maxRetries: 3,
			baseDelayMs: 2000,
			maxRetryDelayMs: 60000,
			maxAgentDelayMs: 60000,
			providerMaxRetries: 0,
			providerTimeoutMs: undefined,
			idleTimeoutMs: 300000,
			firstByteTimeoutMs: 600000,
		});
		expect(settings.getSteeringMode()).toBe("one-at-a-time");
		expect(settings.getTransport()).toBe("auto");
		expect(settings.getWebsocketConnectTimeoutMs()).toBe(15000);
		expect(settings.getHttpProxy()).toBeUndefined();
		expect(settings.getDoubleEscapeAction()).toBe("tree");
	});

	test("stream limits: httpIdleTimeoutMs between chunks, a longer first-byte limit, pi 1.6.0's spellings", () => {
		const limits = (json: object) => {
			const { agentDir, cwd } = setup(JSON.stringify(json));
			const { idleTimeoutMs, firstByteTimeoutMs } = SettingsManager.create(cwd, agentDir).getRetrySettings();
			return { idleTimeoutMs, firstByteTimeoutMs };
		};
		expect(limits({ httpIdleTimeoutMs: 30_000 })).toEqual({ idleTimeoutMs: 30_000, firstByteTimeoutMs: 600_000 });
		expect(limits({ httpIdleTimeoutMs: 400_000 })).toEqual({ idleTimeoutMs: 400_000, firstByteTimeoutMs: 800_000 });
		expect(limits({ httpIdleTimeoutMs: "60000" })).toEqual({ idleTimeoutMs: 60_000, firstByteTimeoutMs: 600_000 });
		expect(limits({ httpIdleTimeoutMs: "disabled" })).toEqual({ idleTimeoutMs: 0, firstByteTimeoutMs: 0 });
		expect(limits({ httpIdleTimeoutMs: 0, retry: { provider: { timeoutMs: 900_000 } } })).toEqual({
			idleTimeoutMs: 0,
			firstByteTimeoutMs: 900_000,
		});
		// Our own key from before pi 1.6.0 named it.
		expect(limits({ retry: { idleTimeoutMs: 45_000 } })).toEqual({
			idleTimeoutMs: 45_000,
			firstByteTimeoutMs: 600_000,
		});
	});

	test("pi 1.6.0's network settings: websocket timeout, transport, and httpProxy from the agent folder only", () => {
		const { agentDir, cwd } = setup(
			JSON.stringify({
				websocketConnectTimeoutMs: 5000,
				transport: "websocket-cached",
				httpProxy: "http://proxy.corp:3128",
			}),
			JSON.stringify({ httpProxy: "http://evil:1", websocketConnectTimeoutMs: "disabled" }),
		);
		const settings = SettingsManager.create(cwd, agentDir, { projectTrusted: true });
		expect(settings.warnings).toEqual([]);
		expect(settings.getWebsocketConnectTimeoutMs()).toBe(0);
		expect(settings.getTransport()).toBe("websocket-cached");
		expect(settings.getHttpProxy()).toBe("http://proxy.corp:3128");
		expect(SettingsManager.create(cwd, agentDir).getWebsocketConnectTimeoutMs()).toBe(5000);
	});

	test("a broken file is reported with its path and ignored, and never overwritten", () => {
		const { agentDir, cwd, globalPath } = setup("{ not json");
		const settings = SettingsManager.create(cwd, agentDir);
		expect(settings.warnings).toHaveLength(1);
		expect(settings.warnings[0]).toContain(globalPath);
		expect(settings.warnings[0]).toContain("cannot be parsed");
		settings.set("defaultModel", "x");
		expect(readFileSync(globalPath, "utf8")).toBe("{ not json");
	});

	test("files starting with a byte-order mark (Windows editors) are read, and changes keep working, as in pi", () => {
		const { agentDir, cwd, globalPath } = setup(
			`\uFEFF${JSON.stringify({ theme: "light" })}`,
			`\uFEFF${JSON.stringify({ steeringMode: "all" })}`,
		);
		const settings = SettingsManager.create(cwd, agentDir, { projectTrusted: true });
		expect(settings.warnings).toEqual([]);
		expect(settings.settings.theme).toBe("light");
		expect(settings.getSteeringMode()).toBe("all");
		settings.set("defaultModel", "x");
		expect(JSON.parse(readFileSync(globalPath, "utf8"))).toEqual({ theme: "light", defaultModel: "x" });
	});

	test("a bad value names the file and the key; other keys still apply", () => {
		const { agentDir, cwd, globalPath } = setup(JSON.stringify({ steeringMode: "sometimes", theme: "light" }));
		const settings = SettingsManager.create(cwd, agentDir);
		expect(settings.warnings).toHaveLength(1);
		expect(settings.warnings[0]).toContain(globalPath);
		expect(settings.warnings[0]).toContain('"steeringMode"');
		expect(settings.getSteeringMode()).toBe("one-at-a-time");
		expect(settings.settings.theme).toBe("light");
	});

	test("writes keep unknown keys and other processes' changes; only changed keys are written", () => {
		const { agentDir, cwd, globalPath } = setup(
			JSON.stringify({ myPluginKey: { a: 1 }, theme: "dark", compaction: { reserveTokens: 5 } }),
		);
		const settings = SettingsManager.create(cwd, agentDir);
		// Another process changes the theme after we loaded.
		writeFileSync(
			globalPath,
			JSON.stringify({ myPluginKey: { a: 1 }, theme: "light", compaction: { reserveTokens: 5, keepRecentTokens: 7 } }),
		);
		settings.set("defaultModel", "claude");
		settings.setNested("compaction", "enabled", false);
		const onDisk = JSON.parse(readFileSync(globalPath, "utf8"));
		expect(onDisk).toEqual({
			myPluginKey: { a: 1 },
			theme: "light",
			compaction: { reserveTokens: 5, keepRecentTokens: 7, enabled: false },
			defaultModel: "claude",
		});
		expect(existsSync(`${globalPath}.lock`)).toBe(false);
	});

	test("legacy keys are migrated", () => {
		const { agentDir, cwd } = setup(JSON.stringify({ queueMode: "all", websockets: true, retry: { maxDelayMs: 5 } }));
		const settings = SettingsManager.create(cwd, agentDir);
		expect(settings.getSteeringMode()).toBe("all");
		expect(settings.getTransport()).toBe("websocket");
		expect(settings.getRetrySettings().maxRetryDelayMs).toBe(5);
	});

	test("settings.toml is accepted when there is no settings.json", () => {
		const { agentDir, cwd } = setup('theme = "light"\n[compaction]\nenabled = false\n', undefined, "settings.toml");
		const settings = SettingsManager.create(cwd, agentDir);
		expect(settings.warnings).toEqual([]);
		expect(settings.settings.theme).toBe("light");
		expect(settings.getCompactionSettings().enabled).toBe(false);
		settings.set("theme", "dark");
		expect(existsSync(join(agentDir, "settings.json"))).toBe(false);
		expect(settings.settings.theme).toBe("dark");
	});
});
