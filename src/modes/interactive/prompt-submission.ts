/**
 * What happens to text submitted from the editor (pi-spec §9.2): a built-in slash command, a `!`/`!!` shell
 * command, a message held back while compaction runs, a steering/follow-up message while the agent streams, or a
 * new prompt. Also puts queued messages back into the editor (Alt+Up, or Escape while streaming).
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { ImageContent } from "../../ai/types.ts";
import { errorMessage } from "../../util/errors.ts";
import { noApiKeyFoundMessage, noModelSelectedMessage } from "./auth-guidance.ts";
import { BashExecutionView } from "./components/bash-execution.ts";
import type { EditorArea } from "./components/editor-area.ts";
import type { UiComponent } from "./components/primitives.ts";
import type { PendingQueueView } from "./pending-queue.ts";

/** What submission acts on (the controller). */
export interface SubmissionHost {
	readonly session: AgentSession;
	readonly editorArea: EditorArea;
	/** Runs `text` when it names a slash command; false when it names none. */
	runCommand(text: string): Promise<boolean>;
	readonly pending: PendingQueueView;
	readonly toolsExpanded: boolean;
	addToChat(component: UiComponent): void;
	setLoader(message: string | undefined): void;
	showStatus(message: string): void;
	showError(message: string): void;
	showWarning(message: string): void;
	requestRender(): void;
}

/** Why a prompt cannot be sent right now (no model, or no credentials for its provider). */
async function missingModelReason(session: AgentSession): Promise<string | undefined> {
	const model = session.model;
	if (!model) return noModelSelectedMessage();
	if (session.modelRegistry.hasConfiguredAuth(model)) return undefined;
	if (await session.modelRegistry.getApiKey(model)) return undefined;
	return noApiKeyFoundMessage(model.provider);
}

export class PromptSubmitter {
	/** Messages submitted during compaction; sent once it succeeds (the session cannot queue them then). */
	private compactionQueue: string[] = [];

	constructor(private readonly host: SubmissionHost) {}

	async submit(rawText: string, behavior: "steer" | "followUp" = "steer"): Promise<void> {
		const { host } = this;
		const session = host.session;
		const text = rawText.trim();
		if (!text) return;
		host.editorArea.addToHistory(text);
		if (text.startsWith("/") && (await host.runCommand(text))) return;
		if (text.startsWith("!")) {
			const exclude = text.startsWith("!!");
			const command = text.slice(exclude ? 2 : 1).trim();
			if (command) {
				await this.runBash(command, exclude);
				return;
			}
		}
		if (session.isCompacting) {
			this.compactionQueue.push(text);
			host.showStatus("Queued message for after compaction");
			return;
		}
		if (session.isStreaming) {
			try {
				await session.prompt(text, { streamingBehavior: behavior });
			} catch (error) {
				host.showError(errorMessage(error));
			}
			return;
		}
		await this.sendPrompt(text);
	}

	/** A new prompt, unless there is no model or no credentials for it (then the reason is shown instead). */
	async sendPrompt(text: string, images?: ImageContent[]): Promise<void> {
		const blocked = await missingModelReason(this.host.session);
		if (blocked) {
			this.host.showError(blocked);
			return;
		}
		try {
			await this.host.session.prompt(text, { images });
		} catch (error) {
			this.host.setLoader(undefined);
			this.host.showError(errorMessage(error));
		}
	}

	/** Compaction finished: what was typed meanwhile is submitted now, in order. */
	flushCompactionQueue(): void {
		const queued = this.compactionQueue;
		this.compactionQueue = [];
		for (const text of queued) void this.submit(text);
	}

	/** Queued steering/follow-up texts go back into the editor, before what is typed there. */
	restoreQueued(announce: boolean): void {
		const { host } = this;
		const { steering, followUp } = host.session.clearQueue();
		const queued = [...steering, ...followUp, ...this.compactionQueue];
		this.compactionQueue = [];
		if (queued.length === 0) {
			if (announce) host.showStatus("No queued messages to restore");
			return;
		}
		const current = host.editorArea.getText();
		host.editorArea.setText([...queued, ...(current ? [current] : [])].join("\n\n"));
		if (announce) {
			host.showStatus(`Restored ${queued.length} queued message${queued.length > 1 ? "s" : ""} to editor`);
		}
	}

	/** `!cmd` (`!!cmd`: kept out of the context); while the agent streams its box waits in the pending area. */
	private async runBash(command: string, excludeFromContext: boolean): Promise<void> {
		const { host } = this;
		if (host.session.isBashRunning) {
			host.showWarning("A bash command is already running. Press Esc to cancel it first.");
			return;
		}
		const view = new BashExecutionView(command, excludeFromContext, host.toolsExpanded);
		const deferred = host.session.isStreaming;
		if (deferred) host.pending.deferBash(view);
		else host.addToChat(view);
		try {
			const result = await host.session.executeBash(command, {
				excludeFromContext,
				onChunk: (chunk) => {
					view.appendOutput(chunk);
					host.requestRender();
				},
			});
			view.setComplete(result);
		} catch (error) {
			host.showError(`Bash command failed: ${error instanceof Error ? error.message : "Unknown error"}`);
		}
		host.requestRender();
	}
}
