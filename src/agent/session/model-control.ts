/**
 * Model and thinking level changes (/model, Ctrl+P, Shift+Tab, RPC, extensions' setModel): recorded in the session,
 * and in the settings when the caller asks (pi 1.6.0's `persist`), announced to the UIs and to extensions (model_select, thinking_level_select).
 */
import { availableThinkingLevels, clampThinkingLevel } from "../../ai/model-resolver.ts";
import { type Model, THINKING_LEVELS, type ThinkingLevel } from "../../ai/types.ts";
import { PiError } from "../../util/errors.ts";
import type { SessionHost } from "./host.ts";
import {
	nextCycleCandidate,
	nextThinkingLevel,
	type ScopedModel,
	thinkingLevelForModelSwitch,
} from "./model-selection.ts";

/** pi 1.6.0: a model or thinking change is saved as the default in settings.json only when `persist` says so. */
export interface ModelMutationOptions {
	persist?: boolean;
}

export class ModelControl {
	constructor(
		private readonly host: SessionHost,
		private readonly scopedModels: () => readonly ScopedModel[],
	) {}

	private get model(): Model | undefined {
		return this.host.agent.state.model;
	}

	async setModel(model: Model, options: ModelMutationOptions = {}): Promise<void> {
		if (!(await this.host.modelRegistry.getApiKey(model))) {
			throw new PiError(`No API key for ${model.provider}/${model.id}`);
		}
		this.switchModel(model, undefined, "set", options);
	}

	async cycleModel(
		direction: "forward" | "backward",
		options: ModelMutationOptions = {},
	): Promise<{ model: Model; thinkingLevel: ThinkingLevel; isScoped: boolean } | undefined> {
		const scoped = this.scopedModels();
		const isScoped = scoped.length > 0;
		const candidates: readonly ScopedModel[] = isScoped
			? scoped
			: (await this.host.modelRegistry.getAvailable()).map((model) => ({ model }));
		if (candidates.length <= 1) return undefined;
		const next = nextCycleCandidate(candidates, this.model, direction);
		if (!next) return undefined;
		this.switchModel(next.model, next.thinkingLevel, "cycle", options);
		return { model: next.model, thinkingLevel: this.host.agent.state.thinkingLevel, isScoped };
	}

	/** Makes `model` current, records it in the session (and settings with persist), then the fitting thinking level. */
	private switchModel(
		model: Model,
		explicitLevel: ThinkingLevel | undefined,
		source: "set" | "cycle",
		options: ModelMutationOptions,
	): void {
		const { agent, settings } = this.host;
		const level = thinkingLevelForModelSwitch(
			{ level: agent.state.thinkingLevel },
			explicitLevel,
			settings.getDefaultThinkingLevel(),
			settings.getModelThinkingLevel(model.provider, model.id),
		);
		const previousModel = this.model;
		agent.setModel(model);
		this.host.sessionManager.appendModelChange(model.provider, model.id);
		if (options.persist) {
			settings.set("defaultProvider", model.provider);
			settings.set("defaultModel", model.id);
		}
		// pi 1.6.0: switching models does not rewrite the default thinking level.
		this.setThinkingLevel(level);
		void this.host.extensions?.notify({ type: "model_select", model, previousModel, source });
	}

	availableThinkingLevels(): ThinkingLevel[] {
		return this.model ? availableThinkingLevels(this.model) : [...THINKING_LEVELS];
	}

	/** `persist` saves the requested level as the default (pi 1.6.0: only when asked). */
	setThinkingLevel(level: ThinkingLevel, options: ModelMutationOptions = {}): void {
		const { agent, settings } = this.host;
		const effective = this.model ? clampThinkingLevel(this.model, level) : level;
		const previous = agent.state.thinkingLevel;
		agent.setThinkingLevel(effective);
		if (options.persist) settings.set("defaultThinkingLevel", level);
		if (effective === previous) return;
		this.host.sessionManager.appendThinkingLevelChange(effective);
		this.host.emit({ type: "thinking_level_changed", level: effective });
		void this.host.extensions?.notify({ type: "thinking_level_select", level: effective, previousLevel: previous });
	}

	cycleThinkingLevel(options: ModelMutationOptions = {}): ThinkingLevel | undefined {
		if (!this.model?.reasoning) return undefined;
		const next = nextThinkingLevel(this.availableThinkingLevels(), this.host.agent.state.thinkingLevel);
		if (next) this.setThinkingLevel(next, options);
		return next;
	}
}
