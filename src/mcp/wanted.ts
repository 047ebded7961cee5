/**
 * Whether this run needs MCP, codemode or tool_search at all, decided before any of their code loads: reads the
 * mcp.json files (when MCP is not off) and looks at the tools `--tools` and the `defaultTools` setting name. start.ts imports setup.ts only when
 * this says yes, so a run without servers pays nothing for them.
 */
import { type LoadedMcpConfig, loadMcpConfig } from "./config-file.ts";

const DISCOVERY_TOOLS = ["codemode", "tool_search"];

export function mcpConfigForRun(options: {
	cwd: string;
	noMcp: boolean;
	projectTrusted: boolean;
	requestedTools: readonly string[];
	/** Extensions are loaded: they may register MCP servers at any time (pi.registerMcpServer). */
	extensions: boolean;
}): LoadedMcpConfig | undefined {
	const config: LoadedMcpConfig = options.noMcp
		? { servers: [], errors: [], autoEnableCodemode: true }
		: loadMcpConfig({ cwd: options.cwd, projectTrusted: options.projectTrusted });
	// `--tools +codemode` and `"defaultTools": ["+codemode"]` ask for it as much as a plain name does.
	const wanted = options.requestedTools.some((name) => DISCOVERY_TOOLS.includes(name.replace(/^\+/, "")));
	const registering = options.extensions && !options.noMcp;
	if (config.servers.length === 0 && config.errors.length === 0 && !wanted && !registering) return undefined;
	return config;
}
