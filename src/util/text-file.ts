/**
 * Reading the files users edit by hand (settings.json, auth.json, models.json, mcp.json, package.json, ...).
 * Windows editors may start them with a UTF-8 byte-order mark, which JSON.parse rejects; pi strips it everywhere.
 */
import { readFileSync } from "node:fs";

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The file's text as UTF-8, without a leading byte-order mark. */
export function readTextFileSync(path: string): string {
	return stripBom(readFileSync(path, "utf8"));
}
