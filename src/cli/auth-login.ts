/**
 * `pi auth login <provider> [--api-key] [--no-browser]` (pi 1.6.0): the `/login` flows in a plain terminal. An
 * account login prints the sign-in page (opening it in a browser unless --no-browser) and reads a pasted code when
 * the provider asks for one; an API key login asks the provider's questions (src/auth/login), secrets unechoed.
 * Both store the credential in auth.json, where `/login` would.
 */
import { createInterface } from "node:readline";
import { isApiKeyLoginProvider, providerDisplayName } from "../ai/providers-info.ts";
import type { AuthStorage } from "../auth/auth-storage.ts";
import type { LoginInteraction } from "../auth/login/interaction.ts";
import { agentPaths } from "../config/paths.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { errorMessage } from "../util/errors.ts";
import { openInBrowser } from "../util/open-browser.ts";

const USAGE = "pi auth login <provider> [--api-key] [--no-browser]";

/** Line-based terminal I/O; prompts reject when the login is cancelled. */
export interface LoginTerminal {
	/** stdin and stdout are a terminal: login prompts need one. */
	interactive: boolean;
	write(line: string): void;
	error(line: string): void;
	question(message: string, signal: AbortSignal): Promise<string>;
	/** A line read without echo. */
	secret(message: string, signal: AbortSignal): Promise<string>;
	openUrl(url: string): void;
}

class LoginCancelled extends Error {
	constructor() {
		super("Login cancelled");
	}
}

/** The process's terminal; `onInterrupt` runs on Ctrl+C (and end of input) in a prompt. */
export function processLoginTerminal(onInterrupt: () => void): LoginTerminal {
	return {
		interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
		write: (line) => process.stdout.write(`${line}\n`),
		error: (line) => process.stderr.write(`${line}\n`),
		question: (message, signal) => question(message, signal, onInterrupt),
		secret: (message, signal) => secret(message, signal, onInterrupt),
		openUrl: openInBrowser,
	};
}

function question(message: string, signal: AbortSignal, onInterrupt: () => void): Promise<string> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new LoginCancelled());
		const rl = createInterface({ input: process.stdin, output: process.stdout });
		let answered = false;
		const onAbort = () => rl.close();
		signal.addEventListener("abort", onAbort, { once: true });
		rl.on("SIGINT", () => {
			onInterrupt();
			rl.close();
		});
		rl.on("close", () => {
			signal.removeEventListener("abort", onAbort);
			if (answered) return;
			if (!signal.aborted) onInterrupt();
			reject(new LoginCancelled());
		});
		rl.question(message, (answer) => {
			answered = true;
			rl.close();
			resolve(answer);
		});
	});
}

function secret(message: string, signal: AbortSignal, onInterrupt: () => void): Promise<string> {
	const stdin = process.stdin;
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new LoginCancelled());
		let value = "";
		const finish = () => {
			stdin.off("data", onData);
			signal.removeEventListener("abort", onAbort);
			stdin.setRawMode(false);
			stdin.pause();
			process.stdout.write("\n");
		};
		const onAbort = () => {
			finish();
			reject(new LoginCancelled());
		};
		const onData = (data: Buffer) => {
			const chunk = data.toString("utf8");
			// Arrow keys and other escape sequences are not part of a key.
			if (chunk.startsWith("\u001b")) return;
			for (const char of chunk) {
				if (char === "\r" || char === "\n") {
					finish();
					resolve(value);
					return;
				}
				if (char === "\u0003" || char === "\u0004") {
					onInterrupt();
					return;
				}
				if (char === "\u007f" || char === "\b") value = Array.from(value).slice(0, -1).join("");
				else if (char >= " ") value += char;
			}
		};
		process.stdout.write(message);
		stdin.setRawMode(true);
		stdin.resume();
		stdin.on("data", onData);
		signal.addEventListener("abort", onAbort, { once: true });
	});
}

interface LoginProvider {
	id: string;
	name: string;
	oauth: boolean;
	apiKey: boolean;
}

