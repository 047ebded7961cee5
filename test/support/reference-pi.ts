/**
 * The real pi, installed from npm, for side-by-side tests. Where it is installed comes from the environment, never
 * from a folder written into the tests:
 *   PI_REF_073_DIR  npm prefix holding @mariozechner/pi-coding-agent@0.73.1 (runs on the `node` on PATH, Node 20+)
 *   PI_REF_160_DIR  npm prefix holding @earendil-works/pi-coding-agent@1.6.0 and node-linux-<arch>@22 (its Node)
 * .ci/run installs both into a temp folder and sets them. Locally: PI_REF_073_DIR=/work/ref/pi073
 * PI_REF_160_DIR=/work/ref/pi16 npm test. Tests that need one skip, with the reason printed once, when it is unset.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export interface ReferencePi {
	version: "0.73.1" | "1.6.0";
	/** The pi-coding-agent package folder (docs/, dist/, package.json). */
	packageDir: string;
	/** The command that runs its CLI; append the arguments. */
	command: string[];
}

const printed = new Set<string>();

function locate(variable: string, version: ReferencePi["version"]): ReferencePi | undefined {
	const prefix = process.env[variable];
	const why = (reason: string) => {
		if (printed.has(variable)) return undefined;
		printed.add(variable);
		console.warn(`pi ${version} side-by-side tests skipped: ${reason}`);
		return undefined;
	};
	if (!prefix) return why(`${variable} is not set (bash .ci/run installs pi from npm and sets it)`);
	const root = resolve(prefix, "node_modules");
	if (version === "0.73.1") {
		const packageDir = join(root, "@mariozechner/pi-coding-agent");
		const cli = join(packageDir, "dist/cli.js");
		if (!existsSync(cli)) return why(`${variable}=${prefix} holds no @mariozechner/pi-coding-agent (${cli})`);
		const node = Bun.which("node");
		if (!node) return why("node is not on PATH");
		return { version, packageDir, command: [node, cli] };
	}
	const packageDir = join(root, "@earendil-works/pi-coding-agent");
	const cli = join(packageDir, "dist/bundle/cli.js");
	const arch = process.arch === "arm64" ? "arm64" : "x64";
	const node = join(root, `node-linux-${arch}`, "bin/node");
	if (!existsSync(cli)) return why(`${variable}=${prefix} holds no @earendil-works/pi-coding-agent (${cli})`);
	if (!existsSync(node)) return why(`${variable}=${prefix} holds no Node 22 (${node}; npm package node-linux-${arch})`);
	return { version, packageDir, command: [node, cli] };
}

let cached073: ReferencePi | null | undefined;
let cached160: ReferencePi | null | undefined;

/** pi 0.73.1, or undefined (with the reason printed once) when it is not installed. */
export function referencePi073(): ReferencePi | undefined {
	if (cached073 === undefined) cached073 = locate("PI_REF_073_DIR", "0.73.1") ?? null;
	return cached073 ?? undefined;
}

/** pi 1.6.0, or undefined (with the reason printed once) when it is not installed. */
export function referencePi160(): ReferencePi | undefined {
	if (cached160 === undefined) cached160 = locate("PI_REF_160_DIR", "1.6.0") ?? null;
	return cached160 ?? undefined;
}
