/**
 * Google Application Default Credentials for Vertex AI: an OAuth access token from the credentials file that
 * GOOGLE_APPLICATION_CREDENTIALS names (a stored credential's setting wins), else gcloud's
 * `~/.config/gcloud/application_default_credentials.json`.
 *
 *  - service_account: a JWT signed with the account's private key (RS256) is exchanged at the file's `token_uri`
 *    (the JWT-bearer grant), scope cloud-platform.
 *  - authorized_user (`gcloud auth application-default login`): the refresh token is exchanged at `token_uri`,
 *    else Google's token endpoint; the file's quota project is sent as x-goog-user-project.
 *
 * Other kinds (external_account, impersonation, the GCE metadata server) are left to google-auth-library inside
 * the SDK: `undefined` here means "let the SDK resolve ADC". Tokens are cached per file (and content) until 5
 * minutes before they expire; every request goes through fetch, so proxies apply.
 */
import { createSign } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { providerEnv } from "../util/env.ts";
import { lazyGroup } from "../util/lazy-schema.ts";

const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Built on first use: only a run that uses Google application default credentials needs them. */
const schemas = lazyGroup(() => {
	const ServiceAccountSchema = v.looseObject({
		type: v.literal("service_account"),
		client_email: v.string(),
		private_key: v.string(),
		private_key_id: v.optional(v.string()),
		token_uri: v.optional(v.string()),
	});
	const AuthorizedUserSchema = v.looseObject({
		type: v.literal("authorized_user"),
		client_id: v.string(),
		client_secret: v.string(),
		refresh_token: v.string(),
		token_uri: v.optional(v.string()),
		quota_project_id: v.optional(v.string()),
	});
	const CredentialsFileSchema = v.looseObject({ type: v.string() });
	const TokenResponseSchema = v.looseObject({ access_token: v.string(), expires_in: v.optional(v.number()) });
	return { ServiceAccountSchema, AuthorizedUserSchema, CredentialsFileSchema, TokenResponseSchema };
});

export interface GoogleAccessToken {
	/** Request headers: `Authorization: Bearer …`, and the quota project when the file names one. */
	headers: Record<string, string>;
	expiresAt: number;
}

const cache = new Map<string, GoogleAccessToken>();

export function googleCredentialsPath(env?: Readonly<Record<string, string>>): string {
	return (
		providerEnv("GOOGLE_APPLICATION_CREDENTIALS", env) ??
		join(homedir(), ".config", "gcloud", "application_default_credentials.json")
	);
}

function base64url(data: string | Buffer): string {
	return Buffer.from(data).toString("base64url");
}

function signedAssertion(
	account: v.InferOutput<ReturnType<typeof schemas>["ServiceAccountSchema"]>,
	audience: string,
): string {
	const now = Math.floor(Date.now() / 1000);
	const header = { alg: "RS256", typ: "JWT", ...(account.private_key_id ? { kid: account.private_key_id } : {}) };
	const claims = { iss: account.client_email, scope: SCOPE, aud: audience, iat: now, exp: now + 3600 };
	const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
	const signature = createSign("RSA-SHA256").update(unsigned).sign(account.private_key);
	return `${unsigned}.${base64url(signature)}`;
}

async function exchange(
	url: string,
	form: Record<string, string>,
	signal: AbortSignal | undefined,
): Promise<v.InferOutput<ReturnType<typeof schemas>["TokenResponseSchema"]>> {
	const response = await fetch(url, {
		method: "POST",
		headers: { "content-type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(form),
		signal,
	});
	const text = await response.text();
	if (!response.ok) {
		throw new Error(
			`Google Application Default Credentials: the token request to ${url} failed (${response.status}): ${text.slice(0, 300)}`,
		);
	}
	const parsed = v.safeParse(schemas().TokenResponseSchema, JSON.parse(text));
	if (!parsed.success)
		throw new Error(`Google Application Default Credentials: ${url} answered without an access_token`);
	return parsed.output;
}

/**
 * The token for the configured credentials file, or undefined when there is no such file or it is a kind the SDK
 * resolves itself. A broken file or a refused exchange is an error naming the file or the endpoint.
 */
export async function googleAccessToken(
	env?: Readonly<Record<string, string>>,
	signal?: AbortSignal,
): Promise<GoogleAccessToken | undefined> {
	const path = googleCredentialsPath(env);
	if (!existsSync(path)) return undefined;
	const text = readFileSync(path, "utf-8");
	// Keyed by the content too: a file replaced by `gcloud auth application-default login` gets a new token.
	const cacheKey = `${path}\0${text}`;
	const cached = cache.get(cacheKey);
	if (cached && cached.expiresAt - REFRESH_MARGIN_MS > Date.now()) return cached;
	let file: unknown;
	try {
		file = JSON.parse(text);
	} catch (error) {
		throw new Error(`Google credentials file ${path} is not valid JSON: ${String(error)}`);
	}
	const kind = v.safeParse(schemas().CredentialsFileSchema, file);
	if (!kind.success) throw new Error(`Google credentials file ${path} has no "type"`);
	let token: GoogleAccessToken | undefined;
	if (kind.output.type === "service_account") {
		const account = v.safeParse(schemas().ServiceAccountSchema, file);
		if (!account.success) throw new Error(`Google service account file ${path} lacks client_email or private_key`);
		const url = account.output.token_uri ?? GOOGLE_TOKEN_URL;
		const answer = await exchange(
			url,
			{ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: signedAssertion(account.output, url) },
			signal,
		);
		token = {
			headers: { Authorization: `Bearer ${answer.access_token}` },
			expiresAt: Date.now() + (answer.expires_in ?? 3600) * 1000,
		};
	} else if (kind.output.type === "authorized_user") {
		const user = v.safeParse(schemas().AuthorizedUserSchema, file);
		if (!user.success)
			throw new Error(`Google user credentials file ${path} lacks client_id, client_secret or refresh_token`);
		const answer = await exchange(
			user.output.token_uri ?? GOOGLE_TOKEN_URL,
			{
				grant_type: "refresh_token",
				client_id: user.output.client_id,
				client_secret: user.output.client_secret,
				refresh_token: user.output.refresh_token,
			},
			signal,
		);
		token = {
			headers: {
				Authorization: `Bearer ${answer.access_token}`,
				...(user.output.quota_project_id ? { "x-goog-user-project": user.output.quota_project_id } : {}),
			},
			expiresAt: Date.now() + (answer.expires_in ?? 3600) * 1000,
		};
	}
	if (token) cache.set(cacheKey, token);
	return token;
}
