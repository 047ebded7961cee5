import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentTool, AgentToolResult } from "../../src/agent/types.ts";
import { errorMessage } from "../../src/util/errors.ts";

export function tempDir(prefix = "pi-tools-"): string {
	return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** Parse raw arguments like the agent loop does, then execute. */
export async function run<TArgs, TDetails>(
	tool: AgentTool<TArgs, TDetails>,
	raw: unknown,
	options: { signal?: AbortSignal; onUpdate?: (partial: AgentToolResult<TDetails>) => void } = {},
): Promise<AgentToolResult<TDetails>> {
	const args = tool.parseArgs(raw);
	return tool.execute("call-1", args, options.signal ?? new AbortController().signal, options.onUpdate ?? (() => {}));
}

export function textOf(result: AgentToolResult<unknown>): string {
	return result.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

export async function errorOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		return errorMessage(error);
	}
	throw new Error("expected the tool to fail");
}
