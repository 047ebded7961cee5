/**
 * From what the user typed to a Model (pi-spec §1.8, pi 0.73.1's model-resolver): `--model` patterns
 * (`provider/id`, fuzzy substrings, `:thinking` suffixes), `--models` scopes with globs, the initial model when
 * none is given, and the thinking levels a model supports.
 */
import { isThinkingLevel, modelsAreEqual } from "./models.ts";
import { DEFAULT_MODEL_PER_PROVIDER, noModelsAvailableMessage } from "./providers-info.ts";
import { type Model, THINKING_LEVELS, type ThinkingLevel } from "./types.ts";

/**
 * What resolution needs from the model registry (src/registry, which sits above ai/ and auth/): every model, the
 * ones with credentials, a lookup, and whether a model's provider has credentials.
 */
export interface ModelSource {
	getAll(): readonly Model[];
	getAvailable(): Promise<Model[]>;
	find(provider: string, modelId: string): Model | undefined;
	hasConfiguredAuth(model: Model): boolean;
}

export interface ScopedModel {
	model: Model;
	thinkingLevel?: ThinkingLevel;
}

interface PatternMatch {
	model?: Model;
	thinkingLevel?: ThinkingLevel;
	warning?: string;
}

// ---- thinking levels --------------------------------------------------------------------------------------

/**
 * Levels a model accepts: non-reasoning models only "off"; reasoning models all but the levels their
 * thinking-level map marks `null`, and "xhigh" and "max" only where the map names a value for them.
 */
export function availableThinkingLevels(model: Model): ThinkingLevel[] {
	if (!model.reasoning) return ["off"];
	return THINKING_LEVELS.filter((level) => {
		const mapped = model.thinkingLevelMap?.[level];
		if (mapped === null) return false;
		return (level !== "xhigh" && level !== "max") || mapped !== undefined;
	});
}

/** The requested level if supported, else the nearest higher supported one, else the nearest lower one. */
export function clampThinkingLevel(model: Model, level: ThinkingLevel): ThinkingLevel {
	const available = availableThinkingLevels(model);
	if (available.includes(level)) return level;
	const requested = THINKING_LEVELS.indexOf(level);
	const higher = THINKING_LEVELS.slice(requested + 1).find((candidate) => available.includes(candidate));
	if (higher) return higher;
	const lower = THINKING_LEVELS.slice(0, Math.max(requested, 0))
		.reverse()
		.find((candidate) => available.includes(candidate));
	return lower ?? available[0] ?? "off";
}

// ---- pattern matching -------------------------------------------------------------------------------------

/** Ids without a -YYYYMMDD date (or ending in -latest) are aliases that track the newest snapshot. */
function isAlias(id: string): boolean {
	return id.endsWith("-latest") || !/-\d{8}$/.test(id);
}

/** `provider/id` (unique) or a bare id that exists for exactly one provider, case-insensitively. */
export function findExactModelReferenceMatch(reference: string, models: readonly Model[]): Model | undefined {
	const trimmed = reference.trim();
	if (!trimmed) return undefined;
	const lower = trimmed.toLowerCase();
	const canonical = models.filter((m) => `${m.provider}/${m.id}`.toLowerCase() === lower);
	if (canonical.length > 0) return canonical.length === 1 ? canonical[0] : undefined;
	const slash = trimmed.indexOf("/");
	if (slash !== -1) {
		const provider = trimmed.slice(0, slash).trim().toLowerCase();
		const id = trimmed
			.slice(slash + 1)
			.trim()
			.toLowerCase();
		if (provider && id) {
			const matches = models.filter((m) => m.provider.toLowerCase() === provider && m.id.toLowerCase() === id);
			if (matches.length > 0) return matches.length === 1 ? matches[0] : undefined;
		}
	}
	const byId = models.filter((m) => m.id.toLowerCase() === lower);
	return byId.length === 1 ? byId[0] : undefined;
}

