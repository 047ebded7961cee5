/**
 * `pi auth …` (pi 1.6.0): log in to and out of providers from the shell, print their credentials for other tools,
 * or check that a provider is ready. Credentials live in auth.json, shared with `/login`.
 *
 *   pi auth login <provider> [--api-key] [--no-browser]   sign in with an account, or save an API key
 *   pi auth logout <provider>                             remove what login stored
 *   pi auth print-api-key --provider P | --model M        the resolved API key on stdout
 *   pi auth print-bearer-token … [--min-expiry 30m]       an OAuth access token, refreshed when about to expire
 *   pi auth check … [--json] [--credentials] [--no-refresh]   ready / not_ready / invalid, exit 0 / 1 / 2
 */
import { providerDisplayName } from "../ai/providers-info.ts";
import { AuthStorage } from "../auth/auth-storage.ts";
import { agentPaths } from "../config/paths.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { errorMessage } from "../util/errors.ts";
import { parseArgs } from "./args.ts";
import { processLoginTerminal, runAuthLogin } from "./auth-login.ts";

const USAGE = {
	check: "pi auth check --provider <provider> [--json] [--credentials] [--no-refresh]",
	"print-api-key": "pi auth print-api-key --provider <provider> [--model <model>]",
	"print-bearer-token": "pi auth print-bearer-token --provider <provider> [--model <model>] [--min-expiry <duration>]",
} as const;
type CredentialCommand = keyof typeof USAGE;

const HELP = `Usage:
  pi auth login <provider> [--api-key] [--no-browser]
  pi auth logout <provider>
  pi auth print-api-key [--provider <provider>] [--model <model>]
  pi auth print-bearer-token [--provider <provider>] [--model <model>] [--min-expiry <duration>]
  pi auth check [--provider <provider>] [--model <model>] [--json] [--credentials] [--no-refresh]

Log in to and out of model providers, print their credentials for external clients, or check that they are ready.
Credentials are stored in ~/.pi/agent/auth.json.

Commands:
  login <provider>        Sign in with an account in the browser, or save an API key, then exit
  logout <provider>       Remove the stored credentials; environment variables and models.json stay
  print-api-key           Print the resolved API key
  print-bearer-token      Print a resolved OAuth bearer token (refreshes if expired)
  check                   Print ready, not_ready, or invalid; exit with 0, 1, or 2

Options for print-api-key, print-bearer-token, and check (at least one is required):
  --provider <provider>   Resolve credentials for a provider
  --model <model>         Resolve credentials from a model

Options for login:
  --api-key               Save an API key instead of signing in with an account
  --no-browser            Do not open a browser; use another sign-in method, e.g. device code

Other options:
  --min-expiry <duration> Minimum remaining token lifetime for print-bearer-token, e.g. 30m or 1h
  --json                  Print the check result as JSON
  --credentials           Emit the credential from check, or include it in JSON output
  --no-refresh            Do not refresh expired OAuth credentials during check
`;

/** A user mistake in an auth command: printed as `Error: …`. */
class AuthCommandError extends Error {}

const DEFAULT_BEARER_MIN_EXPIRY_MS = 30 * 60_000;

interface CredentialRequest {
	command: CredentialCommand;
	provider?: string;
	model?: string;
	json: boolean;
	credentials: boolean;
	noRefresh: boolean;
	minExpiryMs?: number;
}

function stores(): { auth: AuthStorage; registry: ModelRegistry } {
	const auth = new AuthStorage(agentPaths.auth());
	return { auth, registry: new ModelRegistry(auth, agentPaths.models()) };
}

export async function runAuthCommand(args: string[]): Promise<number> {
	const [sub, ...rest] = args;
	if (sub === undefined || sub === "help" || args.includes("--help") || args.includes("-h")) {
		process.stdout.write(HELP);
		return 0;
	}
	const withoutOffline = rest.filter((arg) => arg !== "--offline");
	if (sub === "login") {
		const { auth, registry } = stores();
		const controller = new AbortController();
		return runAuthLogin(
			withoutOffline,
			{ auth, registry, terminal: processLoginTerminal(() => controller.abort()) },
			controller.signal,
		);
	}
	if (sub === "logout") return runAuthLogout(withoutOffline);
	if (sub !== "check" && sub !== "print-api-key" && sub !== "print-bearer-token") {
		process.stderr.write(
			`Error: Unknown auth command "${sub}". Use "pi auth login", "pi auth logout", "pi auth print-api-key", "pi auth print-bearer-token", or "pi auth check".\n`,
		);
		return 1;
	}
	let request: CredentialRequest;
	try {
		request = parseCredentialRequest(sub, withoutOffline);
	} catch (error) {
		process.stderr.write(`${errorMessage(error)}\n`);
		return 1;
	}
	try {
		if (request.command === "check") return await runCheck(request);
		process.stdout.write(`${await resolveCredential(request)}\n`);
		return 0;
	} catch (error) {
		const message = error instanceof AuthCommandError ? error.message : "Failed to resolve credential";
		process.stderr.write(`Error: ${message}\n`);
		return request.command === "check" ? 2 : 1;
	}
}

