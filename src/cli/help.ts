/** `pi --help` as pi 1.6.0 prints it, with the options generated from the flag table. */
import { FLAGS, type FlagName } from "./flags.ts";

/** Second lines pi 1.6.0 prints under a flag's description. */
const MORE_LINES: Partial<Record<FlagName, string[]>> = {
	models: ["Supports globs (anthropic/*, *sonnet*) and fuzzy matching"],
	tools: [
		"Keeps MCP tools unless an entry starts with mcp__",
		"Only +name/-name entries add to or remove from the defaults",
	],
	"exclude-tools": ["Applies to all tools, MCP tools included"],
};

/** Left columns pi 1.6.0 writes its own way. */
const LEFT: Partial<Record<FlagName, string>> = {
	"list-models": "--list-models [search]",
	export: "--export <file> [output]",
};

function optionLines(): string[] {
	const line = (left: string, text: string) => `  ${left.padEnd(31)}${text}`;
	const lines = (Object.entries(FLAGS) as [FlagName, (typeof FLAGS)[FlagName]][]).flatMap(([name, def]) => {
		const alias = "alias" in def ? `, -${def.alias}` : "";
		const hint = "valueHint" in def ? ` <${def.valueHint}>` : "";
		const left = LEFT[name] ?? `--${name}${alias}${hint}`;
		return [line(left, def.description), ...(MORE_LINES[name] ?? []).map((more) => `${" ".repeat(33)}${more}`)];
	});
	// `--` goes before --help and --version, as pi lists it.
	const helpAt = lines.findIndex((text) => text.startsWith("  --help"));
	lines.splice(helpAt, 0, line("--", "End option parsing; treat remaining arguments as messages/files"));
	return lines;
}

/** As pi lists them, less what only pi's npm package uses (telemetry, /share), plus our debug log. */
const ENVIRONMENT: [string, string][] = [
	["ANTHROPIC_AUTH_TOKEN", "Anthropic bearer auth token"],
	["ANTHROPIC_API_KEY", "Anthropic Claude API key"],
	["ANTHROPIC_OAUTH_TOKEN", "Anthropic OAuth token (alternative to API key)"],
	["ANT_LING_API_KEY", "Ant Ling API key"],
	["OPENAI_API_KEY", "OpenAI GPT API key"],
	["AZURE_OPENAI_API_KEY", "Azure OpenAI API key"],
	["AZURE_OPENAI_BASE_URL", "Azure OpenAI/Cognitive Services base URL (e.g. https://{resource}.openai.azure.com)"],
	["AZURE_OPENAI_RESOURCE_NAME", "Azure OpenAI resource name (alternative to base URL)"],
	["AZURE_OPENAI_API_VERSION", "Azure OpenAI API version (default: v1)"],
	["AZURE_OPENAI_DEPLOYMENT_NAME_MAP", "Azure OpenAI model=deployment map (comma-separated)"],
	["DEEPSEEK_API_KEY", "DeepSeek API key"],
	["NVIDIA_API_KEY", "NVIDIA NIM API key"],
	["GEMINI_API_KEY", "Google Gemini API key"],
	["GROQ_API_KEY", "Groq API key"],
	["CEREBRAS_API_KEY", "Cerebras API key"],
	["XAI_API_KEY", "xAI Grok API key"],
	["FIREWORKS_API_KEY", "Fireworks API key"],
	["TOGETHER_API_KEY", "Together AI API key"],
	["BASETEN_API_KEY", "Baseten API key"],
	["OPENROUTER_API_KEY", "OpenRouter API key"],
	["AI_GATEWAY_API_KEY", "Vercel AI Gateway API key"],
	["ZAI_API_KEY", "ZAI Coding Plan API key (Global)"],
	["ZAI_CODING_CN_API_KEY", "ZAI Coding Plan API key (China)"],
	["MISTRAL_API_KEY", "Mistral API key"],
	["MINIMAX_API_KEY", "MiniMax API key"],
	["MOONSHOT_API_KEY", "Moonshot AI API key"],
	["OPENCODE_API_KEY", "OpenCode Zen/OpenCode Go API key"],
	["KIMI_API_KEY", "Kimi For Coding API key"],
	["META_API_KEY", "Meta Model API key"],
	["CLOUDFLARE_API_KEY", "Cloudflare API token (Workers AI and AI Gateway)"],
	["CLOUDFLARE_ACCOUNT_ID", "Cloudflare account id (required for both)"],
	["CLOUDFLARE_GATEWAY_ID", "Cloudflare AI Gateway slug (required for AI Gateway)"],
	["QWEN_TOKEN_PLAN_TEAM_API_KEY", "Qwen Token Plan Team API key (international region)"],
	["QWEN_TOKEN_PLAN_TEAM_CN_API_KEY", "Qwen Token Plan Team API key (China region)"],
	["QWEN_TOKEN_PLAN_INDIVIDUAL_API_KEY", "Qwen Token Plan Individual API key (international region)"],
	["QWEN_TOKEN_PLAN_INDIVIDUAL_CN_API_KEY", "Qwen Token Plan Individual API key (China region)"],
	["XIAOMI_API_KEY", "Xiaomi MiMo API key (api.xiaomimimo.com billing)"],
	["XIAOMI_TOKEN_PLAN_CN_API_KEY", "Xiaomi MiMo Token Plan API key (China region)"],
	["XIAOMI_TOKEN_PLAN_AMS_API_KEY", "Xiaomi MiMo Token Plan API key (Amsterdam region)"],
	["XIAOMI_TOKEN_PLAN_SGP_API_KEY", "Xiaomi MiMo Token Plan API key (Singapore region)"],
	["AWS_PROFILE", "AWS profile for Amazon Bedrock"],
	["AWS_ACCESS_KEY_ID", "AWS access key for Amazon Bedrock"],
	["AWS_SECRET_ACCESS_KEY", "AWS secret key for Amazon Bedrock"],
	["AWS_BEARER_TOKEN_BEDROCK", "Bedrock API key (bearer token)"],
	["AWS_REGION", "AWS region for Amazon Bedrock (e.g., us-east-1)"],
	["PI_CODING_AGENT_DIR", "Config directory (default: ~/.pi/agent)"],
	["PI_CODING_AGENT_SESSION_DIR", "Session storage directory (overridden by --session-dir)"],
	["PI_PACKAGE_DIR", "Override package directory (for Nix/Guix store paths)"],
	["PI_OFFLINE", "Disable startup network operations when set to 1/true/yes"],
	["PI_DEBUG", "Write a debug log (JSON lines) to <config dir>/pi-debug.log when set to 1"],
];

