/**
 * Config values in auth.json and models.json (API keys, header values) may be written three ways (pi-spec §2.4):
 * `!command` runs a shell command and uses its trimmed stdout, a name of a set environment variable uses that
 * variable, anything else is the literal value.
 */

import { readEnv } from "../util/env.ts";

const COMMAND_TIMEOUT_MS = 10_000;

/** Command results live for the whole process: a password-manager prompt should appear once, not per request. */
const commandCache = new Map<string, string | undefined>();

function runCommand(command: string): string | undefined {
	try {
		const result = Bun.spawnSync(["/bin/sh", "-c", command], {
			stdin: "ignore",
			stdout: "pipe",
			stderr: "ignore",
			timeout: COMMAND_TIMEOUT_MS,
		});
		if (result.exitCode !== 0) return undefined;
		const output = result.stdout.toString().trim();
		return output === "" ? undefined : output;
	} catch {
		return undefined;
	}
}

/** Resolve a value; `!command` output is cached for the process lifetime. Undefined when a command fails. */
export function resolveConfigValue(config: string): string | undefined {
	if (config.startsWith("!")) {
		if (commandCache.has(config)) return commandCache.get(config);
		const value = runCommand(config.slice(1));
		commandCache.set(config, value);
		return value;
	}
	return readEnv(config) || config;
}

/** Like resolveConfigValue but runs `!command` every time (pi does this for per-request headers and keys). */
export function resolveConfigValueUncached(config: string): string | undefined {
	if (config.startsWith("!")) return runCommand(config.slice(1));
	return readEnv(config) || config;
}

/** Resolve or throw an Error naming what could not be resolved (shown as the request's error). */
export function resolveConfigValueOrThrow(config: string, description: string): string {
	const value = resolveConfigValueUncached(config);
	if (value !== undefined) return value;
	if (config.startsWith("!"))
		throw new Error(`Failed to resolve ${description} from shell command: ${config.slice(1)}`);
	throw new Error(`Failed to resolve ${description}`);
}

/** Resolve every header value (cached commands); headers that resolve to nothing are dropped. */
export function resolveHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
	if (!headers) return undefined;
	const resolved: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const result = resolveConfigValue(value);
		if (result) resolved[name] = result;
	}
	return Object.keys(resolved).length > 0 ? resolved : undefined;
}

/** For tests: forget cached command output. */
export function clearConfigValueCache(): void {
	commandCache.clear();
}
