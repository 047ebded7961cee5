/**
 * What the user (or an extension) sends: a prompt starts a run or, while one runs, is queued as steering or a
 * follow-up; custom messages are delivered as pi does. Extensions take part in pi's order: an extension `/command`
 * runs instead, `input` handlers may transform or handle the text, skills and templates expand, and
 * `before_agent_start` prepares the run (RunStarter). Attached images are shrunk first (images.autoResize).
 */
import type { ImageContent } from "../../ai/types.ts";
import { type PromptImages, preparePromptImages } from "../../images/prompt-images.ts";
import type { LoadedResources } from "../../resources/index.ts";
import { PiError } from "../../util/errors.ts";
import type { CustomMessage } from "../types.ts";
import type { BashRunner } from "./bash-runner.ts";
import type { CompactionRunner } from "./compaction-runner.ts";
import type { CustomDelivery, CustomMessages } from "./custom-messages.ts";
import { applyInputHooks, type InputSource } from "./extension-hooks.ts";
import type { SessionHost } from "./host.ts";
import { findLastAssistant } from "./messages.ts";
import { type ExpandedPrompt, expandUserPrompt, plainUserPrompt, requirePromptableModel } from "./prompt-input.ts";
import type { PromptQueue } from "./prompt-queue.ts";
import type { RunStarter } from "./run-starter.ts";

/**
 * What happened to a submitted prompt (RPC `prompt`'s `data.disposition`, pi 1.6.0): it started a run, was queued
 * into the running one, or was handled without a run (an extension command or `input` handler).
 */
export type PromptDisposition = "started" | "queued" | "handled";

export interface PromptOptions {
	images?: ImageContent[];
	streamingBehavior?: "steer" | "followUp";
	/** Told once the prompt is accepted, with what became of it (pi 1.6.0). */
	onAccepted?: (disposition: PromptDisposition) => void;
	source?: InputSource;
	/** false: no extension commands, skills or templates (pi.sendUserMessage's default). */
	expandPromptTemplates?: boolean;
}

/** Makes the message for a prompt once its images are ready (shrunk, with notes about them). */
type PromptBuilder = (images: ImageContent[] | undefined, imageHints: readonly string[]) => ExpandedPrompt;

export interface PromptSubmissionParts {
	queue: PromptQueue;
	bash: BashRunner;
	compaction: CompactionRunner;
	runs: RunStarter;
	customMessages: CustomMessages;
	/** Skills and prompt templates, read when a prompt expands (they change on /reload). */
	resources(): LoadedResources;
	/** The agent streams or a run is being started. */
	isRunning(): boolean;
}

export class PromptSubmission {
	/** True while prompt() prepares a run (model, compaction check, images) before the agent is streaming. */
	private preparing = false;

	constructor(
		private readonly host: SessionHost,
		private readonly parts: PromptSubmissionParts,
	) {}

	/** A run is going or being prepared: a prompt now is queued (or refused without a streamingBehavior). */
	get isBusy(): boolean {
		return this.parts.isRunning() || this.preparing;
	}

	/** Resolves when the agent is idle again (including any automatic retries). */
	async prompt(text: string, options: PromptOptions = {}): Promise<void> {
		const { queue, bash, compaction, runs } = this.parts;
		const expand = options.expandPromptTemplates ?? true;
		const input = await applyInputHooks(this.host.extensions, text, options.images, {
			expand,
			source: options.source ?? "interactive",
			streamingBehavior: this.isBusy ? options.streamingBehavior : undefined,
		});
		if (!input) {
			options.onAccepted?.("handled");
			return;
		}
		const build: PromptBuilder = (images, hints) =>
			expand
				? expandUserPrompt(input.text, images, this.parts.resources(), hints)
				: plainUserPrompt(input.text, images, hints);
		// A prompt still being prepared counts as running: a second one arriving meanwhile (RPC handles commands
		// concurrently) is queued or refused here, instead of being accepted and then refused by the agent.
		if (this.isBusy) {
			if (!options.streamingBehavior) {
				throw new PiError(
					"Agent is already processing. Specify streamingBehavior ('steer' or 'followUp') to queue the message.",
				);
			}
			await this.enqueue(input.images, build, (prompt) =>
				options.streamingBehavior === "followUp" ? queue.queueFollowUp(prompt) : queue.steer(prompt),
			);
			options.onAccepted?.("queued");
			return;
		}
		this.preparing = true;
		let run: Promise<void>;
		try {
			bash.flushPending();
			const { agent, modelRegistry } = this.host;
			await requirePromptableModel(agent.state.model, modelRegistry);
			const last = findLastAssistant(agent.state.messages);
			if (last) await compaction.checkAfter(last, false);
			const { images, hints } = await this.prepareImages(input.images);
			const prepared = build(images, hints);
			// runs.start marks the run as starting synchronously, before the flag below is cleared.
			run = runs.start({ messageType: "user", prompt: prepared.text, images }, prepared.message, () =>
				options.onAccepted?.("started"),
			);
		} finally {
			this.preparing = false;
		}
		await run;
	}

	/** `pi.sendMessage()`: a custom message, delivered as pi does (see custom-messages.ts). */
	async sendCustomMessage(
		message: CustomMessage,
		options: { triggerTurn?: boolean; deliverAs?: CustomDelivery } = {},
	): Promise<void> {
		if (this.parts.customMessages.deliver(message, options, this.parts.isRunning()) === "start-run") {
			await this.parts.runs.start({ messageType: "custom", message }, message);
		}
	}

	steer(rawText: string, images?: ImageContent[]): Promise<void> {
		return this.enqueue(images, this.expander(rawText), (prompt) => this.parts.queue.steer(prompt));
	}

	followUp(rawText: string, images?: ImageContent[]): Promise<void> {
		return this.enqueue(images, this.expander(rawText), (prompt) => this.parts.queue.queueFollowUp(prompt));
	}

	private expander(rawText: string): PromptBuilder {
		return (images, hints) => expandUserPrompt(rawText, images, this.parts.resources(), hints);
	}

	/** Text-only messages are queued at once (callers see the queue change synchronously); images first shrink. */
	private async enqueue(
		images: ImageContent[] | undefined,
		build: PromptBuilder,
		add: (prompt: ExpandedPrompt) => void,
	): Promise<void> {
		if (!images?.length) {
			add(build(images, []));
			return;
		}
		const prepared = await this.prepareImages(images);
		add(build(prepared.images, prepared.hints));
	}

	/** pi 1.6.0: attached images are shrunk to the inline limits (images.autoResize) before they are sent or saved. */
	private async prepareImages(images: ImageContent[] | undefined): Promise<PromptImages> {
		if (!images?.length) return { images, hints: [] };
		// The model's own image limits when models.json gives some (pi 1.6.0's inputLimits.images.resize).
		const model = this.host.agent.state.model;
		return preparePromptImages(images, this.host.settings.getImageAutoResize(), model?.inputLimits?.images?.resize);
	}
}