/** The options of print-api-key, print-bearer-token and check; throws the line to print (already worded). */
function parseCredentialRequest(command: CredentialCommand, args: string[]): CredentialRequest {
	const request: CredentialRequest = { command, json: false, credentials: false, noRefresh: false };
	const passOn: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] ?? "";
		if (arg === "--min-expiry") {
			if (command !== "print-bearer-token") {
				throw new AuthCommandError("Error: --min-expiry is only supported by print-bearer-token");
			}
			const match = /^(\d+)(ms|s|m|h)$/iu.exec(args[++i] ?? "");
			if (!match) throw new AuthCommandError("Error: --min-expiry must use a duration such as 30m or 1h");
			const unit = (match[2] ?? "").toLowerCase();
			const scale = unit === "ms" ? 1 : unit === "s" ? 1_000 : unit === "m" ? 60_000 : 3_600_000;
			request.minExpiryMs = Number(match[1]) * scale;
		} else if (arg === "--json" || arg === "--credentials" || arg === "--no-refresh") {
			if (command !== "check") throw new AuthCommandError(`Error: ${arg} is only supported by auth check`);
			if (arg === "--json") request.json = true;
			else if (arg === "--credentials") request.credentials = true;
			else request.noRefresh = true;
		} else passOn.push(arg);
	}
	const parsed = parseArgs(passOn);
	const unknown = parsed.unknownFlags[0];
	if (unknown) {
		throw new AuthCommandError(
			`Unknown option ${unknown} for "auth ${command}".\nUse "pi --help" or "${USAGE[command]}".`,
		);
	}
	if (parsed.diagnostics.length > 0) {
		throw new AuthCommandError(`Error: ${parsed.diagnostics.map((diagnostic) => diagnostic.message).join("\n")}`);
	}
	if (parsed.apiKey !== undefined || parsed.messages.length > 0 || parsed.fileArgs.length > 0) {
		throw new AuthCommandError("Error: Auth commands only accept --provider and --model");
	}
	request.provider = parsed.provider?.trim() || undefined;
	request.model = parsed.model?.trim() || undefined;
	if (!request.provider && !request.model) {
		throw new AuthCommandError(
			command === "check"
				? "Error: Auth checks require --provider <provider> or --model <model>"
				: "Error: Credential printing requires --provider <provider> or --model <model>",
		);
	}
	return request;
}

/** Every provider the registry knows (built-in, models.json, extensions) and those with a stored login. */
function knownProviders(registry: ModelRegistry, auth: AuthStorage): Set<string> {
	return new Set([...registry.getAll().map((model) => model.provider), ...auth.list()]);
}

/** The providers the request names: its --provider, or those with stored credentials that have the --model. */
async function requestedProviders(
	request: CredentialRequest,
): Promise<{ auth: AuthStorage; registry: ModelRegistry; ids: string[] }> {
	const { auth, registry } = stores();
	const { resolveCliModel } = await import("../ai/model-resolver.ts");
	if (request.provider) {
		if (!knownProviders(registry, auth).has(request.provider)) {
			throw new AuthCommandError(
				`Unknown provider "${request.provider}". Use --list-models to see available providers.`,
			);
		}
		if (request.model) {
			const resolved = resolveCliModel({ provider: request.provider, model: request.model, registry });
			if (resolved.error || !resolved.model) {
				throw new AuthCommandError(resolved.error ?? "Unable to resolve the requested provider/model");
			}
		}
		return { auth, registry, ids: [request.provider] };
	}
	const model = request.model ?? "";
	const ids = auth.list().filter((provider) => resolveCliModel({ provider, model, registry }).model !== undefined);
	if (ids.length === 0) {
		throw new AuthCommandError(`Model "${model}" not found. Use --list-models to see available models.`);
	}
	return { auth, registry, ids };
}

async function resolveCredential(request: CredentialRequest): Promise<string> {
	const { auth, registry, ids } = await requestedProviders(request);
	const bearer = request.command === "print-bearer-token";
	const found: { provider: string; value: string }[] = [];
	for (const provider of ids) {
		const type = auth.get(provider)?.type;
		if (bearer ? type !== "oauth" : type === "oauth") continue;
		const value = bearer
			? await bearerToken(provider, request.minExpiryMs ?? DEFAULT_BEARER_MIN_EXPIRY_MS)
			: await registry.getApiKeyForProvider(provider);
		if (value) found.push({ provider, value });
	}
	const [only, ...more] = found;
	if (only && more.length === 0) return only.value;
	if (only) {
		throw new AuthCommandError(
			`Multiple configured providers matched (${found.map((item) => item.provider).join(", ")}). Specify --provider.`,
		);
	}
	const first = ids[0];
	const type = first ? auth.get(first)?.type : undefined;
	if (request.provider && !bearer && type === "oauth") {
		throw new AuthCommandError(`Provider "${first}" is configured with OAuth, not an API key`);
	}
	if (request.provider && bearer && type !== "oauth") {
		throw new AuthCommandError(`Provider "${first}" is not configured with an OAuth bearer token`);
	}
	throw new AuthCommandError(`No usable ${bearer ? "OAuth bearer token" : "API key"} is configured`);
}

