/**
 * `pi install | remove | uninstall | list` and the package half of `pi update` (pi 1.6.0, docs/cli.md "Package
 * commands"): arguments, project trust, messages and exit codes as pi's. The tools' own output goes to stderr as it
 * happens; our messages go to stdout; a failure ends with "Error: …" and exit code 1.
 */
import { agentDir } from "../config/paths.ts";
import { resolveProjectTrust, TrustStore } from "../config/project-trust.ts";
import { SettingsManager } from "../config/settings.ts";
import { errorMessage } from "../util/errors.ts";
import { isOffline, PackageManager, type PackageProgress } from "./manager.ts";

type Command = "install" | "remove" | "list";

const color = (code: string) => (text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
const dim = color("2");
const green = color("32");
const yellow = color("33");
const bold = color("1");
const out = (line = "") => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function usage(command: Command): string {
	if (command === "list") return "pi list [--approve|--no-approve]";
	return `pi ${command} <source> [-l] [--approve|--no-approve]`;
}

const HELP: Record<Command, string> = {
	install: `Usage:
  ${usage("install")}

Install a package and add it to settings.

Options:
  -l, --local       Install project-locally (.pi/settings.json)
  -a, --approve     Trust project-local files for this command
  -na, --no-approve Ignore project-local files for this command

Examples:
  pi install npm:@foo/bar
  pi install git:github.com/user/repo
  pi install git:git@github.com:user/repo
  pi install https://github.com/user/repo
  pi install ssh://git@github.com/user/repo
  pi install ./local/path
`,
	remove: `Usage:
  ${usage("remove")}

Remove a package and its source from settings.
Alias: pi uninstall <source> [-l]

Options:
  -l, --local       Remove from project settings (.pi/settings.json)
  -a, --approve     Trust project-local files for this command
  -na, --no-approve Ignore project-local files for this command

Examples:
  pi remove npm:@foo/bar
  pi uninstall npm:@foo/bar
`,
	list: `Usage:
  ${usage("list")}

List installed packages from user and project settings.

Options:
  -a, --approve      Trust project-local files for this command
  -na, --no-approve  Ignore project-local files for this command
`,
};

interface Parsed {
	command: Command;
	source?: string;
	local: boolean;
	approve?: boolean;
	help: boolean;
	error?: string;
}

function parse(argv: readonly string[]): Parsed {
	const [first, ...rest] = argv;
	const command: Command =
		first === "uninstall" || first === "remove" ? "remove" : first === "list" ? "list" : "install";
	const parsed: Parsed = { command, local: false, help: false };
	const fail = (message: string) => {
		parsed.error ??= message;
	};
	for (const arg of rest) {
		if (arg === "-h" || arg === "--help") parsed.help = true;
		else if (arg === "-l" || arg === "--local") {
			if (command === "list") fail(`Unknown option ${arg} for "list".`);
			else parsed.local = true;
		} else if (arg === "-a" || arg === "--approve") parsed.approve = true;
		else if (arg === "-na" || arg === "--no-approve") parsed.approve = false;
		else if (arg.startsWith("-")) fail(`Unknown option ${arg} for "${command}".`);
		else if (parsed.source === undefined && command !== "list") parsed.source = arg;
		else fail(`Unexpected argument ${arg}.`);
	}
	return parsed;
}

/** Settings with the project trusted or not, decided as pi decides for package commands. */
export async function commandSettings(approve: boolean | undefined, savedOnly: boolean): Promise<SettingsManager> {
	const cwd = process.cwd();
	const settings = SettingsManager.create(cwd);
	for (const warning of settings.warnings) err(yellow(`Warning: ${warning}`));
	if (savedOnly) {
		// `pi update` never asks: --approve, else only a saved "trusted".
		settings.setProjectTrusted(approve ?? new TrustStore(agentDir()).get(cwd) === true);
		return settings;
	}
	const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
	const trust = await resolveProjectTrust({
		cwd,
		agentDir: agentDir(),
		override: approve,
		defaultProjectTrust: settings.getDefaultProjectTrust(),
		prompt: interactive
			? async (folder, options) =>
					(await import("../modes/interactive/trust-prompt.ts")).promptProjectTrust(folder, options)
			: undefined,
		onWarning: (message) => err(yellow(`Warning: ${message}`)),
	});
	settings.setProjectTrusted(trust.trusted);
	return settings;
}

function reporter(updated: string[], warnings: string[]): (event: PackageProgress) => void {
	return (event) => {
		if (event.type === "start" && event.message) out(dim(event.message));
		else if (event.type === "updated" && event.message) updated.push(event.message);
		else if (event.type === "warning" && event.message) {
			warnings.push(event.message);
			out(yellow(event.message));
		}
	};
}

/** `pi install|remove|uninstall|list …`; resolves with the exit code. */
export async function runPackageCommand(argv: readonly string[]): Promise<number> {
	const parsed = parse(argv);
	if (parsed.help) {
		out(HELP[parsed.command].trimEnd());
		return 0;
	}
	if (parsed.error) {
		err(parsed.error);
		err(`Usage: ${usage(parsed.command)}`);
		return 1;
	}
	const source = parsed.source;
	if (parsed.command !== "list" && !source) {
		err(`Missing ${parsed.command} source.`);
		err(`Usage: ${usage(parsed.command)}`);
		return 1;
	}
	const settings = await commandSettings(parsed.approve, false);
	if (parsed.local && !settings.isProjectTrusted()) {
		err("Project is not trusted. Use --approve to modify local package config.");
		return 1;
	}
	const updated: string[] = [];
	const manager = new PackageManager({
		cwd: process.cwd(),
		agentDir: agentDir(),
		settings,
		onProgress: reporter(updated, []),
	});
	const scope = parsed.local ? "project" : "user";
	try {
		if (parsed.command === "install" && source) {
			await manager.installAndPersist(source, scope);
			out(green(`Installed ${source}`));
		} else if (parsed.command === "remove" && source) {
			if (!(await manager.removeAndPersist(source, scope))) {
				err(`No matching package found for ${source}`);
				return 1;
			}
			out(green(`Removed ${source}`));
		} else printList(manager);
		return 0;
	} catch (error) {
		err(`Error: ${errorMessage(error)}`);
		if (parsed.command === "install" && source) {
			err(
				`Nothing was added to settings. Fix the problem above and run "pi install ${source}${parsed.local ? " -l" : ""}" again.`,
			);
		}
		return 1;
	}
}

function printList(manager: PackageManager): void {
	const packages = manager.list();
	if (packages.length === 0) {
		out(dim("No packages installed."));
		return;
	}
	const show = (scope: "user" | "project", title: string) => {
		const mine = packages.filter((pkg) => pkg.scope === scope);
		if (mine.length === 0) return false;
		out(bold(title));
		for (const pkg of mine) {
			out(`  ${pkg.filtered ? `${pkg.source} (filtered)` : pkg.source}`);
			if (pkg.installedPath) out(dim(`    ${pkg.installedPath}`));
		}
		return true;
	};
	const hadUser = show("user", "User packages:");
	if (hadUser && packages.some((pkg) => pkg.scope === "project")) out();
	show("project", "Project packages:");
}

/** `pi update --extensions` / `pi update <source>`: the package half of the update dispatcher. */
export async function updatePackages(source: string | undefined, approve: boolean | undefined): Promise<number> {
	const settings = await commandSettings(approve, true);
	const updated: string[] = [];
	const warnings: string[] = [];
	const manager = new PackageManager({
		cwd: process.cwd(),
		agentDir: agentDir(),
		settings,
		onProgress: reporter(updated, warnings),
	});
	try {
		await manager.update(source);
	} catch (error) {
		err(`Error: ${errorMessage(error)}`);
		return 1;
	}
	if (isOffline()) out(yellow("Skipped package updates (offline mode)"));
	else if (updated.length === 0 && warnings.length > 0) {
		out(
			yellow(
				source
					? `${source} was not updated, see the warnings above`
					: "No packages were updated, see the warnings above",
			),
		);
	} else if (updated.length === 0) {
		out(green(source ? `${source} is already up to date` : "Packages are already up to date"));
	} else {
		out(green(`Updated ${updated.length} package${updated.length === 1 ? "" : "s"}:`));
		for (const line of updated) out(`  ${line}`);
	}
	return 0;
}