/** Exact reference, else a substring of id or name: newest alias first, else the newest dated snapshot. */
function matchModel(pattern: string, models: readonly Model[]): Model | undefined {
	const exact = findExactModelReferenceMatch(pattern, models);
	if (exact) return exact;
	const needle = pattern.toLowerCase();
	const matches = models.filter((m) => m.id.toLowerCase().includes(needle) || m.name.toLowerCase().includes(needle));
	if (matches.length === 0) return undefined;
	const aliases = matches.filter((m) => isAlias(m.id));
	const pool = aliases.length > 0 ? aliases : matches;
	return [...pool].sort((a, b) => b.id.localeCompare(a.id))[0];
}

/**
 * Match a whole pattern first (ids may contain colons, e.g. OpenRouter's `:free`); otherwise split at the last
 * colon and treat the suffix as a thinking level. Strict mode (CLI --model) refuses an invalid suffix instead of
 * ignoring it with a warning.
 */
export function parseModelPattern(pattern: string, models: readonly Model[], strict = false): PatternMatch {
	const direct = matchModel(pattern, models);
	if (direct) return { model: direct };
	const colon = pattern.lastIndexOf(":");
	if (colon === -1) return {};
	const prefix = pattern.slice(0, colon);
	const suffix = pattern.slice(colon + 1);
	if (isThinkingLevel(suffix)) {
		const inner = parseModelPattern(prefix, models, strict);
		if (!inner.model) return inner;
		return { model: inner.model, thinkingLevel: inner.warning ? undefined : suffix, warning: inner.warning };
	}
	if (strict) return {};
	const inner = parseModelPattern(prefix, models, strict);
	if (!inner.model) return inner;
	return {
		model: inner.model,
		warning: `Invalid thinking level "${suffix}" in pattern "${pattern}". Using default instead.`,
	};
}

// ---- globs (minimatch semantics for what model patterns use) ----------------------------------------------

function expandBraces(pattern: string): string[] {
	const open = pattern.indexOf("{");
	if (open === -1) return [pattern];
	let depth = 0;
	for (let i = open; i < pattern.length; i++) {
		if (pattern[i] === "{") depth++;
		else if (pattern[i] === "}" && --depth === 0) {
			const body = pattern.slice(open + 1, i);
			const alternatives: string[] = [];
			let level = 0;
			let start = 0;
			for (let j = 0; j < body.length; j++) {
				if (body[j] === "{") level++;
				else if (body[j] === "}") level--;
				else if (body[j] === "," && level === 0) {
					alternatives.push(body.slice(start, j));
					start = j + 1;
				}
			}
			alternatives.push(body.slice(start));
			if (alternatives.length < 2) return [pattern];
			const head = pattern.slice(0, open);
			const tail = pattern.slice(i + 1);
			return alternatives.flatMap((alt) => expandBraces(`${head}${alt}${tail}`));
		}
	}
	return [pattern];
}

const REGEX_SPECIAL = /[.+^${}()|\\/-]/;

/** One path segment of a glob as a regular expression: `*` and `?` never cross a `/`. */
function segmentToRegex(segment: string): string {
	let out = "";
	for (let i = 0; i < segment.length; i++) {
		const ch = segment[i] ?? "";
		if (ch === "\\" && i + 1 < segment.length) {
			const next = segment[++i] ?? "";
			out += REGEX_SPECIAL.test(next) || "*?[]".includes(next) ? `\\${next}` : next;
		} else if (ch === "*") {
			out += "[^/]*";
		} else if (ch === "?") {
			out += "[^/]";
		} else if (ch === "[") {
			const close = segment.indexOf("]", i + 2);
			if (close === -1) {
				out += "\\[";
				continue;
			}
			let body = segment.slice(i + 1, close);
			const negated = body.startsWith("!") || body.startsWith("^");
			if (negated) body = body.slice(1);
			out += `[${negated ? "^" : ""}${body.replace(/\\/g, "\\\\").replace(/\[/g, "\\[")}]`;
			i = close;
		} else {
			out += REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch;
		}
	}
	return out;
}

