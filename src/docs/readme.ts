/**
 * The README path pi's system prompt points the model at ("Pi documentation").
 *
 * pi points at README.md inside its npm package. A compiled binary has no package folder, so:
 *   - PI_PACKAGE_DIR set (pi's own override)  → <PI_PACKAGE_DIR>/README.md
 *   - running from source (bun src/main.ts)   → the project's README.md
 *   - compiled binary                         → the README embedded at build time, written to
 *                                               <agentDir>/docs/README.md; rewritten only when its content differs
 *                                               (after an upgrade), so normally this costs one small file read.
 * The answer is computed on first use and cached for the process: the prompt is rebuilt often, startup never pays.
 */
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { agentDir } from "../config/paths.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
// An embedded file, read on first use: as a text import the README was a string in a module, held in its source
// and again (UTF-16: it is not Latin-1) in its bytecode; as a zstd-compressed file the binary is 0.14 MB smaller.
import { README, readZstdAssetSync } from "../util/embedded-asset.ts";
import { VERSION } from "../version.ts";

export interface ReadmeLocation {
	packageDir?: string;
	/** True inside a `bun build --compile` executable, whose modules live in a virtual filesystem. */
	compiled: boolean;
	sourceReadme: string;
	agentDir: string;
	embedded: string;
}

/**
 * The entry module of a compiled Bun executable lives under /$bunfs/ (B:\~BUN\ on Windows). Bun.main, not
 * import.meta.dir: with --bytecode the bundle is CommonJS and import.meta.dir is frozen to the build machine's folder.
 */
export function isCompiledBinary(mainPath: string = Bun.main): boolean {
	return mainPath.startsWith("/$bunfs/") || mainPath.includes("~BUN");
}

/** Where the README is for this location, writing the embedded copy out when that is what it takes. */
export function resolveReadmePath(location: ReadmeLocation): string {
	if (location.packageDir) return resolve(location.packageDir, "README.md");
	if (!location.compiled && existsSync(location.sourceReadme)) return location.sourceReadme;
	const target = join(location.agentDir, "docs", "README.md");
	if (writeIfChanged(target, location.embedded)) return target;
	// The agent dir is not writable (read-only home, sandbox): a per-version copy in the temp folder still works.
	// If even that fails (the folder belongs to someone else) the prompt names the usual place anyway.
	const fallback = join(tmpdir(), `pi-${VERSION}-docs`, "README.md");
	return writeIfChanged(fallback, location.embedded) ? fallback : target;
}

function writeIfChanged(path: string, content: string): boolean {
	try {
		if (existsSync(path) && readFileSync(path, "utf8") === content) return true;
		writeFileAtomicSync(path, content);
		return true;
	} catch {
		return false;
	}
}

let cached: string | undefined;

export function readmePath(): string {
	cached ??= resolveReadmePath({
		packageDir: process.env.PI_PACKAGE_DIR || undefined,
		compiled: isCompiledBinary(),
		sourceReadme: resolve(import.meta.dir, "../../README.md"),
		agentDir: agentDir(),
		embedded: readZstdAssetSync(README).toString("utf8"),
	});
	return cached;
}
