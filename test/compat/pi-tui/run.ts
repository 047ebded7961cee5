/**
 * Runs pi 1.6.0's pi-tui (installed from npm, see test/support/reference-pi.ts) on the same cases as ours through
 * driver.mjs, so the key parser, the editor and the /tree selector can be compared with pi's own, case by case.
 */
import { join } from "node:path";
import * as v from "valibot";
import { referencePi160 } from "../../support/reference-pi.ts";

export interface KeyCase {
	data: string;
	kitty: boolean;
}

export type EditorStep = { key: string } | { history: string } | { setText: string };

export interface EditorCase {
	name: string;
	steps: EditorStep[];
	width?: number;
}

export interface EditorResult {
	text: string;
	cursor: { line: number; col: number };
	submitted: string[];
	lines: string[];
}

export interface TreeCase {
	name: string;
	/** Session tree nodes as SessionManager.getTree() returns them. */
	tree: unknown[];
	leafId: string | null;
	height: number;
	width: number;
	/** Keys pressed, one frame rendered after each. */
	steps: string[];
	filter?: string;
}

export interface AutocompleteCommand {
	name: string;
	description: string;
	argumentHint?: string;
	/** Argument completions: the items whose value starts with the typed argument. */
	args?: { value: string; label: string; description?: string }[];
}

export interface AutocompleteCase {
	name: string;
	commands: AutocompleteCommand[];
	/** Folder for path completion. */
	cwd: string;
	width: number;
	steps: string[];
}

export interface ModelRef {
	provider: string;
	id: string;
}

export interface ModelSelectorCase {
	name: string;
	models: unknown[];
	current?: ModelRef;
	scoped: ModelRef[];
	defaultModel?: ModelRef;
	search?: string;
	steps: string[];
	width: number;
}

const FrameSchema = v.object({
	text: v.string(),
	cursor: v.object({ line: v.number(), col: v.number() }),
	lines: v.array(v.string()),
});

const ResultsSchema = v.object({
	keys: v.array(v.object({ id: v.nullable(v.string()), printable: v.nullable(v.string()) })),
	/** Per match case: the specs it matches. */
	matches: v.array(v.array(v.string())),
	editors: v.array(
		v.object({
			text: v.string(),
			cursor: v.object({ line: v.number(), col: v.number() }),
			submitted: v.array(v.string()),
			lines: v.array(v.string()),
		}),
	),
	trees: v.array(v.object({ frames: v.array(v.array(v.string())), events: v.array(v.string()) })),
	autocompletes: v.array(v.object({ frames: v.array(FrameSchema), submitted: v.array(v.string()) })),
	modelSelectors: v.array(v.object({ frames: v.array(v.array(v.string())), events: v.array(v.string()) })),
});

export type PiTuiResults = v.InferOutput<typeof ResultsSchema>;

/** pi's results, or undefined when pi 1.6.0 is not installed (the reason is printed by referencePi160). */
export function runPiTui(input: {
	keys?: KeyCase[];
	/** Key sequences checked against every spec of `specs`. */
	matches?: KeyCase[];
	specs?: string[];
	editors?: EditorCase[];
	trees?: TreeCase[];
	autocompletes?: AutocompleteCase[];
	modelSelectors?: ModelSelectorCase[];
}): PiTuiResults | undefined {
	const pi = referencePi160();
	if (!pi) return undefined;
	const node = pi.command[0] ?? "node";
	const prefix = join(pi.packageDir, "../../..");
	const result = Bun.spawnSync([node, join(import.meta.dir, "driver.mjs"), prefix], {
		stdin: Buffer.from(JSON.stringify(input)),
		stdout: "pipe",
		stderr: "pipe",
	});
	if (result.exitCode !== 0) throw new Error(`pi-tui driver failed: ${result.stderr.toString()}`);
	return v.parse(ResultsSchema, JSON.parse(result.stdout.toString()));
}
