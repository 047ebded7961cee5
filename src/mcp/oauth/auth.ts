/**
 * OAuth for HTTP servers without an Authorization header (docs/mcp.md "Authenticate with OAuth"), on the MCP SDK's
 * OAuth client: it discovers the authorization server (RFC 9728 protected resource metadata, RFC 8414 / OpenID
 * metadata), registers a client (dynamic registration, or pi's Client ID Metadata Document when the server supports
 * it), runs PKCE, exchanges and refreshes tokens. This module supplies the provider it calls: credentials from
 * mcp-auth.json (store.ts), pi's client identity, and the two modes:
 *  - background (a session or `pi mcp list` connecting): stored tokens are sent and refreshed after a 401, but
 *    nothing is registered and no browser opens — a server that needs more shows "needs sign-in";
 *  - sign-in (`pi mcp login`, `/mcp login`): a loopback callback on 127.0.0.1 (or a pasted redirect URL) receives
 *    the code for the authorization page the user approves.
 */
import { randomBytes } from "node:crypto";
import type { OAuthClientProvider, OAuthDiscoveryState } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
	AuthorizationServerMetadata,
	OAuthClientInformationMixed,
	OAuthClientMetadata,
	OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import * as v from "valibot";
import { startCallbackServer } from "../../auth/oauth/callback-server.ts";
import { importIsland, MCP_SDK } from "../../util/embedded-asset.ts";
import { errorMessage } from "../../util/errors.ts";
import { isHttpConfig, isMetadataDocumentCallback, type McpHttpConfig } from "../config.ts";
import type { McpServerEntry } from "../config-file.ts";
import { resolveMcpValue } from "../config-values.ts";
import type { McpAuth } from "./provider.ts";
import { McpAuthStore, type McpOAuthState } from "./store.ts";

// The SDK is an island (../mcp-sdk.ts): JavaScript outside the bytecode, compiled when this module first loads.
const mcp = await importIsland<typeof import("../mcp-sdk.ts")>(MCP_SDK);

/** pi's Client ID Metadata Document: it lists `http://127.0.0.1:<any port>/callback` and localhost alike. */
export const PI_CLIENT_METADATA_URL = "https://pi.dev/oauth/client.json";

/** Thrown instead of opening a browser when a background connection needs the user. */
export class SignInRequiredError extends Error {}

export class SignInCancelledError extends Error {}

/** Whether a server authenticates with OAuth: HTTP without an Authorization header of its own. */
export function usesOAuth(entry: McpServerEntry): entry is McpServerEntry & { config: McpHttpConfig } {
	const { config } = entry;
	if (!isHttpConfig(config)) return false;
	return !Object.keys(config.headers ?? {}).some((header) => header.toLowerCase() === "authorization");
}

interface SignInMode {
	redirectUrl: string;
	state: string;
	onAuthorizationUrl(url: URL): void;
}

/** The SDK's OAuthClientProvider over mcp-auth.json; `signIn` undefined means background mode. */
class McpOAuthProvider implements OAuthClientProvider {
	constructor(
		private readonly entry: McpServerEntry & { config: McpHttpConfig },
		private readonly store: McpAuthStore,
		private readonly signIn: SignInMode | undefined,
		/** Authorization server metadata configured with `oauth.authServerMetadataUrl`, fetched at sign-in. */
		private readonly configuredMetadata?: AuthorizationServerMetadata,
	) {}

	private get url(): string {
		return this.entry.config.url;
	}

	private get settings() {
		return this.entry.config.oauth ?? {};
	}

	private load(): McpOAuthState | undefined {
		return this.store.load(this.entry.name, this.url);
	}

	private save(change: (state: McpOAuthState) => McpOAuthState): void {
		this.store.update(this.entry.name, this.url, change);
	}

	get redirectUrl(): string {
		// Background mode never redirects; the SDK only needs a redirect URI to tell an interactive client apart.
		return this.signIn?.redirectUrl ?? this.load()?.redirectUrl ?? "http://127.0.0.1/callback";
	}

