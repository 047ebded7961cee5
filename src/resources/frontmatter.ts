/**
 * YAML frontmatter of skill and template files: a block between a leading `---` and the next line starting with
 * `---`. Line endings are normalised first, as pi does, so CRLF files parse the same.
 */

import { stripBom } from "../util/text-file.ts";

export interface ParsedMarkdown {
	frontmatter: Record<string, unknown>;
	/** Text after the frontmatter, trimmed; the whole (normalised) text when there is none. */
	body: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Throws when the YAML is malformed; callers turn that into a diagnostic. A leading byte-order mark (Windows
 * editors) is dropped first, as pi does, or the `---` would not be seen and a SKILL.md would lose its description.
 */
export function parseFrontmatter(content: string): ParsedMarkdown {
	const text = stripBom(content).replace(/\r\n/g, "\n").replace(/\r/g, "\n");
	if (!text.startsWith("---")) return { frontmatter: {}, body: text };
	const end = text.indexOf("\n---", 3);
	if (end === -1) return { frontmatter: {}, body: text };
	const yaml = text.slice(4, end);
	const body = text.slice(end + 4).trim();
	if (yaml === "") return { frontmatter: {}, body };
	const parsed: unknown = Bun.YAML.parse(yaml);
	return { frontmatter: isRecord(parsed) ? parsed : {}, body };
}

/** A frontmatter value that is a non-empty string, else undefined (YAML may give numbers, lists, null...). */
export function stringField(frontmatter: Record<string, unknown>, key: string): string | undefined {
	const value = frontmatter[key];
	return typeof value === "string" && value !== "" ? value : undefined;
}
