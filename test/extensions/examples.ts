/**
 * pi's example extensions for tests: read from the installed reference package when there is one (CI), else from
 * the unchanged copies in test/fixtures/pi-examples. Tests copy an example into their own temp folder, so they can add
 * what its README asks for (a node_modules, a git repository) without touching the original.
 */
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type PiVersion, referenceExamplesDir } from "./upstream-packages.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/pi-examples");

/** The example's original location (file or folder). */
export function examplePath(version: PiVersion, name: string): string {
	const reference = referenceExamplesDir(version);
	if (reference && existsSync(join(reference, name))) return join(reference, name);
	const fixture = join(FIXTURES, version, name);
	if (!existsSync(fixture)) throw new Error(`example ${name} of pi ${version} is neither installed nor a fixture`);
	return fixture;
}

/** A private copy of the example; returns the path to pass to `-e`. */
export function copyExample(version: PiVersion, name: string, into?: string): string {
	const folder = into ?? mkdtempSync(join(tmpdir(), "pi-example-"));
	const target = join(folder, basename(name));
	cpSync(examplePath(version, name), target, { recursive: true });
	return target;
}
