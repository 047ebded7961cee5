/**
 * The user's `!cmd` / `!!cmd`: runs it and adds a bashExecution message to the conversation. While the agent
 * streams, the message waits and is added when the run ends (or before the next prompt), because adding it
 * mid-turn would separate a tool call from its result.
 */
import type { BashResult, ExecuteBashOptions } from "../../tools/bash-executor.ts";
import { runnerFromOperations } from "../../tools/shell-runners.ts";
import type { BashExecutionMessage } from "../types.ts";
import type { SessionHost } from "./host.ts";

export type RunBash = (
	command: string,
	options: { signal: AbortSignal; onChunk?: (chunk: string) => void; runner?: ExecuteBashOptions["runner"] },
) => Promise<BashResult>;

export class BashRunner {
	private pending: BashExecutionMessage[] = [];
	private abortController: AbortController | undefined;

	constructor(
		private readonly host: SessionHost,
		private readonly runBash: RunBash,
	) {}

	get isRunning(): boolean {
		return this.abortController !== undefined;
	}

	async execute(
		command: string,
		options: { onChunk?: (chunk: string) => void; excludeFromContext?: boolean },
	): Promise<BashResult> {
		const abort = new AbortController();
		this.abortController = abort;
		try {
			// An extension may take the command over (user_bash): answer it itself, or run it through its operations.
			// Without extensions the command starts at once (an abort right after the call reaches the process).
			const extensions = this.host.extensions;
			const taken = extensions
				? await extensions.userBash({
						command,
						excludeFromContext: options.excludeFromContext === true,
						cwd: this.host.sessionManager.getCwd(),
					})
				: undefined;
			const result =
				taken && "result" in taken
					? taken.result
					: await this.runBash(command, {
							signal: abort.signal,
							onChunk: options.onChunk,
							runner: taken ? runnerFromOperations(taken.operations) : undefined,
						});
			const message: BashExecutionMessage = {
				role: "bashExecution",
				command,
				output: result.output,
				exitCode: result.exitCode,
				cancelled: result.cancelled,
				truncated: result.truncated,
				fullOutputPath: result.fullOutputPath,
				timestamp: Date.now(),
				excludeFromContext: options.excludeFromContext,
			};
			if (this.host.agent.state.isStreaming) this.pending.push(message);
			else this.add(message);
			return result;
		} finally {
			this.abortController = undefined;
		}
	}

	abort(): void {
		this.abortController?.abort();
	}

	/** Adds the messages that waited for the agent to finish. */
	flushPending(): void {
		const pending = this.pending;
		this.pending = [];
		for (const message of pending) this.add(message);
	}

	/** Forgets waiting messages (the session they belonged to is being replaced). */
	dropPending(): void {
		this.pending = [];
	}

	private add(message: BashExecutionMessage): void {
		this.host.agent.replaceMessages([...this.host.agent.state.messages, message]);
		this.host.sessionManager.appendMessage(message);
	}
}
