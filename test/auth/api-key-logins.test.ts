/**
 * The API-key logins as pi 1.6.0 runs them (pi-ai's amazon-bedrock.ts, google-vertex.ts, cloudflare-auth.ts): the
 * questions in order, with their wording, and the auth.json entry each path makes.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { apiKeyLoginFor } from "../../src/auth/login/api-key-logins.ts";
import type { LoginInteraction, LoginNotice, LoginPrompt } from "../../src/auth/login/interaction.ts";

/** Answers prompts in order and records what was asked and told. */
function scripted(answers: string[]): { interaction: LoginInteraction; asked: string[]; told: LoginNotice[] } {
	const asked: string[] = [];
	const told: LoginNotice[] = [];
	const interaction: LoginInteraction = {
		signal: new AbortController().signal,
		prompt: async (prompt: LoginPrompt) => {
			asked.push(
				prompt.type === "select"
					? `${prompt.message} [${prompt.options.map((option) => option.label).join(" | ")}]`
					: `${prompt.type}: ${prompt.message}`,
			);
			const answer = answers.shift();
			if (answer === undefined) throw new Error(`no answer for ${prompt.message}`);
			return answer;
		},
		notify: (notice) => told.push(notice),
	};
	return { interaction, asked, told };
}

describe("Amazon Bedrock", () => {
	const METHODS =
		"Select Amazon Bedrock authentication method: [Bearer token | AWS profile | Existing AWS credential chain]";

	test("bearer token: stored as the key", async () => {
		const { interaction, asked } = scripted(["bearer-token", " tok-123 "]);
		expect(await apiKeyLoginFor("amazon-bedrock")(interaction)).toEqual({ type: "api_key", key: "tok-123" });
		expect(asked).toEqual([METHODS, "secret: Enter Amazon Bedrock bearer token"]);
	});

	test("AWS profile: stored as the provider's AWS_PROFILE, after pi's note on credential sources", async () => {
		const { interaction, asked, told } = scripted(["aws-profile", "work"]);
		expect(await apiKeyLoginFor("amazon-bedrock")(interaction)).toEqual({
			type: "api_key",
			env: { AWS_PROFILE: "work" },
		});
		expect(asked).toEqual([METHODS, "text: Enter AWS profile name"]);
		expect(told).toEqual([
			{
				type: "info",
				message: "Amazon Bedrock supports AWS profiles, IAM credentials, and role-based credentials.",
				links: [
					{
						label: "AWS credential provider chain",
						url: "https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html",
					},
				],
			},
		]);
	});

	test("credential chain: an entry with nothing in it, whatever Enter was pressed on", async () => {
		const { interaction, asked } = scripted(["credential-chain", "anything"]);
		expect(await apiKeyLoginFor("amazon-bedrock")(interaction)).toEqual({ type: "api_key" });
		expect(asked.at(-1)).toBe("text: Configure AWS credentials, then press Enter to continue");
	});

	test("an empty profile name is refused, naming what is missing", async () => {
		const { interaction } = scripted(["aws-profile", "  "]);
		await expect(apiKeyLoginFor("amazon-bedrock")(interaction)).rejects.toThrow(
			"The AWS profile name cannot be empty.",
		);
	});
});

describe("Google Vertex AI", () => {
	const METHODS =
		"Select Google Vertex AI authentication method: [Google Cloud API key | Application Default Credentials | Service account credentials file]";

	test("API key", async () => {
		const { interaction, asked } = scripted(["api-key", "AIza-key"]);
		expect(await apiKeyLoginFor("google-vertex")(interaction)).toEqual({ type: "api_key", key: "AIza-key" });
		expect(asked).toEqual([METHODS, "secret: Enter Google Cloud API key"]);
	});

	test("Application Default Credentials: project and location in env", async () => {
		const { interaction, asked, told } = scripted(["adc", "my-project", "europe-west4"]);
		expect(await apiKeyLoginFor("google-vertex")(interaction)).toEqual({
			type: "api_key",
			env: { GOOGLE_CLOUD_PROJECT: "my-project", GOOGLE_CLOUD_LOCATION: "europe-west4" },
		});
		expect(asked).toEqual([METHODS, "text: Enter Google Cloud project ID", "text: Enter Google Cloud location"]);
		expect(told[0]?.message).toBe(
			"Run `gcloud auth application-default login`, then provide the project and location.",
		);
	});

	test("service account: the file's path too, `~/` expanded; a missing file is refused", async () => {
		const dir = mkdtempSync(join(homedir(), "vertex-login-"));
		const file = join(dir, "key.json");
		writeFileSync(file, "{}");
		const relative = `~/${file.slice(homedir().length + 1)}`;
		const { interaction, asked } = scripted(["service-account", "p", "us-central1", relative]);
		expect(await apiKeyLoginFor("google-vertex")(interaction)).toEqual({
			type: "api_key",
			env: { GOOGLE_CLOUD_PROJECT: "p", GOOGLE_CLOUD_LOCATION: "us-central1", GOOGLE_APPLICATION_CREDENTIALS: file },
		});
		expect(asked.at(-1)).toBe("text: Enter service account credentials file path");

		const missing = join(mkdtempSync(join(tmpdir(), "vertex-")), "nope.json");
		const again = scripted(["service-account", "p", "us-central1", missing]);
		await expect(apiKeyLoginFor("google-vertex")(again.interaction)).rejects.toThrow(
			`Service account credentials file not found: ${missing}`,
		);
	});
});

describe("Cloudflare", () => {
	test("Workers AI: key and account id", async () => {
		const { interaction, asked } = scripted(["cf-token", "acct-1"]);
		expect(await apiKeyLoginFor("cloudflare-workers-ai")(interaction)).toEqual({
			type: "api_key",
			key: "cf-token",
			env: { CLOUDFLARE_ACCOUNT_ID: "acct-1" },
		});
		expect(asked).toEqual(["secret: Enter Cloudflare API key", "text: Enter Cloudflare account ID"]);
	});

	test("AI Gateway: key, account id and gateway id", async () => {
		const { interaction, asked } = scripted(["cf-token", "acct-1", "gw-1"]);
		expect(await apiKeyLoginFor("cloudflare-ai-gateway")(interaction)).toEqual({
			type: "api_key",
			key: "cf-token",
			env: { CLOUDFLARE_ACCOUNT_ID: "acct-1", CLOUDFLARE_GATEWAY_ID: "gw-1" },
		});
		expect(asked.at(-1)).toBe("text: Enter Cloudflare AI Gateway ID");
	});
});

test("other providers: their API key", async () => {
	const { interaction, asked } = scripted(["sk-1"]);
	expect(await apiKeyLoginFor("groq")(interaction)).toEqual({ type: "api_key", key: "sk-1" });
	expect(asked).toEqual(["secret: Enter API key:"]);
	const empty = scripted([""]);
	await expect(apiKeyLoginFor("my-local-llm")(empty.interaction)).rejects.toThrow("API key cannot be empty.");
});
