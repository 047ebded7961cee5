/**
 * A fake of the OAuth endpoints pi talks to, on 127.0.0.1: Anthropic's token endpoint (authorization_code with
 * PKCE verification, refresh_token), OpenAI's (form-encoded, for ChatGPT/Codex), and GitHub's device flow plus
 * the Copilot token exchange. It records every
 * call so tests can count refreshes and inspect what was sent.
 */
import * as v from "valibot";
import { base64Url } from "../../../src/auth/oauth/pkce.ts";
import { fakeChatGptToken } from "../../ai/subscriptions/jwt.ts";

export interface FakeOAuthServer {
	url: string;
	/** env vars pointing pi's OAuth code at this server */
	env: Record<string, string>;
	/** authorization_code exchanges accept this code, and only with the verifier of `challenge` */
	expectCode(code: string, challenge: string): void;
	/** refresh tokens the server accepts */
	validRefreshTokens: Set<string>;
	/** delay before answering a refresh (to make concurrent refreshes overlap) */
	refreshDelayMs: number;
	tokenRequests: Record<string, unknown>[];
	refreshCount(): number;
	/** OpenAI (Codex) token endpoint: form fields of every call, and the refresh tokens it accepts */
	openaiTokenRequests: Record<string, string>[];
	validOpenAIRefreshTokens: Set<string>;
	copilotTokenRequests: { authorization: string | null; userAgent: string | null }[];
	/** model ids whose Copilot policy was enabled, with the headers sent */
	policyRequests: { model: string; authorization: string | null; intent: string | null; body: unknown }[];
	close(): Promise<void>;
}

const TokenRequestSchema = v.looseObject({ grant_type: v.string() });
const CodeExchangeSchema = v.object({
	grant_type: v.literal("authorization_code"),
	client_id: v.string(),
	code: v.string(),
	state: v.string(),
	redirect_uri: v.string(),
	code_verifier: v.string(),
});
const RefreshSchema = v.object({
	grant_type: v.literal("refresh_token"),
	client_id: v.string(),
	refresh_token: v.string(),
});

