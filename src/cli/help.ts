/** `pi --help`, laid out like pi's, with the options generated from the flag table. */
import { FLAGS, type FlagName } from "./flags.ts";

/**
 * pi 0.73.1's wording where it differs from the one-line table text (a second line is indented under the
 * first). Extensions are left out on purpose: this binary does not load them.
 */
const PI_DESCRIPTIONS: Partial<Record<FlagName, string[]>> = {
	models: [
		"Comma-separated model patterns for Ctrl+P cycling",
		"Supports globs (anthropic/*, *sonnet*) and fuzzy matching",
	],
	"no-tools": ["Disable all tools by default (built-in and extension)"],
	"no-builtin-tools": ["Disable built-in tools by default but keep extension/custom tools enabled"],
	tools: ["Comma-separated allowlist of tool names to enable", "Applies to built-in, extension, and custom tools"],
	skill: ["Load a skill file or directory (can be used multiple times)"],
	"prompt-template": ["Load a prompt template file or directory (can be used multiple times)"],
	"no-prompt-templates": ["Disable prompt template discovery and loading"],
	theme: ["Load a theme file or directory (can be used multiple times)"],
	"no-context-files": ["Disable AGENTS.md and CLAUDE.md discovery and loading"],
};

function optionLines(): string[] {
	return (Object.entries(FLAGS) as [FlagName, (typeof FLAGS)[FlagName]][]).flatMap(([name, def]) => {
		const alias = "alias" in def ? `, -${def.alias}` : "";
		const hint = "valueHint" in def ? ` <${def.valueHint}>` : "";
		const left = name === "list-models" ? `--${name} [search]` : `--${name}${alias}${hint}`;
		const [first, ...more] = PI_DESCRIPTIONS[name] ?? [def.description];
		return [`  ${left.padEnd(31)}${first}`, ...more.map((line) => `${" ".repeat(33)}${line}`)];
	});
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

/** `styled`: headings in bold, as pi prints them on a terminal. */
export function helpText(styled = false): string {
	const bold = (text: string) => (styled ? `\x1b[1m${text}\x1b[22m` : text);
	return `${bold("pi")} - AI coding assistant with read, bash, edit, write tools

${bold("Usage:")}
  pi [options] [@files...] [messages...]

${bold("Options:")}
${optionLines().join("\n")}

${bold("Examples:")}
  # Interactive mode
  pi

  # Interactive mode with initial prompt
  pi "List all .ts files in src/"

  # Include files in initial message
  pi @prompt.md @image.png "What color is the sky?"

  # Non-interactive mode (process and exit)
  pi -p "List all .ts files in src/"

  # Multiple messages (interactive)
  pi "Read package.json" "What dependencies do we have?"

  # Continue previous session
  pi --continue "What did we discuss?"

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

  # Export a session file to HTML
  pi --export ~/.pi/agent/sessions/--path--/session.jsonl
  pi --export session.jsonl output.html

${bold("Environment Variables:")}
${ENVIRONMENT.map(([name, text]) => `  ${name.padEnd(32)} - ${text}`).join("\n")}

${bold("Built-in Tool Names:")}
  read   - Read file contents
  bash   - Execute bash commands
  edit   - Edit files with find/replace
  write  - Write files (creates/overwrites)
  grep   - Search file contents (read-only, off by default)
  find   - Find files by glob pattern (read-only, off by default)
  ls     - List directory contents (read-only, off by default)
`;
}
