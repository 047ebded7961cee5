/**
 * GitHub Copilot login (GitHub device flow, then a Copilot token) and refresh, as pi 0.73.1 does it. The
 * stored `refresh` is the long-lived GitHub token; `access` is the short-lived Copilot token it buys.
 * Endpoints can be pointed elsewhere for tests (defaults derive from the domain, github.com or an enterprise one):
 *   PI_OAUTH_GITHUB_DEVICE_CODE_URL    default https://<domain>/login/device/code
 *   PI_OAUTH_GITHUB_ACCESS_TOKEN_URL   default https://<domain>/login/oauth/access_token
 *   PI_OAUTH_GITHUB_COPILOT_TOKEN_URL  default https://api.<domain>/copilot_internal/v2/token
 *   PI_OAUTH_GITHUB_COPILOT_API_URL    default the Copilot API host the new token names (model enabling)
 */
import * as v from "valibot";
import { getBuiltInModels } from "../../ai/models.ts";
import { sleep } from "../../util/sleep.ts";
import { endpoint, requestJson } from "./http.ts";
import { copilotBaseUrl, normalizeDomain } from "./model-adjustments.ts";
import type { OAuthLoginCallbacks, OAuthProviderDefinition, OAuthTokens } from "./types.ts";

export { copilotBaseUrl, normalizeDomain } from "./model-adjustments.ts";

/** VS Code Copilot Chat's public client id, which Copilot tokens are issued to. */
const CLIENT_ID = "Iv1.b507a08c87ecfe98";
const USER_AGENT = "GitHubCopilotChat/0.35.0";
export const COPILOT_HEADERS: Readonly<Record<string, string>> = {
	"User-Agent": USER_AGENT,
	"Editor-Version": "vscode/1.107.0",
	"Editor-Plugin-Version": "copilot-chat/0.35.0",
	"Copilot-Integration-Id": "vscode-chat",
};
/** GitHub asks clients to wait at least `interval`; pi waits a little longer, and longer still after slow_down. */
const POLL_MULTIPLIER = 1.2;
const SLOW_DOWN_POLL_MULTIPLIER = 1.4;

const DeviceCodeSchema = v.object({
	device_code: v.string(),
	user_code: v.string(),
	verification_uri: v.string(),
	interval: v.number(),
	expires_in: v.number(),
});
const PollSchema = v.object({
	access_token: v.optional(v.string()),
	error: v.optional(v.string()),
	error_description: v.optional(v.string()),
	interval: v.optional(v.number()),
});
const CopilotTokenSchema = v.object({ token: v.string(), expires_at: v.number() });

const formHeaders = {
	Accept: "application/json",
	"Content-Type": "application/x-www-form-urlencoded",
	"User-Agent": USER_AGENT,
};

async function pollForGitHubToken(
	domain: string,
	device: v.InferOutput<typeof DeviceCodeSchema>,
	signal: AbortSignal | undefined,
): Promise<string> {
	const url = endpoint("PI_OAUTH_GITHUB_ACCESS_TOKEN_URL", `https://${domain}/login/oauth/access_token`);
	const deadline = Date.now() + device.expires_in * 1000;
	let intervalMs = Math.max(1000, Math.floor(device.interval * 1000));
	let multiplier = POLL_MULTIPLIER;
	let slowedDown = false;
	while (Date.now() < deadline) {
		await sleep(
			Math.min(Math.ceil(intervalMs * multiplier), Math.max(0, deadline - Date.now())),
			signal,
			"Login cancelled",
		);
		const answer = await requestJson(
			url,
			{
				method: "POST",
				headers: formHeaders,
				body: new URLSearchParams({
					client_id: CLIENT_ID,
					device_code: device.device_code,
					grant_type: "urn:ietf:params:oauth:grant-type:device_code",
				}),
				signal,
			},
			PollSchema,
		);
		if (answer.access_token) return answer.access_token;
		if (answer.error === "authorization_pending") continue;
		if (answer.error === "slow_down") {
			slowedDown = true;
			intervalMs = answer.interval && answer.interval > 0 ? answer.interval * 1000 : intervalMs + 5000;
			multiplier = SLOW_DOWN_POLL_MULTIPLIER;
			continue;
		}
		const description = answer.error_description ? `: ${answer.error_description}` : "";
		throw new Error(`Device flow failed: ${answer.error ?? "no token in the answer"}${description}`);
	}
	throw new Error(
		slowedDown
			? "Device flow timed out after slow_down responses; a drifting clock (WSL, VMs) often causes this."
			: "Device flow timed out",
	);
}

