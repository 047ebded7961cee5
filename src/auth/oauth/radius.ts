/**
 * Radius sign-in (pi 1.6.0): Radius is pi's own gateway (the pi-messages protocol). Its OAuth endpoints live on the
 * gateway, `https://radius.pi.dev` unless PI_RADIUS_GATEWAY names another (pi's variable; tests use it):
 *
 * - in the browser: the authorization endpoint from `GET /v1/oauth`, authorization code + PKCE for the public client
 *   `pi-gateway`, the redirect received on `http://127.0.0.1:1456/oauth/callback`;
 * - with a device code (signing in from another device): `POST /v1/oauth/device`, then the token endpoint is polled.
 *
 * Tokens come from `POST /v1/oauth/token` (form-encoded) and are stored with a minute shaved off their lifetime, as
 * pi stores them: `{ "type": "oauth", "access", "refresh", "expires", "scope" }`. The access token is the Radius API
 * key; refreshing uses the refresh token.
 */
import * as v from "valibot";
import { sleep } from "../../util/sleep.ts";
import { loginCancelled, startCallbackServer } from "./callback-server.ts";
import { endpoint } from "./http.ts";
import { createPkce } from "./pkce.ts";
import { radiusGateway } from "./radius-gateway.ts";
import type { OAuthLoginCallbacks, OAuthProviderDefinition, OAuthTokens } from "./types.ts";

const CLIENT_ID = "pi-gateway";
const SCOPE = "gateway offline_access";
const CALLBACK_HOST = "127.0.0.1";
const CALLBACK_PATH = "/oauth/callback";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const EXPIRY_SKEW_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

function callbackPort(): number {
	const port = Number(endpoint("PI_OAUTH_RADIUS_CALLBACK_PORT", "1456"));
	return Number.isInteger(port) && port >= 0 && port < 65536 ? port : 1456;
}

/** An http(s) URL from a server's answer, or undefined (never a `javascript:` or `file:` one). */
function trustedUrl(value: unknown): string | undefined {
	if (typeof value !== "string") return undefined;
	try {
		const url = new URL(value);
		return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
	} catch {
		return undefined;
	}
}

const TokenSchema = v.object({
	access_token: v.pipe(v.string(), v.minLength(1)),
	refresh_token: v.pipe(v.string(), v.minLength(1)),
	expires_in: v.number(),
	scope: v.optional(v.string()),
});
const OAuthErrorSchema = v.object({ error: v.optional(v.string()), error_description: v.optional(v.string()) });

/** An OAuth error answer (`authorization_pending`, `invalid_grant`, …) with pi's wording. */
class RadiusOAuthError extends Error {
	constructor(
		readonly oauthError: string | undefined,
		message: string,
	) {
		super(message);
	}
}

async function oauthError(response: Response, what: string): Promise<RadiusOAuthError> {
	const text = await response.text().catch(() => "");
	let code: string | undefined;
	let description: string | undefined = text || undefined;
	try {
		const parsed = v.safeParse(OAuthErrorSchema, JSON.parse(text));
		if (parsed.success) ({ error: code, error_description: description } = parsed.output);
	} catch {
		// not JSON: the text is the description
	}
	const detail = code ? (description ? `${code}: ${description}` : code) : description || String(response.status);
	return new RadiusOAuthError(code, `${what}: ${detail}`);
}

async function postForm(gateway: string, path: string, form: Record<string, string>, signal?: AbortSignal) {
	const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
	return fetch(new URL(path, gateway), {
		method: "POST",
		headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(form),
		signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
	});
}

async function requestTokens(
	gateway: string,
	form: Record<string, string>,
	signal?: AbortSignal,
): Promise<OAuthTokens> {
	const response = await postForm(gateway, "/v1/oauth/token", form, signal);
	if (!response.ok) throw await oauthError(response, "Radius OAuth token request failed");
	const tokens = v.parse(TokenSchema, await response.json());
	return {
		access: tokens.access_token,
		refresh: tokens.refresh_token,
		expires: Date.now() + tokens.expires_in * 1000 - EXPIRY_SKEW_MS,
		...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
	};
}

