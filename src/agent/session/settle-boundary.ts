/**
 * pi 1.6.0's actionable boundary before a run settles (`agent_before_settle`): extensions propose session entries
 * (custom data, custom messages, context edits, compactions) and may ask for one more model request. Each proposal is
 * previewed on an in-memory copy of the branch (so a handler sees the context it would produce, and a proposal that
 * cannot apply is refused as a whole), then committed in list order to the real session.
 */
import type { Usage } from "../../ai/types.ts";
import { estimateProjectedContextTokens } from "../../session/compaction/tokens.ts";
import { convertToLlm } from "../../session/convert-to-llm.ts";
import type { SessionManager } from "../../session/session-manager.ts";
import type { ContextEditEntry, ProjectedSessionEntry, SessionEntry } from "../../session/types.ts";
import type { AgentMessage, CustomMessage } from "../types.ts";
import type { SessionHost } from "./host.ts";

export type BoundaryDraft =
	| { type: "custom"; customType: string; data?: unknown }
	| {
			type: "custom_message";
			customType: string;
			content: CustomMessage["content"];
			display: boolean;
			details?: unknown;
	  }
	| { type: "context_edit"; targetId: string; replacement: ContextEditEntry["replacement"] }
	| {
			type: "compaction";
			summary: string;
			firstKeptEntryId: string | null;
			details?: unknown;
			usage?: Usage;
	  };

/** What the session would look like with the proposal so far (pi's BoundaryContextPreview). */
export interface BoundaryContextPreview {
	contextEntries: ProjectedSessionEntry[];
	contextMessages: AgentMessage[];
	llmMessages: ReturnType<typeof convertToLlm>;
	pendingMessages: AgentMessage[];
	/** Whether a model request could follow: the context ends with something other than the model's answer, or
	 * messages are queued. */
	canContinue: boolean;
}

export type AgentActivityOutcome = "completed" | "aborted" | "error";

/** Appends the drafts in order; throws (naming the problem) when one cannot apply. */
function applyDrafts(manager: SessionManager, drafts: readonly BoundaryDraft[]): SessionEntry[] {
	const appended: SessionEntry[] = [];
	for (const draft of drafts) {
		let id: string;
		switch (draft.type) {
			case "custom":
				id = manager.appendCustomEntry(draft.customType, draft.data);
				break;
			case "custom_message":
				id = manager.appendCustomMessage(draft.customType, draft.content, draft.display, draft.details);
				break;
			case "context_edit":
				id = manager.appendContextEdit(draft.targetId, draft.replacement);
				break;
			case "compaction": {
				if (draft.firstKeptEntryId !== null && !manager.getBranch().some((e) => e.id === draft.firstKeptEntryId)) {
					throw new Error(`compaction: entry ${draft.firstKeptEntryId} is not on the active branch`);
				}
				const tokensBefore = estimateProjectedContextTokens(
					manager.buildSessionProjection(),
					manager.getBranch(),
				).tokens;
				id = manager.appendCompaction(
					draft.summary,
					draft.firstKeptEntryId,
					tokensBefore,
					draft.details,
					true,
					draft.usage,
				);
				break;
			}
		}
		const entry = manager.getEntry(id);
		if (entry) appended.push(entry);
	}
	return appended;
}

/** The context the session would have with `drafts` appended; throws when they cannot apply. */
export function previewBoundary(host: SessionHost, drafts: readonly BoundaryDraft[]): BoundaryContextPreview {
	const preview = host.sessionManager.branchPreview();
	applyDrafts(preview, drafts);
	const projection = preview.buildSessionProjection();
	const llmMessages = convertToLlm(projection.messages);
	const finalRole = llmMessages.at(-1)?.role;
	const pendingMessages = host.agent.peekQueuedMessages();
	const contextCanContinue = llmMessages.some((message) => message.role !== "system") && finalRole !== "assistant";
	return {
		contextEntries: projection.entries,
		contextMessages: projection.messages,
		llmMessages,
		pendingMessages,
		// Queued steering or follow-up messages can start a request after the answer.
		canContinue: contextCanContinue || (finalRole === "assistant" && pendingMessages.length > 0),
	};
}

/** Appends the drafts to the session, announces each entry and rebuilds the agent's context from the session. */
export function commitBoundary(host: SessionHost, drafts: readonly BoundaryDraft[]): void {
	if (drafts.length === 0) return;
	const appended = applyDrafts(host.sessionManager, drafts);
	host.agent.replaceMessages(host.sessionManager.buildSessionContext().messages);
	for (const entry of appended) host.emit({ type: "entry_appended", entry });
}

/** How the run's last answer ended (pi's AgentActivityOutcome). */
export function activityOutcome(messages: readonly AgentMessage[]): AgentActivityOutcome {
	const last = messages.findLast((message) => message.role === "assistant");
	if (last?.role !== "assistant") return "completed";
	return last.stopReason === "aborted" ? "aborted" : last.stopReason === "error" ? "error" : "completed";
}
