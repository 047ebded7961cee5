/**
 * All models pi can use: the built-in catalog plus ~/.pi/agent/models.json (pi-spec §2.5), which may
 *  - add custom providers (local servers such as Ollama, LM Studio, llama.cpp or vLLM are just
 *    `openai-completions` providers with a baseUrl),
 *  - add models to a built-in provider,
 *  - override a built-in provider's baseUrl / headers / compat / apiKey, or single models (`modelOverrides`).
 *
 * Header values from models.json are resolved once, when the model list is built, and merged into
 * `model.headers` (pi 0.73 resolves them per request; a `!command` header therefore runs once per process here).
 * `authHeader: true` needs the API key and is applied by getApiKeyAndHeaders().
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { getBuiltInModelsOf, getBuiltInProviders, isBuiltInProvider } from "../ai/models.ts";
import { mergeHeaders } from "../ai/providers/options.ts";
import { AMBIENT_CREDENTIALS, type Model, type ModelInputLimits, type OpenAICompat } from "../ai/types.ts";
import type { AuthStorage } from "../auth/auth-storage.ts";
import { bearerEnvToken } from "../auth/env-api-keys.ts";
import { googleAccessToken } from "../auth/google-adc.ts";
import { applyOAuthModelAdjustments } from "../auth/oauth/model-adjustments.ts";
import { radiusGateway } from "../auth/oauth/radius-gateway.ts";
import {
	isConfigValueConfigured,
	resolveConfigValueOrThrow,
	resolveConfigValueUncached,
	resolveHeaders,
	resolveHeadersOrThrow,
} from "../auth/resolve-config-value.ts";
import { errorMessage } from "../util/errors.ts";
import { readTextFileSync } from "../util/text-file.ts";
import { stripJsonComments } from "./json-comments.ts";
import {
	type Compat,
	type ModelOverride,
	type ModelsConfig,
	type ProviderConfig,
	parseModelsConfig,
} from "./models-json-schema.ts";
import { RADIUS_PROVIDER, storedRadiusModels } from "./radius-catalog.ts";

export type ApiKeyAndHeaders =
	| {
			ok: true;
			apiKey: string | undefined;
			headers: Record<string, string> | undefined;
			/** The part of `headers` that authenticates (authHeader's Bearer, a Vertex ADC token), for the agent. */
			authHeaders: Record<string, string> | undefined;
			/** Provider settings stored with the credential (AWS_PROFILE, CLOUDFLARE_ACCOUNT_ID, …), for the stream. */
			env: Readonly<Record<string, string>> | undefined;
	  }
	| { ok: false; error: string };

/**
 * Provider ids pi renamed: 0.73.1's `azure-openai-responses` is 1.6.0's `azure`. Sessions and settings that name
 * the old id keep finding their model.
 */
const RENAMED_PROVIDERS: Readonly<Record<string, string>> = { "azure-openai-responses": "azure" };

const DEFAULT_CONTEXT_WINDOW = 128_000;
const DEFAULT_MAX_TOKENS = 16_384;

// ---- reading models.json ---------------------------------------------------------------------------------

/** Rules the schema cannot express (pi's validateConfig); throws with the provider and model named. */
function checkConfig(config: ModelsConfig): void {
	for (const [provider, settings] of Object.entries(config.providers)) {
		const models = settings.models ?? [];
		if (models.length === 0) {
			const hasOverrides = Object.keys(settings.modelOverrides ?? {}).length > 0;
			if (!settings.baseUrl && !settings.headers && !settings.compat && !hasOverrides) {
				throw new Error(
					`Provider ${provider}: must specify "baseUrl", "headers", "compat", "modelOverrides", or "models".`,
				);
			}
			continue;
		}
		const builtIn = isBuiltInProvider(provider);
		if (!builtIn && !settings.baseUrl) {
			throw new Error(`Provider ${provider}: "baseUrl" is required when defining custom models.`);
		}
		if (!builtIn && !settings.apiKey) {
			throw new Error(`Provider ${provider}: "apiKey" is required when defining custom models.`);
		}
		for (const model of models) {
			if (!builtIn && !settings.api && !model.api) {
				throw new Error(`Provider ${provider}, model ${model.id}: no "api" specified. Set at provider or model level.`);
			}
			if (model.contextWindow !== undefined && model.contextWindow <= 0) {
				throw new Error(`Provider ${provider}, model ${model.id}: invalid contextWindow`);
			}
			if (model.maxTokens !== undefined && model.maxTokens <= 0) {
				throw new Error(`Provider ${provider}, model ${model.id}: invalid maxTokens`);
			}
		}
	}
}

