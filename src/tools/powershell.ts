/**
 * pi 1.6.0's `powershell` tool (docs/windows.md): the bash tool's behaviour (streaming, truncation, temp file,
 * timeout, process-tree kill) with PowerShell as the shell. Only offered when pi runs natively on Windows; enable
 * it with `"defaultTools": ["read", "powershell", "edit", "write"]` or `--tools`.
 */
import { win32 } from "node:path";
import type { AgentTool } from "../agent/types.ts";
import { type BashArgs, type BashToolDetails, createBashTool } from "./bash.ts";
import type { ToolSpec } from "./schemas.ts";
import { resolvePowerShell, type ShellConfig } from "./shell-resolve.ts";
import { DEFAULT_MAX_LINES } from "./truncate.ts";

/** Output in UTF-8 whatever the console code page is. */
export const UTF8_OUTPUT_PREFIX = "try { [Console]::OutputEncoding=[System.Text.Encoding]::UTF8 } catch {}\n";

/**
 * Windows PowerShell 5.1 turns redirected native stderr into error records and sets $? to false, so
 * `git push 2>&1 | Select-Object -Last 3` would fail although git succeeded: exit 0 when the last failure is only
 * such a record and the native command exited 0. The lone `;` keeps an unfinished last statement a parse error.
 */
export const WINDOWS_POWERSHELL_EXIT_SUFFIX =
	'\n;\nif ($?) { exit 0 }\nif (($LASTEXITCODE -eq 0) -and ("$($Error[0].FullyQualifiedErrorId)" -like "NativeCommandError*")) { exit 0 }\nexit 1';

export const POWERSHELL_SPEC: ToolSpec = {
	name: "powershell",
	description: `Execute a PowerShell command in the current working directory. Returns stdout and stderr. Output is truncated to last ${DEFAULT_MAX_LINES} lines or 50KB (whichever is hit first). If truncated, full output is saved to a temp file. Optionally provide a timeout in seconds.`,
	parameters: {
		type: "object",
		required: ["command"],
		properties: {
			command: { type: "string", description: "Shell command to execute" },
			timeout: { type: "number", description: "Timeout in seconds (optional, no default timeout)" },
		},
	},
};

export const POWERSHELL_PROMPT_SNIPPET = "Execute PowerShell commands";

/** The script PowerShell runs for `command`: UTF-8 output, and 5.1's exit-code fix (not after a trailing backtick). */
export function powershellScript(command: string, shell: ShellConfig): string {
	const windowsPowerShell = win32.basename(shell.shell).toLowerCase() === "powershell.exe";
	const suffix = windowsPowerShell && !command.endsWith("`") ? WINDOWS_POWERSHELL_EXIT_SUFFIX : "";
	return `${UTF8_OUTPUT_PREFIX}${command}${suffix}`;
}

export function createPowerShellTool(
	cwd: string,
	resolveShell: () => ShellConfig = resolvePowerShell,
	sessionEnvironment?: () => Readonly<Record<string, string>>,
): AgentTool<BashArgs, BashToolDetails | undefined> {
	return createBashTool(cwd, {
		sessionEnvironment,
		spec: POWERSHELL_SPEC,
		tempFilePrefix: "pi-powershell",
		shell: () => {
			const shell = resolveShell();
			return { shell, wrap: (command: string) => powershellScript(command, shell) };
		},
	});
}
