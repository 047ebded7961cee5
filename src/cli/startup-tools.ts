/**
 * The tools a run starts with: the built-in ones (their bash commands see pi 1.6.0's PI_* session variables) and,
 * only when a server is configured or a tool asks for it, MCP's.
 */

import type { AgentSession } from "../agent/agent-session.ts";
import type { AgentTool } from "../agent/types.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { ExtensionHost } from "../extensions/host.ts";
import type { McpSetup } from "../mcp/setup.ts";
import { mcpConfigForRun } from "../mcp/wanted.ts";
import { createBuiltinTools } from "../tools/registry.ts";
import type { ParsedArgs } from "./args.ts";

/** pi 1.6.0's PI_* variables for the bash tool's commands: which session, file, model and thinking level. */
function sessionEnvironment(session: AgentSession): Record<string, string> {
	const env: Record<string, string> = { PI_SESSION_ID: session.sessionId };
	if (session.sessionFile) env.PI_SESSION_FILE = session.sessionFile;
	if (session.model) {
		env.PI_PROVIDER = session.model.provider;
		env.PI_MODEL = session.model.id;
	}
	env.PI_REASONING_LEVEL = session.thinkingLevel;
	return env;
}

export async function createStartupTools(options: {
	cwd: string;
	args: ParsedArgs;
	settings: SettingsManager;
	projectTrusted: boolean;
	extensionHost: ExtensionHost | undefined;
	/** The session the tools serve: created after them, read only when a tool runs. */
	session: () => AgentSession;
}): Promise<{ tools: [string, AgentTool][]; mcp: McpSetup | undefined }> {
	const { cwd, args, settings, extensionHost } = options;
	const tools = createBuiltinTools(cwd, {
		shellPath: settings.settings.shellPath,
		shellCommandPrefix: settings.settings.shellCommandPrefix,
		autoResizeImages: settings.getImageAutoResize(),
		sessionEnvironment: () => sessionEnvironment(options.session()),
		imageResizeOptions: () => options.session().model?.inputLimits?.images?.resize,
	});
	// MCP servers, codemode, tool_search: nothing of theirs loads unless a server is configured or a tool asked for.
	const requestedTools = [...(args.tools ?? []), ...(settings.getDefaultTools() ?? [])];
	const mcpConfig = mcpConfigForRun({
		cwd,
		noMcp: args.noMcp === true,
		// A project's .pi/mcp.json can start programs: it is read only in trusted projects.
		projectTrusted: options.projectTrusted,
		requestedTools,
		extensions: extensionHost !== undefined,
	});
	if (!mcpConfig) return { tools, mcp: undefined };
	const { McpSetup } = await import("../mcp/setup.ts");
	const mcp = McpSetup.create(
		{
			cwd,
			noMcp: args.noMcp === true,
			projectTrusted: options.projectTrusted,
			inlineBudget: settings.settings.codemode?.inlineBudget,
			codemodeMode: settings.settings.codemode?.mode,
		},
		mcpConfig,
		args.noMcp ? undefined : extensionHost,
	);
	for (const tool of mcp.tools) tools.push([tool.name, tool]);
	return { tools, mcp };
}