/** Read and validate models.json. A missing file is no error; any problem names the file and where it is. */
function readModelsJson(path: string): { config?: ModelsConfig; error?: string } {
	if (!existsSync(path)) return {};
	let raw: unknown;
	try {
		raw = JSON.parse(stripJsonComments(readTextFileSync(path)));
	} catch (error) {
		return { error: `Failed to parse models.json: ${errorMessage(error)}\n\nFile: ${path}` };
	}
	const parsed = parseModelsConfig(raw);
	if ("error" in parsed) return { error: `Invalid models.json schema:\n${parsed.error}\n\nFile: ${path}` };
	try {
		checkConfig(parsed.config);
	} catch (error) {
		return { error: `Failed to load models.json: ${errorMessage(error)}\n\nFile: ${path}` };
	}
	return { config: parsed.config };
}

// ---- merging ---------------------------------------------------------------------------------------------

/** Shallow merge, except the routing preferences, which merge one level deeper (as pi does). */
function mergeCompat(
	base: OpenAICompat | Compat | undefined,
	override: OpenAICompat | Compat | undefined,
): Record<string, unknown> | undefined {
	if (!override) return base ? { ...base } : undefined;
	const merged: Record<string, unknown> = { ...base, ...override };
	for (const key of ["openRouterRouting", "vercelGatewayRouting"] as const) {
		if (base?.[key] || override[key]) merged[key] = { ...base?.[key], ...override[key] };
	}
	return merged;
}

/** Later sources win; undefined when no source adds a header. */
function mergeHeadersOrUndefined(...parts: (Record<string, string> | undefined)[]): Record<string, string> | undefined {
	const merged = mergeHeaders(...parts);
	return Object.keys(merged).length > 0 ? merged : undefined;
}

/** An override's limits over the model's, one level at a time (pi 1.6.0's mergeInputLimits). */
function mergeInputLimits(base: ModelInputLimits | undefined, override: ModelInputLimits): ModelInputLimits {
	const images = override.images
		? {
				...base?.images,
				...override.images,
				resize: override.images.resize ? { ...base?.images?.resize, ...override.images.resize } : base?.images?.resize,
			}
		: base?.images;
	return withoutUndefined({ ...base, ...override, images });
}

function applyModelOverride(model: Model, override: ModelOverride): Model {
	const result: Model = { ...model };
	if (override.name !== undefined) result.name = override.name;
	if (override.reasoning !== undefined) result.reasoning = override.reasoning;
	if (override.thinkingLevelMap !== undefined) {
		result.thinkingLevelMap = { ...model.thinkingLevelMap, ...override.thinkingLevelMap };
	}
	if (override.input !== undefined) result.input = override.input;
	if (override.inputLimits !== undefined)
		result.inputLimits = mergeInputLimits(model.inputLimits, override.inputLimits);
	if (override.contextWindow !== undefined) result.contextWindow = override.contextWindow;
	if (override.maxTokens !== undefined) result.maxTokens = override.maxTokens;
	if (override.cost) {
		result.cost = {
			input: override.cost.input ?? model.cost.input,
			output: override.cost.output ?? model.cost.output,
			cacheRead: override.cost.cacheRead ?? model.cost.cacheRead,
			cacheWrite: override.cost.cacheWrite ?? model.cost.cacheWrite,
		};
	}
	const compat = mergeCompat(model.compat, override.compat);
	if (compat) result.compat = compat;
	return result;
}

function withoutUndefined<T extends object>(model: T): T {
	for (const key of Object.keys(model) as (keyof T)[]) if (model[key] === undefined) delete model[key];
	return model;
}

/** A set of providers to build the models of; undefined means all of them. */
type ProviderFilter = ReadonlySet<string> | undefined;

