/**
 * What both example censuses share (scripts/extension-census.ts in RPC mode, scripts/extension-ui-census.ts in a
 * terminal): where pi's examples are, the pi binary to run, an example's source, and whether it draws custom TUI
 * components.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const REFERENCES = [
	{ version: "0.73.1", env: "PI_REF_073_DIR", scope: "@mariozechner" },
	{ version: "1.6.0", env: "PI_REF_160_DIR", scope: "@earendil-works" },
] as const;

export const CUSTOM_UI = /\.custom\s*[(<]|setEditorComponent|setFooter\s*\(|setHeader\s*\(|overlay\s*:/;

/** An example's TypeScript, its folder's files joined. */
export function sourceText(path: string): string {
	if (statSync(path).isFile()) return readFileSync(path, "utf8");
	return readdirSync(path, { recursive: true })
		.map(String)
		.filter((file) => /\.(ts|js)$/.test(file) && !file.includes("node_modules"))
		.map((file) => readFileSync(join(path, file), "utf8"))
		.join("\n");
}

/** `--only <prefix>` from the command line. */
export const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

/** The compiled binary when there is one (PI_TEST_BINARY, else dist/pi), announced. */
export function useBinary(): void {
	if (!process.env.PI_TEST_BINARY) {
		const binary = resolve(import.meta.dir, "../dist/pi");
		if (existsSync(binary)) process.env.PI_TEST_BINARY = binary;
	}
	console.log(`pi binary: ${process.env.PI_TEST_BINARY ?? "(sources)"}`);
}

/** Each reference pi that is installed, with its examples folder and the example names (`--only` applied). */
export function referenceExamples(): { version: string; dir: string; names: string[] }[] {
	const found: { version: string; dir: string; names: string[] }[] = [];
	for (const reference of REFERENCES) {
		const root = process.env[reference.env];
		if (!root) {
			console.log(`\npi ${reference.version}: ${reference.env} is not set, skipped`);
			continue;
		}
		const dir = join(root, "node_modules", reference.scope, "pi-coding-agent", "examples", "extensions");
		const names = readdirSync(dir)
			.filter((name) => name !== "README.md" && (!only || name.startsWith(only)))
			.sort();
		found.push({ version: reference.version, dir, names });
	}
	return found;
}
