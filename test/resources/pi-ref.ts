/**
 * pi 1.6.0's own resource loader and template expansion (installed where PI_REF_160_DIR says, see
 * test/support/reference-pi.ts), for side-by-side comparisons: where 0.73.1 and 1.6.0 differ, 1.6.0 is the
 * reference. Tests using it are skipped where pi 1.6.0 is not installed.
 */
import { join } from "node:path";
import { referencePi160 } from "../support/reference-pi.ts";
import { runCommand } from "../support/run-command.ts";

const pi160 = referencePi160();
const PI_DIST = join(pi160?.packageDir ?? "", "dist");
export const hasPiResources = pi160 !== undefined;

const CHILD = join(import.meta.dir, "pi-ref-child.ts");

/** Runs pi's code in a child process (see pi-ref-child.ts for why) and parses its JSON answer. */
async function inChild(what: "load" | "expand", args: unknown): Promise<unknown> {
	// On pi's own Node (22.18+ runs the .ts child as is), not Bun: pi runs on Node, and Node's readdir returns
	// names sorted where Bun's gives the file system's order, which decides the order skills are found in.
	const node = pi160?.command[0] ?? "node";
	// The tests point HOME at their layout; pass the environment as it is now.
	const { exitCode, stdout, stderr } = await runCommand([node, CHILD, PI_DIST, what, JSON.stringify(args)], {
		env: { ...process.env },
	});
	if (exitCode !== 0) throw new Error(`pi 1.6.0's ${what} failed (exit ${exitCode}): ${stderr}`);
	const answer: unknown = JSON.parse(stdout);
	return answer;
}

export interface PiLoadOptions {
	cwd: string;
	agentDir: string;
	skillPaths?: string[];
	noSkills?: boolean;
	templatePaths?: string[];
	noTemplates?: boolean;
}

/** What pi's DefaultResourceLoader loads for the same folders and flags (extensions and themes off). */
export async function piLoadResources(options: PiLoadOptions): Promise<{ skills: unknown; prompts: unknown }> {
	const answer = await inChild("load", options);
	return {
		skills: typeof answer === "object" && answer !== null ? Reflect.get(answer, "skills") : undefined,
		prompts: typeof answer === "object" && answer !== null ? Reflect.get(answer, "prompts") : undefined,
	};
}

/** pi's AgentSession expansion: `/skill:name` then templates, via its exported helpers. */
export async function piExpandTemplate(text: string, templates: unknown): Promise<string> {
	const out = await inChild("expand", { text, templates });
	if (typeof out !== "string") throw new Error("no expansion");
	return out;
}
