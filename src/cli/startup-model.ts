/**
 * The model and thinking level a run starts with: from the command line, the --models scope, a resumed session or
 * the settings, in pi 1.6.0's order.
 */

import { DEFAULT_THINKING_LEVEL, type ScopedModel } from "../agent/agent-session.ts";
import { clampThinkingLevel, findInitialModel, resolveCliModel, resolveModelScope } from "../ai/model-resolver.ts";
import type { Model, ThinkingLevel } from "../ai/types.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import type { SessionManager } from "../session/session-manager.ts";
import type { SessionContext } from "../session/types.ts";
import { PiError } from "../util/errors.ts";
import type { ParsedArgs } from "./args.ts";
import { warn } from "./startup-warnings.ts";

export interface InitialModel {
	model: Model | undefined;
	thinkingLevel: ThinkingLevel;
	scopedModels: ScopedModel[];
	fallbackMessage?: string;
}

export async function chooseModel(
	args: ParsedArgs,
	registry: ModelRegistry,
	settings: SettingsManager,
	session: SessionManager,
	context: SessionContext,
): Promise<InitialModel> {
	const patterns = args.models ?? settings.settings.enabledModels;
	const scope = patterns?.length ? await resolveModelScope(patterns, registry) : { models: [], warnings: [] };
	for (const w of scope.warnings) warn(w);
	const scopedModels: ScopedModel[] = scope.models;

	let cliThinking: ThinkingLevel | undefined;
	let model: Model | undefined;
	// pi 1.6.0: a provider alone never silently falls back to the default model.
	if (args.provider && !args.model) {
		throw new PiError(`--provider requires --model (for example: --provider ${args.provider} --model <pattern>)`);
	}
	if (args.model) {
		const resolved = resolveCliModel({ provider: args.provider, model: args.model, registry });
		if (resolved.error) throw new PiError(resolved.error);
		if (resolved.warning) warn(resolved.warning);
		model = resolved.model;
		cliThinking = resolved.thinkingLevel;
	}
	const resumed = context.messages.length > 0;
	const initial = await findInitialModel({
		cliModel: model,
		scopedModels,
		// pi ignores the --models scope for a session that already has messages: it keeps the session's model.
		isContinuing: resumed,
		sessionModel: resumed ? (context.model ?? undefined) : undefined,
		defaultProvider: settings.settings.defaultProvider,
		defaultModelId: settings.settings.defaultModel,
		registry,
	});
	model = initial.model;

	// pi 1.6.0: a session with messages keeps its level (or takes the default); a new one starts with the model's
	// own level (modelThinkingLevels), then the default.
	const sessionHasLevel = session.latestOnBranch("thinking_level_change") !== undefined;
	const resumedLevel = resumed
		? sessionHasLevel
			? context.thinkingLevel
			: (settings.getDefaultThinkingLevel() ?? DEFAULT_THINKING_LEVEL)
		: undefined;
	let level: ThinkingLevel =
		args.thinking ??
		cliThinking ??
		initial.thinkingLevel ??
		resumedLevel ??
		(model ? settings.getModelThinkingLevel(model.provider, model.id) : undefined) ??
		settings.getDefaultThinkingLevel() ??
		DEFAULT_THINKING_LEVEL;
	if (model) level = clampThinkingLevel(model, level);
	return { model, thinkingLevel: level, scopedModels, fallbackMessage: initial.fallbackMessage };
}
