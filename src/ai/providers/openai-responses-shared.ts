/**
 * Decoding of the Responses event stream, shared by openai-responses, azure-openai-responses and the Codex endpoint
 * (the request side is responses-input.ts). Tool-call ids are stored as `<call_id>|<item_id>`; thinking blocks keep
 * the whole reasoning item (with encrypted content) as their signature so it can be replayed verbatim; custom
 * (grammar) tool calls stream their input text, which is stored as the tool's one string argument.
 */
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import type { StopReason } from "../types.ts";
import type { MessageBuilder } from "./message-builder.ts";
import { ProviderProtocolError } from "./run-stream.ts";

/** A terminal status as a stop reason; an incomplete answer is cut off only when it ran out of output tokens. */
function stopReasonOf(
	status: string | undefined,
	incompleteReason: string | undefined,
): Exclude<StopReason, "aborted"> {
	switch (status) {
		case "incomplete":
			if (incompleteReason === undefined || incompleteReason === "max_output_tokens") return "length";
			throw new ProviderProtocolError(`Response incomplete: ${incompleteReason}`);
		case "failed":
		case "cancelled":
			return "error";
		default:
			return "stop";
	}
}

/**
 * A custom tool call's input streams as text; pi stores it as the tool's one string argument, so the text is fed to
 * the builder as the JSON of `{"<property>": "<input>"}`, piece by piece.
 */
class CustomToolInput {
	private input = "";
	private opened = false;
	private closed = false;
	/** JSON of the item's initial input, sent with the first delta. */
	private unsent = "";

	constructor(
		private readonly property: string,
		initial: string,
	) {
		this.unsent = this.piece(initial) ?? "";
	}

	/** The JSON text for `delta`, with the opening the first time (undefined for an empty delta). */
	private piece(delta: string): string | undefined {
		if (delta.length === 0) return undefined;
		this.input += delta;
		const open = this.opened ? "" : `{${JSON.stringify(this.property)}:"`;
		this.opened = true;
		return open + JSON.stringify(delta).slice(1, -1);
	}

	private flush(json: string | undefined): string {
		const text = this.unsent + (json ?? "");
		this.unsent = "";
		return text;
	}

	append(delta: string): string {
		return this.flush(this.piece(delta));
	}

	/** The rest of the JSON text; `final` is the whole input when the server sends it. Closing again adds nothing. */
	close(final: string | undefined): string {
		if (this.closed) {
			if (final === undefined || final === this.input) return "";
			throw new ProviderProtocolError(`custom tool input for "${this.property}" changed after it was complete`);
		}
		this.closed = true;
		if (final !== undefined && !final.startsWith(this.input)) {
			throw new ProviderProtocolError(`custom tool input for "${this.property}" changed while streaming`);
		}
		const rest = final === undefined ? undefined : final.slice(this.input.length);
		const body = rest === undefined || rest.length === 0 ? "" : JSON.stringify(rest).slice(1, -1);
		const open = this.opened ? "" : `{${JSON.stringify(this.property)}:"`;
		this.opened = true;
		if (final !== undefined) this.input = final;
		return this.flush(`${open}${body}"}`);
	}
}

