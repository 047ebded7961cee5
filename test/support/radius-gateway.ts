/**
 * A fake Radius gateway on 127.0.0.1 speaking what pi 1.6.0's Radius login and catalog use:
 *
 *   GET  /v1/oauth          → {"authorizationEndpoint": "<url>/authorize"}
 *   GET  /authorize         → 302 to the redirect_uri with a code (the user approving in the browser)
 *   POST /v1/oauth/device   → a device code (client pi-gateway, scope "gateway offline_access")
 *   POST /v1/oauth/token    → authorization_code (the PKCE verifier is checked against the challenge), the
 *                             device_code grant (pending as many times as asked first), refresh_token
 *   GET  /v1/config         → {"baseUrl", "models"} for a valid access token (or the API key)
 *
 * Every refusal is recorded in `refusals` with why.
 */
import { createHash } from "node:crypto";

export interface RadiusGateway {
	url: string;
	refusals: string[];
	/** Access tokens handed out, in order. */
	issued: string[];
	/** The models /v1/config returns. */
	models: object[];
	/** How many polls of the device code answer authorization_pending before the tokens. */
	pendingPolls: number;
	configRequests: number;
	close(): void;
}

/** A model as a Radius gateway describes it in /v1/config. */
export function radiusTestModel(id: string, overrides: Record<string, unknown> = {}): object {
	return {
		id,
		name: id[0]?.toUpperCase() + id.slice(1),
		reasoning: true,
		input: ["text", "image"],
		cost: { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 0 },
		contextWindow: 200000,
		maxTokens: 32000,
		...overrides,
	};
}

const base64Url = (bytes: Buffer) =>
	bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function startRadiusGateway(options: { apiKeys?: string[] } = {}): RadiusGateway {
	const codes = new Map<string, { challenge: string; redirectUri: string }>();
	const refreshTokens = new Set<string>();
	const gateway: RadiusGateway = {
		url: "",
		refusals: [],
		issued: [],
		models: [],
		pendingPolls: 1,
		configRequests: 0,
		close: () => server.stop(true),
	};
	const tokens = () => {
		const access = `radius-access-${gateway.issued.length + 1}`;
		const refresh = `radius-refresh-${gateway.issued.length + 1}`;
		gateway.issued.push(access);
		refreshTokens.add(refresh);
		return Response.json({
			access_token: access,
			refresh_token: refresh,
			expires_in: 3600,
			scope: "gateway offline_access",
		});
	};
	const refuse = (why: string, error = "invalid_grant") => {
		gateway.refusals.push(why);
		return Response.json({ error, error_description: why }, { status: 400 });
	};
	const server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		async fetch(request) {
			const url = new URL(request.url);
			if (url.pathname === "/v1/oauth") return Response.json({ authorizationEndpoint: `${gateway.url}/authorize` });
			if (url.pathname === "/authorize") {
				const q = url.searchParams;
				if (q.get("client_id") !== "pi-gateway" || q.get("scope") !== "gateway offline_access") {
					return refuse(`authorize: client ${q.get("client_id")} scope ${q.get("scope")}`);
				}
				if (q.get("code_challenge_method") !== "S256" || q.get("response_type") !== "code")
					return refuse("authorize: pkce");
				const code = `code-${codes.size + 1}`;
				codes.set(code, { challenge: q.get("code_challenge") ?? "", redirectUri: q.get("redirect_uri") ?? "" });
				const redirect = new URL(q.get("redirect_uri") ?? "");
				redirect.searchParams.set("code", code);
				redirect.searchParams.set("state", q.get("state") ?? "");
				return Response.redirect(redirect.toString(), 302);
			}
			if (url.pathname === "/v1/oauth/device" && request.method === "POST") {
				const form = new URLSearchParams(await request.text());
				if (form.get("client_id") !== "pi-gateway") return refuse("device: client");
				return Response.json({
					device_code: "dev-1",
					user_code: "ABCD-1234",
					verification_uri: `${gateway.url}/device`,
					expires_in: 600,
					interval: 1,
				});
			}
			if (url.pathname === "/v1/oauth/token" && request.method === "POST") {
				const form = new URLSearchParams(await request.text());
				if (form.get("client_id") !== "pi-gateway") return refuse("token: client");
				switch (form.get("grant_type")) {
					case "authorization_code": {
						const issued = codes.get(form.get("code") ?? "");
						if (!issued) return refuse("token: unknown code");
						codes.delete(form.get("code") ?? "");
						const verifier = form.get("code_verifier") ?? "";
						if (base64Url(createHash("sha256").update(verifier).digest()) !== issued.challenge) {
							return refuse("token: PKCE verifier does not match");
						}
						if (form.get("redirect_uri") !== issued.redirectUri) return refuse("token: redirect_uri");
						return tokens();
					}
					case "urn:ietf:params:oauth:grant-type:device_code":
						if (form.get("device_code") !== "dev-1") return refuse("token: device code");
						if (gateway.pendingPolls > 0) {
							gateway.pendingPolls--;
							return Response.json({ error: "authorization_pending" }, { status: 400 });
						}
						return tokens();
					case "refresh_token":
						if (!refreshTokens.delete(form.get("refresh_token") ?? "")) return refuse("token: refresh token");
						return tokens();
					default:
						return refuse(`token: grant ${form.get("grant_type")}`, "unsupported_grant_type");
				}
			}
			if (url.pathname === "/v1/config") {
				gateway.configRequests++;
				const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
				if (!gateway.issued.includes(token) && !options.apiKeys?.includes(token)) {
					gateway.refusals.push(`config: token ${token}`);
					return new Response("unauthorized", { status: 401 });
				}
				return Response.json({ baseUrl: `${gateway.url}/v1`, models: gateway.models });
			}
			return new Response("not found", { status: 404 });
		},
	});
	gateway.url = `http://127.0.0.1:${server.port}`;
	return gateway;
}
