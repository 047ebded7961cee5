/**
 * HTTP proxies. Bun's fetch honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY itself (read on every request), so every
 * provider SDK, OAuth flow and the AWS client (which sends through fetch here) follow them. pi 1.6.0's `httpProxy`
 * setting is applied as those variables, without overriding ones the user set. Bun's WebSocket does not read
 * them, so WebSocket transports ask `proxyForUrl` and pass the proxy explicitly.
 */
import { readEnv } from "./env.ts";

/** pi 1.6.0's applyHttpProxySettings: the setting fills HTTP_PROXY and HTTPS_PROXY when they are unset. */
export function applyHttpProxySetting(httpProxy: string | undefined): void {
	const proxy = httpProxy?.trim();
	if (!proxy) return;
	process.env.HTTP_PROXY ??= proxy;
	process.env.HTTPS_PROXY ??= proxy;
}

function proxyEnv(name: string): string {
	return readEnv(name.toLowerCase()) || readEnv(name.toUpperCase()) || "";
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

function stripBrackets(host: string): string {
	return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** NO_PROXY entries: `host`, `.domain`, `*.domain`, `host:port`, `[v6]:port`, or `*` for everything. */
function bypassesProxy(hostname: string, port: number): boolean {
	const noProxy = proxyEnv("no_proxy").toLowerCase();
	if (!noProxy) return false;
	if (noProxy.trim() === "*") return true;
	const host = stripBrackets(hostname.toLowerCase());
	return noProxy.split(/[,\s]+/).some((raw) => {
		const entry = raw.trim();
		if (!entry) return false;
		const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
		const entryHost = stripBrackets(match?.[1] ?? entry);
		const entryPort = match?.[2] ? Number(match[2]) : 0;
		if (entryPort && entryPort !== port) return false;
		const domain = entryHost.replace(/^\*?\./, "").replace(/^\*/, "");
		return domain !== "" && (host === domain || host.endsWith(`.${domain}`));
	});
}

/**
 * The proxy a request to `target` should go through (ws/wss use the http/https variables), or undefined for a
 * direct connection. Only HTTP(S) proxies can be used; another scheme is a clear error.
 */
export function proxyForUrl(target: string): string | undefined {
	let url: URL;
	try {
		url = new URL(target);
	} catch {
		return undefined;
	}
	const scheme = url.protocol.replace(/:$/, "");
	const httpScheme = scheme === "wss" ? "https" : scheme === "ws" ? "http" : scheme;
	const port = Number(url.port) || DEFAULT_PORTS[scheme] || 0;
	if (bypassesProxy(url.hostname, port)) return undefined;
	let proxy = proxyEnv(`${httpScheme}_proxy`) || proxyEnv("all_proxy");
	if (!proxy) return undefined;
	if (!proxy.includes("://")) proxy = `http://${proxy}`;
	const protocol = new URL(proxy).protocol;
	if (protocol !== "http:" && protocol !== "https:") {
		throw new Error(`Unsupported proxy ${proxy}: only HTTP and HTTPS proxies can be used (not SOCKS or PAC).`);
	}
	return proxy;
}