/** The stored OAuth access token, refreshed first (and saved) when it expires within `minValidityMs`. */
async function bearerToken(provider: string, minValidityMs: number): Promise<string | undefined> {
	const { refreshStoredOAuthCredential } = await import("../auth/oauth/stored-refresh.ts");
	const fresh = await refreshStoredOAuthCredential(agentPaths.auth(), provider, minValidityMs).catch((error) => {
		throw new AuthCommandError(errorMessage(error));
	});
	return fresh?.access;
}

type CheckResult = {
	status: "ready" | "not_ready" | "invalid";
	provider: string;
	reason?: "provider_not_found" | "credentials_not_configured" | "credential_not_available" | "invalid_state";
	authType?: "api_key" | "oauth";
};

async function runCheck(request: CredentialRequest): Promise<number> {
	let result: CheckResult;
	let credential: string | undefined;
	try {
		result = await checkProvider(request);
		if (request.credentials && result.status === "ready") {
			credential = await credentialOf(result.provider, !request.noRefresh);
			if (!credential) result = { status: "not_ready", provider: result.provider, reason: "credential_not_available" };
		}
	} catch (error) {
		if (error instanceof AuthCommandError) throw error;
		result = { status: "invalid", provider: request.provider ?? request.model ?? "", reason: "invalid_state" };
	}
	const output = request.json
		? JSON.stringify({ ...result, ...(credential ? { credentials: credential } : {}) })
		: (credential ?? result.status);
	process.stdout.write(`${output}\n`);
	return result.status === "ready" ? 0 : result.status === "not_ready" ? 1 : 2;
}

async function checkProvider(request: CredentialRequest): Promise<CheckResult> {
	const { auth, registry } = stores();
	let provider = request.provider;
	if (request.model) {
		const { resolveCliModel } = await import("../ai/model-resolver.ts");
		const resolved = resolveCliModel({ provider: request.provider, model: request.model, registry });
		if (resolved.error || !resolved.model) {
			throw new AuthCommandError(resolved.error ?? `Unable to resolve model "${request.model}"`);
		}
		provider = resolved.model.provider;
	}
	if (!provider) throw new AuthCommandError("Unable to resolve an auth provider");
	if (auth.loadError || registry.loadError) return { status: "invalid", provider, reason: "invalid_state" };
	if (!knownProviders(registry, auth).has(provider))
		return { status: "not_ready", provider, reason: "provider_not_found" };
	const stored = auth.get(provider);
	const configured = auth.hasAuth(provider) || (await registry.getApiKeyForProvider(provider)) !== undefined;
	if (!configured) return { status: "not_ready", provider, reason: "credentials_not_configured" };
	if (stored?.type === "oauth" && !request.noRefresh && !(await credentialOf(provider, true))) {
		return { status: "not_ready", provider, reason: "credentials_not_configured" };
	}
	return { status: "ready", provider, authType: stored?.type === "oauth" ? "oauth" : "api_key" };
}

/** What a request to `provider` would authenticate with; an expired OAuth token is refreshed unless told not to. */
async function credentialOf(provider: string, refresh: boolean): Promise<string | undefined> {
	const { auth, registry } = stores();
	const stored = auth.get(provider);
	if (stored?.type === "oauth" && !refresh) return stored.access;
	return registry.getApiKeyForProvider(provider);
}

/** `pi auth logout <provider>`: remove what `pi auth login` or `/login` stored, as pi 1.6.0 words it. */
function runAuthLogout(args: string[]): number {
	const [providerRef, ...extra] = args;
	if (providerRef === undefined || providerRef.startsWith("-") || extra.length > 0) {
		process.stderr.write("Usage: pi auth logout <provider>\n");
		return 1;
	}
	const { auth, registry } = stores();
	const wanted = providerRef.toLowerCase();
	const provider = [...knownProviders(registry, auth)].find(
		(id) => id.toLowerCase() === wanted || providerDisplayName(id).toLowerCase() === wanted,
	);
	const id = provider ?? providerRef;
	const credential = auth.get(id);
	if (!provider && !credential) {
		process.stderr.write(`Unknown provider "${providerRef}".\n`);
		process.stderr.write(`Stored credentials: ${auth.list().sort().join(", ") || "none"}\n`);
		return 1;
	}
	const name = providerDisplayName(id);
	if (!credential) {
		process.stdout.write(
			`No stored credentials for ${name}. Environment variables and models.json config are unchanged.\n`,
		);
		return 0;
	}
	try {
		auth.remove(id);
	} catch (error) {
		process.stderr.write(`Logout failed: ${errorMessage(error)}\n`);
		return 1;
	}
	process.stdout.write(
		credential.type === "oauth"
			? `Logged out of ${name}.\n`
			: `Removed stored API key for ${name}. Environment variables and models.json config are unchanged.\n`,
	);
	return 0;
}
