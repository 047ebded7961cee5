/**
 * Auto-retry of answers that failed with a transient provider error (pi-spec §5.8): backoff, the
 * auto_retry_start/end events, cancellation, and the "pending continuation" that prompt() and waitForIdle()
 * wait on. Compaction after a context overflow uses the same pending continuation, because to the caller a
 * compact-and-retry is just another retry.
 */
import type { AssistantMessage } from "../../ai/types.ts";
import { sleep } from "../../util/sleep.ts";
import { isRetryableError, retryDelayMs } from "../retry.ts";
import type { AgentMessage } from "../types.ts";
import type { SessionHost } from "./host.ts";
import { findLastAssistant, omitFailedAttempt } from "./messages.ts";

export class RetryController {
	/** Attempts made for the current failure; 0 when no retry is in progress. */
	private attempt = 0;
	private backoffAbort: AbortController | undefined;
	private pending: { promise: Promise<void>; resolve: () => void } | undefined;

	constructor(private readonly host: SessionHost) {}

	/** True from the moment a retry (or compact-and-retry) is known to be coming until it has run or given up. */
	get isPending(): boolean {
		return this.pending !== undefined;
	}

	/** Whether this failed answer is one to retry (transient error, not an overflow). */
	isRetryable(message: AssistantMessage): boolean {
		return isRetryableError(message, this.host.agent.state.model?.contextWindow ?? 0);
	}

	/**
	 * Called synchronously when the agent ends a run, before its events are processed: if a retry will follow,
	 * mark it pending now so a prompt() that is about to resolve waits for it instead.
	 */
	anticipate(runMessages: readonly AgentMessage[]): void {
		if (this.pending || !this.host.settings.getRetrySettings().enabled) return;
		const last = findLastAssistant(runMessages);
		if (last && this.isRetryable(last)) this.hold();
	}

	/** Whether a run that ended with these messages will be retried (agent_end's `willRetry`, pi 1.6.0). */
	willRetry(runMessages: readonly AgentMessage[]): boolean {
		const settings = this.host.settings.getRetrySettings();
		if (!settings.enabled || this.attempt >= settings.maxRetries) return false;
		const last = findLastAssistant(runMessages);
		return last !== undefined && this.isRetryable(last);
	}

	/** Marks a continuation as pending (no-op when one already is). */
	hold(): void {
		if (this.pending) return;
		let resolve = () => {};
		const promise = new Promise<void>((r) => {
			resolve = r;
		});
		this.pending = { promise, resolve };
	}

	/** The pending continuation ran, failed to start or was given up: let waiters go. */
	release(): void {
		const done = this.pending;
		this.pending = undefined;
		done?.resolve();
	}

	/** Asks the agent to continue from the current context on the next tick (after this event is processed). */
	continueSoon(): void {
		setTimeout(() => {
			this.host.agent.continue().catch(() => this.release());
		}, 0);
	}

	/** Waits until nothing is pending, including continuations scheduled while waiting. */
	async waitUntilSettled(eventsProcessed: () => Promise<void>): Promise<void> {
		for (;;) {
			await eventsProcessed();
			const pending = this.pending;
			if (!pending) return;
			await pending.promise;
		}
	}

	/** An answer came back without error: a retry in progress succeeded. */
	noteSuccessfulAnswer(): void {
		if (this.attempt === 0) return;
		this.host.emit({ type: "auto_retry_end", success: true, attempt: this.attempt });
		this.attempt = 0;
	}

	/** Schedules the next attempt after a backoff. Returns false when retries are used up or cancelled. */
	async retry(failed: AssistantMessage): Promise<boolean> {
		const settings = this.host.settings.getRetrySettings();
		if (!settings.enabled) return false;
		this.attempt++;
		if (this.attempt > settings.maxRetries) {
			this.host.emit({
				type: "auto_retry_end",
				success: false,
				attempt: this.attempt - 1,
				finalError: failed.errorMessage,
			});
			this.attempt = 0;
			return false;
		}
		const delayMs = retryDelayMs(settings.baseDelayMs, this.attempt, settings.maxAgentDelayMs);
		this.host.emit({
			type: "auto_retry_start",
			attempt: this.attempt,
			maxAttempts: settings.maxRetries,
			delayMs,
			errorMessage: failed.errorMessage ?? "Unknown error",
		});
		omitFailedAttempt(this.host, failed);
		const abort = new AbortController();
		this.backoffAbort = abort;
		try {
			await sleep(delayMs, abort.signal);
		} catch {
			const attempt = this.attempt;
			this.attempt = 0;
			this.backoffAbort = undefined;
			this.host.emit({ type: "auto_retry_end", success: false, attempt, finalError: "Retry cancelled" });
			return false;
		}
		this.backoffAbort = undefined;
		this.continueSoon();
		return true;
	}

	/** Cancels a backoff wait and releases whoever waits for the retry. */
	abort(): void {
		this.backoffAbort?.abort();
		this.release();
	}
}
