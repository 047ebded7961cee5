/**
 * `pi update`: one dispatcher for everything pi 1.6.0's `update` subcommand does (docs/cli.md "Update Pi or
 * packages"), plus `--rollback`:
 *
 *   pi update | --self | self | pi     update pi itself                    → src/update/self-update.ts
 *   pi update --rollback               back to the version before the last update
 *   pi update --extensions             update every installed pi package  → packageUpdater (see below)
 *   pi update <source> | --extension <source>   update one package
 *   pi update --all                    pi and the packages
 *   pi update --models                 refresh model catalogs
 *   --force                            reinstall pi even when it is up to date
 *
 * Argument parsing follows pi 1.6.0's parsePackageCommand for `update` (same conflicts, same messages).
 */
import { VERSION } from "../version.ts";

export type UpdateTarget =
	| { type: "self" }
	| { type: "all" }
	| { type: "extensions"; source?: string }
	| { type: "models" }
	| { type: "rollback" };

export interface UpdateCommand {
	target: UpdateTarget;
	force: boolean;
	help: boolean;
	/** true for --approve, false for --no-approve (project trust for package commands). */
	approve?: boolean;
	/** Plain `pi update`: pi notes that packages were skipped. */
	extensionsSkippedNote: boolean;
	error?: string;
}

export const UPDATE_USAGE =
	"pi update [source|self|pi] [--self|--extensions|--models|--all|--rollback] [--extension <source>] [--approve|--no-approve] [--force]";

export function parseUpdateArgs(args: readonly string[]): UpdateCommand {
	let self = false;
	let extensions = false;
	let models = false;
	let all = false;
	let rollback = false;
	let force = false;
	let help = false;
	let approve: boolean | undefined;
	let extensionSource: string | undefined;
	let source: string | undefined;
	let error: string | undefined;
	const fail = (message: string) => {
		error ??= message;
	};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] ?? "";
		if (arg === "-h" || arg === "--help") help = true;
		else if (arg === "--self") self = true;
		else if (arg === "--extensions") extensions = true;
		else if (arg === "--models") models = true;
		else if (arg === "--all") all = true;
		else if (arg === "--rollback") rollback = true;
		else if (arg === "--force") force = true;
		else if (arg === "-a" || arg === "--approve") approve = true;
		else if (arg === "-na" || arg === "--no-approve") approve = false;
		else if (arg === "--extension") {
			const value = args[i + 1];
			if (!value || value.startsWith("-")) fail(`Missing value for ${arg}.`);
			else if (extensionSource) {
				fail("--extension can only be provided once");
				i++;
			} else {
				extensionSource = value;
				i++;
			}
		} else if (arg.startsWith("-")) fail(`Unknown option ${arg} for "update".`);
		else if (!source) source = arg;
		else fail(`Unexpected argument ${arg}.`);
	}

	let target: UpdateTarget = { type: "self" };
	let extensionsSkippedNote = false;
	if (rollback) {
		if (self || extensions || models || all || extensionSource || (source && source !== "self" && source !== "pi")) {
			fail("--rollback cannot be combined with other update targets");
		}
		if (force) fail("--rollback cannot be combined with --force");
		target = { type: "rollback" };
	} else if (models) {
		if (self || extensions || all || extensionSource) {
			fail("--models cannot be combined with --self, --extensions, --all, or --extension");
		}
		if (source) fail("--models cannot be combined with a positional source");
		target = { type: "models" };
	} else if (extensionSource) {
		if (self || extensions || all) fail("--extension cannot be combined with --self, --extensions, or --all");
		if (source) fail("--extension cannot be combined with a positional source");
		target = { type: "extensions", source: extensionSource };
	} else if (source) {
		if (source === "self" || source === "pi") target = extensions ? { type: "all" } : { type: "self" };
		else {
			if (extensions || self || all) {
				fail("positional update targets cannot be combined with --self, --extensions, or --all");
			}
			target = { type: "extensions", source };
		}
	} else if (all || (self && extensions)) target = { type: "all" };
	else if (self) target = { type: "self" };
	else if (extensions) target = { type: "extensions" };
	else extensionsSkippedNote = true;
	if (all && (self || extensions || models || extensionSource)) {
		fail("--all cannot be combined with --self, --extensions, --models, or --extension");
	}
	if (all && source) fail("--all cannot be combined with a positional source");
	return { target, force, help, approve, extensionsSkippedNote, error };
}

