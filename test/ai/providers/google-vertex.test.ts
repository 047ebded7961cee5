/**
 * Google Vertex AI on the wire (pi 1.6.0): API-key mode, and Application Default Credentials with an OAuth token
 * that src/auth/google-adc.ts obtains from a fake token endpoint (service account JWT grant, gcloud user refresh
 * grant). The registry resolves the credentials, the provider sends them; the Gemini request and stream are the
 * Gemini API's.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { Model } from "../../../src/ai/types.ts";
import { type GoogleTokenServer, startGoogleTokenServer } from "../../support/google-token-server.ts";
import { makeRegistry, sandbox } from "../registry/helpers.ts";
import { useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();
let tokens: GoogleTokenServer;
let box: ReturnType<typeof sandbox>;
beforeAll(() => {
	tokens = startGoogleTokenServer();
});
afterAll(() => tokens.close());
beforeEach(() => {
	box = sandbox();
});
afterEach(() => box.cleanup());

function vertexModel(baseUrl?: string): Model {
	const model = getBuiltInModels().find((m) => m.provider === "google-vertex" && m.id === "gemini-4-argon");
	if (!model) throw new Error("no google-vertex/gemini-4-argon");
	return baseUrl ? { ...model, baseUrl } : model;
}

/** The registry's credentials for the model, as the agent hands them to the stream. */
async function send(model: Model, authJson?: unknown) {
	const { registry } = makeRegistry(box.dir, authJson ? { authJson } : {});
	const auth = await registry.getApiKeyAndHeaders(model);
	if (!auth.ok) throw new Error(auth.error);
	return streamAssistant(model, userContext("hi"), {
		apiKey: auth.apiKey,
		...(auth.authHeaders ? { headers: auth.authHeaders } : {}),
		...(auth.env ? { env: auth.env } : {}),
	}).result();
}

describe("API key", () => {
	test("GOOGLE_CLOUD_API_KEY goes as x-goog-api-key to Vertex's publisher path", async () => {
		process.env.GOOGLE_CLOUD_API_KEY = "vertex-key";
		server.enqueue({ text: "hello from vertex" });
		const message = await send(vertexModel(server.url));
		expect(message.errorMessage).toBeUndefined();
		expect(message).toMatchObject({ api: "google-vertex", provider: "google-vertex", stopReason: "stop" });
		expect(message.content).toEqual([{ type: "text", text: "hello from vertex" }]);
		const request = server.lastRequest();
		expect(request.path).toBe("/v1/publishers/google/models/gemini-4-argon:streamGenerateContent?alt=sse");
		expect(request.headers["x-goog-api-key"]).toBe("vertex-key");
		expect(request.headers.authorization).toBeUndefined();
		expect(request.body).toMatchObject({ contents: [{ role: "user", parts: [{ text: "hi" }] }] });
	});
});

