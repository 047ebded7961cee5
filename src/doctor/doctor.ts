/**
 * `pi doctor`: one screen with what matters when pi misbehaves on a machine — version and how it was installed,
 * the update check, the terminal's capabilities, the shell the bash tool uses, proxy and certificate settings,
 * the config files — and a list of the problems found. Reads only; changes nothing; no network.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { agentDir, agentPaths, projectConfigDir } from "../config/paths.ts";
import { SettingsManager } from "../config/settings.ts";
import { isCompiledBinary } from "../docs/readme.ts";
import { stripJsonComments } from "../registry/json-comments.ts";
import { resolveBashShell } from "../tools/shell-resolve.ts";
import { updateCheckDisabled } from "../update/check.ts";
import { describeInstallMethod, detectInstallMethod, type InstallMethod } from "../update/install-layout.ts";
import { readTextFileSync } from "../util/text-file.ts";
import { VERSION } from "../version.ts";
import { networkReport } from "./network.ts";
import { probeTerminal, type TerminalCapabilities } from "./terminal-probe.ts";

export interface DoctorReport {
	sections: [string, string[]][];
	problems: string[];
}

function tilde(path: string): string {
	const home = homedir();
	return home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function installLines(method: InstallMethod, problems: string[], env: Record<string, string | undefined>): string[] {
	const lines = [describeInstallMethod(method)];
	if (method.kind === "managed") {
		const { record } = method;
		lines.push(
			`current ${record.current}${record.previous ? `, previous ${record.previous} (pi update --rollback)` : ""}`,
		);
		const onPath = (env.PATH ?? "").split(delimiter).includes(record.binDir);
		lines.push(`command ${tilde(join(record.binDir, process.platform === "win32" ? "pi.exe" : "pi"))}`);
		if (!onPath) problems.push(`${tilde(record.binDir)} is not on PATH: add it so that \`pi\` is found`);
		if (existsSync(join(method.root, "update.lock"))) {
			lines.push("an install or update is running (or was interrupted; the next one takes over its lock)");
		}
	}
	return lines;
}

function updateLine(env: Record<string, string | undefined>, method: InstallMethod): string {
	if (env.PI_OFFLINE && env.PI_OFFLINE !== "0") return "startup check off (offline mode: PI_OFFLINE or --offline)";
	if (updateCheckDisabled(env)) return "startup check off (PI_SKIP_VERSION_CHECK)";
	if (method.kind === "source") return "startup check off (running from source)";
	return "startup check on, once a day (PI_SKIP_VERSION_CHECK=1 turns it off)";
}

function terminalLines(t: TerminalCapabilities): string[] {
	const where = [t.term || "TERM unset", t.program, t.multiplexer ? `inside ${t.multiplexer}` : ""].filter(Boolean);
	const size = t.columns && t.rows ? `, ${t.columns}×${t.rows}` : "";
	const lines = [`${where.join(", ")}${size}${t.isTerminal ? "" : " (not a terminal: capabilities not asked)"}`];
	lines.push(`colours ${t.colours}; images ${t.images}`);
	lines.push(`kitty keyboard ${t.kittyKeyboard}; synchronized output ${t.synchronizedOutput}`);
	return lines;
}

function shellLines(settings: SettingsManager, problems: string[]): string[] {
	const shellPath = settings.settings.shellPath;
	try {
		const shell = resolveBashShell(shellPath);
		return [`${shell.shell}${shellPath ? " (shellPath setting)" : ""} for the bash tool and ! commands`];
	} catch (error) {
		const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
		problems.push(message);
		return ["none found"];
	}
}

function configLines(settings: SettingsManager, cwd: string, problems: string[]): string[] {
	const dir = agentDir();
	const lines = [`agent folder ${tilde(dir)}${process.env.PI_CODING_AGENT_DIR ? " (PI_CODING_AGENT_DIR)" : ""}`];
	const files: string[] = [];
	for (const [label, path] of [
		["settings.json", agentPaths.settings()],
		["auth.json", agentPaths.auth()],
		["models.json", agentPaths.models()],
		["keybindings.json", agentPaths.keybindings()],
	] as const) {
		if (!existsSync(path)) continue;
		files.push(label);
		if (label === "auth.json" && process.platform !== "win32") {
			const mode = statSync(path).mode & 0o777;
			if (mode & 0o077) {
				problems.push(
					`${tilde(path)} holds credentials but is readable by others (mode ${mode.toString(8)}): chmod 600 it`,
				);
			}
		}
		if (label === "models.json") {
			try {
				// Read as pi reads it: `//` comments, trailing commas and a byte-order mark are allowed.
				JSON.parse(stripJsonComments(readTextFileSync(path)));
			} catch {
				problems.push(`${tilde(path)} is not valid JSON`);
			}
		}
	}
	lines.push(files.length > 0 ? `files: ${files.join(", ")}` : "no config files yet (defaults in use)");
	let sessions = 0;
	try {
		sessions = readdirSync(agentPaths.sessions()).length;
	} catch {
		// No sessions yet.
	}
	lines.push(`sessions: ${sessions} project folder(s) in ${tilde(agentPaths.sessions())}`);
	if (existsSync(projectConfigDir(cwd))) lines.push(`project config: ${tilde(projectConfigDir(cwd))}`);
	for (const warning of settings.warnings) problems.push(warning);
	return lines;
}

export async function collectDoctorReport(
	options: { env?: Record<string, string | undefined>; cwd?: string; askTerminal?: boolean } = {},
): Promise<DoctorReport> {
	const env = options.env ?? process.env;
	const cwd = options.cwd ?? process.cwd();
	const problems: string[] = [];
	const compiled = isCompiledBinary();
	let method: InstallMethod;
	try {
		method = detectInstallMethod(process.execPath, compiled);
	} catch (error) {
		problems.push(error instanceof Error ? error.message : String(error));
		method = { kind: "standalone", executable: process.execPath };
	}
	const settings = SettingsManager.create(cwd, agentDir());
	const network = networkReport(env, process.execArgv, compiled);
	problems.push(...network.problems);
	const terminal = await probeTerminal(env, { ask: options.askTerminal });
	const platform = `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
	const sections: [string, string[]][] = [
		["pi", [`${VERSION} (${platform}, Bun ${Bun.version})`, `executable ${tilde(process.execPath)}`]],
		["install", installLines(method, problems, env)],
		["updates", [updateLine(env, method)]],
		["terminal", terminalLines(terminal)],
		["shell", shellLines(settings, problems)],
		[
			"network",
			[
				network.proxies.length > 0
					? `proxy ${network.proxies.map(([name, value]) => `${name}=${value}`).join(", ")}`
					: "proxy: none (HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured)",
				...(network.noProxy ? [`NO_PROXY=${network.noProxy}`] : []),
				...network.ca,
			],
		],
		["config", configLines(settings, cwd, problems)],
	];
	return { sections, problems };
}

export function formatDoctorReport(report: DoctorReport): string {
	const width = 10;
	const lines: string[] = [];
	for (const [title, body] of report.sections) {
		body.forEach((line, i) => {
			lines.push(`${(i === 0 ? title : "").padEnd(width)}${line}`);
		});
	}
	lines.push("");
	if (report.problems.length === 0) lines.push("No problems found.");
	else {
		lines.push(`Problems (${report.problems.length}):`);
		for (const problem of report.problems) lines.push(`  - ${problem}`);
	}
	return `${lines.join("\n")}\n`;
}

export async function runDoctorCommand(args: readonly string[]): Promise<number> {
	if (args.includes("--help") || args.includes("-h")) {
		process.stdout.write(
			"Usage: pi doctor\n\nPrint version, install method, update check, terminal capabilities, shell, proxy and\ncertificate settings and config files, and the problems found. Changes nothing.\n",
		);
		return 0;
	}
	const unknown = args.find((arg) => arg !== "--help" && arg !== "-h");
	if (unknown) {
		process.stderr.write(`Error: pi doctor takes no arguments (got ${unknown})\n`);
		return 1;
	}
	const report = await collectDoctorReport();
	process.stdout.write(formatDoctorReport(report));
	return report.problems.length > 0 ? 1 : 0;
}
