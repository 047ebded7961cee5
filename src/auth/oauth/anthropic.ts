/**
 * Claude Pro/Max login (authorization code + PKCE) and token refresh, as pi 0.73.1 does it. Endpoints can be
 * pointed elsewhere for tests:
 *   PI_OAUTH_ANTHROPIC_AUTHORIZE_URL   default https://claude.ai/oauth/authorize
 *   PI_OAUTH_ANTHROPIC_TOKEN_URL       default https://platform.claude.com/v1/oauth/token
 *   PI_OAUTH_ANTHROPIC_CALLBACK_PORT   default 53692 (the redirect URI Anthropic registered for this client)
 *   PI_OAUTH_CALLBACK_HOST             interface the callback server listens on, default 127.0.0.1 (as pi)
 */
import * as v from "valibot";
import { receiveAuthorizationCode, startCallbackServer } from "./callback-server.ts";
import { endpoint, expiresAt, requestJson } from "./http.ts";
import { createPkce } from "./pkce.ts";
import type { OAuthLoginCallbacks, OAuthProviderDefinition, OAuthTokens } from "./types.ts";

/** Claude Code's public OAuth client id; subscription tokens are only issued to it. */
const CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
const SCOPES =
	"org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload";
const CALLBACK_PATH = "/callback";
const PROVIDER_NAME = "Anthropic (Claude Pro/Max)";

const TokenResponseSchema = v.object({
	access_token: v.string(),
	refresh_token: v.string(),
	expires_in: v.number(),
});

function tokenUrl(): string {
	return endpoint("PI_OAUTH_ANTHROPIC_TOKEN_URL", "https://platform.claude.com/v1/oauth/token");
}

function callbackPort(): number {
	const port = Number(endpoint("PI_OAUTH_ANTHROPIC_CALLBACK_PORT", "53692"));
	return Number.isInteger(port) && port > 0 && port < 65536 ? port : 53692;
}

async function postToken(body: Record<string, string>): Promise<OAuthTokens> {
	const data = await requestJson(
		tokenUrl(),
		{
			method: "POST",
			headers: { "Content-Type": "application/json", Accept: "application/json" },
			body: JSON.stringify(body),
		},
		TokenResponseSchema,
	);
	return { refresh: data.refresh_token, access: data.access_token, expires: expiresAt(data.expires_in) };
}

async function loginAnthropic(callbacks: OAuthLoginCallbacks): Promise<OAuthTokens> {
	const { verifier, challenge } = await createPkce();
	// pi uses the verifier as the state value too; the token endpoint expects that pairing.
	const state = verifier;
	const port = callbackPort();
	const redirectUri = `http://localhost:${port}${CALLBACK_PATH}`;
	const server = startCallbackServer({
		host: process.env.PI_OAUTH_CALLBACK_HOST || "127.0.0.1",
		port,
		path: CALLBACK_PATH,
		expectedState: state,
		providerName: PROVIDER_NAME,
	});
	try {
		const params = new URLSearchParams({
			code: "true",
			client_id: CLIENT_ID,
			response_type: "code",
			redirect_uri: redirectUri,
			scope: SCOPES,
			code_challenge: challenge,
			code_challenge_method: "S256",
			state,
		});
		callbacks.onAuthUrl(
			`${endpoint("PI_OAUTH_ANTHROPIC_AUTHORIZE_URL", "https://claude.ai/oauth/authorize")}?${params.toString()}`,
			"Complete login in your browser. If the browser is on another machine, paste the final redirect URL here.",
		);
		const code = await receiveAuthorizationCode(callbacks, server, state, {
			prompt: "Paste the authorization code or full redirect URL:",
			stateMismatch: "OAuth state mismatch",
		});
		callbacks.onProgress?.("Exchanging authorization code for tokens...");
		return await postToken({
			grant_type: "authorization_code",
			client_id: CLIENT_ID,
			code,
			state,
			redirect_uri: redirectUri,
			code_verifier: verifier,
		});
	} finally {
		server?.stop();
	}
}

async function refreshAnthropic(tokens: OAuthTokens): Promise<OAuthTokens> {
	return postToken({ grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: tokens.refresh });
}

export const anthropicOAuth: OAuthProviderDefinition = {
	id: "anthropic",
	name: PROVIDER_NAME,
	login: loginAnthropic,
	refresh: refreshAnthropic,
};
