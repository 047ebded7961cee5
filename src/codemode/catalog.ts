/**
 * The codemode tool's description (docs/codemode.md): how scripts work, the globals, and the callable tools that are
 * listed — grouped by namespace, within a token budget (`codemode.inlineBudget`, default 3000). Tools with
 * `deferred` exposure (MCP tools) are never listed, so the description does not change while servers connect;
 * scripts find them with searchTools(), describeTool(), describeNamespace() or ALL_TOOLS.
 */
import type { AgentTool, ToolNamespace } from "../agent/types.ts";
import { type DeclaredTool, outputType, toIdentifier, toolSample } from "./declarations.ts";

export const CODEMODE_TOOL_NAME = "codemode";
export const DEFAULT_INLINE_BUDGET = 3000;
const CHARS_PER_TOKEN = 4;

const INTRO = `Run JavaScript that calls other tools. The input is raw JavaScript (not JSON, no code fence), run as an async function body in a QuickJS sandbox: top-level \`await\` and \`return\` work. No Node, file system, network, or timers.
- \`await tools.<name>({ ...args })\` resolves to a string, or an object if the tool's declaration says so, and rejects with an Error on failure. A tool whose declaration returns an object resolves on failure too when it returned that object; check its fields. Calls still running when the script ends are cancelled.
- Optional first line: \`// @options: {"max_output_tokens": 10000, "timeout_ms": 60000}\``;

const GLOBALS = `Globals:
- \`text(value)\`, \`image(dataUrlOrImageBlock)\`, \`console.log(...)\`, and top-level \`return\` add output; \`exit()\` ends the script. With several text items, each starts with a \`==> text N/M <==\` line, and \`console\` lines follow the other output in one \`<console_output>\` block. \`image()\` also saves the image to a temp file and the result names its path.
- \`store(key, value)\` and \`load(key)\` keep JSON values across codemode calls.
- \`ALL_TOOLS\`, \`await searchTools(query, { limit?, namespace? })\`, \`await describeTool(name)\`, \`await describeNamespace(name)\`: find unlisted tools, such as MCP tools.`;

/** What a script sees of a tool: its description plus the guidelines the system prompt only gives declared tools. */
export function declaredTool(tool: AgentTool): DeclaredTool {
	const bullets = (tool.promptGuidelines ?? []).flatMap((line) => (line.trim() ? [`- ${line.trim()}`] : []));
	return {
		name: tool.name,
		description: bullets.length > 0 ? `${tool.description.trim()}\n\n${bullets.join("\n")}` : tool.description,
		inputSchema: tool.parameters,
		...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
	};
}

interface Entry {
	name: string;
	section: string;
	cost: number;
}

interface Group {
	namespace: ToolNamespace | undefined;
	entries: Entry[];
}

function section(tool: DeclaredTool): string {
	const id = toIdentifier(tool.name);
	const heading = id === tool.name ? `### \`${id}\`` : `### \`${id}\` (\`${tool.name}\`)`;
	return `${heading}\n${toolSample(tool).trim()}`;
}

/**
 * Which sections fit the budget: in every round each group (tools without namespace first, then namespaces by name)
 * places its cheapest remaining tool; a group whose next tool does not fit drops out. Every namespace is shown
 * before any is complete.
 */
function fitBudget(groups: readonly Group[], budget: number): Set<string> {
	const queues = groups.map((group) => [...group.entries].sort((a, b) => a.cost - b.cost));
	const shown = new Set<string>();
	let remaining = budget;
	let active = queues.filter((queue) => queue.length > 0);
	while (active.length > 0) {
		active = active.filter((queue) => {
			const next = queue[0];
			if (!next || next.cost > remaining) return false;
			remaining -= next.cost;
			shown.add(next.name);
			queue.shift();
			return queue.length > 0;
		});
	}
	return shown;
}

/** The description listing `listed` (the callable tools that are not deferred) within `budget` tokens. */
export function codemodeDescription(listed: readonly AgentTool[], budget = DEFAULT_INLINE_BUDGET): string {
	const groups = new Map<string, Group>([["", { namespace: undefined, entries: [] }]]);
	for (const tool of listed) {
		const key = tool.namespace ? `ns:${tool.namespace.name}` : "";
		const group = groups.get(key) ?? { namespace: tool.namespace, entries: [] };
		groups.set(key, group);
		const text = section(declaredTool(tool));
		group.entries.push({ name: tool.name, section: text, cost: Math.ceil(text.length / CHARS_PER_TOKEN) });
	}
	const ordered = [...groups.values()].sort((a, b) =>
		!a.namespace ? -1 : !b.namespace ? 1 : a.namespace.name.localeCompare(b.namespace.name),
	);
	const parts = [INTRO, GLOBALS];
	if (listed.length === 0) return parts.join("\n\n");
	const shown = fitBudget(ordered, budget);
	const lines = ["Nested tools:"];
	for (const { namespace, entries } of ordered) {
		const visible = entries.filter((entry) => shown.has(entry.name));
		if (namespace) {
			const note =
				visible.length === entries.length
					? ""
					: visible.length === 0
						? " (tools not listed)"
						: " (some tools not listed)";
			const about = namespace.description?.trim();
			lines.push(`## ${namespace.name}${note}${about ? `\n${about}` : ""}`);
		}
		for (const entry of visible) lines.push(entry.section);
	}
	parts.push(lines.join("\n\n"));
	return parts.join("\n\n");
}

/** `{ output, exit_code, full_output_path? }`: the fields of an object output schema, for one-line summaries. */
function fieldList(schema: unknown): string | undefined {
	if (typeof schema !== "object" || schema === null) return undefined;
	const { type, properties, required } = schema as Record<string, unknown>;
	if (type !== "object" || typeof properties !== "object" || properties === null) return undefined;
	const mandatory = new Set(Array.isArray(required) ? required : []);
	return `{ ${Object.keys(properties)
		.map((name) => `${name}${mandatory.has(name) ? "" : "?"}`)
		.join(", ")} }`;
}

/**
 * A declared tool's description when codemode is active (`codemode.mode: "on"`): how a script calls it and what
 * the call resolves to.
 */
export function describeScriptCall(tool: AgentTool): string {
	const type = outputType(tool.outputSchema);
	const resolves =
		tool.outputSchema === undefined
			? "a string"
			: (fieldList(tool.outputSchema) ?? (type.includes("\n") ? undefined : type)) !== undefined
				? `\`${fieldList(tool.outputSchema) ?? type}\``
				: `a value; \`await describeTool(${JSON.stringify(tool.name)})\` shows its type`;
	return `${tool.description.trim()}\n\nCodemode: \`tools.${toIdentifier(tool.name)}(args)\` resolves to ${resolves}.`;
}
