/**
 * Credentials in ~/.pi/agent/auth.json (pi-spec §2.3), keyed by provider id:
 * `{ "anthropic": { "type": "api_key", "key": "..." }, "openai-codex": { "type": "oauth", ... } }`.
 *
 * OAuth tokens are used while unexpired; an expired one is refreshed under the auth.json lock (src/auth/oauth).
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import * as v from "valibot";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { errorMessage } from "../util/errors.ts";
import { withFileLockSync } from "../util/file-lock.ts";
import { lazyGroup } from "../util/lazy-schema.ts";
import { readTextFileSync } from "../util/text-file.ts";
import { getEnvApiKey, missingProviderSettings } from "./env-api-keys.ts";
import { getExtensionOAuthProvider } from "./oauth/extension-providers.ts";
import { resolveConfigValue } from "./resolve-config-value.ts";

/** Built on first use: only a run with an auth.json (or a login) needs them. */
const schemas = lazyGroup(() => {
	/**
	 * pi 1.6.0 may store provider settings beside (or instead of) the key: `env` holds values such as AWS_PROFILE,
	 * GOOGLE_CLOUD_PROJECT or CLOUDFLARE_ACCOUNT_ID, which win over the process environment for that provider.
	 */
	const ApiKeyCredentialSchema = v.object({
		type: v.literal("api_key"),
		key: v.optional(v.string()),
		env: v.optional(v.record(v.string(), v.string())),
	});
	/** OAuth entries carry provider-specific extras (accountId, enterpriseUrl, projectId): keep them all. */
	const OAuthCredentialSchema = v.looseObject({
		type: v.literal("oauth"),
		refresh: v.string(),
		access: v.string(),
		expires: v.number(),
	});
	const CredentialSchema = v.union([ApiKeyCredentialSchema, OAuthCredentialSchema]);
	const AuthFileSchema = v.record(v.string(), v.unknown());
	return { ApiKeyCredentialSchema, OAuthCredentialSchema, CredentialSchema, AuthFileSchema };
});

export type ApiKeyCredential = v.InferOutput<ReturnType<typeof schemas>["ApiKeyCredentialSchema"]>;
export type OAuthCredential = v.InferOutput<ReturnType<typeof schemas>["OAuthCredentialSchema"]>;
export type AuthCredential = ApiKeyCredential | OAuthCredential;

/** pi 1.6.0 renamed `azure-openai-responses` to `azure`: a key saved under the old id still counts. */
const FORMER_PROVIDER_IDS: Readonly<Record<string, string>> = { azure: "azure-openai-responses" };

/** Providers whose OAuth access token is itself the API key (pi-ai's registered OAuth providers). */
const OAUTH_PROVIDERS = new Set(["anthropic", "github-copilot", "openai-codex", "radius"]);

export class AuthStorage {
	private readonly authPath: string;
	private data: Record<string, AuthCredential> = {};
	private readonly runtimeKeys = new Map<string, string>();
	/** Set when auth.json exists but cannot be read; writes are then refused so a broken file is not clobbered. */
	loadError: string | undefined;

	constructor(authPath: string) {
		this.authPath = authPath;
		this.reload();
	}

	/** The stored credential, under the provider's current id or the one it had before pi renamed it. */
	private credential(provider: string): AuthCredential | undefined {
		const former = FORMER_PROVIDER_IDS[provider];
		return this.data[provider] ?? (former ? this.data[former] : undefined);
	}

	/** Re-read auth.json (another pi process may have logged in meanwhile). */
	reload(): void {
		try {
			this.data = parseCredentials(readAuthFile(this.authPath));
			this.loadError = undefined;
		} catch (error) {
			this.loadError = `${this.authPath}: ${errorMessage(error)}`;
		}
	}

	/** --api-key: highest priority, never written to disk. */
	setRuntimeApiKey(provider: string, key: string): void {
		this.runtimeKeys.set(provider, key);
	}

	removeRuntimeApiKey(provider: string): void {
		this.runtimeKeys.delete(provider);
	}

	get(provider: string): AuthCredential | undefined {
		return this.credential(provider);
	}

	/** Save one provider's credential; throws (leaving the file as it is) when auth.json cannot be read. */
	set(provider: string, credential: AuthCredential): void {
		this.persist(provider, credential);
		this.data[provider] = credential;
		if (this.loadError) this.reload(); // the file was fixed meanwhile: take all of it
	}

	remove(provider: string): void {
		this.persist(provider, undefined);
		delete this.data[provider];
		if (this.loadError) this.reload();
	}

	list(): string[] {
		return Object.keys(this.data);
	}

	has(provider: string): boolean {
		return provider in this.data;
	}

	/**
	 * Whether any credential source exists; cheap (runs no commands, refreshes nothing). A provider that needs
	 * settings besides its key (Cloudflare's account id) counts only when they are known, as in pi 1.6.0.
	 */
	hasAuth(provider: string): boolean {
		const env = this.getProviderEnv(provider);
		if (missingProviderSettings(provider, env).length > 0) return false;
		if (this.runtimeKeys.has(provider)) return true;
		const credential = this.credential(provider);
		if (credential?.type === "oauth" || credential?.key !== undefined) return true;
		return getEnvApiKey(provider, env) !== undefined;
	}

