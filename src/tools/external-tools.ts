/**
 * Locating ripgrep and fd like pi's tools-manager: pi's own bin folder first, then PATH. Unlike pi we never
 * download them; when they are missing, grep and find use the built-in implementation instead.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { agentPaths } from "../config/paths.ts";

export type ExternalTool = "rg" | "fd";

/** Debian and Ubuntu install fd as `fdfind`. */
const ALTERNATIVE_NAMES: Record<ExternalTool, string[]> = { rg: ["rg"], fd: ["fd", "fdfind"] };

export function findExternalTool(tool: ExternalTool, pathEnv = process.env.PATH ?? ""): string | undefined {
	const suffix = process.platform === "win32" ? ".exe" : "";
	for (const name of ALTERNATIVE_NAMES[tool]) {
		const managed = join(agentPaths.bin(), `${name}${suffix}`);
		if (existsSync(managed)) return managed;
	}
	for (const name of ALTERNATIVE_NAMES[tool]) {
		const onPath = Bun.which(name, { PATH: pathEnv });
		if (onPath) return onPath;
	}
	return undefined;
}

/** How grep/find pick their engine: "auto" uses rg/fd when found, "builtin" never does (tests, benchmarks). */
export type SearchBackend = "auto" | "builtin";