function globToRegex(pattern: string): RegExp {
	const segments = pattern.split("/");
	const parts = segments.map((segment) => (segment === "**" ? null : segmentToRegex(segment)));
	let source = "";
	parts.forEach((part, index) => {
		const last = index === parts.length - 1;
		if (part === null) source += last ? ".*" : "(?:[^/]*/)*";
		else source += last ? part : `${part}/`;
	});
	return new RegExp(`^${source}$`, "i");
}

/** Case-insensitive glob match with `*`, `?`, `[...]`, `**` and `{a,b}` as minimatch reads them. */
export function globMatch(text: string, pattern: string): boolean {
	return expandBraces(pattern).some((expanded) => globToRegex(expanded).test(text));
}

function isGlob(pattern: string): boolean {
	return pattern.includes("*") || pattern.includes("?") || pattern.includes("[");
}

// ---- --model ------------------------------------------------------------------------------------------------

function exactIdOrReference(input: string, models: readonly Model[]): Model | undefined {
	const lower = input.toLowerCase();
	return models.find((m) => m.id.toLowerCase() === lower || `${m.provider}/${m.id}`.toLowerCase() === lower);
}

/** A model the catalog does not list yet: the provider's default (or first) model under the typed id. */
function buildFallbackModel(provider: string, modelId: string, models: readonly Model[]): Model | undefined {
	const own = models.filter((m) => m.provider === provider);
	const defaultId = DEFAULT_MODEL_PER_PROVIDER[provider];
	const base = own.find((m) => m.id === defaultId) ?? own[0];
	return base ? { ...base, id: modelId, name: modelId } : undefined;
}

/**
 * Resolve `--model` (with optional `--provider`) against all models, not only those with credentials, so that
 * `--api-key` can be used for a first run.
 */
export function resolveCliModel(o: { provider?: string; model: string; registry: ModelSource }): {
	model?: Model;
	thinkingLevel?: ThinkingLevel;
	warning?: string;
	error?: string;
} {
	const models = o.registry.getAll();
	if (models.length === 0) {
		return { error: "No models available. Check your installation or add models to models.json." };
	}
	const providers = new Map(models.map((m) => [m.provider.toLowerCase(), m.provider]));
	let provider = o.provider ? providers.get(o.provider.toLowerCase()) : undefined;
	if (o.provider && !provider) {
		return { error: `Unknown provider "${o.provider}". Use --list-models to see available providers/models.` };
	}

	// "zai/glm-5" means provider zai even though vercel-ai-gateway has a model with that literal id.
	let pattern = o.model;
	let inferredProvider = false;
	if (!provider) {
		const slash = o.model.indexOf("/");
		const canonical = slash === -1 ? undefined : providers.get(o.model.slice(0, slash).toLowerCase());
		if (canonical) {
			provider = canonical;
			pattern = o.model.slice(slash + 1);
			inferredProvider = true;
		}
	}
	if (!provider) {
		const exact = exactIdOrReference(o.model, models);
		if (exact) return { model: exact };
	}
	if (o.provider && provider && o.model.toLowerCase().startsWith(`${provider.toLowerCase()}/`)) {
		pattern = o.model.slice(provider.length + 1);
	}

	const candidates = provider ? models.filter((m) => m.provider === provider) : models;
	const match = parseModelPattern(pattern, candidates, true);
	if (match.model) return match;

	// "openai/gpt-4o:extended" may be an OpenRouter id rather than provider openai.
	if (inferredProvider) {
		const exact = exactIdOrReference(o.model, models);
		if (exact) return { model: exact };
		const whole = parseModelPattern(o.model, models, true);
		if (whole.model) return whole;
	}

	if (provider) {
		const fallback = buildFallbackModel(provider, pattern, models);
		if (fallback) {
			const notice = `Model "${pattern}" not found for provider "${provider}". Using custom model id.`;
			return { model: fallback, warning: match.warning ? `${match.warning} ${notice}` : notice };
		}
	}
	const display = provider ? `${provider}/${pattern}` : o.model;
	return { warning: match.warning, error: `Model "${display}" not found. Use --list-models to see available models.` };
}

// ---- --models / enabledModels -------------------------------------------------------------------------------

/**
 * Resolve scope patterns against models with credentials. Globs match `provider/id` or the bare id and may end
 * in `:<level>`; other patterns resolve like --model but leniently. Warnings are returned without the
 * "Warning: " prefix for the caller to print.
 */
