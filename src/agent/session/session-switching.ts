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
	return manager.latestOnBranch("thinking_level_change") !== undefined;
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
	const model = agent.state.model;
	if (branchHasThinkingLevel(manager)) {
		// Clamped to what the model can do; the recorded level stays as it is (recordThinkingSelection).
		const level = context.thinkingLevel;
		agent.setThinkingLevel(model ? clampThinkingLevel(model, level) : level);
		return;
	}
	const level = settings.getDefaultThinkingLevel() ?? DEFAULT_THINKING_LEVEL;
	const clamped = model ? clampThinkingLevel(model, level) : level;
	agent.setThinkingLevel(clamped);
	manager.appendThinkingLevelChange(clamped);
}

/**
 * What pi 1.6.0 records at startup: a session without messages yet gets the model and the thinking level; a
 * resumed one only a thinking level when its branch has none. A level given on the command line is recorded when
 * the first run starts (recordThinkingSelection).
 */
export function recordStartupEntries(
	manager: SessionManager,
	model: Model | undefined,
	thinkingLevel: ThinkingLevel,
): void {
	if (manager.buildSessionContext().messages.length === 0) {
		if (model) manager.appendModelChange(model.provider, model.id);
		manager.appendThinkingLevelChange(thinkingLevel);
		return;
	}
	if (!branchHasThinkingLevel(manager)) manager.appendThinkingLevelChange(thinkingLevel);
}

/**
 * Before a run (pi 1.6.0): the live thinking level is recorded when the branch implies another one. The recorded
 * level is compared after clamping to the model, so a level clamped on resume (`high` running as `off` on a model
 * without reasoning) is not recorded over the one the user chose.
 */
export function recordThinkingSelection(
	manager: SessionManager,
	model: Model | undefined,
	thinkingLevel: ThinkingLevel,
): void {
	const recorded = manager.latestOnBranch("thinking_level_change");
	if (!recorded) return;
	const level = recorded.thinkingLevel;
	const effective = model ? clampThinkingLevel(model, level) : level;
	if (effective !== thinkingLevel) manager.appendThinkingLevelChange(thinkingLevel);
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
