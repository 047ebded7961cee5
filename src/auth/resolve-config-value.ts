/**
 * Config values in auth.json and models.json (API keys, header values), as pi 1.6.0 reads them:
 * - `!command` runs a shell command and uses its trimmed stdout;
 * - `$NAME` and `${NAME}` anywhere in the value are replaced by that environment variable (a provider's stored
 *   `env` first, then the process environment); `$$` is a literal `$` and `$!` a literal `!`; a value naming an
 *   unset variable does not resolve;
 * - anything else is literal.
 * One 0.73.1 rule is kept so its files keep working: a value that is exactly the name of a set environment
 * variable (`"apiKey": "OPENAI_API_KEY"`) is that variable's value. pi 1.6.0 reads such a value literally.
 */

import { providerEnv } from "../util/env.ts";

const COMMAND_TIMEOUT_MS = 10_000;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*/;

type Env = Readonly<Record<string, string>> | undefined;
type Part = { literal: string } | { env: string };

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

/** The value split into literal text and `$NAME` / `${NAME}` references. */
function parseTemplate(config: string): Part[] {
	const parts: Part[] = [];
	const literal = (text: string): void => {
		const last = parts.at(-1);
		if (last && "literal" in last) last.literal += text;
		else if (text !== "") parts.push({ literal: text });
	};
	let at = 0;
	while (at < config.length) {
		const dollar = config.indexOf("$", at);
		if (dollar < 0) {
			literal(config.slice(at));
			break;
		}
		literal(config.slice(at, dollar));
		const next = config[dollar + 1];
		if (next === "$" || next === "!") {
			literal(next);
			at = dollar + 2;
			continue;
		}
		if (next === "{") {
			const close = config.indexOf("}", dollar + 2);
			if (close < 0) {
				literal("$");
				at = dollar + 1;
				continue;
			}
			const name = config.slice(dollar + 2, close);
			if (ENV_NAME.test(name)) parts.push({ env: name });
			else literal(config.slice(dollar, close + 1));
			at = close + 1;
			continue;
		}
		const name = ENV_NAME_PREFIX.exec(config.slice(dollar + 1))?.[0];
		if (name) {
			parts.push({ env: name });
			at = dollar + 1 + name.length;
		} else {
			literal("$");
			at = dollar + 1;
		}
	}
	return parts;
}

/** The 0.73.1 form: the whole value is the name of a set variable. */
function legacyEnvValue(config: string, env: Env): string | undefined {
	return ENV_NAME.test(config) ? providerEnv(config, env) : undefined;
}

function resolveTemplate(config: string, env: Env, legacyNames = true): string | undefined {
	const legacy = legacyNames ? legacyEnvValue(config, env) : undefined;
	if (legacy !== undefined) return legacy;
	let resolved = "";
	for (const part of parseTemplate(config)) {
		if ("literal" in part) resolved += part.literal;
		else {
			const value = providerEnv(part.env, env);
			if (value === undefined) return undefined;
			resolved += value;
		}
	}
	return resolved;
}

/** The environment variables a value refers to with `$NAME` / `${NAME}` (none for a command). */
export function configValueEnvNames(config: string): string[] {
	if (config.startsWith("!")) return [];
	const names = parseTemplate(config).flatMap((part) => ("env" in part ? [part.env] : []));
	return [...new Set(names)];
}

/** False when the value names a variable that is not set (it cannot resolve); commands count as configured. */
export function isConfigValueConfigured(config: string, env?: Env): boolean {
	if (legacyEnvValue(config, env) !== undefined) return true;
	return configValueEnvNames(config).every((name) => providerEnv(name, env) !== undefined);
}

/** Resolve a value; `!command` output is cached for the process lifetime. Undefined when it cannot resolve. */
export function resolveConfigValue(config: string, env?: Env): string | undefined {
	if (config.startsWith("!")) {
		if (commandCache.has(config)) return commandCache.get(config);
		const value = runCommand(config.slice(1));
		commandCache.set(config, value);
		return value;
	}
	return resolveTemplate(config, env);
}

/** Like resolveConfigValue but runs `!command` every time (pi does this for per-request headers and keys). */
export function resolveConfigValueUncached(config: string, env?: Env): string | undefined {
	return config.startsWith("!") ? runCommand(config.slice(1)) : resolveTemplate(config, env);
}

export interface ResolveOptions {
	/** Honour 0.73.1's bare variable names (default); mcp.json never had them, so there a name is literal. */
	legacyNames?: boolean;
}

/** Resolve or throw an Error naming what could not be resolved (shown as the request's error), in pi's words. */
export function resolveConfigValueOrThrow(
	config: string,
	description: string,
	env?: Env,
	options: ResolveOptions = {},
): string {
	const value = config.startsWith("!")
		? runCommand(config.slice(1))
		: resolveTemplate(config, env, options.legacyNames ?? true);
	if (value !== undefined) return value;
	if (config.startsWith("!")) {
		throw new Error(`Failed to resolve ${description} from shell command: ${config.slice(1)}`);
	}
	const missing = configValueEnvNames(config).filter((name) => providerEnv(name, env) === undefined);
	if (missing.length === 1)
		throw new Error(`Failed to resolve ${description} from environment variable: ${missing[0]}`);
	if (missing.length > 1) {
		throw new Error(`Failed to resolve ${description} from environment variables: ${missing.join(", ")}`);
	}
	throw new Error(`Failed to resolve ${description}`);
}

/** Resolve every header value (cached commands); headers that resolve to nothing are dropped. */
export function resolveHeaders(
	headers: Record<string, string> | undefined,
	env?: Env,
): Record<string, string> | undefined {
	if (!headers) return undefined;
	const resolved: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const result = resolveConfigValue(value, env);
		if (result) resolved[name] = result;
	}
	return Object.keys(resolved).length > 0 ? resolved : undefined;
}

/**
 * Resolve every header value now (commands run again) or throw naming the header, in pi's words:
 * `Failed to resolve provider "x" header "X-Token" from shell command: …`.
 */
export function resolveHeadersOrThrow(
	headers: Record<string, string> | undefined,
	description: string,
	env?: Env,
): Record<string, string> | undefined {
	if (!headers || Object.keys(headers).length === 0) return undefined;
	const resolved: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		resolved[name] = resolveConfigValueOrThrow(value, `${description} header "${name}"`, env);
	}
	return resolved;
}

/** For tests: forget cached command output. */
export function clearConfigValueCache(): void {
	commandCache.clear();
}
