/**
 * The system prompt's parts a run starts with: SYSTEM.md / APPEND_SYSTEM.md (or --system-prompt and
 * --append-system-prompt), context files, skills, the docs paths, and the tools switched on from the start.
 */

import { dirname, join } from "node:path";
import { resolvePromptSource } from "../agent/context-files.ts";
import { type PromptBase, PromptLoadout } from "../agent/prompt-loadout.ts";
import { ToolSet } from "../agent/session/tool-set.ts";
import { selectTools, type ToolSelection } from "../agent/tool-selection.ts";
import type { AgentTool } from "../agent/types.ts";
import { agentDir } from "../config/paths.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { ParsedArgs } from "./args.ts";

export async function createPromptLoadout(options: {
	cwd: string;
	args: ParsedArgs;
	settings: SettingsManager;
	/** SYSTEM.md and APPEND_SYSTEM.md of the project are read only when it is trusted. */
	trusted: boolean;
	contextFiles: PromptBase["contextFiles"];
	skills: PromptBase["skills"];
	tools: [string, AgentTool][];
}): Promise<{ loadout: PromptLoadout; selection: ToolSelection }> {
	const { cwd, args, trusted, tools } = options;
	const customPrompt = resolvePromptSource(args.systemPrompt, cwd, agentDir(), "SYSTEM.md", trusted);
	const appendPrompt =
		(args.appendSystemPrompt ?? [])
			.map((value) => resolvePromptSource(value, cwd, agentDir(), "APPEND_SYSTEM.md", trusted))
			.filter((text): text is string => Boolean(text))
			.join("\n\n") || resolvePromptSource(undefined, cwd, agentDir(), "APPEND_SYSTEM.md", trusted);
	const selection = selectTools({
		tools: args.tools,
		excludeTools: args.excludeTools,
		noTools: args.noTools,
		noBuiltinTools: args.noBuiltinTools,
		defaultTools: options.settings.getDefaultTools(),
	});
	const { readmePath } = await import("../docs/readme.ts");
	const readme = readmePath();
	const loadout = new PromptLoadout(
		{
			cwd,
			customPrompt,
			appendSystemPrompt: appendPrompt || undefined,
			contextFiles: options.contextFiles,
			skills: options.skills,
			readmePath: readme,
			docsPath: join(dirname(readme), "docs"),
			examplesPath: join(dirname(readme), "examples"),
		},
		// Tools an allowlist names or matches are on from the start, in registry order after the listed ones (pi).
		new ToolSet(
			new Map(tools),
			[...selection.initialActive, ...tools.map(([name]) => name).filter((name) => selection.filter.isNamed(name))],
			selection.filter,
		),
	);
	return { loadout, selection };
}
