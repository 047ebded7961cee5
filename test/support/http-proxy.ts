/**
 * A forward HTTP proxy on 127.0.0.1 for tests: plain-HTTP requests in absolute form (`POST http://host/path`)
 * are forwarded and streamed back; CONNECT opens a TCP tunnel (HTTPS, WebSocket). Every request it handled is
 * recorded, so a test can prove that traffic went through it.
 */
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";

export interface TestProxy {
	url: string;
	/** "POST http://127.0.0.1:1234/v1/chat/completions" or "CONNECT 127.0.0.1:1234", in arrival order. */
	seen: string[];
	close(): Promise<void>;
}

export async function startTestProxy(): Promise<TestProxy> {
	const seen: string[] = [];
	const server = createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		const target = new URL(req.url ?? "/");
		const upstream = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				path: `${target.pathname}${target.search}`,
				method: req.method,
				headers: req.headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on("error", () => res.destroy());
		req.pipe(upstream);
	});
	const tunnels = new Set<{ destroy(): void }>();
	server.on("connect", (req, client, head) => {
		seen.push(`CONNECT ${req.url}`);
		tunnels.add(client);
		const [host, port] = (req.url ?? "").split(":");
		const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
			client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		tunnels.add(upstream);
		upstream.on("error", () => client.destroy());
		client.on("error", () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	const port = typeof address === "object" && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				// Tunnels (a pooled WebSocket) are not HTTP connections: close would wait for them forever.
				for (const socket of tunnels) socket.destroy();
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
