/**
 * How this pi was installed, and the on-disk layout of an installer-managed install (install.sh, install.ps1 and
 * `pi update` share it):
 *
 *   <root>/install.json                {"kind":"pi-binary-install","schemaVersion":1,"artifact","binDir","current","previous"}
 *   <root>/versions/<version>/pi[.exe] one folder per installed version, never written into once complete
 *   <root>/update.lock/pid             held while an install, update or rollback runs
 *   <binDir>/pi                        Unix: a symlink into versions/, replaced atomically by rename
 *   <binDir>\pi.exe                    Windows ("copy" layout): a copy; the running one is renamed aside first
 *
 * Package-manager installs (Homebrew, Nix, Scoop, winget, snap) are recognised by their paths and told the
 * command to run; a pi running from source is told to rebuild.
 */
import { existsSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import * as v from "valibot";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { readTextFileSync } from "../util/text-file.ts";

export const INSTALL_KIND = "pi-binary-install";
export const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const InstallRecordSchema = v.object({
	kind: v.literal(INSTALL_KIND),
	schemaVersion: v.literal(1),
	installedBy: v.optional(v.string()),
	artifact: v.string(),
	binDir: v.string(),
	current: v.string(),
	previous: v.optional(v.string(), ""),
	/** "link" (Unix) or "copy" (Windows); absent means the platform's default. */
	layout: v.optional(v.picklist(["link", "copy"])),
});

export type InstallRecord = v.InferOutput<typeof InstallRecordSchema>;

export type InstallMethod =
	| { kind: "managed"; root: string; record: InstallRecord }
	/** A pi binary put somewhere by hand or by the first installer; `pi update` turns it into a managed install. */
	| { kind: "standalone"; executable: string }
	| { kind: "package-manager"; manager: string; command: string }
	| { kind: "source" };

export type Platform = "unix" | "windows";

export function hostPlatform(): Platform {
	return process.platform === "win32" ? "windows" : "unix";
}

export function defaultLayout(platform: Platform): "link" | "copy" {
	return platform === "windows" ? "copy" : "link";
}

export function binaryFileName(platform: Platform): string {
	return platform === "windows" ? "pi.exe" : "pi";
}

/** ~/.local/share/pi-binary (XDG_DATA_HOME honoured), %LOCALAPPDATA%\pi-binary on Windows; PI_INSTALL_ROOT wins. */
export function defaultInstallRoot(platform: Platform = hostPlatform()): string {
	if (process.env.PI_INSTALL_ROOT) return process.env.PI_INSTALL_ROOT;
	if (platform === "windows") {
		return join(process.env.LOCALAPPDATA || join(homedir(), "AppData", "Local"), "pi-binary");
	}
	return join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "pi-binary");
}

export function installRecordPath(root: string): string {
	return join(root, "install.json");
}

export function versionDir(root: string, version: string): string {
	return join(root, "versions", version);
}

/** The install record at `root`; undefined when there is none, an error naming the file when it is damaged. */
export function readInstallRecord(root: string): InstallRecord | undefined {
	const path = installRecordPath(root);
	let text: string;
	try {
		// install.ps1 under Windows PowerShell 5.1 writes the record with a byte-order mark.
		text = readTextFileSync(path);
	} catch {
		return undefined;
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new Error(`${path} is not valid JSON; reinstall pi with install.sh to repair it`);
	}
	const parsed = v.safeParse(InstallRecordSchema, json);
	if (!parsed.success) {
		throw new Error(`${path} is not a pi install record (${parsed.issues[0]?.message}); reinstall pi to repair it`);
	}
	return parsed.output;
}

export function writeInstallRecord(root: string, record: InstallRecord): void {
	writeFileAtomicSync(installRecordPath(root), `${JSON.stringify(record, null, 2)}\n`);
}

/** Package managers recognised by where they put executables: [manager, path test, update command]. */
const PACKAGE_MANAGERS: readonly [string, (path: string) => boolean, string][] = [
	["Homebrew", (p) => /\/Cellar\/|\/homebrew\/|\/linuxbrew\//i.test(p), "brew upgrade pi-binary/tap/pi"],
	["Nix", (p) => p.startsWith("/nix/store/"), "nix profile upgrade pi"],
	["snap", (p) => p.startsWith("/snap/"), "sudo snap refresh pi"],
	["Scoop", (p) => /[\\/]scoop[\\/]apps[\\/]/i.test(p), "scoop update pi"],
	["winget", (p) => /[\\/]WinGet[\\/]Packages[\\/]/i.test(p), "winget upgrade pi"],
];

function realPath(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}

/**
 * How the executable at `executable` was installed. `compiled` false means pi runs from source under Bun.
 * A managed install is found from the binary's real path: <root>/versions/<version>/pi with <root>/install.json.
 */
export function detectInstallMethod(executable: string, compiled: boolean): InstallMethod {
	if (!compiled) return { kind: "source" };
	const real = realPath(executable);
	for (const [manager, matches, command] of PACKAGE_MANAGERS) {
		if (matches(real) || matches(executable)) return { kind: "package-manager", manager, command };
	}
	const versionFolder = dirname(real);
	const root = dirname(dirname(versionFolder));
	if (basename(dirname(versionFolder)) === "versions" && existsSync(installRecordPath(root))) {
		const record = readInstallRecord(root);
		if (record) return { kind: "managed", root, record };
	}
	return { kind: "standalone", executable: real };
}

export function describeInstallMethod(method: InstallMethod): string {
	switch (method.kind) {
		case "managed":
			return `installer (${method.record.artifact}, versions in ${join(method.root, "versions")})`;
		case "standalone":
			return `standalone binary at ${method.executable}`;
		case "package-manager":
			return `${method.manager} (update with: ${method.command})`;
		case "source":
			return "running from source";
	}
}
