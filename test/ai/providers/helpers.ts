/** Shared fixtures for the provider tests: models pointed at the fake LLM server, a tool, event collection. */
import { afterAll, beforeAll } from "bun:test";
import type {
	AssistantMessageEvent,
	AssistantMessageStream,
	Context,
	KnownApi,
	Model,
	Tool,
} from "../../../src/ai/types.ts";
import { type LlmTestServer, type RecordedRequest, startLlmServer } from "../../support/llm-server.ts";

export type SharedLlmServer = LlmTestServer & {
	/** The request the server received last; throws when there was none. */
	lastRequest(): RecordedRequest;
};

/**
 * The fake LLM server for the calling test file: started before its tests, closed after them. Call it at the
 * top level of the file; its members are usable inside tests.
 */
export function useLlmServer(): SharedLlmServer {
	let server: LlmTestServer | undefined;
	beforeAll(async () => {
		server = await startLlmServer();
	});
	afterAll(async () => {
		await server?.close();
	});
	const started = (): LlmTestServer => {
		if (!server) throw new Error("the LLM server starts in beforeAll; use it inside tests");
		return server;
	};
	return {
		get url() {
			return started().url;
		},
		get requests() {
			return started().requests;
		},
		enqueue: (...turns) => started().enqueue(...turns),
		close: () => started().close(),
		lastRequest() {
			const request = started().requests.at(-1);
			if (!request) throw new Error("no request");
			return request;
		},
	};
}

export function testModel(api: KnownApi, serverUrl: string, overrides: Partial<Model> = {}): Model {
	const baseUrl =
		api === "anthropic-messages"
			? serverUrl
			: api === "google-generative-ai"
				? `${serverUrl}/v1beta`
				: api === "google-vertex"
					? serverUrl
					: api === "azure-openai-responses"
						? `${serverUrl}/openai/v1`
						: `${serverUrl}/v1`;
	return {
		id: "mock-model",
		name: "Mock",
		api,
		provider: api === "anthropic-messages" ? "anthropic" : api.startsWith("google") ? "google" : "openai",
		baseUrl,
		reasoning: false,
		input: ["text", "image"],
		cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
		contextWindow: 200000,
		maxTokens: 16384,
		...overrides,
	};
}

export const readTool: Tool = {
	name: "read",
	description: "Read a file",
	parameters: {
		type: "object",
		required: ["path"],
		properties: { path: { type: "string", description: "Path" }, limit: { type: "number" } },
	},
};

export function userContext(text: string, extra: Partial<Context> = {}): Context {
	return { systemPrompt: "You are a test.", messages: [{ role: "user", content: text, timestamp: 1 }], ...extra };
}

export async function collect(stream: AssistantMessageStream): Promise<AssistantMessageEvent[]> {
	const events: AssistantMessageEvent[] = [];
	for await (const event of stream) events.push(event);
	return events;
}

/** 1×1 transparent PNG. */
export const PNG_BASE64 =
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export function eventTypes(events: AssistantMessageEvent[]): string[] {
	return events.map((event) => event.type);
}
