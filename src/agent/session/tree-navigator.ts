/**
 * `/tree` (pi-spec §3.8, §7.6): moving the leaf within the session file, optionally leaving a summary of the
 * branch being left behind. Kept apart from compaction: it summarizes a different set of entries and never
 * retries anything.
 */
import type { Usage } from "../../ai/types.ts";
import type { CompleteFn } from "../../session/compaction/types.ts";
import { PiError } from "../../util/errors.ts";
import { requestAuth, type SessionHost, summaryRetry } from "./host.ts";
import { customMessageText, userText } from "./messages.ts";

export interface NavigateTreeOptions {
	summarize?: boolean;
	customInstructions?: string;
}

export class TreeNavigator {
	private summaryAbort: AbortController | undefined;

	constructor(
		private readonly host: SessionHost,
		private readonly complete: CompleteFn,
	) {}

	get isSummarizing(): boolean {
		return this.summaryAbort !== undefined;
	}

	abortSummary(): void {
		this.summaryAbort?.abort();
	}

	/**
	 * A user or custom message puts the leaf on its parent and hands its text back for the editor; anything else
	 * becomes the leaf. With `summarize`, the branch being left is summarized into a `branch_summary` entry at the
	 * new position. Throws if the summary fails; `cancelled` when it was aborted (the leaf then stays where it was).
	 */
	async navigate(targetId: string, options: NavigateTreeOptions): Promise<{ editorText?: string; cancelled: boolean }> {
		const manager = this.host.sessionManager;
		const target = manager.getEntry(targetId);
		if (!target) throw new PiError(`Entry ${targetId} not found`);
		const oldLeafId = manager.getLeafId();
		let editorText: string | undefined;
		let newLeafId: string | null = targetId;
		if (target.type === "message" && target.message.role === "user") {
			editorText = userText(target.message);
			newLeafId = target.parentId;
		} else if (target.type === "custom_message") {
			editorText = customMessageText(target.content);
			newLeafId = target.parentId;
		}
		const abort = new AbortController();
		let customInstructions = options.customInstructions;
		let summary: { summary: string; details?: unknown; usage?: Usage } | undefined;
		let fromExtension = false;
		const { extensions } = this.host;
		if (extensions) {
			const { collectEntriesForBranchSummary } = await import("../../session/compaction/index.ts");
			const outcome = await extensions.beforeTree({
				preparation: {
					targetId,
					oldLeafId,
					entriesToSummarize: options.summarize ? collectEntriesForBranchSummary(manager, oldLeafId, targetId) : [],
					userWantsSummary: options.summarize === true,
					customInstructions,
				},
				signal: abort.signal,
			});
			if (outcome?.cancel) return { cancelled: true };
			customInstructions = outcome?.customInstructions ?? customInstructions;
			if (options.summarize && outcome?.summary) {
				summary = outcome.summary;
				fromExtension = true;
			}
		}
		if (options.summarize && !summary) {
			const generated = await this.summarize(manager, oldLeafId, targetId, customInstructions, abort);
			if (!generated) return { editorText: undefined, cancelled: true };
			summary = generated;
		}
		let summaryEntryId: string | undefined;
		if (summary)
			summaryEntryId = manager.appendBranchSummary(
				newLeafId,
				summary.summary,
				summary.details,
				fromExtension,
				summary.usage,
			);
		else if (newLeafId) manager.branch(newLeafId);
		else manager.resetLeaf();
		this.host.agent.replaceMessages(manager.buildSessionContext().messages);
		await extensions?.notify({
			type: "session_tree",
			newLeafId: manager.getLeafId(),
			oldLeafId,
			summaryEntry: summaryEntryId ? manager.getEntry(summaryEntryId) : undefined,
			fromExtension: summaryEntryId ? fromExtension : undefined,
		});
		return { editorText, cancelled: false };
	}

	/** The model's summary of the branch being left; undefined when it was aborted. Throws if it fails. */
	private async summarize(
		manager: SessionHost["sessionManager"],
		oldLeafId: string | null,
		targetId: string,
		customInstructions: string | undefined,
		abort: AbortController,
	): Promise<{ summary: string; details?: unknown; usage?: Usage } | undefined> {
		const { model, apiKey, headers, env } = await requestAuth(this.host);
		const { collectEntriesForBranchSummary, generateBranchSummary } = await import("../../session/compaction/index.ts");
		const entries = collectEntriesForBranchSummary(manager, oldLeafId, targetId);
		this.summaryAbort = abort;
		try {
			return await generateBranchSummary(entries, model, apiKey, this.complete, abort.signal, customInstructions, {
				reserveTokens: this.host.settings.getBranchSummarySettings().reserveTokens,
				retry: summaryRetry(this.host, { source: "branchSummary" }),
				...(headers ? { headers } : {}),
				...(env ? { env } : {}),
			});
		} catch (error) {
			if (abort.signal.aborted) return undefined;
			throw error;
		} finally {
			this.summaryAbort = undefined;
		}
	}
}
