/**
 * Access to pi 0.73.1's (and pi 1.6.0's) own modules, for side-by-side comparisons. Where it is installed comes from PI_REF_073_DIR
 * (test/support/reference-pi.ts); the tests using it are skipped, with the reason printed, when it is unset.
 */
import { join } from "node:path";
import { referencePi073, referencePi160 } from "../support/reference-pi.ts";

const reference = referencePi073();
/** The pi-coding-agent package folder; "" when pi 0.73.1 is not installed (then hasPi is false). */
export const PI_ROOT = reference?.packageDir ?? "";
/** The command that runs pi 0.73.1's CLI (node + dist/cli.js). */
export const PI_COMMAND: string[] = reference?.command ?? [];
export const PI_SESSION_MANAGER = join(PI_ROOT, "dist/core/session-manager.js");
export const hasPi = reference !== undefined;

const reference160 = referencePi160();
/** pi 1.6.0's pi-coding-agent package folder ("" when not installed); its dist/ modules import under Bun too. */
export const PI160_ROOT = reference160?.packageDir ?? "";
export const hasPi160 = reference160 !== undefined;

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
