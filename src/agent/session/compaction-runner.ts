/**
 * Compaction (pi-spec §7): the automatic kind after an answer (past the threshold, or on a context overflow,
 * which compacts and then retries once) and the manual `/compact`. Each run is announced with
 * compaction_start / compaction_end and can be aborted.
 */
import { isContextOverflow } from "../../ai/overflow.ts";
import type { AssistantMessage } from "../../ai/types.ts";
import type { CompleteFn } from "../../session/compaction/types.ts";
import { errorMessage, PiError } from "../../util/errors.ts";
import type { CompactionReason, CompactionResult } from "../session-events.ts";
import { requestAuth, type SessionHost } from "./host.ts";
import { dropTrailingAssistant } from "./messages.ts";
import type { RetryController } from "./retry-controller.ts";

/** An extension's session_before_compact handler said no; reported like an abort (pi: "Compaction cancelled"). */
class CompactionCancelledError extends PiError {
	constructor() {
		super("Compaction cancelled");
	}
}

const OVERFLOW_RECOVERY_FAILED =
	"Context overflow recovery failed after one compact-and-retry attempt. Try reducing context or switching to a larger-context model.";

export class CompactionRunner {
	private abortController: AbortController | undefined;
	/** One compact-and-retry per user message: a second overflow right after it means compaction cannot help. */
	private overflowRecoveryAttempted = false;

	constructor(
		private readonly host: SessionHost,
		private readonly complete: CompleteFn,
		private readonly retry: RetryController,
	) {}

	get isCompacting(): boolean {
		return this.abortController !== undefined;
	}

	abort(): void {
		this.abortController?.abort();
	}

	/** A new user message or a good answer: the next overflow may be recovered from again. */
	resetOverflowRecovery(): void {
		this.overflowRecoveryAttempted = false;
	}

	/**
	 * After an answer (or before a prompt, with the last one): compact on overflow (then retry once) or past the
	 * threshold. `skipAborted`: an answer the user aborted says nothing new about the context size.
	 */
	async checkAfter(last: AssistantMessage, skipAborted: boolean): Promise<void> {
		const settings = this.host.settings.getCompactionSettings();
		const model = this.host.agent.state.model;
		if (!settings.enabled || !model) return;
		if (skipAborted && last.stopReason === "aborted") return;
		if (isContextOverflow(last, model.contextWindow)) {
			// A successful answer that still filled the window: compact, nothing to retry.
			if (last.stopReason !== "error") return this.runAutomatic("threshold", false);
			if (this.overflowRecoveryAttempted) {
				this.host.emit({
					type: "compaction_end",
					reason: "overflow",
					result: undefined,
					aborted: false,
					willRetry: false,
					errorMessage: OVERFLOW_RECOVERY_FAILED,
				});
				return;
			}
			this.overflowRecoveryAttempted = true;
			dropTrailingAssistant(this.host.agent);
			return this.runAutomatic("overflow", true);
		}
		if (last.stopReason === "error" || last.stopReason === "aborted") return;
		const { shouldCompact, calculateContextTokens } = await import("../../session/compaction/index.ts");
		if (shouldCompact(calculateContextTokens(last.usage), model.contextWindow, settings)) {
			await this.runAutomatic("threshold", false);
		}
	}

	/** `/compact [instructions]` and RPC `compact`; the caller has already stopped the agent. Throws on failure. */
	async compactManually(customInstructions: string | undefined): Promise<CompactionResult> {
		this.host.emit({ type: "compaction_start", reason: "manual" });
		try {
			const result = await this.compactNow(customInstructions, "manual", false);
			if (!result) throw new PiError("Nothing to compact yet.");
			this.host.emit({ type: "compaction_end", reason: "manual", result, aborted: false, willRetry: false });
			return result;
		} catch (error) {
			const aborted = error instanceof CompactionCancelledError || (this.abortController?.signal.aborted ?? false);
			this.host.emit({
				type: "compaction_end",
				reason: "manual",
				result: undefined,
				aborted,
				willRetry: false,
				errorMessage: aborted ? undefined : errorMessage(error),
			});
			throw error;
		} finally {
			this.abortController = undefined;
		}
	}

	/** An automatic run never throws: failures are reported in compaction_end. */
	private async runAutomatic(reason: CompactionReason, willRetry: boolean): Promise<void> {
		this.host.emit({ type: "compaction_start", reason });
		try {
			const result = await this.compactNow(undefined, reason, willRetry);
			this.host.emit({ type: "compaction_end", reason, result, aborted: false, willRetry: willRetry && !!result });
			if (willRetry && result) {
				// The failed answer stays in the file but must not end the context we retry with.
				const last = this.host.agent.state.messages.at(-1);
				if (last?.role === "assistant" && last.stopReason === "error") dropTrailingAssistant(this.host.agent);
				// prompt() and waitForIdle() wait for this run as they wait for a retry.
				this.retry.hold();
				this.retry.continueSoon();
			}
		} catch (error) {
			const aborted = error instanceof CompactionCancelledError || (this.abortController?.signal.aborted ?? false);
			this.host.emit({
				type: "compaction_end",
				reason,
				result: undefined,
				aborted,
				willRetry: false,
				errorMessage: aborted ? undefined : `Auto-compaction failed: ${errorMessage(error)}`,
			});
		} finally {
			this.abortController = undefined;
		}
	}

	/**
	 * Summarizes the older part of the branch, records it and reloads the context. Undefined: nothing to compact.
	 * Extensions (session_before_compact) may cancel, or supply the summary themselves.
	 */
	private async compactNow(
		customInstructions: string | undefined,
		reason: CompactionReason,
		willRetry: boolean,
	): Promise<CompactionResult | undefined> {
		// The SessionManager is read at each use, as it may be replaced while the summary is generated.
		const { agent, settings, extensions } = this.host;
		const { prepareCompaction, compact } = await import("../../session/compaction/index.ts");
		const branchEntries = this.host.sessionManager.getBranch();
		const preparation = prepareCompaction(branchEntries, settings.getCompactionSettings());
		if (!preparation) return undefined;
		this.abortController = new AbortController();
		const signal = this.abortController.signal;
		const fromExtension = await extensions?.beforeCompact({
			preparation,
			branchEntries,
			customInstructions,
			reason,
			willRetry,
			signal,
		});
		if (fromExtension?.cancel) throw new CompactionCancelledError();
		let result = fromExtension?.compaction;
		if (!result) {
			const { model, apiKey, headers, env } = await requestAuth(this.host);
			result = await compact(preparation, model, apiKey, customInstructions, this.complete, signal, {
				thinkingLevel: agent.state.thinkingLevel,
				...(headers ? { headers } : {}),
				...(env ? { env } : {}),
			});
		}
		const sessionManager = this.host.sessionManager;
		const entryId = sessionManager.appendCompaction(
			result.summary,
			result.firstKeptEntryId,
			result.tokensBefore,
			result.details,
			fromExtension?.compaction !== undefined,
		);
		agent.replaceMessages(sessionManager.buildSessionContext().messages);
		await extensions?.notify({
			type: "session_compact",
			compactionEntry: sessionManager.getEntry(entryId),
			fromExtension: fromExtension?.compaction !== undefined,
			reason,
			willRetry,
		});
		return result;
	}
}
