/** Export entry points for a running session: `/export` in interactive mode and RPC `export_html`. */
import type { AgentSession } from "../agent/agent-session.ts";
import { exportSessionToHtml } from "./export-html.ts";
import { exportBranchToJsonl } from "./export-jsonl.ts";

/** HTML of the whole session (all branches) with the current system prompt and tools; returns the written path. */
export function exportAgentSessionToHtml(session: AgentSession, outputPath?: string): string {
	return exportSessionToHtml(
		session.sessionManager,
		{ systemPrompt: session.systemPrompt, tools: session.agent.state.tools },
		outputPath,
	);
}

/** `/export [path]` as pi: a `.jsonl` path writes the current branch as a session file, anything else HTML. */
export function exportForCommand(session: AgentSession, outputPath: string | undefined): string {
	if (outputPath?.endsWith(".jsonl")) return exportBranchToJsonl(session.sessionManager, outputPath);
	return exportAgentSessionToHtml(session, outputPath);
}

/** pi's argument rule for `/export`: the first word, or a '…' / "…" quoted path (unclosed quote → none). */
export function parsePathArgument(args: string): string | undefined {
	const text = args.trimStart();
	if (!text) return undefined;
	const quote = text[0];
	if (quote === '"' || quote === "'") {
		const end = text.indexOf(quote, 1);
		return end < 0 ? undefined : text.slice(1, end);
	}
	const space = text.search(/\s/);
	return space < 0 ? text : text.slice(0, space);
}
