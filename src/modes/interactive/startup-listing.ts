/**
 * The resource listing shown at startup and after /reload: `[Context]`, `[Skills]`, `[Prompts]`, `[Themes]` and
 * their conflicts (only the conflicts with quietStartup). It remembers what the last load found, because context
 * files and theme problems come from the CLI start-up code, not from the session.
 */
import { join } from "node:path";
import type { AgentSession } from "../../agent/agent-session.ts";
import { agentDir } from "../../config/paths.ts";
import type { ResourceDiagnostic } from "../../resources/index.ts";
import type { ThemeDiagnostic } from "../../tui/themes/loader.ts";
import { getRegisteredThemes } from "../../tui/themes/manager.ts";
import { type ListedExtension, type ListedTheme, loadedResourcesListing } from "./components/loaded-resources.ts";
import type { UiComponent } from "./components/primitives.ts";

/** What /reload hands back for the resource listing (skills and templates are read from the session). */
export interface ReloadResult {
	contextFiles: readonly string[];
	themeDiagnostics: readonly ThemeDiagnostic[];
	/** Loaded extensions and the ones that failed (`[Extensions]`, `[Extension issues]`). */
	extensions?: readonly ListedExtension[];
	extensionIssues?: readonly ResourceDiagnostic[];
	/** The folder gained protected resources during an implicitly trusted session and was saved as trusted. */
	savedProjectTrust?: boolean;
}

/** Custom theme files, grouped like pi's by where they were found. */
function listedThemes(cwd: string): ListedTheme[] {
	const userDir = agentDir();
	const projectDir = join(cwd, ".pi");
	return getRegisteredThemes().map((loaded) => {
		const scope = loaded.sourcePath.startsWith(userDir)
			? "user"
			: loaded.sourcePath.startsWith(projectDir)
				? "project"
				: "temporary";
		return {
			name: loaded.name,
			sourcePath: loaded.sourcePath,
			sourceInfo: {
				path: loaded.sourcePath,
				source: scope === "temporary" ? "cli" : "auto",
				scope,
				origin: "top-level",
			},
		};
	});
}

export class StartupListing {
	constructor(
		private readonly session: AgentSession,
		/** --verbose shows the listing expanded, even with quietStartup. */
		private readonly verbose: boolean,
		private found: ReloadResult,
	) {}

	/** /reload found these instead. */
	update(found: ReloadResult): void {
		this.found = found;
	}

	components(toolsExpanded: boolean): UiComponent[] {
		return loadedResourcesListing(
			{
				contextFiles: this.found.contextFiles,
				resources: this.session.resources,
				themes: listedThemes(this.session.cwd),
				themeDiagnostics: this.found.themeDiagnostics,
				extensions: this.found.extensions,
				extensionIssues: this.found.extensionIssues,
			},
			{
				cwd: this.session.cwd,
				showListing: this.verbose || !this.session.settings.getQuietStartup(),
				expanded: this.verbose || toolsExpanded,
			},
		);
	}
}
