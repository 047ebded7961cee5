/**
 * Moving within a session's history: /tree jumps to any entry (optionally summarizing the branch being left)
 * and /fork starts a new session from one of the user's messages. Both are also reachable by keys.
 */
import { errorMessage } from "../../util/errors.ts";
import { InputDialog } from "./components/dialogs.ts";
import { type ListItem, ListSelector } from "./components/list-selector.ts";
import { TreeSelector } from "./components/tree-selector.ts";
import { oneLine } from "./format.ts";
import { selectorHeight } from "./selector-height.ts";
import type { InteractiveUi } from "./ui-host.ts";

export class TreeCommands {
	constructor(private readonly ui: InteractiveUi) {}

	private get session() {
		return this.ui.session;
	}

	/** /tree (also its key, or Escape twice when so set): pick any entry of the session tree to continue from. */
	openTree(initialSelectedId?: string): void {
		const manager = this.session.sessionManager;
		const roots = manager.getTree();
		if (roots.length === 0) {
			this.ui.showStatus("No entries in session");
			return;
		}
		const leafId = manager.getLeafId();
		const activePath = new Set(manager.getBranch().map((entry) => entry.id));
		const close = this.ui.dialogs.show(
			new TreeSelector({
				roots,
				leafId,
				activePath,
				maxVisible: selectorHeight(this.ui),
				initialFilter: this.session.settings.getTreeFilterMode(),
				initialSelectedId,
				onSelect: (entryId) => {
					close();
					this.navigateTo(entryId);
				},
				onCancel: () => close(),
				onLabel: (entryId, label) => {
					manager.appendLabel(entryId, label);
					this.ui.requestRender();
				},
				onCopy: (text) => {
					if (!text) {
						this.ui.showError("Selected entry has no text to copy");
						return;
					}
					this.ui.copyToClipboard(text).then(
						() => this.ui.showStatus("Copied selected message to clipboard"),
						(error: unknown) => this.ui.showError(errorMessage(error)),
					);
				},
			}),
		);
	}

	/** After picking an entry: ask whether to summarize the branch being left (unless settings skip it). */
	private navigateTo(entryId: string): void {
		const manager = this.session.sessionManager;
		if (entryId === manager.getLeafId()) {
			this.ui.showStatus("Already at this point");
			return;
		}
		if (this.session.isStreaming) {
			this.ui.showWarning("Wait for the current response to finish before navigating.");
			return;
		}
		if (this.session.settings.getBranchSummarySettings().skipPrompt) {
			void this.navigate(entryId, false);
			return;
		}
		type Choice = "none" | "summarize" | "custom";
		const items: ListItem<Choice>[] = [
			{ value: "none", label: "No summary", searchText: "no summary" },
			{ value: "summarize", label: "Summarize", searchText: "summarize" },
			{ value: "custom", label: "Summarize with custom prompt", searchText: "summarize with custom prompt" },
		];
		const close = this.ui.dialogs.show(
			new ListSelector({
				title: "Summarize branch?",
				items,
				onSelect: (choice) => {
					close();
					if (choice === "custom") this.askSummaryInstructions(entryId);
					else void this.navigate(entryId, choice === "summarize");
				},
				onCancel: () => {
					close();
					this.openTree(entryId);
				},
			}),
		);
	}

	private askSummaryInstructions(entryId: string): void {
		const dialog = new InputDialog(
			"Custom summarization instructions",
			"enter submit · esc back",
			(value) => {
				close();
				void this.navigate(entryId, true, value.trim() || undefined);
			},
			() => {
				close();
				this.openTree(entryId);
			},
		);
		const close = this.ui.dialogs.show(dialog);
	}

	private async navigate(entryId: string, summarize: boolean, customInstructions?: string): Promise<void> {
		if (summarize) this.ui.setLoader("Summarizing branch... (escape to cancel)");
		try {
			const result = await this.session.navigateTree(entryId, { summarize, customInstructions });
			if (result.cancelled) {
				this.ui.showStatus("Branch summarization cancelled");
				this.openTree(entryId);
				return;
			}
			this.ui.renderTranscript({ fresh: true });
			if (result.editorText !== undefined && this.ui.editor.getText() === "") {
				this.ui.editor.setText(result.editorText);
			}
			this.ui.showStatus("Navigated to selected point");
		} catch (error) {
			this.ui.showError(errorMessage(error));
		} finally {
			if (summarize) this.ui.setLoader(undefined);
		}
	}

	/** /fork: pick one of your messages; a new session starts from there with its text in the editor. */
	openFork(): void {
		const messages = this.session.getUserMessagesForForking();
		if (messages.length === 0) {
			this.ui.showStatus("No messages to fork from");
			return;
		}
		const items: ListItem<string>[] = messages.map((m) => ({
			value: m.entryId,
			label: oneLine(m.text),
			searchText: m.text,
		}));
		const close = this.ui.dialogs.show(
			new ListSelector({
				title: "Fork from message",
				hint: "type to search · enter select · esc cancel",
				items,
				initialIndex: items.length - 1,
				maxVisible: selectorHeight(this.ui),
				onSelect: (entryId) => {
					close();
					void this.fork(entryId);
				},
				onCancel: () => close(),
			}),
		);
	}

	private async fork(entryId: string): Promise<void> {
		try {
			const { selectedText } = await this.session.fork(entryId);
			this.ui.renderTranscript({ fresh: true });
			this.ui.editor.setText(selectedText);
			this.ui.updateTitle();
			this.ui.showStatus("Branched to new session");
		} catch (error) {
			this.ui.showError(errorMessage(error));
		}
	}
}
