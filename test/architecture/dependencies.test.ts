/**
 * The direction of dependencies between the folders that carry credentials and models: ai/ (wire protocols,
 * catalog) knows nothing of auth/ (credential storage, OAuth) or registry/ (models.json + credentials); auth/ may
 * use ai/'s types and catalog; registry/ sits above both. A cycle here once made every OAuth login load a
 * provider module.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../src");

/** Top-level src folders each file under `folder` imports (relative imports only; packages are not folders). */
function importedFolders(folder: string): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const name of readdirSync(join(SRC, folder), { recursive: true, encoding: "utf8" })) {
		if (!name.endsWith(".ts")) continue;
		const file = join(SRC, folder, name);
		const text = readFileSync(file, "utf-8");
		for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
			const target = relative(SRC, resolve(dirname(file), match[1] ?? ""));
			const top = target.split("/")[0] ?? "";
			if (top === folder || top.endsWith(".ts")) continue;
			found.set(top, [...(found.get(top) ?? []), relative(SRC, file)]);
		}
	}
	return found;
}

test("ai/ depends only on util/: credentials are handed to it, never looked up", () => {
	const folders = importedFolders("ai");
	expect([...folders.keys()].filter((top) => top !== "util")).toEqual([]);
});

test("auth/ never imports registry/ (the registry is built from auth/ and ai/)", () => {
	const folders = importedFolders("auth");
	expect(folders.get("registry")).toBeUndefined();
	expect([...folders.keys()].filter((top) => !["ai", "util", "config"].includes(top))).toEqual([]);
});