export async function resolveModelScope(
	patterns: string[],
	registry: ModelSource,
): Promise<{ models: ScopedModel[]; warnings: string[] }> {
	const available = await registry.getAvailable();
	const scoped: ScopedModel[] = [];
	const warnings: string[] = [];
	const add = (model: Model, thinkingLevel: ThinkingLevel | undefined) => {
		if (scoped.some((entry) => modelsAreEqual(entry.model, model))) return;
		scoped.push(thinkingLevel ? { model, thinkingLevel } : { model });
	};

	for (const pattern of patterns) {
		if (isGlob(pattern)) {
			let glob = pattern;
			let thinkingLevel: ThinkingLevel | undefined;
			const colon = pattern.lastIndexOf(":");
			const suffix = colon === -1 ? "" : pattern.slice(colon + 1);
			if (colon !== -1 && isThinkingLevel(suffix)) {
				thinkingLevel = suffix;
				glob = pattern.slice(0, colon);
			}
			const matches = available.filter((m) => globMatch(`${m.provider}/${m.id}`, glob) || globMatch(m.id, glob));
			if (matches.length === 0) warnings.push(`No models match pattern "${pattern}"`);
			for (const model of matches) add(model, thinkingLevel);
			continue;
		}
		const match = parseModelPattern(pattern, available);
		if (match.warning) warnings.push(match.warning);
		if (!match.model) {
			warnings.push(`No models match pattern "${pattern}"`);
			continue;
		}
		add(match.model, match.thinkingLevel);
	}
	return { models: scoped, warnings };
}

// ---- initial model --------------------------------------------------------------------------------------------

async function defaultAvailableModel(registry: ModelSource): Promise<Model | undefined> {
	const available = await registry.getAvailable();
	for (const [provider, id] of Object.entries(DEFAULT_MODEL_PER_PROVIDER)) {
		const match = available.find((m) => m.provider === provider && m.id === id);
		if (match) return match;
	}
	return available[0];
}

/**
 * The model a session starts with when --model did not decide it: the scope (preferring the saved default if
 * it is in scope) unless continuing, the session's own model if it still exists and has credentials, the saved
 * default, then pi's preferred model of the first provider with credentials. `thinkingLevel` is set only when a
 * scope pattern carried one; the caller applies the rest of the thinking-level precedence.
 */
export async function findInitialModel(o: {
	cliModel?: Model;
	scopedModels: ScopedModel[];
	isContinuing: boolean;
	sessionModel?: { provider: string; modelId: string };
	defaultProvider?: string;
	defaultModelId?: string;
	registry: ModelSource;
}): Promise<{ model?: Model; thinkingLevel?: ThinkingLevel; fallbackMessage?: string }> {
	if (o.cliModel) return { model: o.cliModel };
	const savedDefault =
		o.defaultProvider && o.defaultModelId ? o.registry.find(o.defaultProvider, o.defaultModelId) : undefined;

	const firstScoped = o.scopedModels[0];
	if (firstScoped && !o.isContinuing) {
		const chosen = o.scopedModels.find((entry) => modelsAreEqual(entry.model, savedDefault)) ?? firstScoped;
		return chosen.thinkingLevel
			? { model: chosen.model, thinkingLevel: chosen.thinkingLevel }
			: { model: chosen.model };
	}

	let fallbackMessage: string | undefined;
	if (o.sessionModel) {
		const restored = o.registry.find(o.sessionModel.provider, o.sessionModel.modelId);
		if (restored && o.registry.hasConfiguredAuth(restored)) return { model: restored };
		fallbackMessage = `Could not restore model ${o.sessionModel.provider}/${o.sessionModel.modelId}`;
	}

	const model = savedDefault ?? (await defaultAvailableModel(o.registry));
	if (!model) return { fallbackMessage: noModelsAvailableMessage() };
	if (fallbackMessage) fallbackMessage += `. Using ${model.provider}/${model.id}`;
	return fallbackMessage ? { model, fallbackMessage } : { model };
}
