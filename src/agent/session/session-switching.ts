/**
 * What changes when the session is replaced (/new, /resume, /fork, clone) or a run starts: reading the agent's
 * state back from a session file and recording what pi records. AgentSession does the coordinating (stopping
 * the agent, dropping queues); these functions only read and write session entries.
 */

import { clampThinkingLevel } from "../../ai/model-resolver.ts";
import type { Model, ThinkingLevel } from "../../ai/types.ts";
import type { SettingsManager } from "../../config/settings.ts";
import type { ModelRegistry } from "../../registry/model-registry.ts";
import type { SessionManager } from "../../session/session-manager.ts";
import { PiError } from "../../util/errors.ts";
import type { Agent } from "../agent.ts";
import { userText } from "./messages.ts";
import { DEFAULT_THINKING_LEVEL } from "./model-selection.ts";

function branchHasThinkingLevel(manager: SessionManager): boolean {
	return manager.getBranch().some((entry) => entry.type === "thinking_level_change");
}

/**
 * Loads a session's messages, model (when it is known and has a key) and thinking level into the agent.
 * A branch without a thinking level gets the default, clamped to the model, and records it.
 */
export async function loadSessionIntoAgent(
	deps: { agent: Agent; modelRegistry: ModelRegistry; settings: SettingsManager },
	manager: SessionManager,
): Promise<void> {
	const { agent, modelRegistry, settings } = deps;
	const context = manager.buildSessionContext();
	agent.replaceMessages(context.messages);
	if (context.model) {
		const model = modelRegistry.find(context.model.provider, context.model.modelId);
		if (model && (await modelRegistry.getApiKey(model))) agent.setModel(model);
	}
	if (branchHasThinkingLevel(manager)) {
		agent.setThinkingLevel(context.thinkingLevel);
		return;
	}
	const model = agent.state.model;
	const level = settings.getDefaultThinkingLevel() ?? DEFAULT_THINKING_LEVEL;
	const clamped = model ? clampThinkingLevel(model, level) : level;
	agent.setThinkingLevel(clamped);
	manager.appendThinkingLevelChange(clamped);
}

/**
 * What pi records when a run starts: a new session gets the model and the thinking level; a resumed one
 * gets a thinking level when its branch has none, or when the command line changed it.
 */
export function recordStartupEntries(
	manager: SessionManager,
	model: Model | undefined,
	thinkingLevel: ThinkingLevel,
): void {
	if (manager.getEntries().length === 0) {
		if (model) manager.appendModelChange(model.provider, model.id);
		manager.appendThinkingLevelChange(thinkingLevel);
		return;
	}
	if (!branchHasThinkingLevel(manager) || manager.buildSessionContext().thinkingLevel !== thinkingLevel) {
		manager.appendThinkingLevelChange(thinkingLevel);
	}
}

/**
 * `/fork`: the session to continue in (a branch up to, not including, the chosen user message; a fresh
 * session when that message was the first) and the message's text for the editor.
 */
export function prepareFork(
	manager: SessionManager,
	entryId: string,
	createSessionManager: (options: { parentSession?: string; sessionDir?: string }) => SessionManager,
): { selectedText: string; next: SessionManager } {
	const entry = manager.getEntry(entryId);
	if (entry?.type !== "message" || entry.message.role !== "user") {
		throw new PiError(`Cannot fork from ${entryId}: it is not a user message in this session`);
	}
	const selectedText = userText(entry.message);
	const next = entry.parentId
		? manager.createBranchedSession(entry.parentId)
		: createSessionManager({ parentSession: manager.getSessionFile(), sessionDir: manager.getSessionDir() });
	return { selectedText, next };
}

/** Every user message in the file (all branches), for /fork. */
export function userMessagesForForking(manager: SessionManager): { entryId: string; text: string }[] {
	const result: { entryId: string; text: string }[] = [];
	for (const entry of manager.getEntries()) {
		if (entry.type !== "message" || entry.message.role !== "user") continue;
		const text = userText(entry.message);
		if (text) result.push({ entryId: entry.id, text });
	}
	return result;
}
