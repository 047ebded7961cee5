/** `pi --help`, laid out like pi's, with the options generated from the flag table. */
import { FLAGS } from "./flags.ts";

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);

function optionLines(): string[] {
	return Object.entries(FLAGS).map(([name, def]) => {
		const alias = "alias" in def ? `, -${def.alias}` : "";
		const hint = "valueHint" in def ? ` <${def.valueHint}>` : "";
		const left = name === "list-models" ? `--${name} [search]` : `--${name}${alias}${hint}`;
		return `  ${left.padEnd(31)}${def.description}`;
	});
}

const ENVIRONMENT: [string, string][] = [
	["ANTHROPIC_API_KEY", "Anthropic Claude API key"],
	["ANTHROPIC_OAUTH_TOKEN", "Anthropic OAuth token (alternative to API key)"],
	["OPENAI_API_KEY", "OpenAI API key"],
	["AZURE_OPENAI_API_KEY", "Azure OpenAI API key (with AZURE_OPENAI_BASE_URL or AZURE_OPENAI_RESOURCE_NAME)"],
	["GEMINI_API_KEY", "Google Gemini API key"],
	["OPENROUTER_API_KEY", "OpenRouter API key"],
	["GROQ_API_KEY", "Groq API key"],
	["CEREBRAS_API_KEY", "Cerebras API key"],
	["XAI_API_KEY", "xAI Grok API key"],
	["MISTRAL_API_KEY", "Mistral API key"],
	["ZAI_API_KEY", "ZAI API key"],
	["DEEPSEEK_API_KEY", "DeepSeek API key"],
	["HF_TOKEN", "Hugging Face API token"],
	["AI_GATEWAY_API_KEY", "Vercel AI Gateway API key"],
	["PI_CODING_AGENT_DIR", "Config directory (default: ~/.pi/agent)"],
	["PI_CODING_AGENT_SESSION_DIR", "Session storage directory (overridden by --session-dir)"],
	["PI_OFFLINE", "Disable startup network operations when set to 1/true/yes"],
	["PI_DEBUG", "Write a debug log (JSON lines) to <config dir>/pi-debug.log when set to 1"],
];

export function helpText(): string {
	return `${bold("pi")} - AI coding assistant with read, bash, edit, write tools

${bold("Usage:")}
  pi [options] [@files...] [messages...]

${bold("Options:")}
${optionLines().join("\n")}

${bold("Examples:")}
  # Interactive mode
  pi

  # Include files in the first message
  pi @prompt.md @image.png "What color is the sky?"

  # Non-interactive mode (process and exit)
  pi -p "List all .ts files in src/"

  # Continue the previous session
  pi --continue "What did we discuss?"

  # Use a model with a provider prefix and a thinking level
  pi --model openai/gpt-4o:high "Help me refactor this code"

  # Read-only mode (no file modifications possible)
  pi --tools read,grep,find,ls -p "Review the code in src/"

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
