/**
 * Runs one codemode script: waits for the MCP servers it may reach, starts the sandbox with the callable tools and
 * the discovery globals (searchTools, describeTool, describeNamespace), answers its calls through the session's tool
 * pipeline, records each nested call for the UI (`details.calls`), persists `store()` writes of a successful script,
 * and lays out the result. Loaded on the first script (tool.ts imports it lazily).
 */
import type { AgentTool, AgentToolResult, ToolNamespace, ToolUpdateCallback } from "../agent/types.ts";
import { DEFAULT_SEARCH_LIMIT, rankTools, searchDocument } from "../tool-search/ranker.ts";
import { errorMessage } from "../util/errors.ts";
import { toIdentifier, toolSample } from "./declarations.ts";
import { DEFAULT_MAX_OUTPUT_TOKENS, joinText, layoutOutput, limitOutput, saveImages } from "./output.ts";
import { runScript, type ScriptCall, type ScriptError } from "./sandbox.ts";
import { parseScript, ScriptSourceError } from "./source.ts";
import {
	type CodemodeDetails,
	type CodemodeHost,
	type CodemodeNestedCall,
	declaredTool,
	previewJson,
	resultText,
	scriptReach,
	scriptTools,
} from "./tool.ts";

const ARGS_PREVIEW_CHARS = 200;
const ERROR_PREVIEW_CHARS = 500;

export interface ExecuteScriptOptions {
	toolCallId: string;
	code: string;
	signal: AbortSignal;
	onUpdate: ToolUpdateCallback<CodemodeDetails>;
	host: CodemodeHost;
}

function failed(header: string, message: string, details: CodemodeDetails): AgentToolResult<CodemodeDetails> {
	return {
		content: [
			{ type: "text", text: header },
			{ type: "text", text: `Script error:\n${message}` },
		],
		details,
		isError: true,
	};
}

/** `describeNamespace("dev-radius")` finds `mcp__dev_radius`: names and aliases match as written or as identifiers. */
function namesNamespace(namespace: ToolNamespace, query: string): boolean {
	const id = toIdentifier(query);
	return [namespace.name, ...(namespace.aliases ?? [])].some((name) => name === query || toIdentifier(name) === id);
}

/** The discovery globals, answered on the host. */
function discovery(tools: readonly AgentTool[], samples: ReadonlyMap<string, string>) {
	const entry = (name: string) => ({ name: toIdentifier(name), description: samples.get(name) ?? "" });
	return {
		searchTools([query, options]: unknown[]): unknown {
			if (typeof query !== "string") throw new Error("searchTools() expects a query string");
			const opts = (typeof options === "object" && options !== null ? options : {}) as Record<string, unknown>;
			const limit = opts.limit ?? DEFAULT_SEARCH_LIMIT;
			if (typeof limit !== "number" || !Number.isInteger(limit) || limit <= 0) {
				throw new Error("searchTools() limit must be a positive integer");
			}
			const namespace = opts.namespace;
			if (namespace !== undefined && namespace !== null && typeof namespace !== "string") {
				throw new Error("searchTools() namespace must be a string");
			}
			const documents = tools.flatMap((tool) =>
				namespace && (!tool.namespace || !namesNamespace(tool.namespace, namespace))
					? []
					: [searchDocument(tool, tool.namespace)],
			);
			return rankTools(query, documents, limit).map(entry);
		},
		describeTool([name]: unknown[]): unknown {
			if (typeof name !== "string") throw new Error("describeTool() expects a tool name");
			const tool = tools.find((candidate) => candidate.name === name || toIdentifier(candidate.name) === name);
			return tool ? samples.get(tool.name) : undefined;
		},
		describeNamespace([name]: unknown[]): unknown {
			if (typeof name !== "string") throw new Error("describeNamespace() expects a namespace name");
			const members = tools.filter((tool) => tool.namespace && namesNamespace(tool.namespace, name));
			const namespace = members[0]?.namespace;
			if (!namespace) return undefined;
			return {
				name: namespace.name,
				...(namespace.description ? { description: namespace.description } : {}),
				...(namespace.instructions ? { instructions: namespace.instructions } : {}),
				tools: members.map((tool) => toIdentifier(tool.name)),
			};
		},
	};
}

function describeError(error: ScriptError): string {
	if (error.kind === "timeout") return `Script timed out: ${error.message}`;
	if (error.kind === "aborted") return `Script aborted: ${error.message}`;
	if (error.kind === "sandbox") return `Sandbox error: ${error.message}`;
	return error.stack ?? (error.name ? `${error.name}: ${error.message}` : error.message);
}

