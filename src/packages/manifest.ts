/** The `pi` key of a package's package.json (docs/packages.md "Create a package"). */
import * as v from "valibot";
import { readTextFileSync } from "../util/text-file.ts";

const stringList = v.array(v.string());

const ManifestSchema = v.object({
	pi: v.looseObject({
		extensions: v.optional(v.unknown()),
		skills: v.optional(v.unknown()),
		prompts: v.optional(v.unknown()),
		themes: v.optional(v.unknown()),
		changelogPath: v.optional(v.unknown()),
	}),
});

export interface PiManifest {
	extensions?: string[];
	skills?: string[];
	prompts?: string[];
	themes?: string[];
	changelogPath?: string;
}

export const RESOURCE_TYPES = ["extensions", "skills", "prompts", "themes"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** The manifest, or null without a package.json, without a `pi` object, or when it does not parse. Fields of the wrong type are ignored. */
export function readPiManifest(packageJsonPath: string): PiManifest | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readTextFileSync(packageJsonPath));
	} catch {
		return null;
	}
	const result = v.safeParse(ManifestSchema, parsed);
	if (!result.success) return null;
	const manifest: PiManifest = {};
	for (const field of RESOURCE_TYPES) {
		const entries = v.safeParse(stringList, result.output.pi[field]);
		if (entries.success) manifest[field] = entries.output;
	}
	if (typeof result.output.pi.changelogPath === "string") manifest.changelogPath = result.output.pi.changelogPath;
	return manifest;
}

/** A `pi` object that only holds metadata (changelogPath, gallery images) still means "use the conventional folders". */
export function listsResources(manifest: PiManifest): boolean {
	return RESOURCE_TYPES.some((type) => manifest[type] !== undefined);
}
