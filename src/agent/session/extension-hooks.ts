/**
 * Where extensions take part in what the session does (pi's extension events with results). The AgentSession and
 * its parts call these at pi's points; src/extensions implements them. Absent (no extension loaded), the session
 * behaves exactly as without extensions and pays nothing.
 */
import type { ImageContent } from "../../ai/types.ts";
import type { CompactionPreparation } from "../../session/compaction/types.ts";
import type { SessionEntry } from "../../session/types.ts";
import type { BashResult } from "../../tools/bash-executor.ts";
import type { BashOperations } from "../../tools/shell-runners.ts";
import type { CompactionReason, CompactionResult } from "../session-events.ts";
import type { SystemPromptOptions } from "../system-prompt.ts";
import type { AgentEvent, AgentMessage, CustomMessage } from "../types.ts";
import type { AgentActivityOutcome, BoundaryContextPreview, BoundaryDraft } from "./settle-boundary.ts";

export type InputSource = "interactive" | "rpc" | "extension";

export type InputOutcome =
	| { action: "continue" }
	| { action: "handled" }
	| { action: "transform"; text: string; images?: ImageContent[] };

export type RunTrigger =
	| { messageType: "user"; prompt: string; images?: ImageContent[] }
	| { messageType: "custom"; message: CustomMessage };

export interface RunPreparation {
	/** Custom messages handlers asked to add to the run, after its first message. */
	messages: CustomMessage[];
	/** A prompt that replaces the system prompt for this run only. */
	systemPrompt?: string;
}

export interface BeforeCompactOutcome {
	cancel?: boolean;
	/** A summary the extension made itself; saved instead of asking the model. */
	compaction?: CompactionResult;
}

export interface BeforeTreeOutcome {
	cancel?: boolean;
	summary?: { summary: string; details?: unknown };
	customInstructions?: string;
	replaceInstructions?: boolean;
	label?: string;
}

/** A `!command` an extension takes over: it runs it elsewhere (operations) or answers it (result). */
/** `user_bash`: run the command elsewhere (pi's BashOperations), or answer it without running it. */
export type UserBashOutcome = { operations: BashOperations } | { result: BashResult };

export interface SessionExtensionHooks {
	/** An extension's `/command args`: runs it (errors are reported) and returns true; false if no such command. */
	runCommand(text: string): Promise<boolean>;
	/** Whether `text` would run an extension command (such input cannot be queued while the agent works). */
	isCommand(text: string): boolean;
	input(
		text: string,
		images: ImageContent[] | undefined,
		source: InputSource,
		streamingBehavior: "steer" | "followUp" | undefined,
	): Promise<InputOutcome>;
	/**
	 * `before_agent_start`: handlers may edit `options` in place (pi's systemPromptOptions), add messages, and
	 * replace the whole prompt for this run.
	 */
	beforeAgentStart(trigger: RunTrigger, options: SystemPromptOptions): Promise<RunPreparation>;
	/** Every agent event, awaited before the agent goes on; for `message_end` a replacement message may come back. */
	agentEvent(event: AgentEvent): Promise<AgentMessage | undefined>;
	/** Notifications without a result (model_select, session_compact, session_tree, …). */
	notify(event: { type: string; [key: string]: unknown }): Promise<void>;
	/** True when a handler cancelled. */
	beforeSwitch(event: { reason: "new" | "resume"; targetSessionFile?: string }): Promise<boolean>;
	beforeFork(event: { entryId: string; position: "before" | "at" }): Promise<boolean>;
	beforeCompact(event: {
		preparation: CompactionPreparation;
		branchEntries: SessionEntry[];
		customInstructions: string | undefined;
		reason: CompactionReason;
		willRetry: boolean;
		signal: AbortSignal;
	}): Promise<BeforeCompactOutcome | undefined>;
	beforeTree(event: {
		preparation: Record<string, unknown>;
		signal: AbortSignal;
	}): Promise<BeforeTreeOutcome | undefined>;
	userBash(event: { command: string; excludeFromContext: boolean; cwd: string }): Promise<UserBashOutcome | undefined>;
	/**
	 * `agent_before_settle` (pi 1.6.0): handlers see the proposal so far (entries, continue) and the context it would
	 * give (`preview`, which throws for entries that cannot apply). Undefined when no handler listens; a proposal
	 * that did not preview cleanly comes back empty.
	 */
	beforeSettle?(
		outcome: AgentActivityOutcome,
		preview: (entries: BoundaryDraft[]) => BoundaryContextPreview,
	): Promise<{ entries: BoundaryDraft[]; continue: boolean } | undefined>;
	/** After /new, /resume, /fork or clone put another session in place. */
	sessionReplaced(event: { reason: "new" | "resume" | "fork"; previousSessionFile: string | undefined }): Promise<void>;
	/** Before that replacement: the old session's extensions shut down. */
	sessionReplacing(event: { reason: "new" | "resume" | "fork"; targetSessionFile?: string }): Promise<void>;
}

/**
 * pi's input steps before a prompt is expanded: an extension `/command` runs instead of it (when `expand`), then
 * `input` handlers may transform or handle it. Undefined when it was handled; else the text and images to send.
 */
export async function applyInputHooks(
	hooks: SessionExtensionHooks | undefined,
	text: string,
	images: ImageContent[] | undefined,
	options: { expand: boolean; source: InputSource; streamingBehavior: "steer" | "followUp" | undefined },
): Promise<{ text: string; images: ImageContent[] | undefined } | undefined> {
	if (!hooks) return { text, images };
	if (options.expand && text.startsWith("/") && (await hooks.runCommand(text))) return undefined;
	const outcome = await hooks.input(text, images, options.source, options.streamingBehavior);
	if (outcome.action === "handled") return undefined;
	if (outcome.action === "transform") return { text: outcome.text, images: outcome.images ?? images };
	return { text, images };
}
