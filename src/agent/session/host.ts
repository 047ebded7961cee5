/**
 * What the AgentSession parts share with their coordinator. The SessionManager is read through a getter
 * because switching sessions replaces it; a part that kept its own reference would write to the old file.
 */

import type { Model } from "../../ai/types.ts";
import type { SettingsManager } from "../../config/settings.ts";
import type { ModelRegistry } from "../../registry/model-registry.ts";
import type { SummaryRetry } from "../../session/compaction/summarize.ts";
import type { SessionManager } from "../../session/session-manager.ts";
import { PiError } from "../../util/errors.ts";
import type { Agent } from "../agent.ts";
import type { AgentSessionEvent, SummarizationSource } from "../session-events.ts";
import type { SessionExtensionHooks } from "./extension-hooks.ts";

export interface SessionHost {
	readonly agent: Agent;
	readonly settings: SettingsManager;
	readonly modelRegistry: ModelRegistry;
	readonly sessionManager: SessionManager;
	/** Loaded extensions' say in what the session does; undefined when none is loaded. */
	readonly extensions: SessionExtensionHooks | undefined;
	emit(event: AgentSessionEvent): void;
}

/**
 * The current model with what a summary request needs to authenticate (key and models.json / authHeader headers),
 * as pi's _getRequiredRequestAuth. Throws when there is no model or no key.
 */
export async function requestAuth(host: SessionHost): Promise<{
	model: Model;
	apiKey: string;
	headers: Record<string, string> | undefined;
	env: Readonly<Record<string, string>> | undefined;
}> {
	const model = host.agent.state.model;
	if (!model) throw new PiError("No model selected.");
	const auth = await host.modelRegistry.getApiKeyAndHeaders(model);
	if (!auth.ok) throw new PiError(auth.error);
	if (!auth.apiKey) throw new PiError(`No API key found for ${model.provider}.`);
	return { model, apiKey: auth.apiKey, headers: auth.headers, env: auth.env };
}

/** settings.retry for a summary request, reported with pi 1.6.0's summarization_retry_* events. */
export function summaryRetry(host: SessionHost, source: SummarizationSource): SummaryRetry {
	const { enabled, maxRetries, baseDelayMs, maxAgentDelayMs } = host.settings.getRetrySettings();
	return {
		enabled,
		maxRetries,
		baseDelayMs,
		maxAgentDelayMs,
		onScheduled: (attempt, maxAttempts, delayMs, errorMessage) =>
			host.emit({ type: "summarization_retry_scheduled", attempt, maxAttempts, delayMs, errorMessage }),
		onAttemptStart: () => host.emit({ type: "summarization_retry_attempt_start", ...source }),
		onFinished: () => host.emit({ type: "summarization_retry_finished" }),
	};
}
