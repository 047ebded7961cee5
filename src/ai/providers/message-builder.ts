/**
 * Builds the streamed AssistantMessage and emits the matching events, so every provider produces the same
 * event sequence (pi-spec §4.5) and only has to translate its wire events into calls on this class.
 */
import type { PushAssistantStream } from "../event-stream.ts";
import { StreamingArguments } from "../partial-json.ts";
import type { AssistantMessage, Model, StopReason, TextContent, ThinkingContent, ToolCall } from "../types.ts";
import { emptyUsage } from "../types.ts";
import { applyCost } from "../usage.ts";

export function newAssistantMessage(model: Model): AssistantMessage {
	return {
		role: "assistant",
		content: [],
		api: model.api,
		provider: model.provider,
		model: model.id,
		usage: emptyUsage(),
		stopReason: "stop",
		timestamp: Date.now(),
	};
}

export class MessageBuilder {
	readonly output: AssistantMessage;
	/** Raw argument JSON per tool-call content index; kept out of the message so it is never persisted. */
	private readonly argumentText = new Map<number, StreamingArguments>();
	private readonly open = new Set<number>();
	private started = false;

	constructor(
		private readonly model: Model,
		private readonly stream: PushAssistantStream,
	) {
		this.output = newAssistantMessage(model);
	}

	start(): void {
		if (this.started) return;
		this.started = true;
		this.stream.push({ type: "start", partial: this.output });
	}

	startText(): number {
		const block: TextContent = { type: "text", text: "" };
		const index = this.add(block);
		this.stream.push({ type: "text_start", contentIndex: index, partial: this.output });
		return index;
	}

	/** `emitEmpty`: an empty delta is still an event (pi's Gemini stream reports its empty text parts). */
	appendText(index: number, delta: string, emitEmpty = false): void {
		const block = this.output.content[index];
		if (block?.type !== "text" || (delta === "" && !emitEmpty)) return;
		block.text += delta;
		this.stream.push({ type: "text_delta", contentIndex: index, delta, partial: this.output });
	}

	startThinking(initial: Partial<ThinkingContent> = {}): number {
		const block: ThinkingContent = { type: "thinking", thinking: "", ...initial };
		const index = this.add(block);
		this.stream.push({ type: "thinking_start", contentIndex: index, partial: this.output });
		return index;
	}

	appendThinking(index: number, delta: string, emitEmpty = false): void {
		const block = this.output.content[index];
		if (block?.type !== "thinking" || (delta === "" && !emitEmpty)) return;
		block.thinking += delta;
		this.stream.push({ type: "thinking_delta", contentIndex: index, delta, partial: this.output });
	}

	thinkingBlock(index: number): ThinkingContent | undefined {
		const block = this.output.content[index];
		return block?.type === "thinking" ? block : undefined;
	}

	startToolCall(id: string, name: string, initialArguments: Record<string, unknown> = {}): number {
		const block: ToolCall = { type: "toolCall", id, name, arguments: initialArguments };
		const index = this.add(block);
		this.argumentText.set(index, new StreamingArguments(initialArguments));
		this.stream.push({ type: "toolcall_start", contentIndex: index, partial: this.output });
		return index;
	}

	appendToolArguments(index: number, delta: string): void {
		const block = this.output.content[index];
		if (block?.type !== "toolCall" || delta === "") return;
		const streaming = this.argumentText.get(index);
		if (streaming?.append(delta)) block.arguments = streaming.value;
		this.stream.push({ type: "toolcall_delta", contentIndex: index, delta, partial: this.output });
	}

	toolCall(index: number): ToolCall | undefined {
		const block = this.output.content[index];
		return block?.type === "toolCall" ? block : undefined;
	}

	/** Closes one block, emitting its `*_end` event. `finalArguments` replaces the streamed argument text. */
	end(index: number, finalArguments?: string): void {
		if (!this.open.delete(index)) return;
		const block = this.output.content[index];
		if (!block) return;
		if (block.type === "text") {
			this.stream.push({ type: "text_end", contentIndex: index, content: block.text, partial: this.output });
		} else if (block.type === "thinking") {
			this.stream.push({ type: "thinking_end", contentIndex: index, content: block.thinking, partial: this.output });
		} else {
			const streaming = this.argumentText.get(index);
			const text = finalArguments ?? streaming?.text;
			// A call whose arguments never streamed as text (Gemini sends an object) keeps what it was given.
			if (text !== undefined && text !== "") {
				const final = (streaming ?? new StreamingArguments()).complete(text);
				block.arguments = final.arguments;
				if (final.argumentsError) block.argumentsError = final.argumentsError;
			}
			this.argumentText.delete(index);
			this.stream.push({ type: "toolcall_end", contentIndex: index, toolCall: block, partial: this.output });
		}
	}

	endAll(): void {
		for (const index of [...this.open].sort((a, b) => a - b)) this.end(index);
	}

	get hasToolCalls(): boolean {
		return this.output.content.some((block) => block.type === "toolCall");
	}

	/**
	 * The provider's id for this response. pi persists it as `responseId` on the message; our shared
	 * AssistantMessage type does not declare it yet, so it is attached as an extra field (key order as pi's).
	 */
	setResponseId(id: string | null | undefined): void {
		if (!id || Reflect.get(this.output, "responseId")) return;
		Object.assign(this.output, { responseId: id });
	}

	setUsage(usage: {
		input: number;
		output: number;
		cacheRead: number;
		cacheWrite: number;
		totalTokens?: number;
	}): void {
		const target = this.output.usage;
		target.input = usage.input;
		target.output = usage.output;
		target.cacheRead = usage.cacheRead;
		target.cacheWrite = usage.cacheWrite;
		target.totalTokens = usage.totalTokens ?? usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
		applyCost(this.model, target);
	}

	finish(stopReason: Exclude<StopReason, "error" | "aborted">): void {
		this.start();
		this.endAll();
		this.output.stopReason = stopReason;
		this.stream.push({ type: "done", reason: stopReason, message: this.output });
	}

	fail(reason: "error" | "aborted", message: string): void {
		this.argumentText.clear();
		this.open.clear();
		this.output.stopReason = reason;
		this.output.errorMessage = message;
		this.stream.push({ type: "error", reason, error: this.output });
	}

	private add(block: TextContent | ThinkingContent | ToolCall): number {
		this.start();
		this.output.content.push(block);
		const index = this.output.content.length - 1;
		this.open.add(index);
		return index;
	}
}
