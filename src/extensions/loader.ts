/**
 * Importing extension files and running their factories. Bun's runtime (inside the compiled binary too) transpiles
 * the TypeScript at import time; the pi packages they import are provided by modules/register.ts. A file that fails
 * to import or whose factory throws is reported with its path and the error's place, and the others load anyway.
 *
 * Modules are imported once per process; a factory can be run again (session replacement gives every extension a
 * fresh instance, as pi 1.6 does). `/reload` forgets the imported files so edited code is read again.
 */
import { dirname } from "node:path";
import { createExtensionApi } from "./api.ts";
import type { ExtensionSource } from "./discovery.ts";
import { describeError, formatDescribedError } from "./errors.ts";
import { installExtensionModules } from "./modules/register.ts";
import type { ExtensionRuntime } from "./runtime.ts";
import type { Extension, ExtensionLoadFailure } from "./types.ts";

export type ExtensionFactory = (pi: Record<string, unknown>) => unknown;

export interface ExtensionModule {
	source: ExtensionSource;
	factory: ExtensionFactory;
}

/** Files (require.cache keys) our imports brought in, so a reload can drop exactly those. */
const importedFiles = new Set<string>();

function cachedFiles(): Set<string> {
	return new Set(Object.keys(require.cache));
}

function failure(source: ExtensionSource, error: unknown, what: string): ExtensionLoadFailure {
	const described = describeError(error, [dirname(source.resolvedPath)]);
	return { path: source.resolvedPath, error: `${what}: ${formatDescribedError(described)}` };
}

/** The default export (or a CommonJS module.exports function) of the module. */
function factoryOf(module: unknown): ExtensionFactory | undefined {
	if (typeof module !== "object" || module === null) return undefined;
	const candidate = "default" in module ? module.default : undefined;
	if (typeof candidate === "function") return (pi) => Reflect.apply(candidate, undefined, [pi]);
	if (typeof candidate === "object" && candidate !== null && "default" in candidate) {
		const nested = candidate.default;
		if (typeof nested === "function") return (pi) => Reflect.apply(nested, undefined, [pi]);
	}
	return undefined;
}

export async function importExtensions(
	sources: readonly ExtensionSource[],
): Promise<{ modules: ExtensionModule[]; failures: ExtensionLoadFailure[] }> {
	installExtensionModules();
	const modules: ExtensionModule[] = [];
	const failures: ExtensionLoadFailure[] = [];
	for (const source of sources) {
		const before = cachedFiles();
		try {
			const module: unknown = await import(source.resolvedPath);
			const factory = factoryOf(module);
			if (factory) modules.push({ source, factory });
			else
				failures.push({
					path: source.resolvedPath,
					error: `Extension does not export a valid factory function: ${source.path}`,
				});
		} catch (error) {
			failures.push(failure(source, error, "Failed to load extension"));
		} finally {
			for (const file of cachedFiles()) if (!before.has(file)) importedFiles.add(file);
			importedFiles.add(source.resolvedPath);
		}
	}
	return { modules, failures };
}

/** Drops every file imported for extensions from the module cache: the next import reads them from disk again. */
export function forgetImportedExtensions(): void {
	for (const file of importedFiles) delete require.cache[file];
	importedFiles.clear();
}

/** A record with nothing registered yet, for the extension at `source`. */
export function emptyExtension(source: ExtensionSource): Extension {
	return {
		path: source.path,
		resolvedPath: source.resolvedPath,
		sourceInfo: source.sourceInfo,
		handlers: new Map(),
		tools: new Map(),
		commands: new Map(),
		shortcuts: new Map(),
		flags: new Map(),
		messageRenderers: new Map(),
		entryRenderers: new Map(),
		toolRenderers: [],
	};
}

/**
 * Runs every factory (awaiting async ones, as pi does) against a fresh extension record. A factory that throws
 * leaves nothing registered.
 */
export async function instantiateExtensions(
	modules: readonly ExtensionModule[],
	runtime: ExtensionRuntime,
	cwd: string,
): Promise<{ extensions: Extension[]; failures: ExtensionLoadFailure[] }> {
	const extensions: Extension[] = [];
	const failures: ExtensionLoadFailure[] = [];
	for (const { source, factory } of modules) {
		const extension = emptyExtension(source);
		const handle = createExtensionApi(extension, runtime, cwd);
		try {
			await factory(handle.api);
			handle.commit();
			extensions.push(extension);
		} catch (error) {
			handle.discard();
			failures.push(failure(source, error, "Failed to load extension"));
		}
	}
	return { extensions, failures };
}
