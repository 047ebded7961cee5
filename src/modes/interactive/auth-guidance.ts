/**
 * What the interactive mode tells a user who has no usable model yet (pi 0.73.1's auth-guidance texts). pi points
 * at its docs folder; a compiled binary ships no docs, so the same help names the environment variables and the
 * models.json path instead.
 */
import { agentPaths } from "../../config/paths.ts";
import { shortenHome } from "./format.ts";

/** The most common providers' variables; `pi --help` lists them all. */
const COMMON_KEY_VARIABLES = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"];

function providerLoginHelp(): string {
	return [
		"Use /login to log into a provider via OAuth or API key, or set an API key environment variable:",
		`  ${COMMON_KEY_VARIABLES.join(", ")}, ... (see pi --help)`,
		"Custom providers and models are configured in:",
		`  ${shortenHome(agentPaths.models())}`,
	].join("\n");
}

export function noModelsAvailableMessage(): string {
	return `No models available. ${providerLoginHelp()}`;
}

export function noModelSelectedMessage(): string {
	return `No model selected.\n\n${providerLoginHelp()}\n\nThen use /model to select a model.`;
}

export function noApiKeyFoundMessage(provider: string): string {
	return `No API key found for ${provider}.\n\n${providerLoginHelp()}`;
}
