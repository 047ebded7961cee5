/**
 * A test hook (test/cli/lean-startup.test.ts): with `PI_STARTUP_REPORT=<file>` set, the process writes to that file
 * as it exits which lazy valibot schemas it built (lazy-schema.ts: where each was built) and every module it
 * loaded, so a test can tell a launch that stayed lean from one that built schemas or loaded heavy modules it
 * should not have. Unset, it costs one environment lookup at startup and one check per lazy schema built. It
 * imports nothing: main.ts loads it for `pi --version`.
 */

export interface StartupReport {
	/** One entry per lazy schema built: the stack of the first parse that needed it. */
	lazySchemas: string[];
	/** Every module loaded (paths from the sources; chunk names in the compiled binary). */
	modules: string[];
}

let lazySchemas: string[] | undefined;

/** Called by main.ts before anything else runs. */
export function installStartupReport(path: string | undefined): void {
	if (!path) return;
	lazySchemas = [];
	process.on("exit", () => {
		const report: StartupReport = { lazySchemas: lazySchemas ?? [], modules: Object.keys(import.meta.require.cache) };
		// Synchronous (an exit listener cannot wait), and node:fs is fetched here so that it stays out of a launch
		// without the report.
		process.getBuiltinModule("node:fs").writeFileSync(path, JSON.stringify(report));
	});
}

/** A lazy schema was just built. */
export function noteLazySchemaBuilt(): void {
	lazySchemas?.push(new Error("lazy schema built").stack ?? "");
}
