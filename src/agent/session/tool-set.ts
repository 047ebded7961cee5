/**
 * The session's tools (pi 1.6.0): every registered tool, the active ones (declared to the model), and the callable
 * ones (what codemode scripts may call: active `direct` tools and every `codemode`/`deferred` tool). Tools can be
 * registered while the session runs (MCP servers connect in the background); registering a `direct` tool activates
 * it, unless a `--tools` allowlist leaves it out. `hidden` tools are never active or callable.
 */
import { toolPatternRegExp } from "../../mcp/config.ts";
import { isMcpToolName } from "../../mcp/naming.ts";
import type { AgentTool, ToolExposure } from "../types.ts";

/** What `--tools` / `--exclude-tools` allow (see createToolFilter). */
export interface ToolFilter {
	/** Whether the tool may be registered at all. */
	isAllowed(name: string): boolean;
	/** Whether a `--tools` allowlist names or matches it (undefined: there is no allowlist). */
	isNamed(name: string): boolean | undefined;
}

export const ALLOW_ALL: ToolFilter = { isAllowed: () => true, isNamed: () => undefined };

/** Whether a name matches one of the entries: exact names, or patterns where `*` matches any characters. */
export function toolNameMatcher(entries: readonly string[]): (name: string) => boolean {
	const names = new Set(entries.filter((entry) => !entry.includes("*")));
	const patterns = entries.filter((entry) => entry.includes("*")).map(toolPatternRegExp);
	return (name) => names.has(name) || patterns.some((pattern) => pattern.test(name));
}

/**
 * `--tools` (an allowlist of names and `*` patterns) and `--exclude-tools` (removed last), as pi 1.6.0 applies them:
 * MCP tools stay registered unless an allowlist entry starts with `mcp__`, but only named ones become active.
 */
export function createToolFilter(
	allow: readonly string[] | undefined,
	exclude: readonly string[] | undefined,
): ToolFilter {
	const allowed = allow ? toolNameMatcher(allow) : undefined;
	const excluded = exclude?.length ? toolNameMatcher(exclude) : undefined;
	// pi 1.6.0: an empty allowlist (--no-tools) removes MCP tools too.
	const filtersMcp = allow !== undefined && (allow.length === 0 || allow.some((entry) => entry.startsWith("mcp__")));
	return {
		isAllowed: (name) => {
			if (excluded?.(name)) return false;
			if (!allowed || allowed(name)) return true;
			return !filtersMcp && isMcpToolName(name);
		},
		isNamed: (name) => (allowed ? allowed(name) : undefined),
	};
}

function exposureOf(tool: AgentTool | undefined): ToolExposure {
	return tool?.exposure ?? "direct";
}

function isDirect(tool: AgentTool): boolean {
	return exposureOf(tool) === "direct";
}

export class ToolSet {
	private readonly tools: Map<string, AgentTool>;
	private activeNames: string[];
	private pendingNames = new Set<string>();

	constructor(
		tools: ReadonlyMap<string, AgentTool>,
		activeNames: readonly string[],
		private readonly filter: ToolFilter = ALLOW_ALL,
	) {
		this.tools = new Map([...tools].filter(([name]) => filter.isAllowed(name)));
		this.activeNames = [];
		this.setActive(activeNames);
	}

	get(name: string): AgentTool | undefined {
		return this.tools.get(name);
	}

	has(name: string): boolean {
		return this.tools.has(name);
	}

	all(): AgentTool[] {
		return [...this.tools.values()];
	}

	activeToolNames(): string[] {
		return [...this.activeNames];
	}

	active(): AgentTool[] {
		return this.activeNames.flatMap((name) => {
			const tool = this.tools.get(name);
			return tool ? [tool] : [];
		});
	}