async function loginInBrowser(gateway: string, callbacks: OAuthLoginCallbacks): Promise<OAuthTokens> {
	const discovery = await fetch(new URL("/v1/oauth", gateway), {
		headers: { accept: "application/json" },
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
	});
	if (!discovery.ok) {
		throw new Error(
			`Could not load Radius OAuth config from ${gateway}: ${discovery.status} ${await discovery.text()}`,
		);
	}
	const config: unknown = await discovery.json();
	const authorizationEndpoint = trustedUrl(v.is(v.looseObject({}), config) ? config.authorizationEndpoint : undefined);
	if (!authorizationEndpoint) throw new Error(`Invalid Radius OAuth config from ${gateway}`);

	const { verifier, challenge } = await createPkce();
	const state = crypto.randomUUID();
	const server = startCallbackServer({
		host: CALLBACK_HOST,
		port: callbackPort(),
		path: CALLBACK_PATH,
		expectedState: state,
		providerName: "Radius",
	});
	if (!server) throw new Error(`Could not listen for the Radius sign-in on ${CALLBACK_HOST}:${callbackPort()}.`);
	const redirectUri = `http://${CALLBACK_HOST}:${server.port}${CALLBACK_PATH}`;
	try {
		const url = new URL(authorizationEndpoint);
		url.search = new URLSearchParams({
			response_type: "code",
			client_id: CLIENT_ID,
			redirect_uri: redirectUri,
			scope: SCOPE,
			code_challenge: challenge,
			code_challenge_method: "S256",
			handoff: "url",
			state,
		}).toString();
		callbacks.onProgress?.(`Listening for OAuth callback on ${redirectUri}`);
		callbacks.onAuthUrl(url.toString(), "Continue in your browser.");
		const { code } = await Promise.race([server.code, loginCancelled(callbacks.signal)]);
		return await requestTokens(
			gateway,
			{
				grant_type: "authorization_code",
				client_id: CLIENT_ID,
				redirect_uri: redirectUri,
				code,
				code_verifier: verifier,
			},
			callbacks.signal,
		);
	} finally {
		server.stop();
	}
}

const DeviceSchema = v.object({
	device_code: v.string(),
	user_code: v.string(),
	verification_uri: v.string(),
	expires_in: v.number(),
	interval: v.optional(v.number()),
});

/** RFC 8628: poll at the given interval (5 s by default), 5 s slower after each slow_down, until it expires. */
async function loginWithDeviceCode(gateway: string, callbacks: OAuthLoginCallbacks): Promise<OAuthTokens> {
	const response = await postForm(
		gateway,
		"/v1/oauth/device",
		{ client_id: CLIENT_ID, scope: SCOPE },
		callbacks.signal,
	);
	if (!response.ok) throw await oauthError(response, "Radius OAuth device authorization failed");
	const parsed = v.safeParse(DeviceSchema, await response.json());
	if (!parsed.success) throw new Error("Radius OAuth device authorization response is missing required fields");
	const device = parsed.output;
	const verificationUri = trustedUrl(device.verification_uri);
	if (!verificationUri) throw new Error("Untrusted verification_uri in Radius OAuth device authorization response");
	callbacks.onAuthUrl(verificationUri, `Enter code: ${device.user_code}`);
	const deadline = Date.now() + device.expires_in * 1000;
	let intervalMs = Math.max(1000, (device.interval ?? 5) * 1000);
	while (Date.now() < deadline) {
		if (callbacks.signal?.aborted) throw new Error("Login cancelled");
		try {
			return await requestTokens(
				gateway,
				{ grant_type: DEVICE_GRANT, client_id: CLIENT_ID, device_code: device.device_code },
				callbacks.signal,
			);
		} catch (error) {
			if (!(error instanceof RadiusOAuthError)) throw error;
			if (error.oauthError === "slow_down") intervalMs += 5000;
			else if (error.oauthError === "expired_token") throw new Error("Device authorization expired.");
			else if (error.oauthError === "access_denied") throw new Error("Device authorization was denied.");
			else if (error.oauthError !== "authorization_pending") throw error;
		}
		await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), callbacks.signal, "Login cancelled");
	}
	throw new Error("Device flow timed out");
}

export const radiusOAuth: OAuthProviderDefinition = {
	id: "radius",
	name: "Radius",
	async login(callbacks) {
		const gateway = radiusGateway();
		const method = callbacks.onSelect
			? await callbacks.onSelect("Sign in to Radius:", [
					{ id: "browser", label: "Sign in with browser (recommended)" },
					{ id: "device-code", label: "Sign in with device code (when signing in from another device)" },
				])
			: "browser";
		if (method === "device-code") return loginWithDeviceCode(gateway, callbacks);
		if (method === "browser") return loginInBrowser(gateway, callbacks);
		throw new Error(`Unknown Radius sign-in method: ${method}`);
	},
	refresh: (tokens) =>
		requestTokens(radiusGateway(), {
			grant_type: "refresh_token",
			client_id: CLIENT_ID,
			refresh_token: tokens.refresh,
		}),
};
