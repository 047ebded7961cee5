/**
 * pi 1.6.0's own resource loader and template expansion (installed where PI_REF_160_DIR says, see
 * test/support/reference-pi.ts), for side-by-side comparisons: where 0.73.1 and 1.6.0 differ, 1.6.0 is the
 * reference. Tests using it are skipped where pi 1.6.0 is not installed.
 */
import { join } from "node:path";
import { referencePi160 } from "../support/reference-pi.ts";

const PI_DIST = join(referencePi160()?.packageDir ?? "", "dist");
export const hasPiResources = referencePi160() !== undefined;

function call(target: unknown, method: string, ...args: unknown[]): unknown {
	const fn: unknown = Reflect.get(Object(target), method);
	if (typeof fn !== "function") throw new Error(`${method} is not a method`);
	return Reflect.apply(fn, target, args);
}

async function exported(module: string, name: string): Promise<unknown> {
	const mod: unknown = await import(join(PI_DIST, module));
	if (typeof mod !== "object" || mod === null) throw new Error(`${module} did not load`);
	return Reflect.get(mod, name);
}

/** A plain-data copy (drops undefined fields, as JSON does). */
function plain(value: unknown): unknown {
	const copy: unknown = JSON.parse(JSON.stringify(value));
	return copy;
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
	const SettingsManager = await exported("core/settings-manager.js", "SettingsManager");
	const settingsManager = call(SettingsManager, "create", options.cwd, options.agentDir);
	const Loader = await exported("core/resource-loader.js", "DefaultResourceLoader");
	if (typeof Loader !== "function") throw new Error("DefaultResourceLoader missing");
	const loader: unknown = Reflect.construct(Loader, [
		{
			cwd: options.cwd,
			agentDir: options.agentDir,
			settingsManager,
			additionalSkillPaths: options.skillPaths ?? [],
			noSkills: options.noSkills ?? false,
			additionalPromptTemplatePaths: options.templatePaths ?? [],
			noPromptTemplates: options.noTemplates ?? false,
			noExtensions: true,
			noThemes: true,
			noContextFiles: true,
		},
	]);
	await call(loader, "reload");
	return { skills: plain(call(loader, "getSkills")), prompts: plain(call(loader, "getPrompts")) };
}

/** pi's AgentSession expansion: `/skill:name` then templates, via its exported helpers. */
export async function piExpandTemplate(text: string, templates: unknown): Promise<string> {
	const expand = await exported("core/prompt-templates.js", "expandPromptTemplate");
	if (typeof expand !== "function") throw new Error("expandPromptTemplate missing");
	const out: unknown = expand(text, templates);
	if (typeof out !== "string") throw new Error("no expansion");
	return out;
}