	/** What active tools' prepareLoadout hooks (codemode) change: descriptions, and declarations left out. */
	private loadoutChanges(): { descriptions: Map<string, string>; hidden: Set<string> } {
		const active = this.active();
		const descriptions = new Map<string, string>();
		const hidden = new Set<string>();
		const callable = this.callable();
		for (const tool of active) {
			const changes = tool.prepareLoadout?.({ declared: active, callable });
			for (const [name, description] of Object.entries(changes?.descriptions ?? {}))
				descriptions.set(name, description);
			for (const name of changes?.hiddenDeclarations ?? []) hidden.add(name);
		}
		return { descriptions, hidden };
	}

	/** The active tools as declared to the model, after active tools' prepareLoadout hooks (codemode) ran. */
	declared(): AgentTool[] {
		const { descriptions } = this.loadoutChanges();
		return this.active().map((tool) => {
			const description = descriptions.get(tool.name);
			return description === undefined ? tool : { ...tool, description };
		});
	}

	/** Active tools whose declarations requests leave out (they stay callable, e.g. from codemode scripts). */
	hiddenDeclarations(): string[] {
		return [...this.loadoutChanges().hidden];
	}

	/**
	 * An MCP tool the allowlist keeps without naming it is only for codemode and tool_search: it may be declared only
	 * when tool_search could have loaded it (not `direct`, and tool_search exists).
	 */
	private isActivatable(name: string): boolean {
		const tool = this.tools.get(name);
		if (!tool || exposureOf(tool) === "hidden") return false;
		if (this.filter.isNamed(name) !== false || !isMcpToolName(name)) return true;
		return exposureOf(tool) !== "direct" && this.tools.has("tool_search");
	}

	/**
	 * Tools that stay active keep their order; newly active ones are appended (the prompt does not reshuffle). Names
	 * of tools not registered yet (a resumed session's MCP tools, before their server connected) are remembered and
	 * switch on when the tool arrives — unless a later call drops a tool that was active, which replaces the loadout.
	 */
	setActive(names: readonly string[]): void {
		const requested = new Set(names);
		const dropsActive = this.activeNames.some((name) => !requested.has(name));
		const kept = this.activeNames.filter((name) => requested.has(name));
		this.activeNames = [...new Set([...kept, ...names])].filter((name) => this.isActivatable(name));
		const unknown = names.filter((name) => !this.tools.has(name) && this.filter.isAllowed(name));
		this.pendingNames = new Set([...(dropsActive ? [] : this.pendingNames), ...unknown]);
	}

	/** Names waiting for their tool to be registered (see setActive). */
	pending(): string[] {
		return [...this.pendingNames];
	}

	/**
	 * Add or replace tools. A newly registered (or newly un-hidden) tool that `activates` (default: `direct` ones)
	 * becomes active, when an allowlist does not leave it out; a tool replaced as `hidden` stops being active.
	 * Returns whether anything changed.
	 */
	register(tools: readonly AgentTool[], activates: (tool: AgentTool) => boolean = isDirect): boolean {
		let changed = false;
		const activate: string[] = [];
		for (const tool of tools) {
			if (!this.filter.isAllowed(tool.name)) continue;
			const previous = this.tools.get(tool.name);
			const wasActivatable = previous !== undefined && activates(previous);
			this.tools.set(tool.name, tool);
			changed = true;
			const named = this.filter.isNamed(tool.name);
			if (this.pendingNames.delete(tool.name)) activate.push(tool.name);
			else if (activates(tool) && !wasActivatable && named !== false) activate.push(tool.name);
		}
		if (!changed) return false;
		this.setActive([...this.activeNames, ...activate]);
		return true;
	}

	/** Remove tools (an extension's, after /reload); they stop being active. */
	unregister(names: readonly string[]): boolean {
		const removed = names.filter((name) => this.tools.delete(name));
		if (removed.length === 0) return false;
		this.activeNames = this.activeNames.filter((name) => this.tools.has(name));
		return true;
	}

	/** What a codemode script may call now: active `direct` tools and every `codemode`/`deferred` tool. */
	callable(): AgentTool[] {
		const active = new Set(this.activeNames);
		return [...this.tools.values()].filter((tool) => {
			const exposure = exposureOf(tool);
			return exposure === "codemode" || exposure === "deferred" || (exposure === "direct" && active.has(tool.name));
		});
	}
}
