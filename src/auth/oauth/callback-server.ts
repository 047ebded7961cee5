/**
 * The local page an OAuth provider redirects the browser to after the user approves, so login can finish
 * without copying anything. Listening is best effort: when the port is taken, login falls back to pasting.
 */
import type { OAuthLoginCallbacks } from "./types.ts";

export interface AuthorizationCode {
	code: string;
	state: string;
}

export interface CallbackServer {
	/** Resolves with the first valid redirect; never rejects. */
	code: Promise<AuthorizationCode>;
	/** The port it listens on (the one asked for, or the free one picked for port 0). */
	port: number;
	stop(): void;
}

function page(title: string, detail: string): Response {
	const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
	const html = `<!doctype html><html><head><meta charset="utf-8"><title>pi</title></head><body style="font-family:sans-serif;margin:4em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
	return new Response(html, {
		status: title === "Login complete" ? 200 : 400,
		headers: { "content-type": "text/html; charset=utf-8" },
	});
}

export function startCallbackServer(options: {
	host: string;
	port: number;
	path: string;
	expectedState: string;
	providerName: string;
}): CallbackServer | undefined {
	let deliver: (code: AuthorizationCode) => void = () => {};
	const code = new Promise<AuthorizationCode>((resolve) => {
		deliver = resolve;
	});
	try {
		const server = Bun.serve({
			hostname: options.host,
			port: options.port,
			fetch(request) {
				const url = new URL(request.url);
				if (url.pathname !== options.path) return new Response("Not found", { status: 404 });
				const error = url.searchParams.get("error");
				if (error) return page("Login failed", `${options.providerName} reported: ${error}`);
				const received = url.searchParams.get("code");
				const state = url.searchParams.get("state");
				if (!received || !state) return page("Login failed", "The redirect carried no code or state.");
				if (state !== options.expectedState) return page("Login failed", "State mismatch.");
				deliver({ code: received, state });
				return page("Login complete", `${options.providerName} login finished. You can close this window.`);
			},
		});
		return { code, port: server.port ?? options.port, stop: () => void server.stop(true) };
	} catch {
		return undefined;
	}
}

/** Rejects with "Login cancelled" when the signal aborts; raced against the paste prompt and the redirect. */
export function loginCancelled(signal: AbortSignal | undefined): Promise<never> {
	return new Promise((_, reject) => {
		if (!signal) return;
		const cancel = () => reject(new Error("Login cancelled"));
		if (signal.aborted) cancel();
		else signal.addEventListener("abort", cancel, { once: true });
	});
}

/**
 * What the user pasted: the whole redirect URL, `code#state` as Anthropic's page shows it, a query string,
 * or the bare code.
 */
export function parseAuthorizationInput(input: string): { code?: string; state?: string } {
	const value = input.trim();
	if (value === "") return {};
	if (/^https?:\/\//i.test(value)) {
		try {
			const url = new URL(value);
			return {
				code: url.searchParams.get("code") ?? undefined,
				state: url.searchParams.get("state") ?? undefined,
			};
		} catch {
			// not a URL after all: try the other forms
		}
	}
	const hash = value.indexOf("#");
	if (hash >= 0) return { code: value.slice(0, hash), state: value.slice(hash + 1) };
	if (value.includes("code=")) {
		const params = new URLSearchParams(value);
		return { code: params.get("code") ?? undefined, state: params.get("state") ?? undefined };
	}
	return { code: value };
}

/**
 * The authorization code from whichever comes first: the browser's redirect to the callback server, or what the
 * user pastes (for a browser on another machine). A pasted state must be ours; a missing code is an error.
 */
export async function receiveAuthorizationCode(
	callbacks: OAuthLoginCallbacks,
	server: CallbackServer | undefined,
	expectedState: string,
	messages: { prompt: string; stateMismatch: string },
): Promise<string> {
	const pasted = callbacks.onPrompt(messages.prompt).then((input) => parseAuthorizationInput(input));
	const received = await Promise.race([pasted, ...(server ? [server.code] : []), loginCancelled(callbacks.signal)]);
	if (received.state !== undefined && received.state !== expectedState) throw new Error(messages.stateMismatch);
	if (!received.code) throw new Error("Missing authorization code");
	return received.code;
}
