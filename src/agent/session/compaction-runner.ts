/**
 * Compaction (pi-spec §7): the automatic kind after an answer (past the threshold, or on a context overflow,
 * which compacts and then retries once) and the manual `/compact`. Each run is announced with
 * compaction_start / compaction_end and can be aborted.
 */
import { isContextOverflow } from "../../ai/overflow.ts";
import type { AssistantMessage } from "../../ai/types.ts";
import { calculateContextTokens, shouldCompact } from "../../session/compaction/tokens.ts";
import type { CompleteFn } from "../../session/compaction/types.ts";
import { errorMessage, PiError } from "../../util/errors.ts";
import type { CompactionReason, CompactionResult } from "../session-events.ts";
import { requestAuth, type SessionHost, summaryRetry } from "./host.ts";
import { omitFailedAttempt } from "./messages.ts";
import type { RetryController } from "./retry-controller.ts";

/** An extension's session_before_compact handler said no; reported like an abort (pi: "Compaction cancelled"). */
class CompactionCancelledError extends PiError {
	override name = "CompactionCancelledError";
	constructor() {
		super("Compaction cancelled");
	}
}

const OVERFLOW_RECOVERY_FAILED =
	"Context overflow recovery failed after one compact-and-retry attempt. Try reducing context or switching to a larger-context model.";
const LENGTH_RECOVERY_FAILED = "Truncated response recovery failed after one compact-and-retry attempt.";

export class CompactionRunner {
	private abortController: AbortController | undefined;
	/** Whether the summary being recorded came from a session_before_compact handler. */
	private summaryFromExtension = false;
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
	 * After an answer (or before a prompt, with the last one), as pi 1.6.0's _checkCompaction: compact on a context
	 * overflow or a recoverable length stop (then retry once), or past the threshold. Skipped for an answer older
	 * than the latest compaction (its usage describes the context before it), and the overflow rules only apply to
	 * an answer of the current model (another model's window says nothing about this one's). `skipAborted`: an answer
	 * the user aborted says nothing new about the context size.
	 */
	async checkAfter(last: AssistantMessage, skipAborted: boolean): Promise<void> {
		const model = this.host.agent.state.model;
		const settings = this.host.settings.getCompactionSettings(model);
		if (!settings.enabled || !model) return;
		if (skipAborted && last.stopReason === "aborted") return;
		const latestCompaction = this.host.sessionManager.latestOnBranch("compaction");
		// pi compares with <=; an answer started in the same millisecond as the compaction was written (a retry right
		// after it, with an instant server) is newer than it, so only strictly older answers are skipped.
		if (latestCompaction && last.timestamp < new Date(latestCompaction.timestamp).getTime()) return;
		const sameModel = last.provider === model.provider && last.model === model.id;
		const overflow = sameModel && isContextOverflow(last, model.contextWindow);
		// A length stop below the model's output limit means the context ate the output budget (pi 1.6.0).
		const recoverableLength =
			sameModel && last.stopReason === "length" && model.maxTokens > 0 && last.usage.output < model.maxTokens;
		if (overflow || recoverableLength) {
			// A successful answer that still filled the window: compact, nothing to retry.
			if (last.stopReason === "stop") return this.runAutomatic("overflow", false);
			if (this.overflowRecoveryAttempted) {
				this.host.emit({
					type: "compaction_end",
					reason: "overflow",
					result: undefined,
					aborted: false,
					willRetry: false,
					errorMessage: overflow ? OVERFLOW_RECOVERY_FAILED : LENGTH_RECOVERY_FAILED,
				});
				return;
			}
			this.overflowRecoveryAttempted = true;
			omitFailedAttempt(this.host, last);
			return this.runAutomatic("overflow", true);
		}
		if (last.stopReason === "error" || last.stopReason === "aborted") return;
		if (shouldCompact(calculateContextTokens(last.usage), model.contextWindow, settings)) {
			await this.runAutomatic("threshold", false);
		}
	}

