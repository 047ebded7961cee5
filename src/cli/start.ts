/**
 * The CLI's second stage (pi-spec §1.5): settings, credentials, models, the session file, the tools and the
 * system prompt, assembled into an AgentSession that the chosen mode drives. Each step lives in its own startup-*
 * module; this one keeps their order.
 */

import { AgentSession } from "../agent/agent-session.ts";
import { loadContextFiles } from "../agent/context-files.ts";
import { formatModelList } from "../ai/list-models.ts";
import { streamAssistant } from "../ai/stream.ts";
import { AuthStorage } from "../auth/auth-storage.ts";
import { agentDir, agentPaths } from "../config/paths.ts";
import { resolveProjectTrust } from "../config/project-trust.ts";
import { SettingsManager } from "../config/settings.ts";
import { isRemotePackageSource } from "../packages/source.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { loadResources } from "../resources/index.ts";
import { SessionManager } from "../session/session-manager.ts";
import { executeBash } from "../tools/bash-executor.ts";
import type { ThemeDiagnostic } from "../tui/themes/loader.ts";
import { debugLog, registerSecret } from "../util/debug-log.ts";
import { PiError } from "../util/errors.ts";
import { applyHttpProxySetting } from "../util/proxy.ts";
import type { ParsedArgs } from "./args.ts";
import { buildInitialMessage, processFileArguments } from "./file-args.ts";
import { readPipedStdin, resolveMode } from "./mode.ts";
import { createAgent } from "./startup-agent.ts";
import { StartupExtensions } from "./startup-extensions.ts";
import { runInteractive } from "./startup-interactive.ts";
import { chooseModel } from "./startup-model.ts";
import { StartupPackages } from "./startup-packages.ts";
import { createPromptLoadout } from "./startup-prompt.ts";
import { openStartupSession, SessionClaim } from "./startup-session.ts";
import { createStartupTools } from "./startup-tools.ts";
import { startupWarnings, warn } from "./startup-warnings.ts";

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
	const sessionManager = await openStartupSession(args, mode, startupCwd, sessionDir);
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
	const claim = new SessionClaim();
	const heldBy = claim.claim(sessionManager);
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

	const agent = createAgent({
		settings,
		registry,
		sessionId: sessionManager.getSessionId(),
		initial,
		messages: sessionContext.messages,
	});
	const { tools, mcp } = await createStartupTools({
		cwd,
		args,
		settings,
		projectTrusted: projectTrust.trusted,
		extensionHost,
		// Read when a command runs; `session` exists by then.
		session: () => session,
	});
	// `let`: /reload re-reads the context files the system prompt is built from.
	let contextFiles = args.noContextFiles ? [] : loadContextFiles(cwd, agentDir());
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
	const { loadout, selection } = await createPromptLoadout({
		cwd,
		args,
		settings,
		trusted: projectTrust.trusted,
		contextFiles,
		skills: resources.skills,
		tools,
	});

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
		onSessionSwitched: (manager) => void claim.claim(manager),
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
	return runInteractive(session, {
		cwd,
		args,
		registry,
		auth,
		projectTrust,
		extensionHost,
		mcp,
		initialMessage,
		initialImages,
		messages: remaining,
		startupWarnings,
		modelFallbackMessage: initial.model ? initial.fallbackMessage : undefined,
		contextFilePaths: () => contextFiles.map((file) => file.path),
		themeDiagnostics: () => themeDiagnostics,
		reloadResources,
	});
}
