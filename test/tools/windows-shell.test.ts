/**
 * The Windows rules of shell resolution, the powershell tool and the process-tree kill, exercised on any OS with
 * a simulated host (see src/tools/shell-resolve.ts) and stand-in shells.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPowerShellTool, powershellScript, WINDOWS_POWERSHELL_EXIT_SUFFIX } from "../../src/tools/powershell.ts";
import { runShellCommand } from "../../src/tools/shell.ts";
import {
	POWERSHELL_ARGS,
	resolveBashShell,
	resolvePowerShell,
	type ShellHost,
	windowsTreeKillCommand,
} from "../../src/tools/shell-resolve.ts";

function windowsHost(
	files: string[],
	onPath: Record<string, string> = {},
	env: Record<string, string> = {},
): ShellHost {
	return {
		platform: "win32",
		env: {
			ProgramFiles: "C:\\Program Files",
			"ProgramFiles(x86)": "C:\\Program Files (x86)",
			SystemRoot: "C:\\Windows",
			...env,
		},
		exists: (path) => files.includes(path),
		findOnPath: (name) => onPath[name],
	};
}

describe("bash on Windows, in pi 1.6.0's order", () => {
	test("Git Bash in Program Files, then Program Files (x86), then bash.exe on PATH", () => {
		const gitBash = "C:\\Program Files\\Git\\bin\\bash.exe";
		const gitBash86 = "C:\\Program Files (x86)\\Git\\bin\\bash.exe";
		const msys = "C:\\msys64\\usr\\bin\\bash.exe";
		expect(resolveBashShell(undefined, windowsHost([gitBash, gitBash86], { "bash.exe": msys }))).toEqual({
			shell: gitBash,
			args: ["-c"],
		});
		expect(resolveBashShell(undefined, windowsHost([gitBash86], { "bash.exe": msys })).shell).toBe(gitBash86);
		expect(resolveBashShell(undefined, windowsHost([], { "bash.exe": msys })).shell).toBe(msys);
	});

	test("shellPath wins and must exist", () => {
		const cygwin = "C:\\cygwin64\\bin\\bash.exe";
		expect(resolveBashShell(cygwin, windowsHost([cygwin])).shell).toBe(cygwin);
		expect(() => resolveBashShell(cygwin, windowsHost([]))).toThrow(
			"Custom shell path not found: C:\\cygwin64\\bin\\bash.exe",
		);
	});

	test("the legacy WSL launcher gets the command on stdin", () => {
		const wsl = "C:\\Windows\\System32\\bash.exe";
		expect(resolveBashShell(undefined, windowsHost([], { "bash.exe": wsl }))).toEqual({
			shell: wsl,
			args: ["-s"],
			commandTransport: "stdin",
		});
	});

	test("no bash: the error names the places searched and the ways out", () => {
		expect(() => resolveBashShell(undefined, windowsHost([]))).toThrow(
			/No bash shell found[\s\S]*Install Git for Windows[\s\S]*shellPath[\s\S]*C:\\Program Files\\Git\\bin\\bash\.exe\n {2}C:\\Program Files \(x86\)\\Git\\bin\\bash\.exe/,
		);
	});

	test("elsewhere: /bin/bash, bash on PATH, then sh", () => {
		const unix = (files: string[], bash?: string): ShellHost => ({
			platform: "linux",
			env: {},
			exists: (path) => files.includes(path),
			findOnPath: () => bash,
		});
		expect(resolveBashShell(undefined, unix(["/bin/bash"])).shell).toBe("/bin/bash");
		expect(resolveBashShell(undefined, unix([], "/usr/local/bin/bash")).shell).toBe("/usr/local/bin/bash");
		expect(resolveBashShell(undefined, unix([]))).toEqual({ shell: "sh", args: ["-c"] });
	});
});

describe("PowerShell", () => {
	test("pwsh.exe on PATH, PowerShell 7's folder, powershell.exe on PATH, then Windows PowerShell", () => {
		const pwsh7 = "C:\\Program Files\\PowerShell\\7\\pwsh.exe";
		const builtIn = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
		expect(resolvePowerShell(windowsHost([pwsh7], { "pwsh.exe": "D:\\tools\\pwsh.exe" }))).toEqual({
			shell: "D:\\tools\\pwsh.exe",
			args: [...POWERSHELL_ARGS],
		});
		expect(resolvePowerShell(windowsHost([pwsh7, builtIn])).shell).toBe(pwsh7);
		expect(resolvePowerShell(windowsHost([builtIn], { "powershell.exe": "E:\\ps.exe" })).shell).toBe("E:\\ps.exe");
		expect(resolvePowerShell(windowsHost([builtIn])).shell).toBe(builtIn);
		expect(() => resolvePowerShell(windowsHost([]))).toThrow("No PowerShell executable found");
		expect(POWERSHELL_ARGS).toEqual(["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command"]);
	});

	test("only on Windows", () => {
		expect(() =>
			resolvePowerShell({ platform: "linux", env: {}, exists: () => true, findOnPath: () => "/usr/bin/pwsh" }),
		).toThrow("The powershell tool is only available on Windows.");
	});

	test("the script: UTF-8 output always; Windows PowerShell 5.1's exit-code fix, not after a trailing backtick", () => {
		const ps51 = { shell: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", args: [] };
		const pwsh = { shell: "C:\\Program Files\\PowerShell\\7\\pwsh.exe", args: [] };
		expect(powershellScript("git push 2>&1", ps51)).toBe(
			`try { [Console]::OutputEncoding=[System.Text.Encoding]::UTF8 } catch {}\ngit push 2>&1${WINDOWS_POWERSHELL_EXIT_SUFFIX}`,
		);
		expect(powershellScript("Get-Date", pwsh)).toBe(
			"try { [Console]::OutputEncoding=[System.Text.Encoding]::UTF8 } catch {}\nGet-Date",
		);
		expect(powershellScript("Get-ChildItem `", ps51).endsWith("`")).toBe(true);
	});

	test("the tool runs the resolved PowerShell with pi's arguments, streams its output and reports its exit code", async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-fake-pwsh-"));
		const fake = join(dir, "pwsh");
		// A stand-in PowerShell: prints its arguments before the script, the script's last line, and fails with 3.
		writeFileSync(
			fake,
			["#!/bin/sh", 'echo "args: $1 $2 $3 $4 $5"', "shift 5", 'printf "%s\\n" "$1" | tail -n 1', "exit 3", ""].join(
				"\n",
			),
		);
		chmodSync(fake, 0o755);
		const tool = createPowerShellTool(dir, () => ({ shell: fake, args: [...POWERSHELL_ARGS] }));
		expect(tool.name).toBe("powershell");
		expect(tool.description).toStartWith("Execute a PowerShell command in the current working directory.");
		const result = await tool.execute(
			"1",
			tool.parseArgs({ command: "Write-Output hello" }),
			new AbortController().signal,
			() => {},
		);
		// A non-zero exit is an error result (pi 1.6.0), with the exit code for codemode scripts.
		expect(result.isError).toBe(true);
		expect(result.content).toEqual([
			{
				type: "text",
				text: "args: -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command\nWrite-Output hello\n\n\nCommand exited with code 3",
			},
		]);
		expect(result.structuredContent).toMatchObject({ exit_code: 3 });
	});
});

describe("process tree and command transport", () => {
	test("taskkill from System32 with /F /T", () => {
		expect(windowsTreeKillCommand(4242, { SystemRoot: "D:\\Win" })).toEqual([
			"D:\\Win\\System32\\taskkill.exe",
			"/F",
			"/T",
			"/PID",
			"4242",
		]);
		expect(windowsTreeKillCommand(1, {})[0]).toBe("C:\\Windows\\System32\\taskkill.exe");
	});

	test("a shell that takes the command on stdin gets it there", async () => {
		let output = "";
		const outcome = await runShellCommand('echo $((40 + 2)); echo "it\'s quoted"', {
			cwd: tmpdir(),
			shell: () => ({ shell: { shell: "/bin/sh", args: ["-s"], commandTransport: "stdin" } }),
			onData: (chunk) => {
				output += new TextDecoder().decode(chunk);
			},
		});
		expect(outcome).toEqual({ kind: "exited", exitCode: 0 });
		expect(output).toBe("42\nit's quoted\n");
	});

	test("a command reading stdin gets end of file at once", async () => {
		let output = "";
		const outcome = await runShellCommand("cat; echo done", {
			cwd: tmpdir(),
			onData: (chunk) => {
				output += new TextDecoder().decode(chunk);
			},
		});
		expect(outcome).toEqual({ kind: "exited", exitCode: 0 });
		expect(output).toBe("done\n");
	});
});
