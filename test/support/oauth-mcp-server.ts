/**
 * A local OAuth-protected MCP server on 127.0.0.1 for sign-in tests: protected resource metadata (RFC 9728),
 * authorization server metadata (RFC 8414), dynamic client registration, an authorization endpoint that approves at
 * once and redirects back with a code, a token endpoint that checks PKCE (S256) and issues refreshable tokens, and a
 * minimal streamable HTTP MCP endpoint with one tool (`whoami`) that requires a valid bearer token.
 */
import { createHash, randomBytes } from "node:crypto";

export interface OAuthMcpServer {
	url: string;
	base: string;
	/** Every access token issued so far becomes invalid (the next request gets 401, then a refresh). */
	expireAccessTokens(): void;
	/** Registered clients, by id. */
	clients: Map<string, { redirect_uris: string[]; client_name?: string }>;
	counts: { registrations: number; authorizations: number; codeExchanges: number; refreshes: number };
	stop(): Promise<void>;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function startOAuthMcpServer(): OAuthMcpServer {
	const clients = new Map<string, { redirect_uris: string[]; client_name?: string }>();
	const codes = new Map<string, { clientId: string; challenge: string; redirectUri: string }>();
	const accessTokens = new Set<string>();
	const refreshTokens = new Set<string>();
	const counts = { registrations: 0, authorizations: 0, codeExchanges: 0, refreshes: 0 };
	let base = "";
	const issue = () => {
		const access = randomBytes(12).toString("hex");
		const refresh = randomBytes(12).toString("hex");
		accessTokens.add(access);
		refreshTokens.add(refresh);
		return { access_token: access, token_type: "Bearer", expires_in: 3600, refresh_token: refresh };
	};
	const server = Bun.serve({
		hostname: "127.0.0.1",
		port: 0,
		async fetch(request) {
			const url = new URL(request.url);
			switch (url.pathname) {
				case "/.well-known/oauth-protected-resource/mcp":
				case "/.well-known/oauth-protected-resource":
					return json({ resource: `${base}/mcp`, authorization_servers: [base] });
				case "/.well-known/oauth-authorization-server":
				case "/.well-known/openid-configuration":
					return json({
						issuer: base,
						authorization_endpoint: `${base}/authorize`,
						token_endpoint: `${base}/token`,
						registration_endpoint: `${base}/register`,
						response_types_supported: ["code"],
						grant_types_supported: ["authorization_code", "refresh_token"],
						code_challenge_methods_supported: ["S256"],
						token_endpoint_auth_methods_supported: ["none"],
					});
				case "/register": {
					counts.registrations++;
					const body = (await request.json()) as { redirect_uris: string[]; client_name?: string };
					const id = `client-${randomBytes(4).toString("hex")}`;
					clients.set(id, body);
					return json({ ...body, client_id: id, client_id_issued_at: Math.floor(Date.now() / 1000) }, 201);
				}
				case "/authorize": {
					counts.authorizations++;
					const clientId = url.searchParams.get("client_id") ?? "";
					const redirectUri = url.searchParams.get("redirect_uri") ?? "";
					const client = clients.get(clientId);
					if (!client?.redirect_uris.includes(redirectUri))
						return new Response("unknown client or redirect", { status: 400 });
					if (url.searchParams.get("code_challenge_method") !== "S256")
						return new Response("PKCE required", { status: 400 });
					const code = randomBytes(8).toString("hex");
					codes.set(code, { clientId, challenge: url.searchParams.get("code_challenge") ?? "", redirectUri });
					const target = new URL(redirectUri);
					target.searchParams.set("code", code);
					target.searchParams.set("state", url.searchParams.get("state") ?? "");
					return Response.redirect(target.href, 302);
				}
				case "/token": {
					const form = new URLSearchParams(await request.text());
					if (form.get("grant_type") === "authorization_code") {
						const grant = codes.get(form.get("code") ?? "");
						codes.delete(form.get("code") ?? "");
						const verifier = form.get("code_verifier") ?? "";
						const challenge = createHash("sha256").update(verifier).digest("base64url");
						if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get("redirect_uri")) {
							return json({ error: "invalid_grant" }, 400);
						}
						counts.codeExchanges++;
						return json(issue());
					}
					if (form.get("grant_type") === "refresh_token") {
						const refresh = form.get("refresh_token") ?? "";
						if (!refreshTokens.delete(refresh)) return json({ error: "invalid_grant" }, 400);
						counts.refreshes++;
						return json(issue());
					}
					return json({ error: "unsupported_grant_type" }, 400);
				}
				case "/mcp": {
					const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
					if (!accessTokens.has(token)) {
						return new Response("unauthorized", {
							status: 401,
							headers: {
								"www-authenticate": `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
							},
						});
					}
					if (request.method !== "POST") return new Response(null, { status: 405 });
					const message = (await request.json()) as { id?: number; method: string; params?: { name?: string } };
					if (message.id === undefined) return new Response(null, { status: 202 });
					const reply = (result: unknown) => json({ jsonrpc: "2.0", id: message.id, result });
					switch (message.method) {
						case "initialize":
							return reply({
								protocolVersion: "2025-06-18",
								capabilities: { tools: {} },
								serverInfo: { name: "secure", version: "1" },
								instructions: "A protected test server",
							});
						case "tools/list":
							return reply({ tools: [{ name: "whoami", description: "Who am I", inputSchema: { type: "object" } }] });
						case "tools/call":
							return reply({ content: [{ type: "text", text: "signed in user" }] });
						default:
							return json({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "not found" } });
					}
				}
				default:
					return new Response("not found", { status: 404 });
			}
		},
	});
	base = `http://127.0.0.1:${server.port}`;
	return {
		url: `${base}/mcp`,
		base,
		clients,
		counts,
		expireAccessTokens: () => accessTokens.clear(),
		stop: async () => {
			await server.stop(true);
		},
	};
}