describe("Application Default Credentials", () => {
	test("service account: a signed JWT is exchanged at the file's token_uri and the token is the bearer", async () => {
		process.env.GOOGLE_APPLICATION_CREDENTIALS = tokens.serviceAccountFile();
		process.env.GOOGLE_CLOUD_PROJECT = "pi-project";
		process.env.GOOGLE_CLOUD_LOCATION = "europe-west4";
		server.enqueue({ text: "adc works" });
		const before = tokens.issued.length;
		const message = await send(vertexModel(server.url));
		expect(tokens.refusals).toEqual([]);
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toEqual([{ type: "text", text: "adc works" }]);
		expect(tokens.issued.length).toBe(before + 1);
		expect(server.lastRequest().headers.authorization).toBe(`Bearer ${tokens.issued.at(-1)}`);
		expect(server.lastRequest().headers["x-goog-api-key"]).toBeUndefined();
		// The token lives an hour: the next request reuses it.
		server.enqueue({ text: "again" });
		await send(vertexModel(server.url));
		expect(tokens.issued.length).toBe(before + 1);
	});

	test("without a custom base URL the request goes to {location}-aiplatform with the project path", async () => {
		process.env.GOOGLE_APPLICATION_CREDENTIALS = tokens.serviceAccountFile();
		process.env.GOOGLE_CLOUD_PROJECT = "pi-project";
		process.env.GOOGLE_CLOUD_LOCATION = "us-central1";
		// The real host is https; the test's fetch carries the request to the local server and notes the URL.
		const realFetch = globalThis.fetch;
		const seen: string[] = [];
		globalThis.fetch = Object.assign(
			(input: string | URL | Request, init?: RequestInit) => {
				const url = input instanceof Request ? input.url : String(input);
				if (!url.includes("aiplatform.googleapis.com")) return realFetch(input, init);
				seen.push(url);
				return realFetch(url.replace(/^https:\/\/[^/]+/, server.url), init);
			},
			{ preconnect: realFetch.preconnect },
		);
		try {
			server.enqueue({ text: "regional" });
			const message = await send(vertexModel());
			expect(message.errorMessage).toBeUndefined();
		} finally {
			globalThis.fetch = realFetch;
		}
		expect(seen).toEqual([
			"https://us-central1-aiplatform.googleapis.com/v1/projects/pi-project/locations/us-central1/publishers/google/models/gemini-4-argon:streamGenerateContent?alt=sse",
		]);
		expect(server.lastRequest().headers.authorization).toStartWith("Bearer ya29.test-");
	});

	test("gcloud user credentials: the refresh token is exchanged, the quota project is sent", async () => {
		process.env.GOOGLE_APPLICATION_CREDENTIALS = tokens.authorizedUserFile("billing-project");
		process.env.GOOGLE_CLOUD_PROJECT = "pi-project";
		process.env.GOOGLE_CLOUD_LOCATION = "us-central1";
		server.enqueue({ text: "user creds" });
		const message = await send(vertexModel(server.url));
		expect(tokens.refusals).toEqual([]);
		expect(message.errorMessage).toBeUndefined();
		const request = server.lastRequest();
		expect(request.headers.authorization).toBe(`Bearer ${tokens.issued.at(-1)}`);
		expect(request.headers["x-goog-user-project"]).toBe("billing-project");
	});

	test("project and location stored with the credential (pi 1.6.0's auth.json env) are used", async () => {
		process.env.GOOGLE_CLOUD_LOCATION = "ignored-env-location";
		const file = tokens.serviceAccountFile();
		const { registry } = makeRegistry(box.dir, {
			authJson: {
				"google-vertex": {
					type: "api_key",
					env: {
						GOOGLE_APPLICATION_CREDENTIALS: file,
						GOOGLE_CLOUD_PROJECT: "stored-project",
						GOOGLE_CLOUD_LOCATION: "asia-east1",
					},
				},
			},
		});
		const model = vertexModel();
		expect(registry.hasConfiguredAuth(model)).toBe(true);
		const auth = await registry.getApiKeyAndHeaders(model);
		if (!auth.ok) throw new Error(auth.error);
		expect(auth.env).toMatchObject({ GOOGLE_CLOUD_PROJECT: "stored-project", GOOGLE_CLOUD_LOCATION: "asia-east1" });
		expect(auth.authHeaders?.Authorization).toStartWith("Bearer ya29.test-");
	});

	test("a refused token exchange is an error naming the endpoint; nothing reaches Vertex", async () => {
		process.env.GOOGLE_APPLICATION_CREDENTIALS = tokens.authorizedUserFile();
		process.env.GOOGLE_CLOUD_PROJECT = "pi-project";
		process.env.GOOGLE_CLOUD_LOCATION = "us-central1";
		const { writeFileSync, readFileSync } = await import("node:fs");
		const path = process.env.GOOGLE_APPLICATION_CREDENTIALS;
		writeFileSync(path, readFileSync(path, "utf-8").replace("refresh-1", "revoked"));
		const { registry } = makeRegistry(box.dir);
		const auth = await registry.getApiKeyAndHeaders(vertexModel(server.url));
		expect(auth.ok).toBe(false);
		if (auth.ok) return;
		expect(auth.error).toStartWith(
			`Google Application Default Credentials: the token request to ${tokens.url} failed (400)`,
		);
	});

	test("no project: a clear error before any request", async () => {
		process.env.GOOGLE_CLOUD_LOCATION = "us-central1";
		const before = server.requests.length;
		const message = await streamAssistant(vertexModel(server.url), userContext("hi"), {
			apiKey: "<authenticated>",
			headers: { Authorization: "Bearer t" },
		}).result();
		expect(message.errorMessage).toBe("Vertex AI requires a project ID. Set GOOGLE_CLOUD_PROJECT or GCLOUD_PROJECT.");
		expect(server.requests.length).toBe(before);
	});
});
