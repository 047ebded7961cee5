/**
 * OAuth state of MCP servers in `~/.pi/agent/mcp-auth.json` (mode 0600), pi 1.6.0's file: one entry per server
 * name and URL, `mcp__<name>|<url>`, so two names for one URL (two accounts) sign in separately and the same name and
 * URL in two mcp.json files share a sign-in. An entry holds the client registration, the tokens and when they expire,
 * the pending PKCE verifier and state, and the discovered authorization server. Every read-modify-write holds the
 * file lock and writes atomically, so pi processes (and pi itself) can share the file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { agentDir } from "../../config/paths.ts";
import { writeFileAtomicSync } from "../../util/atomic-write.ts";
import { withFileLockSync } from "../../util/file-lock.ts";
import { mcpNamespace } from "../naming.ts";

/** One server's state; other fields (written by pi or a newer version) are kept as they are. */
export const McpOAuthStateSchema = v.looseObject({
	serverUrl: v.string(),
	clientInformation: v.optional(v.looseObject({ client_id: v.string(), client_secret: v.optional(v.string()) })),
	tokens: v.optional(
		v.looseObject({
			access_token: v.string(),
			token_type: v.string(),
			refresh_token: v.optional(v.string()),
			expires_in: v.optional(v.number()),
			scope: v.optional(v.string()),
		}),
	),
	/** When the access token expires, ms since the epoch. */
	tokensExpireAt: v.optional(v.number()),
	codeVerifier: v.optional(v.string()),
	oauthState: v.optional(v.string()),
	/** The redirect URI the client was registered with (ours). */
	redirectUrl: v.optional(v.string()),
	discovery: v.optional(v.looseObject({ authorizationServerUrl: v.string() })),
});

export type McpOAuthState = v.InferOutput<typeof McpOAuthStateSchema>;

export function mcpAuthFile(): string {
	return join(agentDir(), "mcp-auth.json");
}

function readStates(path: string): Record<string, unknown> {
	if (!existsSync(path)) return {};
	try {
		const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
		return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
	} catch {
		// A damaged file: the user signs in again; it is replaced on the next save.
		return {};
	}
}

/** The key of a server's state, and the URL-only key older pi versions wrote. */
function keys(name: string, serverUrl: string): { key: string; legacy: string } {
	const legacy = String(new URL(serverUrl));
	return { key: `${mcpNamespace(name)}|${legacy}`, legacy };
}

export class McpAuthStore {
	constructor(private readonly path: string = mcpAuthFile()) {}

	/** The server's state; the URL-only entry of an older version is taken over by the first server that loads it. */
	load(name: string, serverUrl: string): McpOAuthState | undefined {
		const { key, legacy } = keys(name, serverUrl);
		return withFileLockSync(this.path, () => {
			const states = readStates(this.path);
			let raw = states[key];
			if (raw === undefined && states[legacy] !== undefined) {
				raw = states[legacy];
				states[key] = raw;
				delete states[legacy];
				this.write(states);
			}
			const parsed = v.safeParse(McpOAuthStateSchema, raw);
			return parsed.success ? parsed.output : undefined;
		});
	}

	/** Change the server's state under the lock (read, update, write). */
	update(name: string, serverUrl: string, change: (state: McpOAuthState) => McpOAuthState): McpOAuthState {
		const { key } = keys(name, serverUrl);
		return withFileLockSync(this.path, () => {
			const states = readStates(this.path);
			const parsed = v.safeParse(McpOAuthStateSchema, states[key]);
			const next = change(parsed.success ? parsed.output : { serverUrl });
			states[key] = next;
			this.write(states);
			return next;
		});
	}

	/** Forget the server's credentials; false when there were none. */
	remove(name: string, serverUrl: string): boolean {
		const { key, legacy } = keys(name, serverUrl);
		return withFileLockSync(this.path, () => {
			const states = readStates(this.path);
			const stored = key in states ? key : legacy in states ? legacy : undefined;
			if (!stored) return false;
			delete states[stored];
			this.write(states);
			return true;
		});
	}

	private write(states: Record<string, unknown>): void {
		writeFileAtomicSync(this.path, `${JSON.stringify(states, null, 2)}\n`, { mode: 0o600 });
	}
}