	/** Offered to servers that support metadata documents, unless the user chose registration or a name. */
	get clientMetadataUrl(): string | undefined {
		const { clientRegistration = "auto", clientName, clientId, callbackUrl } = this.settings;
		if (clientId || clientRegistration === "dcr") return undefined;
		if (clientRegistration === "auto" && (clientName || !isMetadataDocumentCallback(callbackUrl))) return undefined;
		return PI_CLIENT_METADATA_URL;
	}

	get clientMetadata(): OAuthClientMetadata {
		const secret = this.clientSecret();
		return {
			client_name: this.settings.clientName ?? "pi",
			redirect_uris: [this.redirectUrl],
			grant_types: ["authorization_code", "refresh_token"],
			response_types: ["code"],
			token_endpoint_auth_method: secret ? "client_secret_post" : "none",
			...(this.settings.scope ? { scope: this.settings.scope } : {}),
		};
	}

	private clientSecret(): string | undefined {
		const secret = this.settings.clientSecret;
		return secret === undefined
			? undefined
			: resolveMcpValue(secret, `MCP server "${this.entry.name}" oauth.clientSecret`);
	}

	state(): string {
		return this.signIn?.state ?? randomBytes(16).toString("hex");
	}

	clientInformation(): OAuthClientInformationMixed | undefined {
		const { clientId } = this.settings;
		if (clientId) {
			const secret = this.clientSecret();
			return { client_id: clientId, ...(secret ? { client_secret: secret } : {}) };
		}
		const stored = this.load();
		const information = stored?.clientInformation;
		// A registration made for another redirect URI (another port) is not reused.
		if (
			information &&
			(!this.signIn ||
				stored?.redirectUrl === this.signIn.redirectUrl ||
				information.client_id === PI_CLIENT_METADATA_URL)
		) {
			return information;
		}
		// Registering a client is part of signing in, never of connecting in the background.
		if (!this.signIn) throw new SignInRequiredError(`MCP server "${this.entry.name}" requires sign-in`);
		return undefined;
	}

	saveClientInformation(information: OAuthClientInformationMixed): void {
		const { clientRegistration } = this.settings;
		if (clientRegistration === "cimd" && information.client_id !== PI_CLIENT_METADATA_URL) {
			throw new Error(
				'The authorization server does not accept Client ID Metadata Documents; set oauth.clientRegistration to "auto" or "dcr"',
			);
		}
		this.save((state) => ({ ...state, clientInformation: information, redirectUrl: this.redirectUrl }));
	}

	tokens(): OAuthTokens | undefined {
		const state = this.load();
		const tokens = state?.tokens;
		if (!tokens) return undefined;
		// Tokens saved by pi carry no issuer; they belong to the authorization server found at sign-in.
		const issuer = (tokens as { issuer?: string }).issuer ?? state?.discovery?.authorizationServerUrl;
		return issuer ? { ...tokens, issuer } : tokens;
	}

	saveTokens(tokens: OAuthTokens): void {
		const expiresAt = tokens.expires_in === undefined ? undefined : Date.now() + tokens.expires_in * 1000;
		this.save((state) => ({
			...state,
			tokens,
			tokensExpireAt: expiresAt,
			codeVerifier: undefined,
			oauthState: undefined,
		}));
	}

	redirectToAuthorization(url: URL): void {
		if (!this.signIn) throw new SignInRequiredError(`MCP server "${this.entry.name}" requires sign-in`);
		this.signIn.onAuthorizationUrl(url);
	}

	saveCodeVerifier(codeVerifier: string): void {
		if (!this.signIn) return;
		this.save((state) => ({ ...state, codeVerifier, oauthState: this.signIn?.state }));
	}

	codeVerifier(): string {
		const verifier = this.load()?.codeVerifier;
		if (!verifier) throw new Error("No sign-in is in progress (the PKCE verifier is missing)");
		return verifier;
	}

	invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): void {
		this.save((state) => {
			const next = { ...state };
			if (scope === "all" || scope === "client") delete next.clientInformation;
			if (scope === "all" || scope === "tokens") {
				delete next.tokens;
				delete next.tokensExpireAt;
			}
			if (scope === "all" || scope === "verifier") delete next.codeVerifier;
			if (scope === "all" || scope === "discovery") delete next.discovery;
			return next;
		});
	}

	discoveryState(): OAuthDiscoveryState | undefined {
		if (this.configuredMetadata) {
			return {
				authorizationServerUrl: this.configuredMetadata.issuer,
				authorizationServerMetadata: this.configuredMetadata,
			};
		}
		const discovery = this.load()?.discovery;
		// Stored by us (the SDK's shape) or by pi (a compatible subset): the SDK refetches what is missing.
		return discovery as OAuthDiscoveryState | undefined;
	}

	saveDiscoveryState(state: OAuthDiscoveryState): void {
		if (this.configuredMetadata) return;
		this.save((current) => ({ ...current, discovery: { ...state } }));
	}
}

function isSignInError(error: unknown): boolean {
	return (
		error instanceof SignInRequiredError ||
		error instanceof mcp.UnauthorizedError ||
		(error instanceof mcp.StreamableHTTPError && error.code === 401)
	);
}

/** What a background connection uses; undefined for servers that do not sign in with OAuth. */
export function createMcpAuth(entry: McpServerEntry, store = new McpAuthStore()): McpAuth | undefined {
	if (!usesOAuth(entry)) return undefined;
	return {
		provider: new McpOAuthProvider(entry, store, undefined),
		isSignInError,
		storedTokens: () => JSON.stringify(store.load(entry.name, entry.config.url)?.tokens ?? null),
	};
}

export interface SignInOptions {
	/** Show the authorization page to the user (and open a browser when there is one). */
	onAuthorizationUrl(url: URL): void;
	/** The redirect URL pasted by the user (for a browser on another machine); undefined when none comes. */
	promptRedirectUrl?(signal: AbortSignal): Promise<string | undefined>;
	signal: AbortSignal;
	store?: McpAuthStore;
}

const MetadataDocumentSchema = v.looseObject({
	issuer: v.string(),
	authorization_endpoint: v.string(),
	token_endpoint: v.string(),
	response_types_supported: v.optional(v.array(v.string()), ["code"]),
});

async function fetchMetadata(url: string, signal: AbortSignal): Promise<AuthorizationServerMetadata> {
	const response = await fetch(url, { signal, headers: { accept: "application/json" } });
	if (!response.ok) throw new Error(`oauth.authServerMetadataUrl answered HTTP ${response.status}`);
	const parsed = v.safeParse(MetadataDocumentSchema, await response.json().catch(() => undefined));
	if (!parsed.success) {
		throw new Error("oauth.authServerMetadataUrl is not an authorization server metadata document");
	}
	// The three fields we rely on are checked; the rest is the SDK's to read (it tolerates what it does not know).
	const data: AuthorizationServerMetadata = parsed.output;
	return data;
}

/** The code from a redirect URL the user pasted, checked against our state. */
function codeFromRedirect(pasted: string, state: string): string {
	if (!URL.canParse(pasted.trim()))
		throw new Error("That is not a URL. Paste the whole address the browser was sent to.");
	const params = new URL(pasted.trim()).searchParams;
	const error = params.get("error");
	if (error) throw new Error(`The authorization server refused: ${params.get("error_description") ?? error}`);
	const code = params.get("code");
	if (!code) throw new Error("The pasted URL carries no authorization code.");
	if (params.get("state") !== state) throw new Error("The pasted URL belongs to another sign-in (state mismatch).");
	return code;
}

