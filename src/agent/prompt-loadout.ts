/**
 * PromptLoadout: the system prompt sections and the tool set the model is given — the one place other parts plug
 * into (pi 1.6.0's prompt options + tool loadout of AgentSession).
 *
 * What it holds:
 *   - the session's tools (a ToolSet: built-ins, MCP, extensions; active, declared and callable ones), each with its
 *     one-line `<tools>` snippet and rule bullets (`AgentTool.promptSnippet` / `promptGuidelines`);
 *   - the base prompt inputs (cwd, custom/append prompt, context files, skills, docs paths), replaced on /reload;
 *   - named extra sections contributed by other parts (`setSection("mcp_servers", …)`), rendered after `cwd`;
 *   - tools whose declarations requests leave out (`setHiddenTools`: reachable only through another tool);
 *   - per run, options an extension's before_agent_start may have edited, or a forced prompt (`beginRun`).
 *
 * How it reaches the model: before each request the agent records what changed as a `role: "system"` transcript
 * message — `systemUpdate(messages)` gives the sections patch against what the transcript already declares, and the
 * agent loop adds `toolsAdded`/`toolsRemoved` by comparing the transcript's tools with the executable ones. Those
 * messages are persisted like any other, so a resumed session replays exactly the prompt and tools the model saw,
 * and an unchanged prompt sends byte-identical requests (prompt caches survive). `projectRequest` applies the forced
 * prompt and hidden declarations to one request without recording them.
 *
 * Usage for other parts (AgentSession exposes the same as registerTools / setActiveTools / setPromptSection):
 *   loadout.registerTools([tool]);                         // new `direct` tools switch on (unless --tools says no)
 *   loadout.setActiveTools(["read", "bash", "mcp__srv__x"]); // unknown and hidden names are ignored
 *   loadout.setSection("mcp_servers", text);  loadout.setSection("mcp_servers", undefined);
 *   loadout.onChange(() => …)                               // after any of the above
 * AgentSession re-applies the declared tools to the agent on every change; the prompt patch follows at the next
 * request.
 */
import { diffSystemPromptSections, getCurrentSystemMessage } from "../ai/transcript.ts";
import type { SystemMessage } from "../ai/types.ts";
import type { Skill } from "../resources/index.ts";
import type { ToolSet } from "./session/tool-set.ts";
import {
	buildSystemPrompt,
	buildSystemPromptSections,
	type ContextFile,
	type SystemPromptOptions,
	sameDocsExceptPaths,
} from "./system-prompt.ts";
import type { AgentMessage, AgentTool } from "./types.ts";

/** The prompt inputs that do not depend on the tools. */
export interface PromptBase {
	cwd: string;
	customPrompt?: string;
	appendSystemPrompt?: string;
	contextFiles: readonly ContextFile[];
	skills: readonly Skill[];
	readmePath: string;
	docsPath: string;
	examplesPath: string;
}

export class PromptLoadout {
	private base: PromptBase;
	private readonly tools: ToolSet;
	private readonly sections = new Map<string, string>();
	private hidden = new Set<string>();
	private runOptions: SystemPromptOptions | undefined;
	private readonly listeners = new Set<() => void>();

	constructor(base: PromptBase, tools: ToolSet) {
		this.base = base;
		this.tools = tools;
	}

	// ------------------------------------------------------------------ tools

	/**
	 * Adds or replaces tools while the session runs (MCP servers connecting); new `direct` tools switch on, or those
	 * `activates` picks (extensions: pi's defaultActive rules).
	 */
	registerTools(tools: readonly AgentTool[], activates?: (tool: AgentTool) => boolean): void {
		if (this.tools.register(tools, activates)) this.changed();
	}

	/** Removes tools (an extension's that is gone after /reload); they stop being active. */
	unregisterTools(names: readonly string[]): void {
		if (this.tools.unregister(names)) this.changed();
	}

	getTool(name: string): AgentTool | undefined {
		return this.tools.get(name);
	}

	/** Every registered tool. */
	allTools(): AgentTool[] {
		return this.tools.all();
	}

	/** What a codemode script may call now. */
	callableTools(): AgentTool[] {
		return this.tools.callable();
	}

	/** Makes these tools active (unknown and hidden names are ignored; ones already on keep their place). */
	setActiveTools(names: readonly string[]): void {
		this.tools.setActive(names);
		this.changed();
	}

	activeToolNames(): string[] {
		return this.tools.activeToolNames();
	}

	/** Active tools not registered yet (a resumed session's MCP tools before their server connected). */
	pendingToolNames(): string[] {
		return this.tools.pending();
	}

	/** The active tools as the model is told about them (codemode's prepareLoadout descriptions applied). */
	declaredTools(): AgentTool[] {
		return this.tools.declared();
	}

	/** Tools whose declarations are left out of requests (and of the prompt's tool list and rules). */
	setHiddenTools(names: readonly string[]): void {
		this.hidden = new Set(names);
		this.changed();
	}

	// ---------------------------------------------------------------- prompt

	/** Replaces part of the base inputs (e.g. /reload: context files and skills). */
	setBase(update: Partial<PromptBase>): void {
		this.base = { ...this.base, ...update };
		this.changed();
	}

	getBase(): Readonly<PromptBase> {
		return this.base;
	}

	/**
	 * Sets (text) or removes (undefined or "") an extra section, rendered as `<name>…</name>` after `cwd`. Names are
	 * lower case (`[a-z][a-z0-9_-]*`) and not one of the built-in section names.
	 */
	setSection(name: string, text: string | undefined): void {
		if (text) this.sections.set(name, text);
		else this.sections.delete(name);
		this.changed();
	}

