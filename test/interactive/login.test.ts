import { afterEach, describe, expect, test } from "bun:test";
import { isApiKeyLoginProvider } from "../../src/ai/providers-info.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

describe("/login and /logout", () => {
	test("an API key is asked for masked, saved to auth.json, and removed by /logout", async () => {
		current = await startInteractive({ turns: [] });
		const h = current;
		h.type("/login\r");
		await h.waitFor("Select authentication method:");
		h.type("\x1b[B\r");
		await h.waitFor("Select provider to configure:");
		h.type("groq");
		await h.waitFor("→ Groq");
		h.type("\r");
		await h.waitFor("Login to Groq");
		await h.waitFor("Enter API key:");
		h.type("sk-secret-123");
		await h.waitFor("*************");
		expect(h.screen()).not.toContain("sk-secret-123");
		h.type("\r");
		await h.waitFor("Saved API key for Groq. Credentials saved to");
		expect(h.auth.get("groq")).toEqual({ type: "api_key", key: "sk-secret-123" });

		h.type("/logout\r");
		await h.waitFor("Select provider to logout:");
		h.type("\r");
		await h.waitFor("Removed stored API key for Groq.");
		expect(h.auth.get("groq")).toBeUndefined();
	});

	test("escape cancels the key prompt without an error; /logout with nothing stored explains", async () => {
		current = await startInteractive({ turns: [] });
		const h = current;
		h.type("/logout\r");
		await h.waitFor("No stored credentials to remove.");
		h.type("/login\r");
		await h.waitFor("Select authentication method:");
		h.type("\r");
		await h.waitFor("Select provider to configure:");
		expect(h.screen()).toContain("GitHub Copilot");
		h.type("\x1b");
		await h.waitFor("Select authentication method:");
		h.type("\x1b[B\r");
		await h.waitFor("Select provider to configure:");
		h.type("groq");
		await h.waitFor("→ Groq");
		h.type("\r");
		await h.waitFor("Enter API key:");
		h.type("\x1b");
		await h.waitUntil(() => !h.screen().includes("Enter API key:"));
		expect(h.screen()).not.toContain("Failed to save");
		expect(h.auth.list()).toEqual([]);
	});

	test("which providers take an API key", () => {
		const oauth = new Set(["anthropic", "github-copilot"]);
		expect(isApiKeyLoginProvider("openai", oauth)).toBe(true);
		expect(isApiKeyLoginProvider("anthropic", oauth)).toBe(true);
		expect(isApiKeyLoginProvider("github-copilot", oauth)).toBe(false);
		expect(isApiKeyLoginProvider("my-local-llm", oauth)).toBe(true);
	});
});

describe("/scoped-models", () => {
	test("enter enables only the chosen model; ctrl+s saves it to settings", async () => {
		current = await startInteractive({ turns: [], columns: 160 });
		const h = current;
		h.type("/scoped-models\r");
		await h.waitFor("Model Configuration");
		await h.waitFor("all enabled");
		h.type("haiku");
		await h.waitFor("Model Name:");
		h.type("\r");
		await h.waitFor("1/");
		await h.waitFor("(unsaved)");
		h.type("\x13");
		await h.waitFor("Model selection saved to settings");
		const saved = h.session.settings.settings.enabledModels ?? [];
		expect(saved).toHaveLength(1);
		expect(saved[0]).toMatch(/^anthropic\/.*haiku/);
		// The running session's Ctrl+P cycle follows the selection at once.
		expect(h.session.getScopedModels().map((entry) => `${entry.model.provider}/${entry.model.id}`)).toEqual(saved);
		// With a search, ctrl+a enables the matches only; without one, everything.
		h.type("\x01");
		await h.waitFor("3/");
		h.type("\x15");
		h.type("\x01");
		await h.waitFor("all enabled");
		h.type("\x13");
		await h.waitUntil(() => h.session.settings.settings.enabledModels === undefined);
		expect(h.session.getScopedModels()).toEqual([]);
	});
});