/**
 * Sign in to the server and store its tokens. A stored refresh token is used when it still works; otherwise the
 * authorization page is shown and the code arrives at the loopback callback, or is pasted. Throws
 * SignInCancelledError when `signal` aborts first.
 */
export async function signInToServer(entry: McpServerEntry, options: SignInOptions): Promise<void> {
	if (!usesOAuth(entry))
		throw new Error(
			`MCP server "${entry.name}" does not use OAuth. Only HTTP servers without an Authorization header do.`,
		);
	const { signal } = options;
	const store = options.store ?? new McpAuthStore();
	const settings = entry.config.oauth ?? {};
	const configured = settings.callbackUrl ? new URL(settings.callbackUrl) : undefined;
	const state = randomBytes(16).toString("hex");
	const port = Number(configured?.port || settings.callbackPort || 0);
	const path = configured?.pathname ?? "/callback";
	const host = configured?.hostname === "[::1]" ? "::1" : "127.0.0.1";
	const callback = startCallbackServer({
		host,
		port,
		path,
		expectedState: state,
		providerName: `MCP server "${entry.name}"`,
	});
	if (!callback && !options.promptRedirectUrl)
		throw new Error(`Cannot listen for the sign-in callback on port ${port}`);
	try {
		// Without a port in the configured URI, the one we listen on is added (RFC 8252 loopback redirects).
		const redirect = configured ? new URL(configured) : new URL(`http://127.0.0.1${path}`);
		if (!redirect.port && callback) redirect.port = String(callback.port);
		const redirectUrl = configured?.port || !callback ? (settings.callbackUrl ?? redirect.href) : redirect.href;
		const metadata = settings.authServerMetadataUrl
			? await fetchMetadata(settings.authServerMetadataUrl, signal)
			: undefined;
		let shown = false;
		const provider = new McpOAuthProvider(
			entry,
			store,
			{
				redirectUrl,
				state,
				onAuthorizationUrl: (url) => {
					shown = true;
					options.onAuthorizationUrl(url);
				},
			},
			metadata,
		);
		const fetchFn = (url: string | URL, init?: RequestInit) =>
			fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
		const cancelled = new Promise<never>((_, reject) => {
			const stop = () => reject(new SignInCancelledError("Sign-in cancelled."));
			if (signal.aborted) stop();
			else signal.addEventListener("abort", stop, { once: true });
		});
		cancelled.catch(() => {});
		const first = await Promise.race([mcp.auth(provider, { serverUrl: entry.config.url, fetchFn }), cancelled]);
		if (first === "AUTHORIZED" || !shown) return;
		const pasteController = new AbortController();
		const abortPaste = () => pasteController.abort();
		signal.addEventListener("abort", abortPaste, { once: true });
		try {
			const waits: Promise<string>[] = [cancelled];
			if (callback) waits.push(callback.code.then((received) => received.code));
			if (options.promptRedirectUrl) {
				waits.push(
					options.promptRedirectUrl(pasteController.signal).then((pasted) => {
						if (pasted === undefined || pasted.trim() === "") return new Promise<string>(() => {});
						return codeFromRedirect(pasted, state);
					}),
				);
			}
			const code = await Promise.race(waits);
			pasteController.abort();
			await Promise.race([
				mcp.auth(provider, { serverUrl: entry.config.url, authorizationCode: code, fetchFn }),
				cancelled,
			]);
		} finally {
			signal.removeEventListener("abort", abortPaste);
			pasteController.abort();
		}
	} catch (error) {
		if (signal.aborted && !(error instanceof SignInCancelledError))
			throw new SignInCancelledError("Sign-in cancelled.");
		if (error instanceof SignInCancelledError) throw error;
		throw new Error(errorMessage(error));
	} finally {
		callback?.stop();
	}
}

/** Delete the server's stored credentials; false when there were none. */
export function signOutOfServer(entry: McpServerEntry, store = new McpAuthStore()): boolean {
	if (!usesOAuth(entry)) return false;
	return store.remove(entry.name, entry.config.url);
}
