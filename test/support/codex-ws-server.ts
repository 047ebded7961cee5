/**
 * A fake ChatGPT Codex backend on 127.0.0.1 with both transports pi 1.6.0 uses:
 *
 *   GET  …/codex/responses (WebSocket upgrade)  one `{"type":"response.create", …}` message per request, each
 *                                               Responses event answered as one JSON message
 *   POST …/codex/responses                      the same events as SSE (the fallback)
 *
 * Scripted turns per request: replies (the Responses events of test/support/llm-server.ts), Codex's error events
 * (`websocket_connection_limit_reached`, `previous_response_not_found`), a socket dropped after some text, and
 * silence. `refuseUpgrades` makes every WebSocket handshake fail. Requests are recorded with the transport, the
 * connection they came on and their headers.
 */

import { zstdDecompressSync } from "node:zlib";
import type { ServerWebSocket } from "bun";
import { responsesEventObjects } from "./llm-wire/openai-responses.ts";
import type { ScriptedTurn } from "./llm-wire/turns.ts";

export type CodexWsTurn =
	| (Extract<ScriptedTurn, { kind?: "reply" }> & { kind?: "reply" })
	| { kind: "codex-error"; code: string; message: string }
	| { kind: "drop-after"; text: string }
	| { kind: "silence"; text: string };

export interface CodexRecordedRequest {
	transport: "websocket" | "sse";
	/** WebSocket requests: the number of the connection (1, 2, …) they arrived on. */
	connection?: number;
	path: string;
	headers: Record<string, string>;
	body: Record<string, unknown>;
}

export interface CodexWsServer {
	/** The base URL to give the model (…/backend-api). */
	baseUrl: string;
	requests: CodexRecordedRequest[];
	/** Headers of each WebSocket handshake, in order. */
	handshakes: Record<string, string>[];
	refuseUpgrades: boolean;
	enqueue(...turns: CodexWsTurn[]): void;
	close(): void;
}

interface SocketData {
	connection: number;
	headers: Record<string, string>;
}

function headersOf(request: Request): Record<string, string> {
	const headers: Record<string, string> = {};
	request.headers.forEach((value, name) => {
		headers[name] = value;
	});
	return headers;
}

function textDeltas(text: string, itemId: string): Record<string, unknown>[] {
	return [
		{ type: "response.created", response: { id: "resp_partial", status: "in_progress" } },
		{
			type: "response.output_item.added",
			output_index: 0,
			item: { type: "message", id: itemId, role: "assistant", status: "in_progress", content: [] },
		},
		{ type: "response.output_text.delta", item_id: itemId, output_index: 0, content_index: 0, delta: text },
	];
}

export function startCodexWsServer(): CodexWsServer {
	const turns: CodexWsTurn[] = [];
	const requests: CodexRecordedRequest[] = [];
	const handshakes: Record<string, string>[] = [];
	let connections = 0;
	let seq = 0;
	const state = { refuseUpgrades: false };

	const answer = (turn: CodexWsTurn, body: Record<string, unknown>): Record<string, unknown>[] => {
		seq++;
		if (turn.kind === "codex-error") {
			return [{ type: "error", error: { type: "invalid_request_error", code: turn.code, message: turn.message } }];
		}
		if (turn.kind === "drop-after" || turn.kind === "silence") return textDeltas(turn.text, `msg_${seq}`);
		return responsesEventObjects({ ...turn, kind: "reply" }, seq, String(body.model ?? "model"));
	};

	const server = Bun.serve<SocketData>({
		port: 0,
		hostname: "127.0.0.1",
		idleTimeout: 0,
		async fetch(request, srv) {
			const url = new URL(request.url);
			if (!url.pathname.endsWith("/codex/responses")) return new Response("not found", { status: 404 });
			if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
				const headers = headersOf(request);
				handshakes.push(headers);
				if (state.refuseUpgrades) return new Response("websockets are off", { status: 403 });
				if (srv.upgrade(request, { data: { connection: ++connections, headers } })) return undefined;
				return new Response("upgrade failed", { status: 400 });
			}
			// pi 1.6.0 sends the SSE body zstd-compressed, as the real backend accepts.
			const bytes = new Uint8Array(await request.arrayBuffer());
			const zstd = request.headers.get("content-encoding") === "zstd";
			const body = JSON.parse(new TextDecoder().decode(zstd ? zstdDecompressSync(bytes) : bytes)) as Record<
				string,
				unknown
			>;
			requests.push({ transport: "sse", path: url.pathname, headers: headersOf(request), body });
			const turn = turns.shift() ?? { text: "ok" };
			const events = answer(turn, body);
			const sse = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
			return new Response(sse, { headers: { "content-type": "text/event-stream" } });
		},
		websocket: {
			message(ws: ServerWebSocket<SocketData>, message) {
				const body = JSON.parse(String(message)) as Record<string, unknown>;
				requests.push({
					transport: "websocket",
					connection: ws.data.connection,
					path: "/codex/responses",
					headers: ws.data.headers,
					body,
				});
				const turn = turns.shift() ?? { text: "ok" };
				for (const event of answer(turn, body)) ws.send(JSON.stringify(event));
				if (turn.kind === "drop-after") ws.terminate();
				if (turn.kind === "codex-error" && turn.code === "websocket_connection_limit_reached") ws.close(1000, "limit");
			},
		},
	});
	return {
		baseUrl: `http://127.0.0.1:${server.port}/backend-api`,
		requests,
		handshakes,
		get refuseUpgrades() {
			return state.refuseUpgrades;
		},
		set refuseUpgrades(value: boolean) {
			state.refuseUpgrades = value;
		},
		enqueue: (...next) => turns.push(...next),
		close: () => server.stop(true),
	};
}