function wanted(only: ProviderFilter, provider: string): boolean {
	return only === undefined || only.has(provider);
}

/** Built-in models (of the `only` providers) with provider-level and per-model overrides applied. */
function builtInWithOverrides(config: ModelsConfig | undefined, only: ProviderFilter): Model[] {
	const providers = getBuiltInProviders().filter((provider) => wanted(only, provider));
	return getBuiltInModelsOf(providers).map((base) => {
		const settings = config?.providers[base.provider];
		if (!settings) return base;
		let model: Model = base;
		if (settings.baseUrl || settings.compat) {
			model = { ...model, baseUrl: settings.baseUrl ?? model.baseUrl };
			const compat = mergeCompat(model.compat, settings.compat);
			if (compat) model.compat = compat;
		}
		const override = settings.modelOverrides?.[base.id];
		if (override) model = applyModelOverride(model, override);
		const headers = mergeHeadersOrUndefined(
			model.headers,
			resolveHeaders(settings.headers),
			resolveHeaders(override?.headers),
		);
		if (headers !== model.headers) model = { ...model, headers };
		return withoutUndefined(model);
	});
}

/** Models defined in models.json; api/baseUrl fall back to the provider's, then to its first built-in model. */
function customModels(config: ModelsConfig, only: ProviderFilter): Model[] {
	const models: Model[] = [];
	const providers = Object.keys(config.providers).filter((provider) => wanted(only, provider));
	const builtIns = getBuiltInModelsOf(providers);
	for (const provider of providers) {
		const settings = config.providers[provider];
		if (!settings) continue;
		const builtIn = builtIns.find((model) => model.provider === provider);
		const providerHeaders = resolveHeaders(settings.headers);
		for (const definition of settings.models ?? []) {
			const api = definition.api ?? settings.api ?? builtIn?.api;
			const baseUrl = definition.baseUrl ?? settings.baseUrl ?? builtIn?.baseUrl;
			if (!api || !baseUrl) continue;
			const model: Model = {
				id: definition.id,
				name: definition.name ?? definition.id,
				api,
				provider,
				baseUrl,
				reasoning: definition.reasoning ?? false,
				input: definition.input ?? ["text"],
				cost: definition.cost ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
				contextWindow: definition.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
				maxTokens: definition.maxTokens ?? DEFAULT_MAX_TOKENS,
				thinkingLevelMap: definition.thinkingLevelMap,
				inputLimits: definition.inputLimits,
				headers: mergeHeadersOrUndefined(providerHeaders, resolveHeaders(definition.headers)),
				compat: mergeCompat(settings.compat, definition.compat),
			};
			models.push(withoutUndefined(model));
		}
	}
	return models;
}

/** Custom models replace a built-in with the same provider and id, or are appended. */
function upsert(models: Model[], additions: Model[]): Model[] {
	const merged = [...models];
	const index = new Map(merged.map((model, i) => [`${model.provider}\u0000${model.id}`, i]));
	for (const model of additions) {
		const key = `${model.provider}\u0000${model.id}`;
		const existing = index.get(key);
		if (existing === undefined) {
			index.set(key, merged.length);
			merged.push(model);
		} else {
			merged[existing] = model;
		}
	}
	return merged;
}

// ---- the registry ----------------------------------------------------------------------------------------

export class ModelRegistry {
	private readonly auth: AuthStorage;
	private readonly modelsJsonPath: string;
	private config: ModelsConfig | undefined;
	/** Providers extensions registered: merged over models.json's entry of the same name. */
	private readonly registered = new Map<string, ProviderConfig>();
	/** Built lazily: most runs need only a few lookups, and the catalog parse is the costly part. */
	private models: Model[] | undefined;
	/**
	 * Models of some providers only, by sorted provider list: startup asks for the providers with credentials and
	 * the saved default's, and parsing only their part of the catalog saves ~3.5 MB and ~4 ms (models.ts). The
	 * build is per provider (overrides, models.json, Radius, OAuth adjustments all act within one provider), so a
	 * partial build is exactly the full build filtered, in the same order.
	 */
	private readonly partial = new Map<string, Model[]>();
	loadError: string | undefined;

