/**
 * The pi packages extensions import, provided by the binary itself: `@earendil-works/pi-coding-agent` (and the old
 * `@mariozechner/…` scope), `…/pi-ai` with its subpaths, `…/pi-agent-core`, `…/pi-tui`, and TypeBox as `typebox` or
 * `@sinclair/typebox` (pi maps both names to TypeBox 1.x). A Bun runtime plugin answers these names before normal
 * resolution, so an extension needs no node_modules for them, and both scopes share one module object (the same
 * classes and registries). Each module is built on first import; nothing here runs unless an extension loads.
 */
import { plugin } from "bun";
import { isCompiledBinary } from "../../docs/readme.ts";

type ModuleBuilder = () => Promise<Record<string, unknown>>;

function once(build: ModuleBuilder): ModuleBuilder {
	let built: Promise<Record<string, unknown>> | undefined;
	return () => {
		built ??= build();
		return built;
	};
}

/** A module namespace as a plain object the plugin can serve (own enumerable properties, `default` included). */
function plain(namespace: object): Record<string, unknown> {
	return { ...namespace };
}

const codingAgent = once(async () => (await import("./coding-agent.ts")).buildCodingAgentModule());
const piAi = once(async () => (await import("./pi-ai.ts")).buildPiAiModule());
const piAiModels = once(async () => (await import("./pi-ai-subpaths.ts")).buildModelsModule());
const piAiOauth = once(async () => (await import("./pi-ai-subpaths.ts")).buildOAuthModule());
const piAiProviders = once(async () => (await import("./pi-ai-subpaths.ts")).buildProvidersModule());
const agentCore = once(async () => (await import("./agent-core.ts")).buildAgentCoreModule());
const piTui = once(async () => (await import("./pi-tui.ts")).buildPiTuiModule());
/**
 * The real TypeBox. In the compiled binary the bundler resolved these imports already; run from the sources, a bare
 * "typebox" would come back to this plugin (our own modules import it too), so it is imported by file path there.
 */
const realTypebox = {
	root: () => (isCompiledBinary() ? import("typebox") : import(Bun.resolveSync("typebox", import.meta.dir))),
	compile: () =>
		isCompiledBinary() ? import("typebox/compile") : import(Bun.resolveSync("typebox/compile", import.meta.dir)),
	value: () =>
		isCompiledBinary() ? import("typebox/value") : import(Bun.resolveSync("typebox/value", import.meta.dir)),
};
const typebox = once(async () => plain(await realTypebox.root()));
const typeboxCompile = once(async () => plain(await realTypebox.compile()));
const typeboxValue = once(async () => plain(await realTypebox.value()));

const MODULES: Record<string, ModuleBuilder> = {
	typebox,
	"typebox/compile": typeboxCompile,
	"typebox/value": typeboxValue,
	"@sinclair/typebox": typebox,
	"@sinclair/typebox/compile": typeboxCompile,
	"@sinclair/typebox/value": typeboxValue,
};
for (const scope of ["@earendil-works", "@mariozechner"]) {
	MODULES[`${scope}/pi-coding-agent`] = codingAgent;
	MODULES[`${scope}/pi-ai`] = piAi;
	MODULES[`${scope}/pi-ai/compat`] = piAi;
	MODULES[`${scope}/pi-ai/models`] = piAiModels;
	MODULES[`${scope}/pi-ai/oauth`] = piAiOauth;
	MODULES[`${scope}/pi-ai/providers/all`] = piAiProviders;
	MODULES[`${scope}/pi-agent-core`] = agentCore;
	MODULES[`${scope}/pi-tui`] = piTui;
}

/** The module names we answer, for tests and the README. */
export const PROVIDED_MODULES: readonly string[] = Object.keys(MODULES);

let installed = false;

/** Registers the plugin once per process. */
export function installExtensionModules(): void {
	if (installed) return;
	installed = true;
	plugin({
		name: "pi-extension-modules",
		setup(build) {
			for (const [specifier, load] of Object.entries(MODULES)) {
				build.module(specifier, async () => ({ exports: await load(), loader: "object" }));
			}
		},
	});
}

/** The exports object served for `specifier` (tests compare it with the published packages). */
export function loadProvidedModule(specifier: string): Promise<Record<string, unknown>> {
	const load = MODULES[specifier];
	if (!load) throw new Error(`not a provided module: ${specifier}`);
	return load();
}