/** A flag an extension registered, as --help lists it. */
export interface HelpExtensionFlag {
	name: string;
	type: "boolean" | "string";
	description?: string;
	extensionPath: string;
}

/** pi 1.6.0's "Extension CLI Flags:" block (empty without any). */
function extensionFlagLines(flags: readonly HelpExtensionFlag[], bold: (text: string) => string): string {
	if (flags.length === 0) return "";
	const lines = flags.map((flag) => {
		const value = flag.type === "string" ? " <value>" : "";
		return `  --${flag.name}${value}`.padEnd(30) + (flag.description ?? `Registered by ${flag.extensionPath}`);
	});
	return `\n${bold("Extension CLI Flags:")}\n${lines.join("\n")}\n`;
}

/**
 * pi 1.6.0's text, except: --verbose says what it does here, and the environment variables are those this binary
 * reads. `styled`: headings in bold, as pi prints them on a terminal. `extensionFlags`: those the loaded extensions
 * registered (src/cli/help-startup.ts).
 */
export function helpText(styled = false, extensionFlags: readonly HelpExtensionFlag[] = []): string {
	const bold = (text: string) => (styled ? `\x1b[1m${text}\x1b[22m` : text);
	return `${bold("pi")} - AI coding assistant with read, bash, edit, write tools

${bold("Usage:")}
  pi [options] [--] [@files...] [messages...]

${bold("Commands:")}
  pi install <source> [-l]     Install extension source and add to settings
  pi remove <source> [-l]      Remove extension source from settings
  pi uninstall <source> [-l]   Alias for remove
  pi update [source|self|pi]   Update pi, extensions, or model catalogs
  pi list                      List installed extensions from settings
  pi config [-l]               Open TUI to enable/disable package resources (Tab switches scope)
  pi auth <command>            Log in or out, print credentials, or check provider readiness
  pi mcp <command>             Manage MCP servers
  pi <command> --help          Show help for install/remove/uninstall/update/list/config/auth/mcp

${bold("Options:")}
${optionLines().join("\n")}

Extensions can register additional flags (e.g., --plan from plan-mode extension).${extensionFlagLines(extensionFlags, bold)}

${bold("Examples:")}
  # Print a provider API key for an external client
  pi auth print-api-key --provider openai

  # Print an OAuth bearer token for an external client (refreshes if expired)
  pi auth print-bearer-token --provider openai-codex

  # Interactive mode
  pi

  # Interactive mode with initial prompt
  pi "List all .ts files in src/"

  # Include files in initial message
  pi @prompt.md @image.png "What color is the sky?"

  # Non-interactive mode (process and exit)
  pi -p "List all .ts files in src/"

  # Prompt beginning with a dash
  pi -p -- "- Summarize these points"

  # Multiple messages (interactive)
  pi "Read package.json" "What dependencies do we have?"

  # Continue previous session
  pi --continue "What did we discuss?"

  # Start a named session
  pi --name "Refactor auth module"

  # Use different model
  pi --provider openai --model gpt-4o-mini "Help me refactor this code"

  # Use model with provider prefix (no --provider needed)
  pi --model openai/gpt-4o "Help me refactor this code"

  # Use model with thinking level shorthand
  pi --model sonnet:high "Solve this complex problem"

  # Limit model cycling to specific models
  pi --models claude-sonnet,claude-haiku,gpt-4o

  # Limit to a specific provider with glob pattern
  pi --models "github-copilot/*"

  # Cycle models with fixed thinking levels
  pi --models sonnet:high,haiku:low

  # Start with a specific thinking level
  pi --thinking high "Solve this complex problem"

  # Read-only mode (no file modifications possible)
  pi --tools read,grep,find,ls -p "Review the code in src/"

  # Add codemode to the default tools
  pi --tools +codemode

  # Codemode with only the tools of one MCP server
  pi --tools read,bash,codemode,'mcp__radius__*'

  # Disable one tool while keeping the rest available
  pi --exclude-tools ask_question

  # Export a session file to HTML
  pi --export ~/.pi/agent/sessions/--path--/session.jsonl
  pi --export session.jsonl output.html

${bold("Environment Variables:")}
${ENVIRONMENT.map(([name, text]) => `  ${name.padEnd(32)} - ${text}`).join("\n")}

${bold("Built-in Tool Names:")}
  read       - Read file contents
  bash       - Execute bash commands
  powershell - Execute PowerShell commands on Windows
  edit       - Edit files with find/replace
  write      - Write files (creates/overwrites)
  grep       - Search file contents (read-only, off by default)
  find       - Find files by glob pattern (read-only, off by default)
  ls         - List directory contents (read-only, off by default)

`;
}

/** The help text less its last line end, for console.log (src/main.ts imports it as a build-time macro). */
export function helpLines(styled: boolean): string {
	return helpText(styled).slice(0, -1);
}
