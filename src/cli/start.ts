/**
 * The CLI's second stage (pi-spec §1.5): settings, credentials, models, the session file, the tools and the
 * system prompt, assembled into an AgentSession that the chosen mode drives.
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Agent } from "../agent/agent.ts";
import { AgentSession, DEFAULT_THINKING_LEVEL, type ScopedModel } from "../agent/agent-session.ts";
import { loadContextFiles, resolvePromptSource } from "../agent/context-files.ts";
import { PromptLoadout } from "../agent/prompt-loadout.ts";
import { ToolSet } from "../agent/session/tool-set.ts";
import { selectTools } from "../agent/tool-selection.ts";
import { formatModelList } from "../ai/list-models.ts";
import { clampThinkingLevel, findInitialModel, resolveCliModel, resolveModelScope } from "../ai/model-resolver.ts";
import { streamAssistant } from "../ai/stream.ts";
import type { Model, ThinkingLevel } from "../ai/types.ts";
import { AuthStorage } from "../auth/auth-storage.ts";
import { agentDir, agentPaths } from "../config/paths.ts";
import { hasProtectedProjectResources, resolveProjectTrust, TrustStore } from "../config/project-trust.ts";
import { SettingsManager } from "../config/settings.ts";
import type { McpSetup } from "../mcp/setup.ts";
import { mcpConfigForRun } from "../mcp/wanted.ts";
import { isRemotePackageSource } from "../packages/source.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { loadResources } from "../resources/index.ts";
import { convertToLlm } from "../session/convert-to-llm.ts";
import { sessionIdProblem } from "../session/ids.ts";
import { SessionManager } from "../session/session-manager.ts";
import type { SessionContext } from "../session/types.ts";
import { executeBash } from "../tools/bash-executor.ts";
import { createBuiltinTools } from "../tools/registry.ts";
import type { ThemeDiagnostic } from "../tui/themes/loader.ts";
import { debugLog, registerSecret } from "../util/debug-log.ts";
import { errorMessage, PiError } from "../util/errors.ts";
import { isTerminal } from "../util/output-streams.ts";
import { applyHttpProxySetting } from "../util/proxy.ts";
import { claimSession } from "../util/session-claim.ts";
import type { ParsedArgs } from "./args.ts";
import { buildInitialMessage, processFileArguments } from "./file-args.ts";
import { forkConflictFlags, selectSession, sessionIdConflictFlags } from "./session-select.ts";
import { StartupExtensions } from "./startup-extensions.ts";
import { StartupPackages } from "./startup-packages.ts";

type AppMode = "interactive" | "text" | "json" | "rpc";

/** Startup warnings, also shown inside fullscreen mode (whose alternate screen hides what stderr printed). */
const startupWarnings: string[] = [];

/** pi 1.6.0's PI_* variables for the bash tool's commands: which session, file, model and thinking level. */
function sessionEnvironment(session: AgentSession): Record<string, string> {
	const env: Record<string, string> = { PI_SESSION_ID: session.sessionId };
	if (session.sessionFile) env.PI_SESSION_FILE = session.sessionFile;
	if (session.model) {
		env.PI_PROVIDER = session.model.provider;
		env.PI_MODEL = session.model.id;
	}
	env.PI_REASONING_LEVEL = session.thinkingLevel;
	return env;
}

/**
 * A chosen session whose folder no longer exists (pi 1.6.0): in the interactive mode the user continues it in the
 * current folder this once, forks it there, or cancels (exit 0); otherwise it is an error (exit 1).
 */
