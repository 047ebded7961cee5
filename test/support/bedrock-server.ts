/**
 * A fake Amazon Bedrock runtime on 127.0.0.1 speaking the real ConverseStream protocol:
 *
 *   POST /model/{modelId}/converse-stream   → 200 `application/vnd.amazon.eventstream`, binary event-stream
 *                                              messages (prelude, CRC32s, `:event-type` headers, JSON payloads)
 *
 * Every request's signature is checked as AWS would: SigV4 is recomputed here from the request as received (the
 * canonical request with double-encoded path, signed headers, payload hash) with the secret of the access key it
 * names, or a bearer token is compared. Requests are recorded with the outcome of that check. Scripted turns:
 * replies (text, thinking with a signature, tool calls, usage, stop reason), HTTP errors in Bedrock's format
 * (`x-amzn-errortype`), exceptions inside the stream, and a connection dropped mid-stream.
 */
import { createHash, createHmac } from "node:crypto";

export type BedrockTurn =
	| {
			kind?: "reply";
			text?: string;
			thinking?: { text: string; signature: string };
			toolCalls?: { id: string; name: string; input: Record<string, unknown> }[];
			usage?: {
				inputTokens: number;
				outputTokens: number;
				cacheReadInputTokens?: number;
				cacheWriteInputTokens?: number;
			};
			stopReason?: string;
	  }
	| { kind: "http-error"; status: number; type: string; message: string }
	| { kind: "stream-exception"; text: string; type: string; message: string }
	| { kind: "disconnect-after"; text: string }
	/** some text, then silence with the connection open */
	| { kind: "stall"; text: string };

export interface BedrockRecordedRequest {
	path: string;
	modelId: string;
	headers: Record<string, string>;
	body: unknown;
	/** "sigv4" (signature valid), "bearer" (token matched), or why the request was refused. */
	auth: string;
	/** The credential scope of a SigV4 request: date/region/service/aws4_request. */
	scope?: string;
}

export interface BedrockTestServer {
	url: string;
	requests: BedrockRecordedRequest[];
	/** SSO role-credential requests: "account/role token". */
	ssoRequests: string[];
	enqueue(...turns: BedrockTurn[]): void;
	/** Drops every connection a "disconnect-after" turn holds open. */
	disconnect(): void;
	close(): void;
}

// ---- event-stream encoding -------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** One event-stream message: prelude (total length, headers length, CRC), string headers, payload, CRC. */
export function encodeEventMessage(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
	const headerParts: Buffer[] = [];
	for (const [name, value] of Object.entries(headers)) {
		const nameBytes = Buffer.from(name, "utf-8");
		const valueBytes = Buffer.from(value, "utf-8");
		const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
		header.writeUInt8(nameBytes.length, 0);
		nameBytes.copy(header, 1);
		header.writeUInt8(7, 1 + nameBytes.length); // 7: string
		header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
		valueBytes.copy(header, 4 + nameBytes.length);
		headerParts.push(header);
	}
	const headerBytes = Buffer.concat(headerParts);
	const total = 12 + headerBytes.length + payload.length + 4;
	const message = Buffer.alloc(total);
	message.writeUInt32BE(total, 0);
	message.writeUInt32BE(headerBytes.length, 4);
	message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
	headerBytes.copy(message, 12);
	Buffer.from(payload).copy(message, 12 + headerBytes.length);
	message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
	return message;
}

function event(type: string, body: unknown): Uint8Array {
	return encodeEventMessage(
		{ ":event-type": type, ":content-type": "application/json", ":message-type": "event" },
		Buffer.from(JSON.stringify(body)),
	);
}

function exception(type: string, message: string): Uint8Array {
	return encodeEventMessage(
		{ ":exception-type": type, ":content-type": "application/json", ":message-type": "exception" },
		Buffer.from(JSON.stringify({ message })),
	);
}

function textEvents(index: number, text: string): Uint8Array[] {
	const parts = text.match(/.{1,6}/gs) ?? [""];
	return parts.map((part) => event("contentBlockDelta", { contentBlockIndex: index, delta: { text: part } }));
}