export function updateHelp(): string {
	return `Usage:
  ${UPDATE_USAGE}

Update pi, installed packages, or model catalogs.

Options:
  --self                  Update pi only (default when no target is given)
  --extensions            Update installed packages only
  --models                Refresh model catalogs only
  --all                   Update pi and installed packages
  --extension <source>    Update one package only
  --rollback              Go back to the pi version installed before the last update
  -a, --approve           Trust project-local files for this command
  -na, --no-approve       Ignore project-local files for this command
  --force                 Reinstall pi even if the current version is latest

pi installed with install.sh or install.ps1 updates itself: the release archive for this platform is verified
against SHA256SUMS and the release's digest, the new binary must run before it replaces the old one, and the
previous version is kept for --rollback. Homebrew and other package managers are told their own command.
Set PI_SELF_UPDATE_COMMAND or the selfUpdateCommand setting to run your own update command instead.

Short forms:
  pi update                Update pi only
  pi update --all          Update pi and all extensions
  pi update --models       Refresh model catalogs only
  pi update <source>       Update one package
  pi update pi             Update pi only (self works as alias to pi)
`;
}

/** Updates installed pi packages (`source` undefined: all of them): src/packages, loaded only for this. */
async function updatePackages(source: string | undefined, approve: boolean | undefined): Promise<number> {
	const { updatePackages: run } = await import("../packages/cli.ts");
	return run(source, approve);
}

async function updateSelf(command: UpdateCommand): Promise<number> {
	if (command.target.type !== "rollback" && isOffline()) {
		process.stderr.write("Error: pi update needs the network, and offline mode is on (PI_OFFLINE).\n");
		return 1;
	}
	const [{ runRollback, runSelfUpdate, configuredSelfUpdateCommand }, { isCompiledBinary }, settings] =
		await Promise.all([
			import("../update/self-update.ts"),
			import("../docs/readme.ts"),
			import("../config/settings.ts"),
		]);
	const { agentDir } = await import("../config/paths.ts");
	const interactive = process.stderr.isTTY === true;
	const options = {
		executable: process.execPath,
		compiled: isCompiledBinary(),
		currentVersion: VERSION,
		force: command.force,
		// selfUpdateCommand is read from the agent folder's settings only, as pi 1.6.0 does.
		configuredCommand: configuredSelfUpdateCommand(
			settings.SettingsManager.create(process.cwd(), agentDir()).getGlobalSettings().selfUpdateCommand,
		),
		out: (line: string) => process.stdout.write(`${line}\n`),
		err: (line: string) => process.stderr.write(`${line}\n`),
		progress: interactive ? (text: string) => process.stderr.write(`\r\x1b[2K${text}`) : undefined,
	};
	const code = command.target.type === "rollback" ? await runRollback(options) : await runSelfUpdate(options);
	if (interactive) process.stderr.write("\r\x1b[2K");
	return code;
}

function isOffline(): boolean {
	return ["1", "true", "yes"].includes((process.env.PI_OFFLINE ?? "").toLowerCase());
}

export async function runUpdateCommand(args: readonly string[]): Promise<number> {
	const command = parseUpdateArgs(args);
	if (command.help) {
		process.stdout.write(updateHelp());
		return 0;
	}
	if (command.error) {
		process.stderr.write(`${command.error}\nUsage: ${UPDATE_USAGE}\n`);
		return 1;
	}
	const { target } = command;
	if (target.type === "models") {
		process.stdout.write("Model catalogs are built into this pi binary; `pi update` brings the newest ones.\n");
		return 0;
	}
	if (command.extensionsSkippedNote) {
		process.stdout.write("Extensions are skipped. Run pi update --extensions to update extensions.\n");
	}
	let code = 0;
	if (target.type === "extensions" || target.type === "all") {
		code = await updatePackages(target.type === "extensions" ? target.source : undefined, command.approve);
	}
	if (target.type === "self" || target.type === "all" || target.type === "rollback") {
		code = Math.max(code, await updateSelf(command));
	}
	return code;
}
