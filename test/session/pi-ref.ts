/** Access to pi 0.73.1's own modules in /tmp/piref, for side-by-side comparisons (skipped when absent). */
import { existsSync } from "node:fs";
import { join } from "node:path";

export const PI_ROOT = "/tmp/piref/node_modules/@mariozechner/pi-coding-agent";
export const PI_CLI = join(PI_ROOT, "dist/cli.js");
export const PI_SESSION_MANAGER = join(PI_ROOT, "dist/core/session-manager.js");
export const hasPi = existsSync(PI_SESSION_MANAGER);

/** Calls `target[name](...args)` on an untyped object from pi's JS. */
export function callMethod(target: unknown, name: string, ...args: unknown[]): unknown {
	if ((typeof target !== "object" && typeof target !== "function") || target === null) {
		throw new Error(`cannot call ${name} on ${String(target)}`);
	}
	const method: unknown = Reflect.get(target, name);
	if (typeof method !== "function") throw new Error(`${name} is not a function`);
	return Reflect.apply(method, target, args);
}

/** pi's SessionManager class. */
export async function piSessionManagerClass(): Promise<unknown> {
	const mod: unknown = await import(PI_SESSION_MANAGER);
	if (typeof mod !== "object" || mod === null) throw new Error("pi session-manager module not loaded");
	return Reflect.get(mod, "SessionManager");
}
