/**
 * Values of `env`, `headers` and `oauth.clientSecret` in mcp.json (docs/mcp.md) use the same syntax as models.json
 * (src/auth/resolve-config-value.ts): `${NAME}` or `$NAME` insert an environment variable (`$$` is a literal `$`,
 * `$!` a literal `!`), and a value that starts with `!` is a shell command whose trimmed output is the value. Unlike
 * models.json there is no 0.73.1 form: a bare name is literal text. A value that cannot be resolved is an error that
 * names the variable or the command, so the server's status says exactly what is missing.
 */
import { resolveConfigValueOrThrow } from "../auth/resolve-config-value.ts";

/**
 * Resolve one value or throw an Error naming `what` (`MCP server "x" env "TOKEN"`) and the missing piece. `env`
 * values (tests) come before the process environment.
 */
export function resolveMcpValue(value: string, what: string, env?: Readonly<Record<string, string>>): string {
	return resolveConfigValueOrThrow(value, what, env, { legacyNames: false });
}

/** Resolve every value of a record (env or headers); the first failure throws. */
export function resolveMcpRecord(
	values: Record<string, string> | undefined,
	what: (key: string) => string,
): Record<string, string> {
	const resolved: Record<string, string> = {};
	for (const [key, value] of Object.entries(values ?? {})) resolved[key] = resolveMcpValue(value, what(key));
	return resolved;
}
