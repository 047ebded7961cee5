import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";

/** A fresh agent dir with an auth.json holding `content` (mode 600 as pi leaves it). */
export function tempAuthFile(content?: Record<string, unknown>): string {
	const dir = mkdtempSync(join(tmpdir(), "pi-oauth-"));
	const path = join(dir, "auth.json");
	if (content) writeFileSync(path, JSON.stringify(content, null, 2), { mode: 0o600 });
	return path;
}

export function readAuthFile(path: string): Record<string, unknown> {
	return v.parse(v.record(v.string(), v.unknown()), JSON.parse(readFileSync(path, "utf-8")));
}

export function fileMode(path: string): number {
	return statSync(path).mode & 0o777;
}

/** Set env vars for the duration of a test file; returns the undo. */
export function setEnv(values: Record<string, string>): () => void {
	const previous = new Map(Object.keys(values).map((key) => [key, process.env[key]]));
	Object.assign(process.env, values);
	return () => {
		for (const [key, value] of previous) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	};
}

/** A port nothing listens on right now (for the OAuth callback server). */
export function freePort(): number {
	const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
	const port = probe.port;
	probe.stop(true);
	if (port === undefined) throw new Error("no port");
	return port;
}

export function expiredOAuth(refresh: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { type: "oauth", refresh, access: "sk-ant-oat01-old", expires: Date.now() - 1000, ...extra };
}
