/**
 * pi 0.73.1's own resource loader and system prompt builder (installed where PI_REF_073_DIR says, see
 * test/support/reference-pi.ts), for side-by-side comparisons. Tests using it are skipped where pi is not installed.
 */
import { join } from "node:path";
import { callMethod as call, hasPi, PI_ROOT } from "../session/pi-ref.ts";

const PI_DIST = join(PI_ROOT, "dist");
export const hasPiResources = hasPi;

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