async function sha256Base64Url(text: string): Promise<string> {
	return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

function oauthError(error: string, status = 400): Response {
	return Response.json({ error, error_description: `fake server: ${error}` }, { status });
}

export function startFakeOAuthServer(): FakeOAuthServer {
	const expectedCodes = new Map<string, string>();
	const tokenRequests: Record<string, unknown>[] = [];
	const copilotTokenRequests: FakeOAuthServer["copilotTokenRequests"] = [];
	const policyRequests: FakeOAuthServer["policyRequests"] = [];
	const openaiTokenRequests: Record<string, string>[] = [];
	const validOpenAIRefreshTokens = new Set<string>();
	let openaiIssued = 0;
	const issueOpenAITokens = () => {
		openaiIssued++;
		const refresh = `rt_openai_${openaiIssued}`;
		validOpenAIRefreshTokens.add(refresh);
		return {
			id_token: "unused",
			access_token: fakeChatGptToken("acct-fake", { n: openaiIssued }),
			refresh_token: refresh,
			expires_in: 864000,
		};
	};
	let refreshes = 0;
	let issued = 0;
	const state = {
		validRefreshTokens: new Set<string>(),
		refreshDelayMs: 0,
	};

	const issueTokens = () => {
		issued++;
		const refresh = `sk-ant-ort01-refresh-${issued}`;
		state.validRefreshTokens.add(refresh);
		return {
			token_type: "Bearer",
			access_token: `sk-ant-oat01-access-${issued}`,
			refresh_token: refresh,
			expires_in: 28800,
		};
	};

	const server = Bun.serve({
		hostname: "127.0.0.1",
		port: 0,
		async fetch(request) {
			const url = new URL(request.url);
			if (url.pathname === "/v1/oauth/token" && request.method === "POST") {
				const body = v.parse(TokenRequestSchema, await request.json());
				tokenRequests.push(body);
				if (body.grant_type === "authorization_code") {
					const exchange = v.safeParse(CodeExchangeSchema, body);
					if (!exchange.success) return oauthError("invalid_request");
					const challenge = expectedCodes.get(exchange.output.code);
					if (!challenge) return oauthError("invalid_grant");
					if ((await sha256Base64Url(exchange.output.code_verifier)) !== challenge) return oauthError("invalid_grant");
					return Response.json(issueTokens());
				}
				const refresh = v.safeParse(RefreshSchema, body);
				if (!refresh.success) return oauthError("unsupported_grant_type");
				refreshes++;
				if (state.refreshDelayMs > 0) await Bun.sleep(state.refreshDelayMs);
				if (!state.validRefreshTokens.delete(refresh.output.refresh_token)) return oauthError("invalid_grant");
				return Response.json(issueTokens());
			}
			if (url.pathname === "/openai/oauth/token" && request.method === "POST") {
				if (request.headers.get("content-type") !== "application/x-www-form-urlencoded") return oauthError("bad_type");
				const form = Object.fromEntries(new URLSearchParams(await request.text()));
				openaiTokenRequests.push(form);
				if (form.grant_type === "authorization_code") {
					const challenge = expectedCodes.get(form.code ?? "");
					if (!challenge || !form.code_verifier) return oauthError("invalid_grant");
					if ((await sha256Base64Url(form.code_verifier)) !== challenge) return oauthError("invalid_grant");
					return Response.json(issueOpenAITokens());
				}
				if (form.grant_type === "refresh_token") {
					refreshes++;
					if (!validOpenAIRefreshTokens.delete(form.refresh_token ?? "")) return oauthError("invalid_grant", 401);
					return Response.json(issueOpenAITokens());
				}
				return oauthError("unsupported_grant_type");
			}
			if (url.pathname === "/login/device/code" && request.method === "POST") {
				return Response.json({
					device_code: "device-123",
					user_code: "ABCD-1234",
					verification_uri: "https://github.example/login/device",
					interval: 1,
					expires_in: 60,
				});
			}
			if (url.pathname === "/login/oauth/access_token" && request.method === "POST") {
				const form = new URLSearchParams(await request.text());
				if (form.get("device_code") !== "device-123") return Response.json({ error: "bad_device_code" });
				return Response.json({ access_token: "gho_github_token", token_type: "bearer" });
			}
			if (url.pathname === "/copilot_internal/v2/token") {
				copilotTokenRequests.push({
					authorization: request.headers.get("authorization"),
					userAgent: request.headers.get("user-agent"),
				});
				if (request.headers.get("authorization") !== "Bearer gho_github_token") return oauthError("unauthorized", 401);
				return Response.json({
					token: `tid=1;exp=2;proxy-ep=proxy.business.githubcopilot.com;n=${copilotTokenRequests.length}`,
					expires_at: Math.floor(Date.now() / 1000) + 1800,
				});
			}
			const policy = /^\/copilot-api\/models\/([^/]+)\/policy$/.exec(url.pathname);
			if (policy?.[1] && request.method === "POST") {
				policyRequests.push({
					model: policy[1],
					authorization: request.headers.get("authorization"),
					intent: request.headers.get("openai-intent"),
					body: await request.json(),
				});
				return Response.json({ state: "enabled" });
			}
			return new Response("not found", { status: 404 });
		},
	});
	const url = `http://127.0.0.1:${server.port}`;
	return {
		url,
		env: {
			PI_OAUTH_ANTHROPIC_AUTHORIZE_URL: `${url}/oauth/authorize`,
			PI_OAUTH_ANTHROPIC_TOKEN_URL: `${url}/v1/oauth/token`,
			PI_OAUTH_GITHUB_DEVICE_CODE_URL: `${url}/login/device/code`,
			PI_OAUTH_GITHUB_ACCESS_TOKEN_URL: `${url}/login/oauth/access_token`,
			PI_OAUTH_GITHUB_COPILOT_TOKEN_URL: `${url}/copilot_internal/v2/token`,
			PI_OAUTH_GITHUB_COPILOT_API_URL: `${url}/copilot-api`,
			PI_OAUTH_OPENAI_AUTHORIZE_URL: `${url}/openai/oauth/authorize`,
			PI_OAUTH_OPENAI_TOKEN_URL: `${url}/openai/oauth/token`,
		},
		expectCode: (code, challenge) => void expectedCodes.set(code, challenge),
		get validRefreshTokens() {
			return state.validRefreshTokens;
		},
		get refreshDelayMs() {
			return state.refreshDelayMs;
		},
		set refreshDelayMs(ms: number) {
			state.refreshDelayMs = ms;
		},
		tokenRequests,
		refreshCount: () => refreshes,
		copilotTokenRequests,
		policyRequests,
		openaiTokenRequests,
		validOpenAIRefreshTokens,
		close: async () => {
			await server.stop(true);
		},
	};
}
