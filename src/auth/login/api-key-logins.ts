/**
 * What `/login` asks for a provider that takes an API key, and the auth.json entry it makes — pi 1.6.0's flows
 * (pi-ai's providers/amazon-bedrock.ts, google-vertex.ts, cloudflare-auth.ts), so a login made here reads the same in
 * pi and the other way round:
 *
 * - Amazon Bedrock: a bearer token (`{"type":"api_key","key":…}`), an AWS profile (`{"type":"api_key","env":
 *   {"AWS_PROFILE":…}}`), or the existing AWS credential chain (`{"type":"api_key"}`: nothing stored, the
 *   environment decides).
 * - Google Vertex AI: an API key, Application Default Credentials (project and location in `env`), or a service
 *   account file (its path too, as `GOOGLE_APPLICATION_CREDENTIALS`).
 * - Cloudflare Workers AI / AI Gateway: the token as the key, the account id (and gateway id) in `env`.
 * - Every other provider: its API key.
 *
 * Unlike pi, an empty answer where a value is needed is refused with a message naming it (pi would store the empty
 * value and the provider would then count as unconfigured), and a service account file must exist (a leading `~/` is
 * expanded, so the stored path works in any process).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ApiKeyCredential } from "../auth-storage.ts";
import type { LoginInteraction } from "./interaction.ts";

export type ApiKeyLogin = (interaction: LoginInteraction) => Promise<ApiKeyCredential>;

const AWS_CREDENTIALS_DOCS = "https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html";
const GOOGLE_ADC_DOCS = "https://cloud.google.com/docs/authentication/provide-credentials-adc";

/** The answer, trimmed; an empty one is refused with `what` named. */
async function required(
	interaction: LoginInteraction,
	type: "text" | "secret",
	message: string,
	what: string,
): Promise<string> {
	const answer = (await interaction.prompt({ type, message })).trim();
	interaction.signal.throwIfAborted();
	if (!answer) throw new Error(`${what} cannot be empty.`);
	return answer;
}

/** Which of a provider's ways in: the chosen option's id. */
async function chooseMethod(
	interaction: LoginInteraction,
	provider: string,
	options: readonly [id: string, label: string][],
): Promise<string> {
	const method = await interaction.prompt({
		type: "select",
		message: `Select ${provider} authentication method:`,
		options: options.map(([id, label]) => ({ id, label })),
	});
	interaction.signal.throwIfAborted();
	return method;
}

/** A secret the method stores as the credential's key. */
async function keyOnly(interaction: LoginInteraction, message: string, what: string): Promise<ApiKeyCredential> {
	return { type: "api_key", key: await required(interaction, "secret", message, what) };
}

/** The one-value login of most providers. */
const apiKeyOnly: ApiKeyLogin = (interaction) => keyOnly(interaction, "Enter API key:", "API key");

async function amazonBedrock(interaction: LoginInteraction): Promise<ApiKeyCredential> {
	const method = await chooseMethod(interaction, "Amazon Bedrock", [
		["bearer-token", "Bearer token"],
		["aws-profile", "AWS profile"],
		["credential-chain", "Existing AWS credential chain"],
	]);
	if (method === "bearer-token") {
		return keyOnly(interaction, "Enter Amazon Bedrock bearer token", "The bearer token");
	}
	interaction.notify({
		type: "info",
		message: "Amazon Bedrock supports AWS profiles, IAM credentials, and role-based credentials.",
		links: [{ label: "AWS credential provider chain", url: AWS_CREDENTIALS_DOCS }],
	});
	if (method === "aws-profile") {
		const profile = await required(interaction, "text", "Enter AWS profile name", "The AWS profile name");
		return { type: "api_key", env: { AWS_PROFILE: profile } };
	}
	if (method !== "credential-chain") throw new Error(`Unknown Amazon Bedrock auth method: ${method}`);
	await interaction.prompt({ type: "text", message: "Configure AWS credentials, then press Enter to continue" });
	interaction.signal.throwIfAborted();
	return { type: "api_key" };
}

/** `~/…` as an absolute path (the Google libraries do not expand it). */
function expandHome(path: string): string {
	return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

async function googleVertex(interaction: LoginInteraction): Promise<ApiKeyCredential> {
	const method = await chooseMethod(interaction, "Google Vertex AI", [
		["api-key", "Google Cloud API key"],
		["adc", "Application Default Credentials"],
		["service-account", "Service account credentials file"],
	]);
	if (method === "api-key") return keyOnly(interaction, "Enter Google Cloud API key", "The API key");
	if (method !== "adc" && method !== "service-account") {
		throw new Error(`Unknown Google Vertex AI auth method: ${method}`);
	}
	interaction.notify({
		type: "info",
		message:
			method === "adc"
				? "Run `gcloud auth application-default login`, then provide the project and location."
				: "Provide a service account credentials file, project, and location.",
		links: [{ label: "Application Default Credentials", url: GOOGLE_ADC_DOCS }],
	});
	const project = await required(interaction, "text", "Enter Google Cloud project ID", "The project ID");
	const location = await required(interaction, "text", "Enter Google Cloud location", "The location");
	if (method === "adc") {
		return { type: "api_key", env: { GOOGLE_CLOUD_PROJECT: project, GOOGLE_CLOUD_LOCATION: location } };
	}
	const file = expandHome(
		await required(interaction, "text", "Enter service account credentials file path", "The file path"),
	);
	if (!existsSync(file)) throw new Error(`Service account credentials file not found: ${file}`);
	return {
		type: "api_key",
		env: { GOOGLE_CLOUD_PROJECT: project, GOOGLE_CLOUD_LOCATION: location, GOOGLE_APPLICATION_CREDENTIALS: file },
	};
}

function cloudflare(withGateway: boolean): ApiKeyLogin {
	return async (interaction): Promise<ApiKeyCredential> => {
		const key = await required(interaction, "secret", "Enter Cloudflare API key", "The API key");
		const accountId = await required(interaction, "text", "Enter Cloudflare account ID", "The account ID");
		if (!withGateway) return { type: "api_key", key, env: { CLOUDFLARE_ACCOUNT_ID: accountId } };
		const gatewayId = await required(interaction, "text", "Enter Cloudflare AI Gateway ID", "The gateway ID");
		return { type: "api_key", key, env: { CLOUDFLARE_ACCOUNT_ID: accountId, CLOUDFLARE_GATEWAY_ID: gatewayId } };
	};
}

const LOGINS: Readonly<Record<string, ApiKeyLogin>> = {
	"amazon-bedrock": amazonBedrock,
	"google-vertex": googleVertex,
	"cloudflare-workers-ai": cloudflare(false),
	"cloudflare-ai-gateway": cloudflare(true),
};

/** The API-key login of a provider (built-in or custom). */
export function apiKeyLoginFor(providerId: string): ApiKeyLogin {
	return LOGINS[providerId] ?? apiKeyOnly;
}
