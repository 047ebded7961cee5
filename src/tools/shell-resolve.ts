/**
 * Which shell runs commands, decided as pi 1.6.0 decides it (docs/windows.md):
 *   bash tool and `!` commands: settings.shellPath; on Windows Git Bash in %ProgramFiles%\Git\bin, then
 *     %ProgramFiles(x86)%\Git\bin, then bash.exe on PATH (Cygwin, MSYS2, the legacy WSL launcher, which gets the
 *     command on stdin because its argument quoting mangles it); elsewhere /bin/bash, bash on PATH, then sh.
 *   powershell tool (Windows only): pwsh.exe on PATH, %ProgramFiles%\PowerShell\7\pwsh.exe, powershell.exe on
 *     PATH, %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe.
 * The host (platform, environment, file checks, PATH lookups) is a parameter so the Windows rules are tested on
 * any OS.
 */
import { accessSync, constants } from "node:fs";
import { win32 } from "node:path";

export interface ShellConfig {
	shell: string;
	args: string[];
	/** "stdin": the command is written to the shell's stdin instead of passed as an argument. */
	commandTransport?: "argv" | "stdin";
}

export interface ShellHost {
	platform: NodeJS.Platform;
	env: Record<string, string | undefined>;
	exists(path: string): boolean;
	/** The first match of an executable on PATH (`where` on Windows, `which` elsewhere). */
	findOnPath(executable: string): string | undefined;
}

export const POWERSHELL_ARGS = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command"] as const;

function isLegacyWslBash(path: string, env: ShellHost["env"]): boolean {
	const normalized = win32.normalize(path).toLowerCase();
	const systemRoot = env.SystemRoot;
	if (systemRoot) {
		if (!/^[a-z]:[\\/]/i.test(systemRoot)) return false;
		return ["System32", "Sysnative"].some(
			(dir) => normalized === win32.join(systemRoot, dir, "bash.exe").toLowerCase(),
		);
	}
	return /^[a-z]:\\windows\\(?:system32|sysnative)\\bash\.exe$/.test(normalized);
}

function bashConfig(shell: string, host: ShellHost): ShellConfig {
	if (host.platform === "win32" && isLegacyWslBash(shell, host.env)) {
		return { shell, args: ["-s"], commandTransport: "stdin" };
	}
	return { shell, args: ["-c"] };
}

/** The Git Bash locations checked on Windows, in order. */
export function gitBashCandidates(env: ShellHost["env"]): string[] {
	const paths: string[] = [];
	if (env.ProgramFiles) paths.push(`${env.ProgramFiles}\\Git\\bin\\bash.exe`);
	if (env["ProgramFiles(x86)"]) paths.push(`${env["ProgramFiles(x86)"]}\\Git\\bin\\bash.exe`);
	return paths;
}

export function resolveBashShell(customShellPath: string | undefined, host: ShellHost = localHost()): ShellConfig {
	if (customShellPath) {
		if (host.exists(customShellPath)) return bashConfig(customShellPath, host);
		throw new Error(`Custom shell path not found: ${customShellPath}`);
	}
	if (host.platform === "win32") {
		const candidates = gitBashCandidates(host.env);
		const gitBash = candidates.find((path) => host.exists(path));
		if (gitBash) return bashConfig(gitBash, host);
		const onPath = host.findOnPath("bash.exe");
		if (onPath) return bashConfig(onPath, host);
		throw new Error(
			"No bash shell found. Options:\n" +
				"  1. Install Git for Windows: https://git-scm.com/download/win\n" +
				"  2. Add your bash to PATH (Cygwin, MSYS2, etc.)\n" +
				"  3. Set shellPath in settings.json\n\n" +
				`Searched Git Bash in:\n${candidates.map((path) => `  ${path}`).join("\n")}`,
		);
	}
	if (host.exists("/bin/bash")) return bashConfig("/bin/bash", host);
	const onPath = host.findOnPath("bash");
	if (onPath) return bashConfig(onPath, host);
	return { shell: "sh", args: ["-c"] };
}

export function resolvePowerShell(host: ShellHost = localHost()): ShellConfig {
	if (host.platform !== "win32") throw new Error("The powershell tool is only available on Windows.");
	let shell = host.findOnPath("pwsh.exe");
	if (!shell && host.env.ProgramFiles) {
		const pwsh7 = win32.join(host.env.ProgramFiles, "PowerShell", "7", "pwsh.exe");
		if (host.exists(pwsh7)) shell = pwsh7;
	}
	shell ??= host.findOnPath("powershell.exe");
	if (!shell && host.env.SystemRoot) {
		const builtIn = win32.join(host.env.SystemRoot, "System32", "WindowsPowerShell", "v1.0", "powershell.exe");
		if (host.exists(builtIn)) shell = builtIn;
	}
	if (!shell) {
		throw new Error("No PowerShell executable found. Install PowerShell or add powershell.exe/pwsh.exe to PATH.");
	}
	return { shell, args: [...POWERSHELL_ARGS] };
}

/** The command line that kills a process and all its children on Windows (trusted System32 path, not PATH). */
export function windowsTreeKillCommand(pid: number, env: ShellHost["env"] = process.env): string[] {
	return [win32.join(env.SystemRoot || "C:\\Windows", "System32", "taskkill.exe"), "/F", "/T", "/PID", String(pid)];
}

function pathExists(path: string): boolean {
	// accessSync rather than existsSync: on Windows existsSync's extra stat rejects runnable Store aliases.
	try {
		accessSync(path, constants.F_OK);
		return true;
	} catch {
		return false;
	}
}

function findOnPath(executable: string): string | undefined {
	const lookup = process.platform === "win32" ? "where" : "which";
	try {
		const result = Bun.spawnSync([lookup, executable], { stdout: "pipe", stderr: "ignore", windowsHide: true });
		if (result.exitCode !== 0) return undefined;
		const first = result.stdout.toString().trim().split(/\r?\n/)[0];
		return first && (process.platform !== "win32" || pathExists(first)) ? first : undefined;
	} catch {
		return undefined;
	}
}

export function localHost(): ShellHost {
	return { platform: process.platform, env: process.env, exists: pathExists, findOnPath };
}