	constructor(auth: AuthStorage, modelsJsonPath: string) {
		this.auth = auth;
		this.modelsJsonPath = modelsJsonPath;
		this.readConfig();
	}

	/** Re-read models.json (pi does this whenever the model selector opens). */
	refresh(): void {
		this.invalidate();
		this.readConfig();
	}

	getAll(): Model[] {
		this.models ??= this.buildModels(undefined);
		return this.models;
	}

	/** Models whose provider has some credential (no command is run and nothing is refreshed). */
	async getAvailable(): Promise<Model[]> {
		const providers = new Set([...getBuiltInProviders(), ...Object.keys(this.effectiveConfig()?.providers ?? {})]);
		return this.modelsOf([...providers].filter((provider) => this.providerHasAuth(provider)));
	}

	find(provider: string, modelId: string): Model | undefined {
		const current = RENAMED_PROVIDERS[provider] ?? provider;
		return this.modelsOf([current]).find((model) => model.provider === current && model.id === modelId);
	}

	/** A models.json `apiKey` of `$NAME` counts only while NAME is set, as in pi 1.6.0. */
	hasConfiguredAuth(model: Model): boolean {
		return this.providerHasAuth(model.provider);
	}

	private providerHasAuth(provider: string): boolean {
		if (this.auth.hasAuth(provider)) return true;
		const configured = this.providerSettings(provider)?.apiKey;
		return configured !== undefined && isConfigValueConfigured(configured);
	}

	/** The models of these providers, in the order getAll() has them; builds only them unless all are built. */
	private modelsOf(providers: readonly string[]): Model[] {
		const only = new Set(providers);
		if (this.models) return this.models.filter((model) => only.has(model.provider));
		const key = [...only].sort().join("\u0000");
		let models = this.partial.get(key);
		if (!models) {
			models = this.buildModels(only);
			this.partial.set(key, models);
		}
		return models;
	}

	private invalidate(): void {
		this.models = undefined;
		this.partial.clear();
	}

	/** Key for a model's provider: credentials (auth.json, --api-key, env) first, then models.json `apiKey`. */
	async getApiKey(model: Model): Promise<string | undefined> {
		return this.getApiKeyForProvider(model.provider);
	}

	async getApiKeyForProvider(provider: string): Promise<string | undefined> {
		const key = await this.auth.getApiKey(provider);
		if (key !== undefined) return key;
		const configured = this.providerSettings(provider)?.apiKey;
		return configured ? resolveConfigValueUncached(configured) : undefined;
	}

	/**
	 * Everything a request needs for authentication: the key and the headers, with `Authorization: Bearer` added
	 * for providers that set `authHeader: true`. Failures (a key command that printed nothing) come back as
	 * errors for the request to report.
	 */
	async getApiKeyAndHeaders(model: Model): Promise<ApiKeyAndHeaders> {
		try {
			const settings = this.providerSettings(model.provider);
			const apiKey =
				(await this.auth.getApiKey(model.provider)) ??
				(settings?.apiKey
					? resolveConfigValueOrThrow(settings.apiKey, `API key for provider "${model.provider}"`)
					: undefined);
			const env = this.auth.getProviderEnv(model.provider);
			let authHeaders: Record<string, string> | undefined;
			if (settings?.authHeader) {
				if (!apiKey) return { ok: false, error: `No API key found for "${model.provider}"` };
				authHeaders = { Authorization: `Bearer ${apiKey}` };
			} else if (model.api === "google-vertex" && apiKey === AMBIENT_CREDENTIALS) {
				// Application Default Credentials: the token is resolved here, in auth/, and handed to the provider.
				authHeaders = (await googleAccessToken(env))?.headers;
			} else if (apiKey === AMBIENT_CREDENTIALS) {
				const token = bearerEnvToken(model.provider, env);
				if (token) authHeaders = { Authorization: `Bearer ${token}` };
			}
			const configured = this.requestHeaders(model, settings, env);
			const headers =
				model.headers || configured || authHeaders ? { ...model.headers, ...configured, ...authHeaders } : undefined;
			return {
				ok: true,
				apiKey,
				headers: headers && Object.keys(headers).length > 0 ? headers : undefined,
				authHeaders,
				env,
			};
		} catch (error) {
			return { ok: false, error: errorMessage(error) };
		}
	}

