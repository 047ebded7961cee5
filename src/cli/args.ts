/**
 * Command-line parsing with pi's semantics (pi-spec §1.3): one left-to-right scan; a flag that takes a value
 * only consumes one if there is a next argument; `-p` takes the next argument as a message when it is not a
 * flag or `@file`; `--list-models` takes an optional search term.
 *
 * Unknown `--flags` may belong to extensions (pi's registerFlag): the first pass only collects them
 * (`unknownFlags`); once the extensions are loaded, the command line is parsed again knowing their flags
 * (`extensionFlags`: boolean flags take no value, string flags the next argument), and whatever is still unknown
 * is reported as pi does, "Unknown option: <flag>", exit 1. An unknown short `-x` is an error at once. A value flag
 * with nothing after it is unknown too (pi's parser only matches it with a value). An unknown `--mode` value is
 * ignored, as pi does. Beyond pi, `--flag=value` works for our own flags.
 */
import { getToolListError } from "../agent/tool-selection.ts";
import { THINKING_LEVELS, type ThinkingLevel } from "../ai/types.ts";
import { FLAGS, type FlagName, flagSpellings } from "./flags.ts";

export type Mode = "text" | "json" | "rpc";

export interface Diagnostic {
	type: "error" | "warning";
	message: string;
}

export interface ParsedArgs {
	help?: boolean;
	version?: boolean;
	mode?: Mode;
	print?: boolean;
	continue?: boolean;
	resume?: boolean;
	provider?: string;
	model?: string;
	apiKey?: string;
	systemPrompt?: string;
	appendSystemPrompt?: string[];
	noSession?: boolean;
	session?: string;
	fork?: string;
	sessionDir?: string;
	models?: string[];
	noTools?: boolean;
	noBuiltinTools?: boolean;
	tools?: string[];
	excludeTools?: string[];
	noMcp?: boolean;
	thinking?: ThinkingLevel;
	export?: string;
	extensions?: string[];
	noExtensions?: boolean;
	skills?: string[];
	noSkills?: boolean;
	promptTemplates?: string[];
	noPromptTemplates?: boolean;
	themes?: string[];
	noThemes?: boolean;
	noContextFiles?: boolean;
	/** true, or the search term */
	listModels?: boolean | string;
	verbose?: boolean;
	/** `--tui-mode`: this run's interactive screen, over the tuiMode setting. */
	tuiMode?: "regular" | "fullscreen";
	offline?: boolean;
	/** `--approve` (true) / `--no-approve` (false): this run's project trust, over any saved decision. */
	projectTrustOverride?: boolean;
	messages: string[];
	/** `@path` arguments, without the `@`. */
	fileArgs: string[];
	/** `--flags` nobody knows (yet): extensions may claim them in the second pass. As typed, e.g. "--plan". */
	unknownFlags: string[];
	/** Values of the extension flags named in the second pass, by flag name without dashes. */
	extensionFlagValues: Map<string, boolean | string>;
	diagnostics: Diagnostic[];
}

/** Flags extensions registered, by name (without dashes). */
export type ExtensionFlagTypes = ReadonlyMap<string, "boolean" | "string">;

function isThinkingLevel(value: string): value is ThinkingLevel {
	return (THINKING_LEVELS as readonly string[]).includes(value);
}

function splitList(value: string): string[] {
	return value
		.split(",")
		.map((item) => item.trim())
		.filter((item) => item.length > 0);
}

