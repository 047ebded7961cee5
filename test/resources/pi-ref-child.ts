/**
 * Runs in a child process for pi-ref.ts: pi 1.6.0's own resource loader or template expansion, answer as JSON on
 * stdout. A child, because `bun test` runs every test file in one process, and once an extension test has registered
 * our module shims (src/extensions/modules/register.ts), pi's own imports of `@earendil-works/pi-tui` would resolve
 * to our pi-tui instead of pi's.
 *
 * argv: <pi dist folder> <"load" | "expand"> <JSON arguments>
 */
import { join } from "node:path";

function call(target: unknown, method: string, ...args: unknown[]): unknown {
	const fn: unknown = Reflect.get(Object(target), method);
	if (typeof fn !== "function") throw new Error(`${method} is not a method`);
	return Reflect.apply(fn, target, args);
}

async function exported(dist: string, module: string, name: string): Promise<unknown> {
	const mod: unknown = await import(join(dist, module));
	if (typeof mod !== "object" || mod === null) throw new Error(`${module} did not load`);
	return Reflect.get(mod, name);
}

function field(value: unknown, name: string): unknown {
	return typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined;
}

async function load(dist: string, options: unknown): Promise<unknown> {
	const SettingsManager = await exported(dist, "core/settings-manager.js", "SettingsManager");
	const settingsManager = call(SettingsManager, "create", field(options, "cwd"), field(options, "agentDir"));
	const Loader = await exported(dist, "core/resource-loader.js", "DefaultResourceLoader");
	if (typeof Loader !== "function") throw new Error("DefaultResourceLoader missing");
	const loader: unknown = Reflect.construct(Loader, [
		{
			cwd: field(options, "cwd"),
			agentDir: field(options, "agentDir"),
			settingsManager,
			additionalSkillPaths: field(options, "skillPaths") ?? [],
			noSkills: field(options, "noSkills") ?? false,
			additionalPromptTemplatePaths: field(options, "templatePaths") ?? [],
			noPromptTemplates: field(options, "noTemplates") ?? false,
			noExtensions: true,
			noThemes: true,
			noContextFiles: true,
		},
	]);
	await call(loader, "reload");
	return { skills: call(loader, "getSkills"), prompts: call(loader, "getPrompts") };
}

async function expand(dist: string, args: unknown): Promise<unknown> {
	const expandPromptTemplate = await exported(dist, "core/prompt-templates.js", "expandPromptTemplate");
	if (typeof expandPromptTemplate !== "function") throw new Error("expandPromptTemplate missing");
	return expandPromptTemplate(field(args, "text"), field(args, "templates"));
}

const [dist, what, json] = process.argv.slice(2);
if (!dist || !json || (what !== "load" && what !== "expand"))
	throw new Error("usage: pi-ref-child.ts <dist> load|expand <json>");
const args: unknown = JSON.parse(json);
const answer = what === "load" ? await load(dist, args) : await expand(dist, args);
process.stdout.write(JSON.stringify(answer));