	/** The stored provider settings (a 1.6.0 api_key credential's `env`), handed to the provider with each request. */
	getProviderEnv(provider: string): Readonly<Record<string, string>> | undefined {
		const credential = this.credential(provider);
		return credential?.type === "api_key" ? credential.env : undefined;
	}

	/**
	 * pi's order: --api-key > auth.json api_key > unexpired OAuth token > environment variable. A stored entry
	 * with settings but no key (an AWS profile, a Vertex project) resolves the ambient credentials with them.
	 */
	async getApiKey(provider: string): Promise<string | undefined> {
		const runtime = this.runtimeKeys.get(provider);
		if (runtime) return runtime;
		const credential = this.credential(provider);
		if (credential?.type === "api_key") {
			return credential.key !== undefined
				? resolveConfigValue(credential.key, credential.env)
				: getEnvApiKey(provider, credential.env);
		}
		if (credential?.type === "oauth") {
			const fromExtension = getExtensionOAuthProvider(provider);
			if (!OAUTH_PROVIDERS.has(provider) && !fromExtension) return undefined;
			const fresh = Date.now() < credential.expires ? credential : await this.refreshOAuthCredential(provider);
			if (!fresh) return getEnvApiKey(provider);
			return fromExtension?.apiKeyFrom ? fromExtension.apiKeyFrom(fresh) : fresh.access;
		}
		return getEnvApiKey(provider);
	}

	/**
	 * Unlike pi, which answers undefined (then "no API key"), a refused refresh throws an error
	 * that tells the user to /login again. Loaded lazily: only sessions with an expired token need it.
	 */
	private async refreshOAuthCredential(provider: string): Promise<OAuthCredential | undefined> {
		const { getOAuthProvider } = await import("./oauth/index.ts");
		if (!getOAuthProvider(provider)) return undefined;
		const { refreshStoredOAuthCredential } = await import("./oauth/stored-refresh.ts");
		try {
			const fresh = await refreshStoredOAuthCredential(this.authPath, provider);
			this.reload();
			// No OAuth entry any more (logged out meanwhile): the caller continues down pi's order.
			return fresh;
		} catch (error) {
			// Another process may have refreshed successfully while ours failed.
			this.reload();
			const current = this.data[provider];
			if (current?.type === "oauth" && Date.now() < current.expires) return current;
			throw error;
		}
	}

	/**
	 * Merge one provider's change into the file as it is on disk now (not our possibly stale copy), under the
	 * lock pi also honours, then restrict the file to its owner.
	 */
	private persist(provider: string, credential: AuthCredential | undefined): void {
		mkdirSync(dirname(this.authPath), { recursive: true, mode: 0o700 });
		withFileLockSync(this.authPath, () => {
			// A file that cannot be read is never overwritten (it may hold other providers' credentials): the
			// login or logout fails with what to fix, instead of claiming a save that did not happen.
			let current: Record<string, unknown>;
			try {
				current = readAuthFile(this.authPath);
			} catch (error) {
				throw new Error(
					`${this.authPath} cannot be read (${errorMessage(error)}), so it was left unchanged; fix or remove it and try again`,
				);
			}
			if (credential) current[provider] = credential;
			else delete current[provider];
			writeAuthFile(this.authPath, current);
		});
	}
}

/** auth.json as it is on disk, every entry kept as it is ({} when the file is missing or empty). */
export function readAuthFile(authPath: string): Record<string, unknown> {
	if (!existsSync(authPath)) return {};
	const content = readTextFileSync(authPath);
	if (content.trim() === "") return {};
	const result = v.safeParse(schemas().AuthFileSchema, JSON.parse(content));
	if (!result.success) throw new Error("expected a JSON object keyed by provider");
	return result.output;
}

/** Replace auth.json atomically, readable by its owner only. Callers hold the auth.json lock. */
export function writeAuthFile(authPath: string, content: Record<string, unknown>): void {
	writeFileAtomicSync(authPath, JSON.stringify(content, null, 2), { mode: 0o600 });
	chmodSync(authPath, 0o600);
}

/** The entry when it is a well-formed OAuth credential. */
export function parseOAuthCredential(value: unknown): OAuthCredential | undefined {
	const parsed = v.safeParse(schemas().OAuthCredentialSchema, value);
	return parsed.success ? parsed.output : undefined;
}

/** Entries of unknown shape are ignored here but preserved on disk (persist merges raw JSON). */
function parseCredentials(file: Record<string, unknown>): Record<string, AuthCredential> {
	const credentials: Record<string, AuthCredential> = {};
	for (const [provider, value] of Object.entries(file)) {
		const parsed = v.safeParse(schemas().CredentialSchema, value);
		if (parsed.success) credentials[provider] = parsed.output;
	}
	return credentials;
}
