/**
 * Hands a started session to the interactive mode: the background refresh of the Radius model list, /reload, and
 * saving the trust of a folder that gained protected resources while implicitly trusted.
 */

import type { AgentSession } from "../agent/agent-session.ts";
import type { ImageContent } from "../ai/types.ts";
import type { AuthStorage } from "../auth/auth-storage.ts";
import { agentDir } from "../config/paths.ts";
import { hasProtectedProjectResources, type ProjectTrust, TrustStore } from "../config/project-trust.ts";
import type { ExtensionHost } from "../extensions/host.ts";
import type { McpSetup } from "../mcp/setup.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import type { ThemeDiagnostic } from "../tui/themes/loader.ts";
import { debugLog } from "../util/debug-log.ts";
import { errorMessage } from "../util/errors.ts";
import type { ParsedArgs } from "./args.ts";

export interface InteractiveStart {
	cwd: string;
	args: ParsedArgs;
	registry: ModelRegistry;
	auth: AuthStorage;
	projectTrust: ProjectTrust;
	extensionHost: ExtensionHost | undefined;
	mcp: McpSetup | undefined;
	initialMessage: string | undefined;
	initialImages: ImageContent[] | undefined;
	messages: string[];
	startupWarnings: readonly string[];
	modelFallbackMessage: string | undefined;
	/** Read again after each /reload. */
	contextFilePaths: () => string[];
	themeDiagnostics: () => ThemeDiagnostic[];
	/** The non-extension half of /reload. */
	reloadResources: () => Promise<void>;
}

export async function runInteractive(session: AgentSession, start: InteractiveStart): Promise<number> {
	const { cwd, args, registry, mcp, extensionHost } = start;
	let implicitTrust = start.projectTrust.source === "no-protected-resources";
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
		initialMessage: start.initialMessage,
		initialImages: start.initialImages,
		messages: start.messages,
		verbose: args.verbose,
		tuiMode: args.tuiMode,
		logDirectory: agentDir(),
		startupWarnings: start.startupWarnings,
		// /login writes through the registry's own credentials.
		auth: start.auth,
		contextFiles: start.contextFilePaths(),
		themeDiagnostics: start.themeDiagnostics(),
		modelFallbackMessage: start.modelFallbackMessage,
		onReady: mcp ? (ui) => void mcp.attachUi(ui) : undefined,
		extensions: extensionHost,
		reload: async () => {
			// pi: a folder that had nothing to guard at startup and gained .pi resources since is trusted from now on.
			const savedProjectTrust = saveImplicitTrust();
			// With extensions, /reload also restarts them (and re-reads their files); they reload the resources too.
			if (extensionHost) await extensionHost.reload();
			else await start.reloadResources();
			return {
				contextFiles: start.contextFilePaths(),
				themeDiagnostics: start.themeDiagnostics(),
				savedProjectTrust,
				...extensionHost?.listing(),
			};
		},
	});
}
