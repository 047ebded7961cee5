/**
 * Command-line parsing with pi's semantics (pi-spec §1.3): one left-to-right scan; a flag that takes a value
 * only consumes one if there is a next argument; `-p` takes the next argument as a message when it is not a
 * flag or `@file`; `--list-models` takes an optional search term.
 *
 * Unknown `--flags` may belong to extensions (pi's registerFlag): the first pass only collects them
 * (`unknownFlags`); once the extensions are loaded, the command line is parsed again knowing their flags
 * (`extensionFlags`: boolean flags take no value, string flags the next argument), and whatever is still unknown
 * is reported as pi does, "Unknown option: <flag>", exit 1. An unknown short `-x` is an error at once. A value flag
 * with nothing after it is unknown too (pi's parser only matches it with a value), except the few pi 1.6.0 names
 * in its own words (VALUE_REQUIRED). `--` ends the options. Beyond pi, `--flag=value` works for our own flags.
 */
import { getToolListError } from "../agent/tool-list-syntax.ts";
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
	/** `--session-id`: the current folder's session with this id, created with it when there is none. */
	sessionId?: string;
	/** `--name`/`-n`: the session's display name. */
	name?: string;
	/** `--use-theme`: this run's interactive theme. */
	useTheme?: string;
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
function apply(result: ParsedArgs, flag: FlagName, value: string | undefined, spelled: string): void {
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
			else
				result.diagnostics.push({ type: "error", message: `Invalid mode "${value}". Valid values: text, json, rpc` });
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
		case "session-id":
			result.sessionId = value;
			return;
		case "name":
			result.name = value;
			return;
		case "use-theme":
			result.useTheme = value;
			return;
		case "models":
			result.models = splitList(value);
			return;
		case "tools": {
			const tools = splitList(value);
			const error = getToolListError(tools);
			// Named as typed (`-t: …`), as pi 1.6.0 does.
			if (error) result.diagnostics.push({ type: "error", message: `${spelled}: ${error}` });
			else result.tools = tools;
			return;
		}
		case "exclude-tools":
			// The last one counts, as pi 1.6.0.
			result.excludeTools = splitList(value);
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

/**
 * Flags whose missing value pi 1.6.0 reports in its own words; with `notAFlag`, a next argument starting with `-`
 * is not taken as the value either.
 */
const VALUE_REQUIRED: Partial<Record<FlagName, { message: string; notAFlag: boolean }>> = {
	mode: { message: "--mode requires text, json, or rpc", notAFlag: true },
	"tui-mode": { message: "--tui-mode requires regular or fullscreen", notAFlag: true },
	"use-theme": { message: "--use-theme requires a theme name", notAFlag: true },
	name: { message: "--name requires a value", notAFlag: false },
};

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
		if (arg === "--") {
			// The end of the options: everything after is a message or an @file (pi 1.6.0).
			for (const rest of argv.slice(i + 1)) {
				if (rest.startsWith("@")) result.fileArgs.push(rest.slice(1));
				else result.messages.push(rest);
			}
			break;
		}
		const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
		const spelled = eq > 0 ? arg.slice(0, eq) : arg;
		const flag = spellings.get(spelled);
		if (flag) {
			const def = FLAGS[flag];
			let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
			if (value === undefined && def.type === "string") {
				const next = argv[i + 1];
				const required = VALUE_REQUIRED[flag];
				if (required && (next === undefined || (required.notAFlag && next.startsWith("-")))) {
					result.diagnostics.push({ type: "error", message: required.message });
					continue;
				}
				if (next === undefined) {
					result.diagnostics.push({ type: "error", message: `Unknown option: ${spelled}` });
					continue;
				}
				value = next;
				i++;
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
			apply(result, flag, value, spelled);
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
