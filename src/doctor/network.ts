/**
 * Proxy and certificate settings as `pi doctor` reports them, with the problems worth a line: a CA file that is
 * missing or holds no certificate, a proxy URL that does not parse. Credentials in proxy URLs are masked.
 */
import { readFileSync, statSync } from "node:fs";

export interface NetworkReport {
	proxies: [string, string][];
	noProxy?: string;
	ca: string[];
	problems: string[];
}

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

export function maskProxyUrl(value: string): string {
	try {
		const url = new URL(value);
		if (url.username || url.password) {
			url.username = url.username ? "***" : "";
			url.password = url.password ? "***" : "";
		}
		return url.toString().replace(/\/$/, "");
	} catch {
		return value;
	}
}

function countCertificates(path: string): number | string {
	try {
		if (!statSync(path).isFile()) return "is not a file";
		const text = readFileSync(path, "utf8");
		return (text.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
	}
}

export function networkReport(
	env: Record<string, string | undefined>,
	execArgv: readonly string[],
	compiled: boolean,
): NetworkReport {
	const problems: string[] = [];
	const proxies: [string, string][] = [];
	for (const name of PROXY_VARIABLES) {
		const value = env[name];
		if (!value) continue;
		proxies.push([name, maskProxyUrl(value)]);
		try {
			new URL(value.includes("://") ? value : `http://${value}`);
		} catch {
			problems.push(`${name} is not a URL: ${maskProxyUrl(value)}`);
		}
	}
	const noProxy = env.NO_PROXY || env.no_proxy || undefined;

	const ca: string[] = [];
	const systemStore = execArgv.includes("--use-system-ca");
	ca.push(
		systemStore
			? "system certificate store: used (--use-system-ca)"
			: compiled
				? "system certificate store: not used (this binary was built without --use-system-ca)"
				: "system certificate store: Bun's default (running from source)",
	);
	const extra = env.NODE_EXTRA_CA_CERTS;
	if (extra) {
		const count = countCertificates(extra);
		if (typeof count === "number" && count > 0) ca.push(`NODE_EXTRA_CA_CERTS=${extra} (${count} certificate(s))`);
		else {
			const why = typeof count === "number" ? "holds no PEM certificate" : count;
			ca.push(`NODE_EXTRA_CA_CERTS=${extra} (${why})`);
			problems.push(`NODE_EXTRA_CA_CERTS ${extra} ${why}: requests through a TLS-inspecting proxy will fail`);
		}
	}
	for (const name of ["SSL_CERT_FILE", "SSL_CERT_DIR"]) {
		const value = env[name];
		if (value) ca.push(`${name}=${value}`);
	}
	if (env.NODE_TLS_REJECT_UNAUTHORIZED === "0") {
		ca.push("NODE_TLS_REJECT_UNAUTHORIZED=0");
		problems.push(
			"NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for every request; use NODE_EXTRA_CA_CERTS instead",
		);
	}
	return { proxies, noProxy, ca, problems };
}
