/**
 * Starting a run (a user prompt, or a custom message that triggers a turn): the held `nextTurn` custom messages go
 * with it, MCP servers get ready (beforePrompt), and extensions' `before_agent_start` may edit the run's prompt
 * options (tools, sections, guidelines), replace the whole prompt for this run and add messages (pi 1.6.0). A
 * changed prompt is recorded as a system message ahead of the run's messages; the agent loop adds the tool changes
 * to it. While the run is being prepared the session already counts as busy.
 */
import type { PromptLoadout } from "../prompt-loadout.ts";
import type { AgentMessage } from "../types.ts";
import type { CustomMessages } from "./custom-messages.ts";
import type { RunTrigger } from "./extension-hooks.ts";
import type { SessionHost } from "./host.ts";
import { recordThinkingSelection } from "./session-switching.ts";
import { activityOutcome, commitBoundary, previewBoundary } from "./settle-boundary.ts";

export interface RunStarterOps {
	customMessages: CustomMessages;
	loadout: PromptLoadout;
	/** Awaited before each run (MCP: servers with direct tools connected, prompt section fresh). */
	beforePrompt?: () => Promise<void>;
	/** Waits until no retry is pending. */
	waitForRetry(): Promise<void>;
}

export class RunStarter {
	private starting = false;
	/** While agent_before_settle handlers run, the session is still busy (pi 1.6.0). */
	private settling = false;
	/** Set by the session's abort() during a run: the run's agent_settled says `aborted`. */
	private aborted = false;

	constructor(
		private readonly host: SessionHost,
		private readonly ops: RunStarterOps,
	) {}

	markAborted(): void {
		this.aborted = true;
	}

	/** True while a run is being prepared (before_agent_start handlers run) or settles (agent_before_settle). */
	get isBusy(): boolean {
		return this.starting || this.settling;
	}

	/** Runs `first` (plus held nextTurn messages and what before_agent_start adds) and waits for the agent to settle. */
	async start(trigger: RunTrigger, first: AgentMessage, onAccepted?: () => void): Promise<void> {
		const { agent, extensions } = this.host;
		const { loadout } = this.ops;
		const messages = [first, ...this.ops.customMessages.takeNextTurn()];
		let run: Promise<void>;
		this.starting = true;
		this.aborted = false;
		try {
			onAccepted?.();
			await this.ops.beforePrompt?.();
			const runOptions = loadout.options();
			if (extensions) {
				const preparation = await extensions.beforeAgentStart(trigger, runOptions);
				messages.push(...preparation.messages);
				if (preparation.systemPrompt !== undefined) runOptions.forceSystemPrompt = preparation.systemPrompt;
			}
			loadout.beginRun(runOptions);
			const update = loadout.systemUpdate(agent.state.messages);
			if (update) messages.unshift(update);
			recordThinkingSelection(this.host.sessionManager, agent.state.model, agent.state.thinkingLevel);
			// agent.prompt marks the agent streaming synchronously, before the flag below is cleared.
			run = agent.prompt(messages);
		} catch (error) {
			loadout.endRun();
			throw error;
		} finally {
			this.starting = false;
		}
		try {
			await run;
			await this.ops.waitForRetry();
			while (!this.aborted && (await this.beforeSettle())) {
				await agent.continue();
				await this.ops.waitForRetry();
			}
		} finally {
			// The run's edits (and a replaced prompt) held for this run and its retries only.
			loadout.endRun();
			// pi 1.6.0: the session-level run is over (retries and compaction recovery included); extensions hear it
			// first, then the session's listeners.
			await extensions?.notify({ type: "agent_settled", aborted: this.aborted });
			this.host.emit({ type: "agent_settled", aborted: this.aborted });
		}
	}

	/**
	 * pi 1.6.0's `agent_before_settle`, once the run, its retries and compaction are over (an aborted run skips it):
	 * extensions' entries are committed, and true means they asked for one more model request (the hook has checked
	 * that the context can take one). An abort while the handlers run keeps the entries but drops the request.
	 */
	private async beforeSettle(): Promise<boolean> {
		const { extensions, agent } = this.host;
		if (!extensions?.beforeSettle) return false;
		this.settling = true;
		let decision: Awaited<ReturnType<typeof extensions.beforeSettle>>;
		try {
			decision = await extensions.beforeSettle(activityOutcome(agent.state.messages), (entries) =>
				previewBoundary(this.host, entries),
			);
		} finally {
			this.settling = false;
		}
		if (!decision) return false;
		commitBoundary(this.host, decision.entries);
		// Messages queued meanwhile (sendUserMessage while busy) are run too.
		return (decision.continue || agent.hasQueuedMessages()) && !this.aborted;
	}
}