export async function executeScript(options: ExecuteScriptOptions): Promise<AgentToolResult<CodemodeDetails>> {
	const { toolCallId, signal, onUpdate, host } = options;
	const startedAt = performance.now();
	const calls: CodemodeNestedCall[] = [];
	const snapshot = (): CodemodeDetails => ({ calls: calls.map((call) => ({ ...call })) });
	const wall = () => ((performance.now() - startedAt) / 1000).toFixed(1);
	let parsed: ReturnType<typeof parseScript>;
	try {
		parsed = parseScript(options.code);
	} catch (error) {
		if (!(error instanceof ScriptSourceError)) throw error;
		return failed(
			`Script failed\nWall time ${wall()} seconds\nOutput:\n`,
			`${error.message}\n\nThe script did not start.`,
			snapshot(),
		);
	}
	onUpdate({ content: [], details: snapshot() });
	await host.waitForTools(scriptReach(parsed.code), signal);

	const tools = scriptTools(host.callableTools());
	const byName = new Map(tools.map((tool) => [tool.name, tool]));
	const samples = new Map(tools.map((tool) => [tool.name, toolSample(declaredTool(tool))]));
	const globals = discovery(tools, samples);

	const callTool = async (name: string, args: unknown, callSignal: AbortSignal): Promise<unknown> => {
		const tool = byName.get(name);
		const record: CodemodeNestedCall = {
			id: `${toolCallId}/?`,
			name,
			args: previewJson(args, ARGS_PREVIEW_CHARS),
			status: "running",
		};
		calls.push(record);
		onUpdate({ content: [], details: snapshot() });
		const began = performance.now();
		const outcome = await host.executeTool(toolCallId, name, args, callSignal);
		record.id = outcome.toolCallId;
		record.durationMs = performance.now() - began;
		const text = resultText(outcome.result);
		record.status = outcome.isError ? (callSignal.aborted ? "cancelled" : "error") : "ok";
		if (outcome.isError) record.error = (text || `Tool "${name}" failed`).slice(0, ERROR_PREVIEW_CHARS);
		onUpdate({ content: [], details: snapshot() });
		// A tool with an output schema resolves to its structured result, even when it reports an error with one.
		if (tool?.outputSchema && outcome.result.structuredContent !== undefined) return outcome.result.structuredContent;
		if (outcome.isError) throw new Error(text || `Tool "${name}" failed`);
		const images = outcome.result.content.filter((block) => block.type === "image");
		if (!text && images.length === 1) return images[0];
		return text;
	};

	const result = await runScript({
		code: parsed.code,
		tools: tools.map((tool) => ({
			name: tool.name,
			jsName: toIdentifier(tool.name),
			description: samples.get(tool.name) ?? "",
		})),
		globals: Object.keys(globals).map((name) => ({ name, spread: true })),
		store: host.readStore(),
		signal,
		timeoutMs: parsed.options.timeoutMs,
		call: (call: ScriptCall) => {
			if (call.target === "tool") return callTool(call.name, call.args, call.signal);
			const global = globals[call.name as keyof typeof globals];
			if (!global) return Promise.reject(new Error(`Unknown global "${call.name}"`));
			return Promise.resolve().then(() => global(Array.isArray(call.args) ? call.args : []));
		},
	});
	for (const call of calls) if (call.status === "running") call.status = "cancelled";

	const scriptOutput = [...result.output];
	const notes: { type: "text"; text: string }[] = [];
	if (result.ok) {
		const { set, delete: deleted } = result.storeWrites;
		if (Object.keys(set).length > 0 || deleted.length > 0) {
			try {
				host.appendStore({ set, delete: deleted });
			} catch (error) {
				notes.push({ type: "text", text: `Note: store() values could not be saved: ${errorMessage(error)}` });
			}
		}
		// A returned value is output like text().
		if (result.value !== undefined) {
			const text = typeof result.value === "string" ? result.value : JSON.stringify(result.value);
			scriptOutput.push({ type: "text", text });
		}
	} else {
		const made = calls.length
			? `Tool calls made before the failure (they are not undone): ${calls.map((call) => `${call.name} (${call.status})`).join(", ")}`
			: "No tool calls were made.";
		const tail = result.notStarted ? "\n\nThe script did not start." : `\n\n${made}`;
		notes.push({ type: "text", text: `Script error:\n${describeError(result.error)}${tail}` });
	}
	const items = [...layoutOutput(scriptOutput), ...notes];
	const limited = await limitOutput(joinText(items), parsed.options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
	const output = joinText(await saveImages(limited.items));
	const header = `${result.ok ? "Script completed" : "Script failed"}\nWall time ${wall()} seconds\nOutput:\n`;
	const details = snapshot();
	if (limited.fullOutputPath) details.fullOutputPath = limited.fullOutputPath;
	return { content: [{ type: "text", text: header }, ...output], details, ...(result.ok ? {} : { isError: true }) };
}
