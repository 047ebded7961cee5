/**
 * Where the reference pi packages from npm are (pi 0.73.1 as @mariozechner/*, pi 1.6.0 as @earendil-works/*), and
 * how to list what they export. .ci/run installs both into temp folders and names them in PI_REF_160_DIR /
 * PI_REF_073_DIR (see test/support/reference-pi.ts); tests that need them skip, saying why, when they are unset.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export type PiVersion = "1.6.0" | "0.73.1";

const ROOTS: Record<PiVersion, { env: string; scope: string }> = {
	"1.6.0": { env: "PI_REF_160_DIR", scope: "@earendil-works" },
	"0.73.1": { env: "PI_REF_073_DIR", scope: "@mariozechner" },
};

/** The install root (a folder with node_modules/<scope>/pi-coding-agent), or undefined when not available. */
export function referenceRoot(version: PiVersion): string | undefined {
	const { env, scope } = ROOTS[version];
	const candidate = process.env[env];
	if (candidate && existsSync(join(candidate, "node_modules", scope, "pi-coding-agent", "package.json"))) {
		return candidate;
	}
	return undefined;
}

/** The examples/extensions folder of that pi version's coding-agent package. */
export function referenceExamplesDir(version: PiVersion): string | undefined {
	const root = referenceRoot(version);
	return root && join(root, "node_modules", ROOTS[version].scope, "pi-coding-agent", "examples", "extensions");
}

/** Our module id → the upstream specifiers whose exports it must provide. */
export const UPSTREAM_MODULES: Record<string, { version: PiVersion; specifier: string }[]> = {
	"pi-coding-agent": [
		{ version: "1.6.0", specifier: "@earendil-works/pi-coding-agent" },
		{ version: "0.73.1", specifier: "@mariozechner/pi-coding-agent" },
	],
	"pi-ai": [
		{ version: "1.6.0", specifier: "@earendil-works/pi-ai" },
		{ version: "1.6.0", specifier: "@earendil-works/pi-ai/compat" },
		{ version: "0.73.1", specifier: "@mariozechner/pi-ai" },
	],
	"pi-ai/models": [{ version: "1.6.0", specifier: "@earendil-works/pi-ai/models" }],
	"pi-ai/oauth": [
		{ version: "1.6.0", specifier: "@earendil-works/pi-ai/oauth" },
		{ version: "0.73.1", specifier: "@mariozechner/pi-ai/oauth" },
	],
	"pi-ai/providers/all": [{ version: "1.6.0", specifier: "@earendil-works/pi-ai/providers/all" }],
	"pi-agent-core": [
		{ version: "1.6.0", specifier: "@earendil-works/pi-agent-core" },
		{ version: "0.73.1", specifier: "@mariozechner/pi-agent-core" },
	],
	"pi-tui": [
		{ version: "1.6.0", specifier: "@earendil-works/pi-tui" },
		{ version: "0.73.1", specifier: "@mariozechner/pi-tui" },
	],
};

/**
 * The runtime export names of `specifier` as installed under `root`, read in a child Bun process: importing pi's
 * packages runs their module code, which must not touch this process.
 */
export async function moduleExportNames(root: string, specifier: string): Promise<string[]> {
	const script = `const m = await import(Bun.resolveSync(${JSON.stringify(specifier)}, ${JSON.stringify(root)}));
process.stdout.write(JSON.stringify(Object.keys(m)));`;
	const proc = Bun.spawn([process.execPath, "-e", script], {
		cwd: root,
		stdout: "pipe",
		stderr: "pipe",
		env: { ...process.env, PI_OFFLINE: "1" },
	});
	const [stdout, stderr, code] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	if (code !== 0) throw new Error(`listing ${specifier} failed (exit ${code}): ${stderr}`);
	const parsed: unknown = JSON.parse(stdout);
	if (!Array.isArray(parsed) || !parsed.every((name) => typeof name === "string")) {
		throw new Error(`unexpected export list for ${specifier}`);
	}
	return parsed;
}
