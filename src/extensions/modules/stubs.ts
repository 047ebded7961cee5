/**
 * Completing a module shim: every name the published pi package exports must exist in ours, or an extension that
 * merely imports it would fail to load ("Export named … not found"). Names we do not implement become functions (also
 * usable with `new`) that throw a clear error when called, so the extension loads and fails only where it really
 * depends on the missing piece.
 */
import { UPSTREAM_NAMES } from "./upstream-names.ts";

export type ModuleId = keyof typeof UPSTREAM_NAMES;

export class UnsupportedExtensionApiError extends Error {
	constructor(moduleId: string, name: string) {
		super(
			`${name} from pi's ${moduleId} package is not supported by this pi binary yet; the extension that called it cannot use it here.`,
		);
		this.name = "UnsupportedExtensionApiError";
	}
}

function unsupported(moduleId: string, name: string): () => never {
	// A `function`, not an arrow: `new Stub()` must reach the throw too (classes are stubbed this way).
	const stub = function unsupportedApi(): never {
		throw new UnsupportedExtensionApiError(moduleId, name);
	};
	Object.defineProperty(stub, "name", { value: name });
	return stub;
}

/** The exports object of module `id`: `implemented`, plus a throwing stub for every other upstream name. */
export function completeModule(id: ModuleId, implemented: Record<string, unknown>): Record<string, unknown> {
	const exports: Record<string, unknown> = { ...implemented };
	for (const name of UPSTREAM_NAMES[id]) {
		if (!(name in exports)) exports[name] = unsupported(id, name);
	}
	return exports;
}
