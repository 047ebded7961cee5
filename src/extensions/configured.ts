/**
 * Whether any extension could load in this run, decided from the command line, the settings already read and two
 * folder checks: the test that keeps startup free of the extension host (and of TypeBox, the module shims, the Bun
 * plugin) when no extension is configured.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface ExtensionConfiguration {
	cwd: string;
	agentDir: string;
	cliPaths: readonly string[];
	noExtensions: boolean;
	globalEntries: readonly string[];
	projectEntries: readonly string[];
}

/** Settings entries that are paths (not the `!`, `+`, `-` or glob filters of pi's resource settings). */
function hasPathEntry(entries: readonly string[]): boolean {
	return entries.some((entry) => !/^[!+-]/.test(entry) && !entry.includes("*") && !entry.includes("?"));
}

export function extensionsMayLoad(config: ExtensionConfiguration): boolean {
	if (config.cliPaths.length > 0) return true;
	if (config.noExtensions) return false;
	if (hasPathEntry(config.globalEntries) || hasPathEntry(config.projectEntries)) return true;
	return existsSync(join(config.agentDir, "extensions")) || existsSync(join(config.cwd, ".pi", "extensions"));
}