	/** `/compact [instructions]` and RPC `compact`; the caller has already stopped the agent. Throws on failure. */
	async compactManually(customInstructions: string | undefined): Promise<CompactionResult> {
		this.host.emit({ type: "compaction_start", reason: "manual" });
		try {
			// pi 1.6.0 asks for a model before anything else.
			if (!this.host.agent.state.model) throw new PiError("No model selected.");
			const result = await this.compactNow(customInstructions, "manual", false);
			if (!result) {
				const last = this.host.sessionManager.getLeafEntry();
				// pi 1.6.0's wording.
				throw new PiError(last?.type === "compaction" ? "Already compacted" : "Nothing to compact (session too small)");
			}
			this.host.emit({ type: "compaction_end", reason: "manual", result, aborted: false, willRetry: false });
			return result;
		} catch (error) {
			const aborted = error instanceof CompactionCancelledError || (this.abortController?.signal.aborted ?? false);
			const message = aborted ? undefined : errorMessage(error);
			this.host.emit({
				type: "compaction_end",
				reason: "manual",
				result: undefined,
				aborted,
				willRetry: false,
				errorMessage: message === undefined ? undefined : `Compaction failed: ${message}`,
			});
			await this.notifyFailed("manual", aborted, false, message);
			throw error;
		} finally {
			this.abortController = undefined;
		}
	}

	/**
	 * An automatic run never throws: failures are reported in compaction_end. With nothing to compact it does
	 * nothing at all (no events, no retry), as pi 1.6.0.
	 */
	private async runAutomatic(reason: CompactionReason, willRetry: boolean): Promise<void> {
		const { prepareCompaction } = await import("../../session/compaction/index.ts");
		const branch = this.host.sessionManager.getBranch();
		const model = this.host.agent.state.model;
		if (!model || !prepareCompaction(branch, this.host.settings.getCompactionSettings(model))) return;
		this.host.emit({ type: "compaction_start", reason });
		try {
			const result = await this.compactNow(undefined, reason, willRetry);
			this.host.emit({ type: "compaction_end", reason, result, aborted: false, willRetry: willRetry && !!result });
			if (willRetry && result) {
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
			await this.notifyFailed(reason, aborted, willRetry, aborted ? undefined : errorMessage(error));
		} finally {
			this.abortController = undefined;
		}
	}

	/** Extensions' session_compact_failed (pi 1.6.0). */
	private async notifyFailed(
		reason: CompactionReason,
		aborted: boolean,
		willRetry: boolean,
		message: string | undefined,
	): Promise<void> {
		await this.host.extensions?.notify({
			type: "session_compact_failed",
			reason,
			...(message !== undefined ? { errorMessage: message } : {}),
			aborted,
			willRetry,
			fromExtension: this.summaryFromExtension,
		});
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
		const preparation = prepareCompaction(branchEntries, settings.getCompactionSettings(agent.state.model));
		if (!preparation) return undefined;
		this.summaryFromExtension = false;
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
		this.summaryFromExtension = result !== undefined;
		if (!result) {
			const { model, apiKey, headers, env } = await requestAuth(this.host);
			result = await compact(preparation, model, apiKey, customInstructions, this.complete, signal, {
				thinkingLevel: agent.state.thinkingLevel,
				retry: summaryRetry(this.host, { source: "compaction", reason }),
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
			result.usage,
		);
		const messages = sessionManager.buildSessionContext().messages;
		agent.replaceMessages(messages);
		await extensions?.notify({
			type: "session_compact",
			compactionEntry: sessionManager.getEntry(entryId),
			fromExtension: fromExtension?.compaction !== undefined,
			reason,
			willRetry,
		});
		// pi 1.6.0 reports an estimate of the compacted context in compaction_end.
		const { estimateTokens } = await import("../../session/compaction/index.ts");
		const estimatedTokensAfter = messages.reduce((sum, message) => sum + estimateTokens(message), 0);
		return {
			summary: result.summary,
			firstKeptEntryId: result.firstKeptEntryId,
			tokensBefore: result.tokensBefore,
			estimatedTokensAfter,
			...(result.usage ? { usage: result.usage } : {}),
			details: result.details,
		};
	}
}
