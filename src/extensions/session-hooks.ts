/**
 * The session's extension points (src/agent/session/extension-hooks.ts) answered by the current ExtensionRunner:
 * our agent events become pi's extension events, handler results become what the session acts on.
 */
import * as v from "valibot";
import type {
	BeforeCompactOutcome,
	BeforeTreeOutcome,
	InputOutcome,
	RunPreparation,
	RunTrigger,
	SessionExtensionHooks,
	UserBashOutcome,
} from "../agent/session/extension-hooks.ts";
import { buildSystemPrompt, type SystemPromptOptions } from "../agent/system-prompt.ts";
import type { AgentEvent, AgentMessage, CustomMessage } from "../agent/types.ts";
import type { ExtensionRunner } from "./runner.ts";
import { BeforeCompactResultSchema, BeforeTreeResultSchema, CancelResultSchema } from "./schemas.ts";

type LifecycleHooks = Pick<SessionExtensionHooks, "sessionReplacing" | "sessionReplaced">;

const ExecResultSchema = v.looseObject({ exitCode: v.nullish(v.number()) });

function splitCommand(text: string): { name: string; args: string } {
	const space = text.indexOf(" ");
	return space === -1 ? { name: text.slice(1), args: "" } : { name: text.slice(1, space), args: text.slice(space + 1) };
}

/** Turn counting for pi's `turn_start` / `turn_end` (turnIndex, timestamp), reset per run. */
class TurnCounter {
	private index = -1;
	start(): number {
		this.index++;
		return this.index;
	}
	current(): number {
		return Math.max(0, this.index);
	}
	reset(): void {
		this.index = -1;
	}
}

export function createSessionHooks(runner: () => ExtensionRunner, lifecycle: LifecycleHooks): SessionExtensionHooks {
	const turns = new TurnCounter();

	const agentEvent = async (event: AgentEvent): Promise<AgentMessage | undefined> => {
		const current = runner();
		switch (event.type) {
			case "agent_start":
				turns.reset();
				break;
			case "turn_start":
				if (current.hasHandlers("turn_start")) {
					await current.emit({ type: "turn_start", turnIndex: turns.start(), timestamp: Date.now() });
				} else turns.start();
				return undefined;
			case "turn_end":
				if (current.hasHandlers("turn_end")) {
					await current.emit({ ...event, turnIndex: turns.current() });
				}
				return undefined;
			case "message_end":
				return current.hasHandlers("message_end") ? current.emitMessageEnd(event.message) : undefined;
		}
		if (current.hasHandlers(event.type)) await current.emit(event);
		return undefined;
	};

	return {
		async runCommand(text) {
			const current = runner();
			const command = current.getCommand(splitCommand(text).name);
			if (!command) return false;
			await current.runCommand(command, splitCommand(text).args);
			return true;
		},

		isCommand(text) {
			return text.startsWith("/") && runner().getCommand(splitCommand(text).name) !== undefined;
		},

		async input(text, images, source, streamingBehavior): Promise<InputOutcome> {
			const current = runner();
			if (!current.hasHandlers("input")) return { action: "continue" };
			return current.emitInput(text, images, source, streamingBehavior);
		},

		async beforeAgentStart(trigger: RunTrigger, options: SystemPromptOptions): Promise<RunPreparation> {
			const current = runner();
			if (!current.hasHandlers("before_agent_start")) return { messages: [] };
			const result = await current.emitBeforeAgentStart({ ...trigger }, options, () => buildSystemPrompt(options));
			const messages = result.messages.map(
				(message): CustomMessage => ({
					role: "custom",
					customType: message.customType,
					content: message.content ?? [],
					display: message.display ?? true,
					details: message.details,
					timestamp: Date.now(),
				}),
			);
			return result.systemPrompt !== undefined ? { messages, systemPrompt: result.systemPrompt } : { messages };
		},

		agentEvent,

		async notify(event) {
			const current = runner();
			if (current.hasHandlers(event.type)) await current.emit(event);
		},

		async beforeSwitch(event) {
			const current = runner();
			if (!current.hasHandlers("session_before_switch")) return false;
			const result = await current.emitBefore({ type: "session_before_switch", ...event }, CancelResultSchema);
			return result?.cancel === true;
		},

		async beforeFork(event) {
			const current = runner();
			if (!current.hasHandlers("session_before_fork")) return false;
			const result = await current.emitBefore({ type: "session_before_fork", ...event }, CancelResultSchema);
			return result?.cancel === true;
		},

		async beforeCompact(event): Promise<BeforeCompactOutcome | undefined> {
			const current = runner();
			if (!current.hasHandlers("session_before_compact")) return undefined;
			const result = await current.emitBefore({ type: "session_before_compact", ...event }, BeforeCompactResultSchema);
			if (!result) return undefined;
			return { cancel: result.cancel, compaction: result.compaction };
		},

		async beforeTree(event): Promise<BeforeTreeOutcome | undefined> {
			const current = runner();
			if (!current.hasHandlers("session_before_tree")) return undefined;
			return current.emitBefore({ type: "session_before_tree", ...event }, BeforeTreeResultSchema);
		},

		async userBash(event): Promise<UserBashOutcome | undefined> {
			const current = runner();
			if (!current.hasHandlers("user_bash")) return undefined;
			const result = await current.emitUserBash({ type: "user_bash", ...event });
			if (!result) return undefined;
			if (result.kind === "result") return { result: { ...result.result, exitCode: result.result.exitCode } };
			const exec = result.exec;
			return {
				operations: {
					async exec(command, cwd, options) {
						const outcome = v.safeParse(ExecResultSchema, await exec(command, cwd, options));
						return { exitCode: outcome.success ? (outcome.output.exitCode ?? null) : null };
					},
				},
			};
		},

		async beforeSettle(outcome, preview) {
			const current = runner();
			if (!current.hasHandlers("agent_before_settle")) return undefined;
			const decision = await current.emitBoundary({ type: "agent_before_settle", outcome }, preview);
			if (decision.continue && !preview(decision.entries).canContinue) {
				current.reportError({
					extensionPath: "<boundary>",
					event: "agent_before_settle",
					error: "agent_before_settle requested continuation without runnable model context",
				});
				return { entries: decision.entries, continue: false };
			}
			return decision;
		},

		sessionReplacing: (event) => lifecycle.sessionReplacing(event),
		sessionReplaced: (event) => lifecycle.sessionReplaced(event),
	};
}