async function settleMissingSessionCwd(
	manager: SessionManager,
	currentCwd: string,
	sessionDir: string | undefined,
	mode: ReturnType<typeof resolveMode>,
): Promise<SessionManager | number> {
	const file = manager.getSessionFile();
	const sessionCwd = manager.getCwd();
	if (!file || !sessionCwd || existsSync(sessionCwd)) return manager;
	if (mode !== "interactive") {
		process.stderr.write(
			`Stored session working directory does not exist: ${sessionCwd}\nSession file: ${file}\nCurrent working directory: ${currentCwd}\n`,
		);
		return 1;
	}
	const { promptMissingSessionCwd } = await import("../modes/interactive/missing-cwd-prompt.ts");
	const choice = await promptMissingSessionCwd(sessionCwd, currentCwd);
	if (choice === "continue") return SessionManager.open(file, sessionDir, currentCwd);
	// A fork, as `--session <id>` of another project makes: the choice sticks without rewriting history.
	if (choice === "fork") return SessionManager.forkFrom(file, currentCwd, sessionDir);
	return 0;
}

function warn(message: string): void {
	startupWarnings.push(message);
	process.stderr.write(`Warning: ${message}\n`);
}

/**
 * pi 1.6.0's rule (docs/cli.md): `--mode rpc` and `--mode json` choose themselves; otherwise print mode when `-p` is
 * given or when stdin or stdout is not a terminal (cron, CI steps, `ssh host pi …`, `docker run` without `-t`,
 * `pi … > out.txt`), so no TUI escape codes reach a file or a pipe. `--mode text` alone still opens the terminal
 * UI when both streams are terminals, as in pi.
 */
export function resolveMode(
	args: Pick<ParsedArgs, "mode" | "print">,
	terminals: { stdin: boolean; stdout: boolean } = { stdin: isTerminal(0), stdout: isTerminal(1) },
): AppMode {
	if (args.mode === "rpc") return "rpc";
	if (args.mode === "json") return "json";
	if (args.print || !terminals.stdin || !terminals.stdout) return "text";
	return "interactive";
}

/** Piped input beyond this is refused rather than read until memory runs out (`yes | pi -p`). */
const MAX_PIPED_STDIN_BYTES = 64 * 1024 * 1024;

async function readPipedStdin(): Promise<string | undefined> {
	if (isTerminal(0)) return undefined;
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of Bun.stdin.stream()) {
		size += chunk.byteLength;
		if (size > MAX_PIPED_STDIN_BYTES) {
			throw new PiError("Piped input is larger than 64 MB; pass a file with @path or trim the input first.");
		}
		chunks.push(chunk);
	}
	const text = new TextDecoder().decode(Buffer.concat(chunks));
	return text.trim() === "" ? undefined : text;
}

interface InitialModel {
	model: Model | undefined;
	thinkingLevel: ThinkingLevel;
	scopedModels: ScopedModel[];
	fallbackMessage?: string;
}

async function chooseModel(
	args: ParsedArgs,
	registry: ModelRegistry,
	settings: SettingsManager,
	session: SessionManager,
	context: SessionContext,
): Promise<InitialModel> {
	const patterns = args.models ?? settings.settings.enabledModels;
	const scope = patterns?.length ? await resolveModelScope(patterns, registry) : { models: [], warnings: [] };
	for (const w of scope.warnings) warn(w);
	const scopedModels: ScopedModel[] = scope.models;

	let cliThinking: ThinkingLevel | undefined;
	let model: Model | undefined;
	// pi 1.6.0: a provider alone never silently falls back to the default model.
	if (args.provider && !args.model) {
		throw new PiError(`--provider requires --model (for example: --provider ${args.provider} --model <pattern>)`);
	}
	if (args.model) {
		const resolved = resolveCliModel({ provider: args.provider, model: args.model, registry });
		if (resolved.error) throw new PiError(resolved.error);
		if (resolved.warning) warn(resolved.warning);
		model = resolved.model;
		cliThinking = resolved.thinkingLevel;
	}
	const resumed = context.messages.length > 0;
	const initial = await findInitialModel({
		cliModel: model,
		scopedModels,
		// pi ignores the --models scope for a session that already has messages: it keeps the session's model.
		isContinuing: resumed,
		sessionModel: resumed ? (context.model ?? undefined) : undefined,
		defaultProvider: settings.settings.defaultProvider,
		defaultModelId: settings.settings.defaultModel,
		registry,
	});
	model = initial.model;

	// pi 1.6.0: a session with messages keeps its level (or takes the default); a new one starts with the model's
	// own level (modelThinkingLevels), then the default.
	const sessionHasLevel = session.getBranch().some((entry) => entry.type === "thinking_level_change");
	const resumedLevel = resumed
		? sessionHasLevel
			? context.thinkingLevel
			: (settings.getDefaultThinkingLevel() ?? DEFAULT_THINKING_LEVEL)
		: undefined;
	let level: ThinkingLevel =
		args.thinking ??
		cliThinking ??
		initial.thinkingLevel ??
		resumedLevel ??
		(model ? settings.getModelThinkingLevel(model.provider, model.id) : undefined) ??
		settings.getDefaultThinkingLevel() ??
		DEFAULT_THINKING_LEVEL;
	if (model) level = clampThinkingLevel(model, level);
	return { model, thinkingLevel: level, scopedModels, fallbackMessage: initial.fallbackMessage };
}

