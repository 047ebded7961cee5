/**
 * `pi config [-l] [--approve|--no-approve]` (pi 1.6.0): the resource picker, which switches the extensions,
 * skills, prompt templates and themes of packages and of the user's (or with -l the project's) settings and folders
 * on and off. Changes are written to settings.json as they are made; Escape closes.
 */
import { agentDir } from "../config/paths.ts";
import { ConfigSelector } from "../modes/interactive/components/config-selector.ts";
import { Keybindings, setActiveKeybindings } from "../modes/interactive/keybindings.ts";
import { ProcessTerminal, type Terminal } from "../tui/terminal.ts";
import { setupThemes } from "../tui/themes/startup.ts";
import { TUI } from "../tui/tui.ts";
import { errorMessage } from "../util/errors.ts";
import { commandSettings } from "./cli.ts";
import { listConfigResources, setResourceEnabled } from "./config-resources.ts";
import { formatInstallFailure, PackageManager } from "./manager.ts";

const USAGE = "pi config [-l] [--approve|--no-approve]";

const HELP = `Usage:
  ${USAGE}

Open the resource configuration TUI to enable or disable package resources.
Without -l, starts in global settings (~/.pi/agent/settings.json).
Press Tab in the TUI to switch between global and project-local modes.

Options:
  -l, --local       Edit project overrides (.pi/settings.json)
  -a, --approve     Trust project-local files for this command with -l
  -na, --no-approve Ignore project-local files for this command with -l
`;

const err = (line: string) => process.stderr.write(`${line}\n`);

/** Resolves with the exit code; `terminal` is for tests (a real one otherwise). */
export async function runConfigCommand(args: readonly string[], terminal?: Terminal): Promise<number> {
	let local = false;
	let approve: boolean | undefined;
	for (const arg of args) {
		if (arg === "-h" || arg === "--help") {
			process.stdout.write(HELP);
			return 0;
		}
		if (arg === "-l" || arg === "--local") local = true;
		else if (arg === "-a" || arg === "--approve") approve = true;
		else if (arg === "-na" || arg === "--no-approve") approve = false;
		else if (arg.startsWith("-")) {
			err(`Unknown option ${arg} for "config".`);
			err(`Use "pi --help" or "${USAGE}".`);
			return 1;
		} else {
			err(`Unexpected argument ${arg}.`);
			err(`Usage: ${USAGE}`);
			return 1;
		}
	}
	if (!terminal && (!process.stdin.isTTY || !process.stdout.isTTY)) {
		err(
			"pi config shows a picker and needs a terminal; edit the packages and resource entries of settings.json instead.",
		);
		return 1;
	}
	const cwd = process.cwd();
	const settings = await commandSettings(approve, false);
	if (local && !settings.isProjectTrusted()) {
		err("Project is not trusted. Use --approve to modify local resource config.");
		return 1;
	}
	const roots = { cwd, agentDir: agentDir() };
	const packages = new PackageManager({ ...roots, settings, output: "capture" });
	let listed: Awaited<ReturnType<typeof listConfigResources>>;
	try {
		listed = await listConfigResources(roots, settings, packages);
	} catch (error) {
		err(`Error: ${errorMessage(error)}`);
		return 1;
	}
	for (const failure of listed.installFailures) err(`Warning: ${formatInstallFailure(failure)}`);
	setActiveKeybindings(Keybindings.loadMigrating());
	setupThemes({ cwd, settings });
	const tui = new TUI(terminal ?? new ProcessTerminal());
	return new Promise((resolve) => {
		const selector = new ConfigSelector({
			resources: listed.resources,
			scope: local ? "project" : "global",
			projectAvailable: settings.isProjectTrusted(),
			rows: tui.terminal.rows,
			onToggle: (resource, enabled) => {
				try {
					setResourceEnabled(roots, settings, resource, enabled);
					return undefined;
				} catch (error) {
					return errorMessage(error);
				}
			},
			onClose: () => {
				tui.stop();
				resolve(0);
			},
			requestRender: () => tui.requestRender(),
		});
		tui.addChild(selector);
		tui.setFocus(selector);
		tui.start();
	});
}
