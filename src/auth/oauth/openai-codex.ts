/**
 * ChatGPT Plus/Pro (Codex) login (authorization code + PKCE, browser redirect to a local callback server or a
 * pasted code) and token refresh, as pi 0.73.1 does it. The stored credential adds the ChatGPT `accountId`
 * read from the access token. Endpoints can be pointed elsewhere for tests:
 *   PI_OAUTH_OPENAI_AUTHORIZE_URL        default https://auth.openai.com/oauth/authorize
 *   PI_OAUTH_OPENAI_TOKEN_URL            default https://auth.openai.com/oauth/token
 *   PI_OAUTH_OPENAI_CODEX_CALLBACK_PORT  default 1455 (the redirect URI OpenAI registered for this client)
 *   PI_OAUTH_CALLBACK_HOST               interface the callback server listens on, default 127.0.0.1 (as pi)
 */
import * as v from "valibot";
import { codexAccountId } from "../../ai/providers/openai-codex-responses.ts";
import { receiveAuthorizationCode, startCallbackServer } from "./callback-server.ts";
import { endpoint, OAuthHttpError } from "./http.ts";
import { createPkce } from "./pkce.ts";
import type { OAuthLoginCallbacks, OAuthProviderDefinition, OAuthTokens } from "./types.ts";

/** The Codex CLI's public OAuth client id; subscription tokens are only issued to it. */
const CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
const SCOPE = "openid profile email offline_access";
const CALLBACK_PATH = "/auth/callback";
const PROVIDER_NAME = "ChatGPT Plus/Pro (Codex Subscription)";
const REQUEST_TIMEOUT_MS = 30_000;

const TokenResponseSchema = v.object({
	access_token: v.pipe(v.string(), v.minLength(1)),
	refresh_token: v.pipe(v.string(), v.minLength(1)),
	expires_in: v.number(),
});

function callbackPort(): number {
	const port = Number(endpoint("PI_OAUTH_OPENAI_CODEX_CALLBACK_PORT", "1455"));
	return Number.isInteger(port) && port > 0 && port < 65536 ? port : 1455;
}

function randomState(): string {
	return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex");
}

/**
 * POST a form to the token endpoint. Unlike the other providers, pi keeps OpenAI's full lifetime in `expires`
 * (no five-minute margin), and names the step that failed in its messages.
 */
async function postToken(step: "exchange" | "refresh", form: Record<string, string>): Promise<OAuthTokens> {
	const response = await fetch(endpoint("PI_OAUTH_OPENAI_TOKEN_URL", "https://auth.openai.com/oauth/token"), {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(form),
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
	});
	const text = await response.text();
	if (!response.ok) {
		throw new OAuthHttpError(
			`OpenAI Codex token ${step} failed (${response.status}): ${(text || response.statusText).slice(0, 500)}`,
		);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const parsed = v.safeParse(TokenResponseSchema, json);
	if (!parsed.success) {
		throw new OAuthHttpError(`OpenAI Codex token ${step} response missing fields: ${text.slice(0, 500)}`);
	}
	const { access_token: access, refresh_token: refresh, expires_in: expiresIn } = parsed.output;
	// Key order as pi stores it: access, refresh, expires, accountId.
	return { access, refresh, expires: Date.now() + expiresIn * 1000, accountId: codexAccountId(access) };
}

async function loginOpenAICodex(callbacks: OAuthLoginCallbacks): Promise<OAuthTokens> {
	const { verifier, challenge } = await createPkce();
	const state = randomState();
	const port = callbackPort();
	const redirectUri = `http://localhost:${port}${CALLBACK_PATH}`;
	const server = startCallbackServer({
		host: process.env.PI_OAUTH_CALLBACK_HOST || "127.0.0.1",
		port,
		path: CALLBACK_PATH,
		expectedState: state,
		providerName: "OpenAI",
	});
	try {
		const params = new URLSearchParams({
			response_type: "code",
			client_id: CLIENT_ID,
			redirect_uri: redirectUri,
			scope: SCOPE,
			code_challenge: challenge,
			code_challenge_method: "S256",
			state,
			id_token_add_organizations: "true",
			codex_cli_simplified_flow: "true",
			originator: "pi",
		});
		callbacks.onAuthUrl(
			`${endpoint("PI_OAUTH_OPENAI_AUTHORIZE_URL", "https://auth.openai.com/oauth/authorize")}?${params.toString()}`,
			"A browser window should open. Complete login to finish.",
		);
		const code = await receiveAuthorizationCode(callbacks, server, state, {
			prompt: "Paste the authorization code (or full redirect URL):",
			stateMismatch: "State mismatch",
		});
		callbacks.onProgress?.("Exchanging authorization code for tokens...");
		return await postToken("exchange", {
			grant_type: "authorization_code",
			client_id: CLIENT_ID,
			code,
			code_verifier: verifier,
			redirect_uri: redirectUri,
		});
	} finally {
		server?.stop();
	}
}

async function refreshOpenAICodex(tokens: OAuthTokens): Promise<OAuthTokens> {
	return postToken("refresh", { grant_type: "refresh_token", refresh_token: tokens.refresh, client_id: CLIENT_ID });
}

export const openaiCodexOAuth: OAuthProviderDefinition = {
	id: "openai-codex",
	name: PROVIDER_NAME,
	login: loginOpenAICodex,
	refresh: refreshOpenAICodex,
};