export async function startApp(firstPassArgs: ParsedArgs, argv: readonly string[]): Promise<number> {
	const startupCwd = process.cwd();
	// The folder the session works in: the startup folder until the session is chosen, then the session's own (a
	// session opened from another project runs there, as in pi).
	let cwd = startupCwd;
	// Global settings only until the project is trusted (below).
	const settings = SettingsManager.create(cwd);
	for (const w of settings.warnings) warn(w);
	// Before any request: providers, OAuth and the rest all send through fetch, which reads these variables.
	applyHttpProxySetting(settings.getHttpProxy());
	const auth = new AuthStorage(agentPaths.auth());
	const registry = new ModelRegistry(auth, agentPaths.models());
	if (registry.loadError) warn(`models.json error: ${registry.loadError}`);
	// Extensions of the user and the command line load now (their flags complete the command line, their providers
	// the model list); the project's own join after the trust decision. Without any configured, none of their
	// machinery is even imported.
	const extensions = new StartupExtensions(cwd, settings, registry, firstPassArgs, argv);
	// pi packages (src/packages): the user's and `-e npm:…`/`-e git:…` ones now (their extensions load before the
	// trust decision, like the user's own), the project's once trusted, all again on /reload.
	const packages = new StartupPackages({
		cwd,
		agentDir: agentDir(),
		settings,
		cliSources: (firstPassArgs.extensions ?? []).filter(isRemotePackageSource),
		quiet: resolveMode(firstPassArgs) === "interactive",
	});
	if (await packages.load(true)) extensions.setPackageExtensions(packages.extensions);
	if (firstPassArgs.help) {
		const { printHelpWithExtensions } = await import("./help-startup.ts");
		return printHelpWithExtensions({ cwd, args: firstPassArgs, settings, extensions, packages, warn });
	}
	const args = await extensions.loadBeforeTrust();
	debugLog("startup", { cwd, agentDir: agentDir(), argv: process.argv.slice(2) });

	if (args.listModels !== undefined) {
		const search = typeof args.listModels === "string" ? args.listModels : undefined;
		// Through Bun.stdout: with extensions loaded in print mode, process.stdout belongs to stderr (output-guard.ts).
		const { writeStdout, flushStdout } = await import("../modes/output.ts");
		writeStdout(formatModelList(await registry.getAvailable(), search));
		await flushStdout();
		return 0;
	}

	const mode = resolveMode(args);
	const stdin = mode === "rpc" ? undefined : await readPipedStdin();
	// Theme diagnostics are also listed as `[Theme conflicts]`.
	let themeDiagnostics: ThemeDiagnostic[] = [];
	const loadThemes = async () => {
		const { setupThemes } = await import("../tui/themes/startup.ts");
		const themes = setupThemes({
			cwd,
			settings,
			cliPaths: args.themes,
			noThemes: args.noThemes,
			themeOverride: args.useTheme,
			watch: true,
			packagePaths: packages.themePaths,
		});
		themeDiagnostics = themes.diagnostics;
		return themes;
	};
	if (mode === "interactive") {
		// Themes (pi-spec §9.11): chosen before anything is drawn (the -r session picker, the first frame).
		const themes = await loadThemes();
		for (const w of themes.warnings) warn(w);
	}
	const files = await processFileArguments(args.fileArgs, cwd);
	const { initialMessage, initialImages, remaining } = buildInitialMessage(args.messages, files, stdin);

	const sessionDir = args.sessionDir ?? process.env.PI_CODING_AGENT_SESSION_DIR ?? settings.getStartupSessionDir();
	// -r/--resume: pi shows its session picker before anything else starts.
	const forkConflicts = forkConflictFlags(args);
	if (forkConflicts.length > 0) {
		process.stderr.write(`Error: --fork cannot be combined with ${forkConflicts.join(", ")}\n`);
		return 1;
	}
	const sessionIdConflicts = sessionIdConflictFlags(args);
	if (sessionIdConflicts.length > 0) {
		process.stderr.write(`Error: --session-id cannot be combined with ${sessionIdConflicts.join(", ")}\n`);
		return 1;
	}
	const badSessionId = args.sessionId === undefined ? undefined : sessionIdProblem(args.sessionId);
	if (badSessionId) {
		process.stderr.write(`Error: ${badSessionId}\n`);
		return 1;
	}
	let resumePath: string | undefined;
	if (args.resume && !args.noSession && !args.session) {
		if (!isTerminal(0) || !isTerminal(1)) {
			throw new PiError("--resume shows a session picker and needs a terminal; use --session <path|id> instead");
		}
		const { pickSessionToResume } = await import("../modes/interactive/session-picker.ts");
		resumePath = await pickSessionToResume({ cwd, sessionDir });
		if (!resumePath) {
			process.stdout.write("No session selected\n");
			return 0;
		}
	}
	const selected = await selectSession(
		args,
		cwd,
		sessionDir,
		resumePath,
		mode === "interactive" ? process.stdout : process.stderr,
	);
	if (!selected) return 0;
	const sessionManager = await settleMissingSessionCwd(selected, startupCwd, sessionDir, mode);
	if (typeof sessionManager === "number") return sessionManager;
	if (sessionManager.getCwd() !== startupCwd) {
		cwd = sessionManager.getCwd();
		settings.moveProjectTo(cwd);
	}
	if (args.name !== undefined) {
		const name = args.name.trim();
		if (!name) {
			process.stderr.write("Error: --name requires a non-empty value\n");
			return 1;
		}
		sessionManager.appendSessionInfo(name);
	}
	for (const w of sessionManager.warnings) warn(w);
	// The session file this process works on carries its claim; a later /new, /resume or /fork moves it.
	let releaseClaim = () => {};
	const claimFor = (manager: SessionManager): number | undefined => {
		releaseClaim();
		releaseClaim = () => {};
		const file = manager.getSessionFile();
		if (!file) return undefined;
		const claim = claimSession(file);
		releaseClaim = () => claim.release();
		return claim.heldBy;
	};
	const heldBy = claimFor(sessionManager);
	if (heldBy !== undefined) {
		warn(
			`Session ${sessionManager.getSessionFile()} is already open in another pi process (pid ${heldBy}); answers from both will be saved as separate branches.`,
		);
	}

	// Project trust (pi 1.6.0): nothing protected under .pi/ or .agents/skills loads before this decision.
	const projectTrust = await resolveProjectTrust({
		cwd,
		agentDir: agentDir(),
		override: args.projectTrustOverride,
		defaultProjectTrust: settings.getDefaultProjectTrust(),
		decide: extensions.trustDecider(),
		prompt:
			mode === "interactive"
				? async (folder, options) =>
						(await import("../modes/interactive/trust-prompt.ts")).promptProjectTrust(folder, options)
				: undefined,
		onWarning: warn,
	});
	debugLog("project_trust", { ...projectTrust });
	if (projectTrust.trusted) {
		const known = settings.warnings.length;
		settings.setProjectTrusted(true);
		for (const w of settings.warnings.slice(known)) warn(w);
	}
	// The project's own packages join a trusted run.
	if (projectTrust.trusted && settings.getProjectSettings().packages?.length) {
		await packages.load(true);
		extensions.setPackageExtensions(packages.extensions);
	}
	// The theme may come from .pi/settings.json, .pi/themes or a package.
	if (
		mode === "interactive" &&
		(packages.themePaths?.length || (projectTrust.trusted && projectTrust.hasProtectedResources))
	) {
		await loadThemes();
	}
	// The project's extensions (when trusted); their flags too, then anything unclaimed is an error.
	const extensionHost = await extensions.loadAfterTrust(
		projectTrust.trusted,
		mode === "interactive" ? undefined : warn,
	);

	// Built once: it picks the model and is the agent's starting history.
	const sessionContext = sessionManager.buildSessionContext();
	const initial = await chooseModel(args, registry, settings, sessionManager, sessionContext);
	// Without any model, non-interactive modes stop with the same text as an error below; print it once.
	// The interactive screen shows the fallback (or its first-run guidance) itself.
	if (initial.fallbackMessage && initial.model && mode !== "interactive") warn(initial.fallbackMessage);
	if (args.apiKey) {
		if (!initial.model) {
			throw new PiError("--api-key requires a model to be specified via --model, --provider/--model, or --models");
		}
		auth.setRuntimeApiKey(initial.model.provider, args.apiKey);
		registerSecret(args.apiKey);
	}
	if (mode !== "interactive" && !initial.model) {
		const noModels =
			"No models available. Set an API key environment variable (e.g. ANTHROPIC_API_KEY) or configure ~/.pi/agent/models.json.";
		// Like pi: print mode with nothing to send (`pi </dev/null`, a cron line without a prompt) only warns and
		// exits 0; a prompt that cannot be sent is an error (exit 1).
		const nothingToSend = initialMessage === undefined && remaining.length === 0;
		if (mode === "rpc" || !nothingToSend) throw new PiError(noModels);
		warn(noModels);
	}

	const retry = settings.getRetrySettings();
	const agent = new Agent({
		streamFn: streamAssistant,
		convertToLlm: (messages) => convertToLlm(messages, { blockImages: settings.getBlockImages() }),
		getApiKey: async (provider) => {
			const key = await registry.getApiKeyForProvider(provider);
			registerSecret(key);
			return key;
		},
		// models.json `authHeader: true` (Authorization: Bearer <key>) and settings stored with the credential.
		getRequestAuth: async (model) => {
			const resolved = await registry.getApiKeyAndHeaders(model);
			// A failed key command or token exchange ends the run with its message (the agent reports it).
			if (!resolved.ok) throw new PiError(resolved.error);
			return { headers: resolved.authHeaders, env: resolved.env };
		},
		sessionId: sessionManager.getSessionId(),
		streamOptions: {
			maxRetryDelayMs: retry.maxRetryDelayMs,
			maxRetries: retry.providerMaxRetries,
			timeoutMs: retry.providerTimeoutMs,
			idleTimeoutMs: retry.idleTimeoutMs,
			firstByteTimeoutMs: retry.firstByteTimeoutMs,
			thinkingBudgets: settings.settings.thinkingBudgets,
			transport: settings.getTransport(),
			websocketConnectTimeoutMs: settings.getWebsocketConnectTimeoutMs(),
		},
		steeringMode: settings.getSteeringMode(),
		followUpMode: settings.getFollowUpMode(),
	});
	agent.setModel(initial.model);
	agent.setThinkingLevel(initial.thinkingLevel);
	agent.replaceMessages(sessionContext.messages);

	const tools = createBuiltinTools(cwd, {
		shellPath: settings.settings.shellPath,
		shellCommandPrefix: settings.settings.shellCommandPrefix,
		autoResizeImages: settings.getImageAutoResize(),
		// Read when a command runs; `session` exists by then.
		sessionEnvironment: () => sessionEnvironment(session),
		imageResizeOptions: () => session.model?.inputLimits?.images?.resize,
	});
	// MCP servers, codemode, tool_search: nothing of theirs loads unless a server is configured or a tool asked for.
	const requestedTools = [...(args.tools ?? []), ...(settings.getDefaultTools() ?? [])];
	const mcpConfig = mcpConfigForRun({
		cwd,
		noMcp: args.noMcp === true,
		// A project's .pi/mcp.json can start programs: it is read only in trusted projects.
		projectTrusted: projectTrust.trusted,
		requestedTools,
		extensions: extensionHost !== undefined,
	});
	let mcp: McpSetup | undefined;
	if (mcpConfig) {
		const { McpSetup } = await import("../mcp/setup.ts");
		mcp = McpSetup.create(
			{
				cwd,
				noMcp: args.noMcp === true,
				projectTrusted: projectTrust.trusted,
				inlineBudget: settings.settings.codemode?.inlineBudget,
				codemodeMode: settings.settings.codemode?.mode,
			},
			mcpConfig,
			args.noMcp ? undefined : extensionHost,
		);
		for (const tool of mcp.tools) tools.push([tool.name, tool]);
	}
	// `let`: /reload re-reads the context files the system prompt is built from.
	let contextFiles = args.noContextFiles ? [] : loadContextFiles(cwd, agentDir());
	const trusted = projectTrust.trusted;
	const customPrompt = resolvePromptSource(args.systemPrompt, cwd, agentDir(), "SYSTEM.md", trusted);
	const appendPrompt =
		(args.appendSystemPrompt ?? [])
			.map((value) => resolvePromptSource(value, cwd, agentDir(), "APPEND_SYSTEM.md", trusted))
			.filter((text): text is string => Boolean(text))
			.join("\n\n") || resolvePromptSource(undefined, cwd, agentDir(), "APPEND_SYSTEM.md", trusted);
	// Skills and prompt templates; like pi, their diagnostics are shown only by the interactive startup listing.
	const loadAllResources = () =>
		loadResources({
			cwd,
			agentDir: agentDir(),
			settings,
			skillPaths: args.skills ?? [],
			noSkills: args.noSkills ?? false,
			templatePaths: args.promptTemplates ?? [],
			noTemplates: args.noPromptTemplates ?? false,
			packages: packages.resolved,
		});
	const resources = loadAllResources();

	const selection = selectTools({
		tools: args.tools,
		excludeTools: args.excludeTools,
		noTools: args.noTools,
		noBuiltinTools: args.noBuiltinTools,
		defaultTools: settings.getDefaultTools(),
	});
	const { readmePath } = await import("../docs/readme.ts");
	const readme = readmePath();
	const loadout = new PromptLoadout(
		{
			cwd,
			customPrompt,
			appendSystemPrompt: appendPrompt || undefined,
			contextFiles,
			skills: resources.skills,
			readmePath: readme,
			docsPath: join(dirname(readme), "docs"),
			examplesPath: join(dirname(readme), "examples"),
		},
		// Tools an allowlist names or matches are on from the start, in registry order after the listed ones (pi).
		new ToolSet(
			new Map(tools),
			[...selection.initialActive, ...tools.map(([name]) => name).filter((name) => selection.filter.isNamed(name))],
			selection.filter,
		),
	);

	const session = new AgentSession({
		agent,
		sessionManager,
		settings,
		modelRegistry: registry,
		cwd,
		loadout,
		restoreToolsFromTranscript: selection.restoreModifiers ? { modifiers: selection.restoreModifiers } : undefined,
		resources,
		beforePrompt: mcp ? () => mcp.beforePrompt() : undefined,
		scopedModels: initial.scopedModels,
		complete: streamAssistant,
		createSessionManager: (options) =>
			args.noSession
				? SessionManager.inMemory(cwd)
				: SessionManager.create(cwd, options?.sessionDir ?? sessionDir, { parentSession: options?.parentSession }),
		openSessionManager: (path) => SessionManager.open(path, sessionDir),
		onSessionSwitched: (manager) => void claimFor(manager),
		runBash: (command, options) =>
			executeBash(command, {
				cwd,
				signal: options.signal,
				onChunk: options.onChunk,
				runner: options.runner,
				shellPath: settings.settings.shellPath,
				shellCommandPrefix: settings.settings.shellCommandPrefix,
			}),
	});
	session.recordStartup();
	if (mcp) {
		mcp.attach(session);
		if (mode !== "interactive")
			mcp.setNotifier((message, level) => {
				if (level !== "info") warn(message);
			});
	}
	// The non-extension half of /reload: settings, models.json, context files, themes, skills and templates.
	const reloadResources = async () => {
		settings.reload();
		registry.refresh();
		contextFiles = args.noContextFiles ? [] : loadContextFiles(cwd, agentDir());
		await packages.load(false);
		extensions.setPackageExtensions(packages.extensions);
		if (mode === "interactive") await loadThemes();
		loadout.setBase({ contextFiles });
		session.setResources(loadAllResources());
	};
	extensionHost?.bind({
		session,
		isProjectTrusted: () => projectTrust.trusted,
		reloadResources,
		toolSelection: {
			none: args.noTools === true,
			// Naming a tool in --tools or the defaultTools setting switches it on even when it is defaultActive: false.
			named: (name) => selection.filter.isNamed(name) === true || selection.initialActive.includes(name),
		},
	});

	if (mode === "rpc") {
		const { runRpcMode } = await import("../modes/rpc/rpc-mode.ts");
		return runRpcMode(session, { extensions: extensionHost });
	}
	if (mode === "text" || mode === "json") {
		const { runPrintMode } = await import("../modes/print.ts");
		return runPrintMode(session, {
			mode,
			initialMessage,
			initialImages,
			messages: remaining,
			extensions: extensionHost,
		});
	}
	let implicitTrust = projectTrust.source === "no-protected-resources";
	const saveImplicitTrust = (): boolean => {
		if (!implicitTrust || !hasProtectedProjectResources(cwd)) return false;
		implicitTrust = false;
		try {
			const store = new TrustStore(agentDir());
			if (store.get(cwd) !== null) return false;
			store.set(cwd, true);
			return true;
		} catch (error) {
			// stderr would draw over the screen; the next /trust shows the broken trust.json anyway.
			debugLog("project_trust_save_failed", { error: errorMessage(error) });
			return false;
		}
	};
	// pi 1.6.0: an interactive session refreshes the Radius account's model list in the background (not offline).
	if (!["1", "true", "yes"].includes((process.env.PI_OFFLINE ?? "").toLowerCase())) {
		void registry
			.refreshRadiusModels()
			.catch((error) => debugLog("radius_models_refresh_failed", { error: errorMessage(error) }));
	}
	const { runInteractiveMode } = await import("../modes/interactive/interactive-mode.ts");
	return runInteractiveMode(session, {
		initialMessage,
		initialImages,
		messages: remaining,
		verbose: args.verbose,
		tuiMode: args.tuiMode,
		logDirectory: agentDir(),
		startupWarnings,
		// /login writes through the registry's own credentials.
		auth,
		contextFiles: contextFiles.map((file) => file.path),
		themeDiagnostics,
		modelFallbackMessage: initial.model ? initial.fallbackMessage : undefined,
		onReady: mcp ? (ui) => void mcp.attachUi(ui) : undefined,
		extensions: extensionHost,
		reload: async () => {
			// pi: a folder that had nothing to guard at startup and gained .pi resources since is trusted from now on.
			const savedProjectTrust = saveImplicitTrust();
			// With extensions, /reload also restarts them (and re-reads their files); they reload the resources too.
			if (extensionHost) await extensionHost.reload();
			else await reloadResources();
			return {
				contextFiles: contextFiles.map((file) => file.path),
				themeDiagnostics,
				savedProjectTrust,
				...extensionHost?.listing(),
			};
		},
	});
}
