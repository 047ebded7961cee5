/**
 * The Agent a run drives: the provider stream, credentials asked of the registry at request time, and the retry,
 * timeout and queue settings.
 */

import { Agent } from "../agent/agent.ts";
import type { AgentMessage } from "../agent/types.ts";
import { streamAssistant } from "../ai/stream.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { convertToLlm } from "../session/convert-to-llm.ts";
import { registerSecret } from "../util/debug-log.ts";
import { PiError } from "../util/errors.ts";
import type { InitialModel } from "./startup-model.ts";

export function createAgent(options: {
	settings: SettingsManager;
	registry: ModelRegistry;
	sessionId: string;
	initial: InitialModel;
	messages: AgentMessage[];
}): Agent {
	const { settings, registry, initial } = options;
	const retry = settings.getRetrySettings();
	const agent = new Agent({
		streamFn: streamAssistant,
		convertToLlm: (messages) => convertToLlm(messages, { blockImages: settings.getBlockImages() }),
		getApiKey: async (provider) => {
			const key = await registry.getApiKeyForProvider(provider);
			registerSecret(key);
			return key;
		},
		// models.json `authHeader: true` (Authorization: Bearer <key>) and settings stored with the credential.
		getRequestAuth: async (model) => {
			const resolved = await registry.getApiKeyAndHeaders(model);
			// A failed key command or token exchange ends the run with its message (the agent reports it).
			if (!resolved.ok) throw new PiError(resolved.error);
			return { headers: resolved.authHeaders, env: resolved.env };
		},
		sessionId: options.sessionId,
		streamOptions: {
			maxRetryDelayMs: retry.maxRetryDelayMs,
			maxRetries: retry.providerMaxRetries,
			timeoutMs: retry.providerTimeoutMs,
			idleTimeoutMs: retry.idleTimeoutMs,
			firstByteTimeoutMs: retry.firstByteTimeoutMs,
			thinkingBudgets: settings.settings.thinkingBudgets,
			transport: settings.getTransport(),
			websocketConnectTimeoutMs: settings.getWebsocketConnectTimeoutMs(),
		},
		steeringMode: settings.getSteeringMode(),
		followUpMode: settings.getFollowUpMode(),
	});
	agent.setModel(initial.model);
	agent.setThinkingLevel(initial.thinkingLevel);
	agent.replaceMessages(options.messages);
	return agent;
}
