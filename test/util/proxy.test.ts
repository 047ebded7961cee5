import { afterEach, expect, test } from "bun:test";
import { applyHttpProxySetting, proxyForUrl } from "../../src/util/proxy.ts";

const VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];
afterEach(() => {
	for (const name of VARS) delete process.env[name];
});

test("the scheme's variable, else ALL_PROXY; ws/wss use the http/https ones; a bare host gets http://", () => {
	expect(proxyForUrl("https://api.example.com/v1")).toBeUndefined();
	process.env.HTTPS_PROXY = "proxy.corp:3128";
	process.env.HTTP_PROXY = "http://plain.corp:80";
	expect(proxyForUrl("https://api.example.com/v1")).toBe("http://proxy.corp:3128");
	expect(proxyForUrl("wss://chatgpt.com/backend-api/codex/responses")).toBe("http://proxy.corp:3128");
	expect(proxyForUrl("ws://127.0.0.1:9/x")).toBe("http://plain.corp:80");
	delete process.env.HTTP_PROXY;
	process.env.ALL_PROXY = "http://all.corp:1";
	expect(proxyForUrl("http://example.com")).toBe("http://all.corp:1");
});

test("NO_PROXY: exact hosts, domains with or without a dot or star, ports, and *", () => {
	process.env.HTTPS_PROXY = "http://proxy:1";
	process.env.NO_PROXY = "internal.corp, .example.com,*.svc:8443,[::1]";
	expect(proxyForUrl("https://internal.corp/x")).toBeUndefined();
	expect(proxyForUrl("https://a.internal.corp/x")).toBeUndefined();
	expect(proxyForUrl("https://api.example.com/x")).toBeUndefined();
	expect(proxyForUrl("https://example.com/x")).toBeUndefined();
	expect(proxyForUrl("https://a.svc:8443/x")).toBeUndefined();
	expect(proxyForUrl("https://a.svc/x")).toBe("http://proxy:1");
	expect(proxyForUrl("https://[::1]:4000/x")).toBeUndefined();
	expect(proxyForUrl("https://notexample.com/x")).toBe("http://proxy:1");
	process.env.NO_PROXY = "*";
	expect(proxyForUrl("https://anything/x")).toBeUndefined();
});

test("a SOCKS proxy is refused with a clear error", () => {
	process.env.HTTPS_PROXY = "socks5://127.0.0.1:1080";
	expect(() => proxyForUrl("https://api.example.com")).toThrow("only HTTP and HTTPS proxies");
});

test("the httpProxy setting fills HTTP_PROXY and HTTPS_PROXY, never replacing the user's own", () => {
	applyHttpProxySetting("  ");
	expect(process.env.HTTP_PROXY).toBeUndefined();
	process.env.HTTPS_PROXY = "http://mine:1";
	applyHttpProxySetting("http://setting:2");
	expect(process.env.HTTP_PROXY).toBe("http://setting:2");
	expect(process.env.HTTPS_PROXY).toBe("http://mine:1");
});