async function fetchCopilotToken(githubToken: string, enterpriseDomain: string | undefined): Promise<OAuthTokens> {
	const domain = enterpriseDomain ?? "github.com";
	const data = await requestJson(
		endpoint("PI_OAUTH_GITHUB_COPILOT_TOKEN_URL", `https://api.${domain}/copilot_internal/v2/token`),
		{ headers: { Accept: "application/json", Authorization: `Bearer ${githubToken}`, ...COPILOT_HEADERS } },
		CopilotTokenSchema,
	);
	const tokens: OAuthTokens = {
		refresh: githubToken,
		access: data.token,
		expires: data.expires_at * 1000 - 5 * 60 * 1000,
	};
	if (enterpriseDomain) tokens.enterpriseUrl = enterpriseDomain;
	return tokens;
}

async function loginGitHubCopilot(callbacks: OAuthLoginCallbacks): Promise<OAuthTokens> {
	const input = await callbacks.onPrompt("GitHub Enterprise URL/domain (blank for github.com)");
	if (callbacks.signal?.aborted) throw new Error("Login cancelled");
	const enterpriseDomain = normalizeDomain(input);
	if (input.trim() !== "" && !enterpriseDomain) throw new Error("Invalid GitHub Enterprise URL/domain");
	const domain = enterpriseDomain ?? "github.com";
	const device = await requestJson(
		endpoint("PI_OAUTH_GITHUB_DEVICE_CODE_URL", `https://${domain}/login/device/code`),
		{
			method: "POST",
			headers: formHeaders,
			body: new URLSearchParams({ client_id: CLIENT_ID, scope: "read:user" }),
			signal: callbacks.signal,
		},
		DeviceCodeSchema,
	);
	callbacks.onAuthUrl(device.verification_uri, `Enter code: ${device.user_code}`);
	const githubToken = await pollForGitHubToken(domain, device, callbacks.signal);
	const tokens = await fetchCopilotToken(githubToken, enterpriseDomain);
	callbacks.onProgress?.("Enabling models...");
	await enableCopilotModels(tokens.access, enterpriseDomain);
	return tokens;
}

/**
 * Some Copilot models (Claude, Grok …) answer only after their policy was accepted for the account; pi accepts
 * it for every catalog model right after login. Failures are ignored: the model may simply not be offered.
 */
async function enableCopilotModels(token: string, enterpriseDomain: string | undefined): Promise<void> {
	const apiUrl = endpoint("PI_OAUTH_GITHUB_COPILOT_API_URL", copilotBaseUrl(token, enterpriseDomain));
	const ids = getBuiltInModels()
		.filter((model) => model.provider === "github-copilot")
		.map((model) => model.id);
	await Promise.all(
		ids.map(async (id) => {
			try {
				await fetch(`${apiUrl}/models/${id}/policy`, {
					method: "POST",
					headers: {
						"Content-Type": "application/json",
						Authorization: `Bearer ${token}`,
						...COPILOT_HEADERS,
						"openai-intent": "chat-policy",
						"x-interaction-type": "chat-policy",
					},
					body: JSON.stringify({ state: "enabled" }),
					signal: AbortSignal.timeout(30_000),
				});
			} catch {
				// best effort, as in pi
			}
		}),
	);
}

function enterpriseOf(tokens: OAuthTokens): string | undefined {
	return typeof tokens.enterpriseUrl === "string" && tokens.enterpriseUrl !== "" ? tokens.enterpriseUrl : undefined;
}

export const githubCopilotOAuth: OAuthProviderDefinition = {
	id: "github-copilot",
	name: "GitHub Copilot",
	login: loginGitHubCopilot,
	refresh: (tokens) => fetchCopilotToken(tokens.refresh, enterpriseOf(tokens)),
};
