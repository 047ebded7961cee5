/**
 * The tools extensions registered, kept apart so a reload or a session replacement can swap the whole set: a tool
 * an extension tool replaced (a built-in, an MCP tool) comes back when the extension tool goes away.
 */
import type { PromptLoadout } from "../prompt-loadout.ts";
import type { AgentTool } from "../types.ts";

export class ExtensionTools {
	private names = new Set<string>();
	private readonly replaced = new Map<string, AgentTool>();

	constructor(private readonly loadout: PromptLoadout) {}

	/** Replaces the previous set; `activates` says which new ones switch on. */
	set(tools: readonly AgentTool[], activates: (tool: AgentTool) => boolean): void {
		const names = new Set(tools.map((tool) => tool.name));
		for (const name of this.names) {
			if (names.has(name)) continue;
			const replaced = this.replaced.get(name);
			this.replaced.delete(name);
			if (replaced) this.loadout.registerTools([replaced]);
			else this.loadout.unregisterTools([name]);
		}
		for (const name of names) {
			const existing = this.names.has(name) ? undefined : this.loadout.getTool(name);
			if (existing) this.replaced.set(name, existing);
		}
		this.names = names;
		// A resumed session's recorded tools that are not registered yet switch on when they are (ToolSet's pending).
		this.loadout.registerTools(tools, activates);
	}
}
