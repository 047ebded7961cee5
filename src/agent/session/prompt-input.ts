/**
 * Turning what the user typed into the message the model gets. pi expands `/skill:name` and `/template` input
 * before sending; the expansion is what is sent, queued and saved, so all three paths share this.
 */

import type { ImageContent, Model, UserMessage } from "../../ai/types.ts";
import { withImageHints } from "../../images/prompt-images.ts";
import type { ModelRegistry } from "../../registry/model-registry.ts";
import { expandPromptText, type LoadedResources } from "../../resources/index.ts";
import { PiError } from "../../util/errors.ts";

export interface ExpandedPrompt {
	/** The expanded text (what the queue shows and what identifies the message when it is delivered). */
	text: string;
	message: UserMessage;
}

export function expandUserPrompt(
	rawText: string,
	images: ImageContent[] | undefined,
	resources: LoadedResources,
	/** Notes about the attached images (images/prompt-images.ts), after the expanded text. */
	imageHints: readonly string[] = [],
): ExpandedPrompt {
	return plainUserPrompt(expandPromptText(rawText, resources), images, imageHints);
}

/** The text as typed, without expansion (pi.sendUserMessage without expandPromptTemplates). */
export function plainUserPrompt(
	rawText: string,
	images: ImageContent[] | undefined,
	imageHints: readonly string[] = [],
): ExpandedPrompt {
	const text = withImageHints(rawText, imageHints);
	return {
		text,
		message: { role: "user", content: [{ type: "text", text }, ...(images ?? [])], timestamp: Date.now() },
	};
}

/** The model a new prompt goes to; throws pi's messages when there is none or it has no key. */
export async function requirePromptableModel(model: Model | undefined, registry: ModelRegistry): Promise<Model> {
	if (!model) {
		throw new PiError(
			"No model selected. Set an API key (e.g. ANTHROPIC_API_KEY) or configure models.json, then choose a model with --model.",
		);
	}
	if (!(await registry.getApiKey(model))) {
		throw new PiError(
			`No API key found for ${model.provider}. Set the provider's API key environment variable, add it to auth.json, or pass --api-key.`,
		);
	}
	return model;
}
