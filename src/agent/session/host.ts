/**
 * What the AgentSession parts share with their coordinator. The SessionManager is read through a getter
 * because switching sessions replaces it; a part that kept its own reference would write to the old file.
 */
import type { ModelRegistry } from "../../ai/model-registry.ts";
import type { SettingsManager } from "../../config/settings.ts";
import type { SessionManager } from "../../session/session-manager.ts";
import type { Agent } from "../agent.ts";
import type { AgentSessionEvent } from "../session-events.ts";

export interface SessionHost {
	readonly agent: Agent;
	readonly settings: SettingsManager;
	readonly modelRegistry: ModelRegistry;
	readonly sessionManager: SessionManager;
	emit(event: AgentSessionEvent): void;
}