/** Store a flag's value into the result. Kept as one switch so every flag's meaning is in one place. */
function apply(result: ParsedArgs, flag: FlagName, value: string | undefined): void {
	switch (flag) {
		case "help":
			result.help = true;
			return;
		case "version":
			result.version = true;
			return;
		case "print":
			result.print = true;
			return;
		case "continue":
			result.continue = true;
			return;
		case "resume":
			result.resume = true;
			return;
		case "no-session":
			result.noSession = true;
			return;
		case "no-tools":
			result.noTools = true;
			return;
		case "no-builtin-tools":
			result.noBuiltinTools = true;
			return;
		case "no-extensions":
			result.noExtensions = true;
			return;
		case "no-skills":
			result.noSkills = true;
			return;
		case "no-prompt-templates":
			result.noPromptTemplates = true;
			return;
		case "no-themes":
			result.noThemes = true;
			return;
		case "no-context-files":
			result.noContextFiles = true;
			return;
		case "no-mcp":
			result.noMcp = true;
			return;
		case "verbose":
			result.verbose = true;
			return;
		case "offline":
			result.offline = true;
			return;
		case "approve":
			result.projectTrustOverride = true;
			return;
		case "no-approve":
			result.projectTrustOverride = false;
			return;
		case "list-models":
			result.listModels = value ?? true;
			return;
	}
	if (value === undefined) return;
	switch (flag) {
		case "mode":
			if (value === "text" || value === "json" || value === "rpc") result.mode = value;
			return;
		case "provider":
			result.provider = value;
			return;
		case "model":
			result.model = value;
			return;
		case "api-key":
			result.apiKey = value;
			return;
		case "system-prompt":
			result.systemPrompt = value;
			return;
		case "append-system-prompt":
			result.appendSystemPrompt = [...(result.appendSystemPrompt ?? []), value];
			return;
		case "session":
			result.session = value;
			return;
		case "fork":
			result.fork = value;
			return;
		case "session-dir":
			result.sessionDir = value;
			return;
		case "models":
			result.models = value.split(",").map((item) => item.trim());
			return;
		case "tools": {
			const tools = splitList(value);
			const error = getToolListError(tools);
			if (error) result.diagnostics.push({ type: "error", message: `--tools: ${error}` });
			else result.tools = tools;
			return;
		}
		case "exclude-tools":
			result.excludeTools = [...(result.excludeTools ?? []), ...splitList(value)];
			return;
		case "thinking":
			if (isThinkingLevel(value)) result.thinking = value;
			else
				result.diagnostics.push({
					type: "warning",
					message: `Invalid thinking level "${value}". Valid values: ${THINKING_LEVELS.join(", ")}`,
				});
			return;
		case "export":
			result.export = value;
			return;
		case "extension":
			result.extensions = [...(result.extensions ?? []), value];
			return;
		case "skill":
			result.skills = [...(result.skills ?? []), value];
			return;
		case "prompt-template":
			result.promptTemplates = [...(result.promptTemplates ?? []), value];
			return;
		case "theme":
			result.themes = [...(result.themes ?? []), value];
			return;
		case "tui-mode":
			if (value === "regular" || value === "fullscreen") result.tuiMode = value;
			else
				result.diagnostics.push({
					type: "error",
					message: `Invalid TUI mode "${value}". Valid values: regular, fullscreen`,
				});
			return;
	}
}

export function parseArgs(argv: string[], extensionFlags: ExtensionFlagTypes = new Map()): ParsedArgs {
	const result: ParsedArgs = {
		messages: [],
		fileArgs: [],
		unknownFlags: [],
		extensionFlagValues: new Map(),
		diagnostics: [],
	};
	const spellings = flagSpellings();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? "";
		const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
		const spelled = eq > 0 ? arg.slice(0, eq) : arg;
		const flag = spellings.get(spelled);
		if (flag) {
			const def = FLAGS[flag];
			let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
			if (value === undefined && def.type === "string") {
				if (i + 1 >= argv.length) {
					result.diagnostics.push({ type: "error", message: `Unknown option: ${spelled}` });
					continue;
				}
				value = argv[++i];
			}
			if (value === undefined && flag === "list-models") {
				const next = argv[i + 1];
				if (next !== undefined && !next.startsWith("-") && !next.startsWith("@")) value = argv[++i];
			}
			if (flag === "print") {
				const next = argv[i + 1];
				if (next !== undefined && !next.startsWith("@") && (!next.startsWith("-") || next.startsWith("---"))) {
					result.messages.push(next);
					i++;
				}
			}
			apply(result, flag, value);
		} else if (arg.startsWith("@")) {
			result.fileArgs.push(arg.slice(1));
		} else if (arg.startsWith("--") && arg.length > 2) {
			const name = spelled.slice(2);
			const type = extensionFlags.get(name);
			if (type === "boolean") result.extensionFlagValues.set(name, true);
			else if (type === "string") {
				const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
				if (value === undefined) {
					result.diagnostics.push({ type: "error", message: `Extension flag "--${name}" requires a value` });
					continue;
				}
				if (eq <= 0) i++;
				result.extensionFlagValues.set(name, value);
			} else result.unknownFlags.push(spelled);
		} else if (arg.startsWith("-")) {
			result.diagnostics.push({ type: "error", message: `Unknown option: ${spelled}` });
		} else {
			result.messages.push(arg);
		}
	}
	return result;
}
