/**
 * Reading the environment. Compiled Bun binaries can see an empty `process.env` inside some Linux sandboxes (pi
 * works around the same Bun bug); the variables are then recovered from /proc/self/environ.
 */
import { readFileSync } from "node:fs";

let procEnviron: Map<string, string> | undefined;

/** An environment variable's value (undefined when unset). */
export function readEnv(name: string): string | undefined {
	const value = process.env[name];
	if (value !== undefined || Object.keys(process.env).length > 0) return value;
	if (!procEnviron) {
		procEnviron = new Map();
		try {
			for (const entry of readFileSync("/proc/self/environ", "utf-8").split("\0")) {
				const eq = entry.indexOf("=");
				if (eq > 0) procEnviron.set(entry.slice(0, eq), entry.slice(eq + 1));
			}
		} catch {
			// Not Linux, or not readable: nothing to recover.
		}
	}
	return procEnviron.get(name);
}

/**
 * A provider setting: the request's own values (a stored credential's `env`, pi 1.6.0's ProviderEnv) win over
 * the process environment. Empty strings count as unset, as in pi.
 */
export function providerEnv(name: string, overrides?: Readonly<Record<string, string>>): string | undefined {
	return overrides?.[name] || readEnv(name) || undefined;
}