/** Decodes a Responses event stream into the builder; returns the stop reason from the final response event. */
export async function consumeResponsesStream(
	events: AsyncIterable<ResponseStreamEvent>,
	builder: MessageBuilder,
	touch: () => void,
	grammarInputs: ReadonlyMap<string, string> = new Map(),
): Promise<Exclude<StopReason, "aborted" | "error">> {
	type Current =
		| { kind: "reasoning" | "message" | "function_call"; index: number }
		| { kind: "custom_tool_call"; index: number; input: CustomToolInput };
	let current: Current | undefined;
	let finalStatus: string | undefined;
	let incompleteReason: string | undefined;
	let sawFinal = false;
	const startCustomCall = (item: { call_id: string; id?: string; name: string; input?: string }) => {
		const property = grammarInputs.get(item.name) ?? "input";
		const initial = item.input ?? "";
		const index = builder.startToolCall(`${item.call_id}|${item.id ?? ""}`, item.name, { [property]: initial });
		return { kind: "custom_tool_call" as const, index, input: new CustomToolInput(property, initial) };
	};
	for await (const event of events) {
		touch();
		switch (event.type) {
			case "response.created":
				builder.setResponseId(event.response.id);
				break;
			case "response.output_item.added": {
				const item = event.item;
				if (item.type === "reasoning") current = { kind: "reasoning", index: builder.startThinking() };
				else if (item.type === "message") current = { kind: "message", index: builder.startText() };
				else if (item.type === "function_call") {
					const index = builder.startToolCall(`${item.call_id}|${item.id ?? ""}`, item.name);
					if (item.arguments) builder.appendToolArguments(index, item.arguments);
					current = { kind: "function_call", index };
				} else if (item.type === "custom_tool_call") current = startCustomCall(item);
				break;
			}
			case "response.reasoning_summary_text.delta":
			case "response.reasoning_text.delta":
				if (current?.kind === "reasoning") builder.appendThinking(current.index, event.delta);
				break;
			case "response.reasoning_summary_part.done":
				if (current?.kind === "reasoning") builder.appendThinking(current.index, "\n\n");
				break;
			case "response.output_text.delta":
			case "response.refusal.delta":
				if (current?.kind === "message") builder.appendText(current.index, event.delta);
				break;
			case "response.function_call_arguments.delta":
				if (current?.kind === "function_call") builder.appendToolArguments(current.index, event.delta);
				break;
			case "response.function_call_arguments.done": {
				if (current?.kind !== "function_call") break;
				const call = builder.toolCall(current.index);
				const streamed = call ? JSON.stringify(call.arguments) : "";
				// Servers may skip deltas and only send the final arguments.
				if (call && Object.keys(call.arguments).length === 0 && event.arguments && streamed === "{}") {
					builder.appendToolArguments(current.index, event.arguments);
				}
				break;
			}
			case "response.custom_tool_call_input.delta":
				if (current?.kind === "custom_tool_call")
					builder.appendToolArguments(current.index, current.input.append(event.delta));
				break;
			case "response.custom_tool_call_input.done":
				if (current?.kind === "custom_tool_call")
					builder.appendToolArguments(current.index, current.input.close(event.input));
				break;
			case "response.output_item.done": {
				const item = event.item;
				if (item.type === "reasoning" && current?.kind === "reasoning") {
					const thinking = builder.thinkingBlock(current.index);
					if (thinking) {
						const summary = item.summary.map((part) => part.text).join("\n\n");
						const content = (item.content ?? []).map((part) => part.text).join("\n\n");
						thinking.thinking = summary || content || thinking.thinking;
						thinking.thinkingSignature = JSON.stringify(item);
					}
					builder.end(current.index);
					current = undefined;
				} else if (item.type === "message" && current?.kind === "message") {
					const block = builder.output.content[current.index];
					if (block?.type === "text") {
						block.text = item.content.map((part) => (part.type === "output_text" ? part.text : part.refusal)).join("");
						block.textSignature = JSON.stringify({ v: 1, id: item.id, ...(item.phase ? { phase: item.phase } : {}) });
					}
					builder.end(current.index);
					current = undefined;
				} else if (item.type === "function_call") {
					let index: number;
					if (current?.kind === "function_call") {
						index = current.index;
						builder.end(index, item.arguments || undefined);
					} else {
						index = builder.startToolCall(`${item.call_id}|${item.id ?? ""}`, item.name);
						builder.end(index, item.arguments || "{}");
					}
					setNamespace(builder, index, item.namespace);
					current = undefined;
				} else if (item.type === "custom_tool_call") {
					let call = current;
					if (call?.kind !== "custom_tool_call") call = startCustomCall({ ...item, input: "" });
					if (call.kind === "custom_tool_call") builder.appendToolArguments(call.index, call.input.close(item.input));
					builder.end(call.index);
					setNamespace(builder, call.index, item.namespace);
					current = undefined;
				}
				break;
			}
			case "response.completed":
			case "response.incomplete": {
				sawFinal = true;
				finalStatus = event.response.status ?? undefined;
				const reason = event.response.incomplete_details?.reason;
				incompleteReason = typeof reason === "string" ? reason : undefined;
				const usage = event.response.usage;
				if (usage) {
					const cached = usage.input_tokens_details?.cached_tokens ?? 0;
					builder.setUsage({
						input: (usage.input_tokens ?? 0) - cached,
						output: usage.output_tokens ?? 0,
						cacheRead: cached,
						cacheWrite: 0,
						totalTokens: usage.total_tokens ?? 0,
					});
				}
				break;
			}
			case "response.failed": {
				const error = event.response.error;
				const details = event.response.incomplete_details;
				throw new ProviderProtocolError(
					error
						? `${error.code || "unknown"}: ${error.message || "no message"}`
						: details?.reason
							? `incomplete: ${details.reason}`
							: "Unknown error (no error details in response)",
				);
			}
			case "error":
				throw new ProviderProtocolError(`Error Code ${event.code ?? "unknown"}: ${event.message}`);
		}
	}
	if (!sawFinal) throw new ProviderProtocolError("Responses stream ended without response.completed");
	const stop = stopReasonOf(finalStatus, incompleteReason);
	if (stop === "error") throw new ProviderProtocolError(`response status ${finalStatus}`);
	if (stop === "stop" && builder.hasToolCalls) return "toolUse";
	return stop;
}

function setNamespace(builder: MessageBuilder, index: number, namespace: string | null | undefined): void {
	const call = builder.toolCall(index);
	if (call && typeof namespace === "string") call.namespace = namespace;
}