	/**
	 * The configured headers of a model, resolved for this request: pi 1.6.0 runs their `!commands` for every
	 * request (a token printed by `gcloud auth print-access-token` stays fresh), and a value that cannot be resolved
	 * fails the request with its name instead of the header going missing.
	 */
	private requestHeaders(
		model: Model,
		settings: ProviderConfig | undefined,
		env: Readonly<Record<string, string>> | undefined,
	): Record<string, string> | undefined {
		if (!settings) return undefined;
		const definition = settings.models?.find((candidate) => candidate.id === model.id);
		const own = { ...settings.modelOverrides?.[model.id]?.headers, ...definition?.headers };
		const provider = resolveHeadersOrThrow(settings.headers, `provider "${model.provider}"`, env);
		const perModel = resolveHeadersOrThrow(own, `model "${model.provider}/${model.id}"`, env);
		return provider || perModel ? { ...provider, ...perModel } : undefined;
	}

	/** An extension's provider (pi.registerProvider): its models replace the built-in ones of that provider. */
	registerProvider(name: string, config: ProviderConfig): void {
		this.registered.set(name, config);
		this.invalidate();
	}

	unregisterProvider(name: string): void {
		if (this.registered.delete(name)) this.invalidate();
	}

	/** An extension's provider is the base; what models.json says about the same provider applies over it (pi 1.6). */
	private providerSettings(provider: string): ProviderConfig | undefined {
		const fromFile = this.config?.providers[provider];
		const fromExtension = this.registered.get(provider);
		return fromExtension ? { ...fromExtension, ...fromFile } : fromFile;
	}

	/** models.json with the extensions' providers merged in. */
	private effectiveConfig(): ModelsConfig | undefined {
		if (this.registered.size === 0) return this.config;
		const providers: Record<string, ProviderConfig> = { ...this.config?.providers };
		for (const name of this.registered.keys()) {
			const settings = this.providerSettings(name);
			if (settings) providers[name] = settings;
		}
		return { providers };
	}

	private readConfig(): void {
		const { config, error } = readModelsJson(this.modelsJsonPath);
		this.config = config;
		this.loadError = error;
	}

	/** pi 1.6.0's store of live provider catalogs, beside models.json. */
	private get modelsStorePath(): string {
		return join(dirname(this.modelsJsonPath), "models-store.json");
	}

	/**
	 * Fetch the Radius account's live model list (radius-catalog.ts) when Radius has a credential; the list then
	 * replaces the catalog's Radius models. Failures are the caller's to report or ignore.
	 */
	async refreshRadiusModels(signal?: AbortSignal): Promise<void> {
		if (!this.auth.hasAuth(RADIUS_PROVIDER)) return;
		const apiKey = await this.getApiKeyForProvider(RADIUS_PROVIDER);
		if (!apiKey) return;
		const { refreshRadiusModels } = await import("./radius-catalog.ts");
		await refreshRadiusModels(this.modelsStorePath, radiusGateway(), apiKey, signal);
		this.invalidate();
	}

	private buildModels(only: ProviderFilter): Model[] {
		const config = this.effectiveConfig();
		// A provider an extension registered with models has exactly those (pi: they replace the provider's).
		const replaced = new Set([...this.registered].filter(([, settings]) => settings.models).map(([name]) => name));
		// The Radius account's own list, once fetched, replaces the shipped one (an organization may turn models off).
		const radius =
			replaced.has(RADIUS_PROVIDER) || !wanted(only, RADIUS_PROVIDER)
				? undefined
				: storedRadiusModels(this.modelsStorePath);
		if (radius) replaced.add(RADIUS_PROVIDER);
		const builtIn = [
			...builtInWithOverrides(config, only).filter((model) => !replaced.has(model.provider)),
			...(radius ?? []),
		];
		const combined = config ? upsert(builtIn, customModels(config, only)) : builtIn;
		// [subscriptions] a login may move its provider's models elsewhere (Copilot: the host its token names).
		return applyOAuthModelAdjustments(combined, (provider) => {
			const credential = this.auth.get(provider);
			return credential?.type === "oauth" ? credential : undefined;
		});
	}
}