function replyEvents(turn: Extract<BedrockTurn, { kind?: "reply" }>): Uint8Array[] {
	const events: Uint8Array[] = [event("messageStart", { role: "assistant" })];
	let index = 0;
	if (turn.thinking) {
		events.push(
			event("contentBlockDelta", {
				contentBlockIndex: index,
				delta: { reasoningContent: { text: turn.thinking.text } },
			}),
			event("contentBlockDelta", {
				contentBlockIndex: index,
				delta: { reasoningContent: { signature: turn.thinking.signature } },
			}),
			event("contentBlockStop", { contentBlockIndex: index }),
		);
		index++;
	}
	if (turn.text !== undefined) {
		events.push(...textEvents(index, turn.text), event("contentBlockStop", { contentBlockIndex: index }));
		index++;
	}
	for (const call of turn.toolCalls ?? []) {
		const input = JSON.stringify(call.input);
		const half = Math.ceil(input.length / 2);
		events.push(
			event("contentBlockStart", {
				contentBlockIndex: index,
				start: { toolUse: { toolUseId: call.id, name: call.name } },
			}),
			event("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: input.slice(0, half) } } }),
			event("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: input.slice(half) } } }),
			event("contentBlockStop", { contentBlockIndex: index }),
		);
		index++;
	}
	const stopReason = turn.stopReason ?? (turn.toolCalls?.length ? "tool_use" : "end_turn");
	const usage = turn.usage ?? { inputTokens: 10, outputTokens: 5 };
	events.push(
		event("messageStop", { stopReason }),
		event("metadata", {
			usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
			metrics: { latencyMs: 12 },
		}),
	);
	return events;
}

// ---- SigV4 verification ------------------------------------------------------------------------------------------

function sha256(data: string | Uint8Array): string {
	return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
	return createHmac("sha256", key).update(data).digest();
}

/** RFC 3986 encoding, as SigV4 wants it. */
function uriEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function verifySigV4(
	request: Request,
	url: URL,
	body: Uint8Array,
	secrets: Readonly<Record<string, string>>,
): { auth: string; scope?: string } {
	const header = request.headers.get("authorization") ?? "";
	const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
		header,
	);
	if (!match) return { auth: `malformed authorization: ${header}` };
	const [, accessKeyId = "", scope = "", signedHeaders = "", signature = ""] = match;
	const secret = secrets[accessKeyId];
	if (!secret) return { auth: `unknown access key ${accessKeyId}`, scope };
	const [date = "", region = "", service = ""] = scope.split("/");
	const amzDate = request.headers.get("x-amz-date") ?? "";
	const names = signedHeaders.split(";");
	if (!names.includes("host") || !names.includes("x-amz-date")) return { auth: "host or x-amz-date unsigned", scope };
	const canonicalHeaders = names
		.map((name) => `${name}:${(request.headers.get(name) ?? "").trim().replace(/\s+/g, " ")}\n`)
		.join("");
	// Bedrock is not S3: each path segment of the (already encoded) path is encoded once more.
	const canonicalPath = url.pathname
		.split("/")
		.map((segment) => uriEncode(segment))
		.join("/");
	const query = [...url.searchParams.entries()]
		.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
		.sort()
		.join("&");
	const payloadHash = request.headers.get("x-amz-content-sha256") ?? sha256(body);
	if (payloadHash !== sha256(body)) return { auth: "payload hash does not match the body", scope };
	const canonical = [request.method, canonicalPath, query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
	const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
	const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
	const expected = createHmac("sha256", key).update(toSign).digest("hex");
	if (expected !== signature) return { auth: "signature mismatch", scope };
	if (service !== "bedrock") return { auth: `signed for service ${service}`, scope };
	return { auth: "sigv4", scope };
}

// ---- the server ----------------------------------------------------------------------------------------------------

export function startBedrockServer(options: {
	/** Access key id → secret access key of the identities the server accepts. */
	secrets?: Record<string, string>;
	bearerTokens?: string[];
	/** "account/role" → the SSO access token it needs and the role credentials it returns. */
	ssoRoles?: Record<
		string,
		{ token: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }
	>;
}): BedrockTestServer {
	const turns: BedrockTurn[] = [];
	const held: ReadableStreamDefaultController<Uint8Array>[] = [];
	const ssoRequests: string[] = [];
	const requests: BedrockRecordedRequest[] = [];
	const server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		idleTimeout: 0,
		async fetch(request) {
			const url = new URL(request.url);
			// AWS IAM Identity Center (SSO) portal: role credentials for a cached SSO access token.
			if (request.method === "GET" && url.pathname === "/federation/credentials") {
				const token = request.headers.get("x-amz-sso_bearer_token") ?? "";
				const role = options.ssoRoles?.[`${url.searchParams.get("account_id")}/${url.searchParams.get("role_name")}`];
				ssoRequests.push(`${url.searchParams.get("account_id")}/${url.searchParams.get("role_name")} ${token}`);
				if (!role || token !== role.token) return new Response("{}", { status: 401 });
				return Response.json({
					roleCredentials: { ...role.credentials, expiration: Date.now() + 3600_000 },
				});
			}
			const body = new Uint8Array(await request.arrayBuffer());
			const match = /^\/model\/([^/]+)\/converse-stream$/.exec(url.pathname);
			const headers: Record<string, string> = {};
			request.headers.forEach((value, name) => {
				headers[name] = value;
			});
			const authorization = request.headers.get("authorization") ?? "";
			const verdict = authorization.startsWith("Bearer ")
				? { auth: options.bearerTokens?.includes(authorization.slice(7)) ? "bearer" : "unknown bearer token" }
				: verifySigV4(request, url, body, options.secrets ?? {});
			let parsed: unknown;
			try {
				parsed = JSON.parse(new TextDecoder().decode(body));
			} catch {
				parsed = undefined;
			}
			requests.push({
				path: url.pathname,
				modelId: decodeURIComponent(match?.[1] ?? ""),
				headers,
				body: parsed,
				...verdict,
			});
			const errorResponse = (status: number, type: string, message: string) =>
				new Response(JSON.stringify({ message }), {
					status,
					headers: {
						"content-type": "application/json",
						"x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
					},
				});
			if (!match) return errorResponse(404, "UnknownOperationException", `no route ${url.pathname}`);
			if (verdict.auth !== "sigv4" && verdict.auth !== "bearer") {
				return errorResponse(403, "AccessDeniedException", `The request signature is not valid: ${verdict.auth}`);
			}
			const turn = turns.shift() ?? { text: "ok" };
			if (turn.kind === "http-error") return errorResponse(turn.status, turn.type, turn.message);
			const eventStreamHeaders = {
				"content-type": "application/vnd.amazon.eventstream",
				"x-amzn-requestid": `req-${requests.length}`,
			};
			if (turn.kind === "stream-exception") {
				const frames = [
					event("messageStart", { role: "assistant" }),
					...textEvents(0, turn.text),
					exception(turn.type, turn.message),
				];
				return new Response(Buffer.concat(frames), { headers: eventStreamHeaders });
			}
			if (turn.kind === "stall") {
				const frames = [event("messageStart", { role: "assistant" }), ...textEvents(0, turn.text)];
				const stream = new ReadableStream<Uint8Array>({
					start(controller) {
						for (const frame of frames) controller.enqueue(frame);
					},
				});
				return new Response(stream, { headers: eventStreamHeaders });
			}
			if (turn.kind === "disconnect-after") {
				// The frames, then the connection stays open until the test calls disconnect(): dropping it on a timer
				// could beat the response headers on a busy machine, and the SDK then retries the request.
				const frames = [event("messageStart", { role: "assistant" }), ...textEvents(0, turn.text)];
				const stream = new ReadableStream<Uint8Array>({
					start(controller) {
						for (const frame of frames) controller.enqueue(frame);
						held.push(controller);
					},
				});
				return new Response(stream, { headers: eventStreamHeaders });
			}
			const frames = replyEvents(turn);
			// Frames are split across chunks at odd offsets, so the SDK must reassemble the framing itself.
			const bytes = Buffer.concat(frames);
			const stream = new ReadableStream<Uint8Array>({
				start(controller) {
					for (let offset = 0; offset < bytes.length; offset += 37)
						controller.enqueue(bytes.subarray(offset, offset + 37));
					controller.close();
				},
			});
			return new Response(stream, { headers: eventStreamHeaders });
		},
	});
	return {
		url: `http://127.0.0.1:${server.port}`,
		requests,
		ssoRequests,
		enqueue: (...next) => turns.push(...next),
		disconnect: () => {
			for (const controller of held.splice(0)) controller.error(new Error("scripted disconnect"));
		},
		close: () => server.stop(true),
	};
}
