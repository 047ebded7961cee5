/** Which wire format a request path speaks, and the reply frames of each (the modules next to this one). */
import { anthropicFrames, anthropicTextDeltaFrames } from "./anthropic.ts";
import { googleFrames, googleTextDeltaFrames } from "./google.ts";
import { completionsFrames, completionsTextDeltaFrames } from "./openai-completions.ts";
import { responsesFrames } from "./openai-responses.ts";
import type { Frame, TurnContext } from "./sse.ts";
import type { ReplyTurn } from "./turns.ts";

export type WireApi = "anthropic-messages" | "openai-completions" | "openai-responses" | "google-generative-ai";

export function detectApi(path: string): WireApi | undefined {
	if (path.endsWith("/messages")) return "anthropic-messages";
	if (path.endsWith("/chat/completions")) return "openai-completions";
	if (path.endsWith("/responses")) return "openai-responses";
	if (path.includes(":streamGenerateContent") || path.includes(":generateContent")) return "google-generative-ai";
	return undefined;
}

export function replyFrames(api: WireApi, turn: ReplyTurn, ctx: TurnContext): Frame[] {
	switch (api) {
		case "anthropic-messages":
			return anthropicFrames(turn, ctx);
		case "openai-completions":
			return completionsFrames(turn, ctx);
		case "openai-responses":
			return responsesFrames(turn, ctx);
		case "google-generative-ai":
			return googleFrames(turn, ctx);
	}
}

/** The text deltas of a reply without its end (a stream that breaks off, stalls or is cut short). */
export function partialTextFrames(api: WireApi, text: string, ctx: TurnContext): Frame[] {
	switch (api) {
		case "anthropic-messages":
			return anthropicTextDeltaFrames(text, ctx);
		case "openai-completions":
			return completionsTextDeltaFrames(text, ctx);
		case "openai-responses":
			return responsesFrames({ text }, ctx, true);
		case "google-generative-ai":
			return googleTextDeltaFrames(text);
	}
}