/** The providers `/login` offers, by id or name (any case), with the ways in each has. */
async function loginProviders(registry: ModelRegistry): Promise<LoginProvider[]> {
	const { listOAuthProviders } = await import("../auth/oauth/index.ts");
	const oauth = listOAuthProviders();
	const oauthIds = new Set(oauth.map((provider) => provider.id));
	const providers = new Map<string, LoginProvider>();
	for (const { id, name } of oauth) providers.set(id, { id, name, oauth: true, apiKey: false });
	for (const id of new Set(registry.getAll().map((model) => model.provider))) {
		if (!isApiKeyLoginProvider(id, oauthIds)) continue;
		const known = providers.get(id);
		if (known) known.apiKey = true;
		else providers.set(id, { id, name: providerDisplayName(id), oauth: false, apiKey: true });
	}
	return [...providers.values()];
}

export async function runAuthLogin(
	args: string[],
	deps: { auth: AuthStorage; registry: ModelRegistry; terminal: LoginTerminal },
	signal: AbortSignal,
): Promise<number> {
	const { auth, registry, terminal } = deps;
	let providerRef = "";
	let wantsApiKey = false;
	let browser = true;
	for (const arg of args) {
		if (arg === "--api-key") wantsApiKey = true;
		else if (arg === "--no-browser") browser = false;
		else if (arg.startsWith("-") || providerRef) {
			terminal.error(`Usage: ${USAGE}`);
			return 1;
		} else providerRef = arg;
	}
	if (!providerRef) {
		terminal.error(`Usage: ${USAGE}`);
		return 1;
	}
	if (wantsApiKey && !browser) {
		terminal.error("--no-browser only applies to account sign-in; omit it with --api-key.");
		return 1;
	}
	const all = await loginProviders(registry);
	const wanted = providerRef.toLowerCase();
	const provider = all.find((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
	if (!provider) {
		terminal.error(`Unknown provider "${providerRef}".`);
		terminal.error(
			`Providers: ${all
				.map((p) => p.id)
				.sort()
				.join(", ")}`,
		);
		return 1;
	}
	if (!terminal.interactive) {
		terminal.error(`"${USAGE}" requires an interactive terminal`);
		return 1;
	}
	// An account login unless --api-key asks for a key; a provider without account login takes its key.
	const useOAuth = provider.oauth && !wantsApiKey;
	if (!useOAuth && !provider.apiKey) {
		terminal.error(`${provider.name} has no API key login. Omit --api-key to sign in.`);
		return 1;
	}
	try {
		if (useOAuth) await loginWithAccount(provider, auth, terminal, browser, signal);
		else {
			const { apiKeyLoginFor } = await import("../auth/login/api-key-logins.ts");
			auth.set(provider.id, await apiKeyLoginFor(provider.id)(terminalInteraction(terminal, signal)));
		}
	} catch (error) {
		if (signal.aborted || error instanceof LoginCancelled) terminal.error("Login cancelled.");
		else terminal.error(`Failed to log in to ${provider.name}: ${errorMessage(error)}`);
		return 1;
	}
	const done = useOAuth ? `Logged in to ${provider.name}` : `Saved API key for ${provider.name}`;
	terminal.write(`${done}. Credentials saved to ${agentPaths.auth()}`);
	if (provider.id === "radius") await refreshRadiusCatalog(registry, terminal, signal);
	return 0;
}

/**
 * Radius's model list comes from the account (the others' catalogs are built in), fetched once the login is saved,
 * as pi 1.6.0 does, in its words; Ctrl+C or 15 s only skip the refresh.
 */
async function refreshRadiusCatalog(registry: ModelRegistry, terminal: LoginTerminal, signal: AbortSignal) {
	const timeout = AbortSignal.timeout(15_000);
	try {
		await registry.refreshRadiusModels(AbortSignal.any([signal, timeout]));
	} catch (error) {
		if (signal.aborted) terminal.write("Skipped the Radius model catalog refresh; pi refreshes it on next start.");
		else if (timeout.aborted) {
			terminal.write("The Radius model catalog refresh timed out; pi refreshes it on next start.");
		} else terminal.write(`The Radius model catalog could not be refreshed: ${errorMessage(error)}`);
	}
}

async function loginWithAccount(
	provider: LoginProvider,
	auth: AuthStorage,
	terminal: LoginTerminal,
	browser: boolean,
	signal: AbortSignal,
): Promise<void> {
	const { loginWithOAuth } = await import("../auth/oauth/index.ts");
	// pi 1.6.0: the browser sign-in (a provider's first method) is taken without asking, and the other methods are
	// named after the URL; --no-browser takes the other method, asking only when there are several.
	let skippedMethods: string[] = [];
	const selectMethod = async (message: string, options: readonly SelectOption[]): Promise<string> => {
		const [first, ...others] = options;
		if (!first) throw new Error(`${provider.name} offered no sign-in method`);
		if (browser) {
			skippedMethods = others.map((option) => option.label);
			return first.id;
		}
		const [onlyOther, ...moreOthers] = others;
		if (!onlyOther) return first.id;
		if (moreOthers.length > 0) return selectInTerminal(message, others, terminal, signal);
		terminal.write(`${message} ${onlyOther.label}`);
		return onlyOther.id;
	};
	await loginWithOAuth(
		provider.id,
		{
			onAuthUrl: (url, instructions) => {
				terminal.write(`Open this URL to sign in:\n  ${url}`);
				if (instructions) terminal.write(instructions);
				if (browser) terminal.openUrl(url);
				const rerun = `"pi auth login ${provider.id} --no-browser"`;
				const [onlyMethod, ...moreMethods] = skippedMethods;
				if (onlyMethod !== undefined && moreMethods.length === 0) {
					terminal.write(`To use "${onlyMethod}" instead, run ${rerun}`);
				} else if (onlyMethod !== undefined) {
					const labels = skippedMethods.map((label) => `"${label}"`).join(", ");
					terminal.write(`Other sign-in methods: ${labels}. Run ${rerun} to choose one.`);
				}
			},
			onPrompt: (message) => terminal.question(`${message} `, signal),
			onProgress: (message) => terminal.write(message),
			onSelect: selectMethod,
			signal,
		},
		auth,
	);
}

interface SelectOption {
	id: string;
	label: string;
	description?: string;
}

/** Numbered choices, re-asked until the answer is one of them. */
async function selectInTerminal(
	message: string,
	options: readonly SelectOption[],
	terminal: LoginTerminal,
	signal: AbortSignal,
): Promise<string> {
	terminal.write(message);
	for (const [index, option] of options.entries()) {
		terminal.write(`  ${index + 1}. ${option.label}${option.description ? ` - ${option.description}` : ""}`);
	}
	for (;;) {
		const answer = (await terminal.question(`Select 1-${options.length}: `, signal)).trim();
		const option = /^\d+$/u.test(answer) ? options[Number(answer) - 1] : undefined;
		if (option) return option.id;
		terminal.write(`Enter a number from 1 to ${options.length}.`);
	}
}

/** The API key flows' questions on the terminal: choices numbered, secrets unechoed. */
function terminalInteraction(terminal: LoginTerminal, signal: AbortSignal): LoginInteraction {
	return {
		signal,
		async prompt(prompt) {
			if (prompt.type !== "select") {
				const placeholder = prompt.placeholder ? ` (${prompt.placeholder})` : "";
				const message = `${prompt.message}${placeholder}: `;
				return prompt.type === "secret" ? terminal.secret(message, signal) : terminal.question(message, signal);
			}
			return selectInTerminal(prompt.message, prompt.options, terminal, signal);
		},
		notify(notice) {
			terminal.write(notice.message);
			for (const link of notice.links ?? []) terminal.write(`  ${link.label ? `${link.label}: ` : ""}${link.url}`);
		},
	};
}