	/** The options the next run starts from: a fresh copy that a before_agent_start handler may edit. */
	options(): SystemPromptOptions {
		const toolSnippets: Record<string, string> = {};
		const toolGuidelines: Record<string, string[]> = {};
		for (const tool of this.tools.all()) {
			// pi shows snippets on one line and drops blank guidelines.
			const snippet = tool.promptSnippet
				?.replace(/[\r\n]+/g, " ")
				.replace(/\s+/g, " ")
				.trim();
			if (snippet) toolSnippets[tool.name] = snippet;
			const guidelines = (tool.promptGuidelines ?? []).map((line) => line.trim()).filter(Boolean);
			if (guidelines.length > 0) toolGuidelines[tool.name] = [...new Set(guidelines)];
		}
		return {
			cwd: this.base.cwd,
			customPrompt: this.base.customPrompt,
			appendSystemPrompt: this.base.appendSystemPrompt,
			contextFiles: this.base.contextFiles.map((file) => ({ ...file })),
			skills: [...this.base.skills],
			readmePath: this.base.readmePath,
			docsPath: this.base.docsPath,
			examplesPath: this.base.examplesPath,
			selectedTools: this.tools.activeToolNames(),
			hiddenTools: [...this.hiddenNames()],
			toolSnippets,
			toolGuidelines,
			promptGuidelines: [],
			sections: Object.fromEntries(this.sections),
		};
	}

	/**
	 * Starts a run with `options` (from `options()`, maybe edited by an extension): its selected tools become the
	 * active ones, and its prompt is what `systemPrompt()` reports until `endRun()`.
	 */
	beginRun(options: SystemPromptOptions): void {
		const before = this.tools.activeToolNames();
		const edited =
			options.selectedTools.length !== before.length || options.selectedTools.some((name, i) => name !== before[i]);
		// An explicit edit of the selected tools wins; otherwise the live tools do (pi 1.6.0's _prepareRun).
		if (edited) this.tools.setActive(options.selectedTools);
		this.runOptions = { ...options, hiddenTools: [...this.hiddenNames()] };
		this.changed();
	}

	endRun(): void {
		this.runOptions = undefined;
	}

	/** The prompt the model gets now (a forced prompt as it is). */
	systemPrompt(): string {
		return buildSystemPrompt(this.currentOptions());
	}

	/**
	 * The system message that brings the transcript's prompt up to date, or undefined when it already is. Tool
	 * changes are added by the agent loop, which compares the transcript's tools with the executable ones.
	 */
	systemUpdate(messages: readonly AgentMessage[]): SystemMessage | undefined {
		const recorded = getCurrentSystemMessage(messages)?.sections ?? {};
		const current = buildSystemPromptSections(this.currentOptions());
		const recordedDocs = recorded.docs;
		if (typeof recordedDocs === "string" && current.docs && sameDocsExceptPaths(recordedDocs, current.docs)) {
			current.docs = recordedDocs;
		}
		const sections = diffSystemPromptSections(recorded, current);
		return sections ? { role: "system", content: "", sections, timestamp: Date.now() } : undefined;
	}

	/**
	 * One request's view of the transcript: hidden declarations dropped, and a forced prompt (an extension's exact
	 * text) sent as the only system message with the current tools. Nothing of this is recorded.
	 */
	projectRequest(messages: AgentMessage[]): AgentMessage[] {
		let projected = messages;
		const hidden = this.hiddenNames();
		if (hidden.size > 0) {
			projected = projected.map((message) =>
				message.role === "system" ? this.withoutHidden(message, hidden) : message,
			);
		}
		const forced = this.runOptions?.forceSystemPrompt;
		if (forced === undefined) return projected;
		const current = getCurrentSystemMessage(projected);
		const head: SystemMessage = {
			role: "system",
			content: forced,
			...(current?.toolsAdded ? { toolsAdded: current.toolsAdded } : {}),
			timestamp: current?.timestamp ?? Date.now(),
		};
		return [head, ...projected.filter((message) => message.role !== "system")];
	}

	/** Called after every change of tools, sections or base inputs. Returns the unsubscribe function. */
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	// ------------------------------------------------------------- internals

	private currentOptions(): SystemPromptOptions {
		const live = this.options();
		if (!this.runOptions) return live;
		// The run's edits stay; what changes during the run (tools, sections) comes from the live state.
		return {
			...this.runOptions,
			selectedTools: live.selectedTools,
			toolSnippets: { ...live.toolSnippets, ...this.runOptions.toolSnippets },
			toolGuidelines: { ...live.toolGuidelines, ...this.runOptions.toolGuidelines },
			sections: { ...live.sections, ...this.runOptions.sections },
		};
	}

	/** Hidden by setHiddenTools, or by an active tool's prepareLoadout (codemode in `only` mode). */
	private hiddenNames(): Set<string> {
		return new Set([...this.hidden, ...this.tools.hiddenDeclarations()]);
	}

	private withoutHidden(message: SystemMessage, hidden: ReadonlySet<string>): SystemMessage {
		if (!message.toolsAdded && !message.toolsRemoved) return message;
		const { toolsAdded, toolsRemoved, ...rest } = message;
		const added = toolsAdded?.filter((tool) => !hidden.has(tool.name)) ?? [];
		const removed = toolsRemoved?.filter((tool) => !hidden.has(tool.name)) ?? [];
		return {
			...rest,
			...(added.length > 0 ? { toolsAdded: added } : {}),
			...(removed.length > 0 ? { toolsRemoved: removed } : {}),
		};
	}

	private changed(): void {
		for (const listener of this.listeners) listener();
	}
}
