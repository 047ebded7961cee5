/**
 * Versions of npm packages: the one installed in a folder, the newest the registry offers for a spec, and where npm
 * kept packages globally before pi 0.74 (installed with `npm install -g`).
 */
import { dirname, join } from "node:path";
import * as v from "valibot";
import { readTextFileSync } from "../util/text-file.ts";
import { captureCommand, type PackageManagerCommand, viewVersionArgs } from "./commands.ts";
import type { NpmSource } from "./source.ts";

export const NETWORK_TIMEOUT_MS = 10_000;

const VersionedSchema = v.object({ version: v.string() });
/** `npm view <pkg> version --json`: one version, or a list of them for a range. */
const ViewAnswerSchema = v.union([v.string(), v.array(v.unknown())]);

/** The version in the package's package.json; undefined when there is none or it is unreadable. */
export function installedVersion(packageDir: string): string | undefined {
	try {
		const parsed = v.safeParse(VersionedSchema, JSON.parse(readTextFileSync(join(packageDir, "package.json"))));
		return parsed.success ? parsed.output.version : undefined;
	} catch {
		return undefined; // No package.json, or not JSON: unknown version.
	}
}

/** Whether `version` is within `range` (no range: any); a range Bun cannot read matches nothing. */
export function satisfies(version: string, range: string | undefined): boolean {
	if (!range) return true;
	try {
		return Bun.semver.satisfies(version, range);
	} catch {
		return false;
	}
}

/** The newest version the registry has for the spec (a range stays within itself). */
export async function latestVersion(manager: PackageManagerCommand, source: NpmSource, cwd: string): Promise<string> {
	const out = await captureCommand(
		manager.command,
		[...manager.args, ...viewVersionArgs(manager, source.range ? source.spec : source.name)],
		{ cwd, env: manager.env, timeoutMs: NETWORK_TIMEOUT_MS },
	);
	let answer: v.InferOutput<typeof ViewAnswerSchema> | undefined;
	try {
		const parsed = v.safeParse(ViewAnswerSchema, JSON.parse(out));
		if (parsed.success) answer = parsed.output;
	} catch {
		// Not JSON: reported below.
	}
	if (typeof answer === "string") return answer;
	if (answer) {
		const versions = answer.filter((item): item is string => typeof item === "string");
		const matching = source.range ? versions.filter((version) => satisfies(version, source.range)) : versions;
		const newest = matching.sort((a, b) => Bun.semver.order(b, a))[0];
		if (newest) return newest;
	}
	throw new Error(`Unexpected answer from ${manager.name}: ${out.slice(0, 200)}`);
}

/**
 * npm's global folder, where pi before 0.74 installed packages (`npm install -g`), asked of the configured manager
 * (or npm); undefined when there is none.
 */
export function legacyGlobalNpmRoot(manager: PackageManagerCommand | undefined): string | undefined {
	const command = manager ? [manager.command, ...manager.args] : ["npm"];
	const bun = manager?.name === "bun";
	try {
		const result = Bun.spawnSync([...command, ...(bun ? ["pm", "bin", "-g"] : ["root", "-g"])], {
			stdin: "ignore",
			stdout: "pipe",
			stderr: "ignore",
			env: { ...process.env, ...manager?.env },
			timeout: NETWORK_TIMEOUT_MS,
		});
		const out = result.stdout.toString().trim();
		if (result.exitCode === 0 && out) return bun ? join(dirname(out), "install", "global", "node_modules") : out;
	} catch {
		// No npm on PATH: nothing was ever installed globally with it.
	}
	return undefined;
}
