/**
 * Permission tests as an ordinary user. Root reads and writes anything, so a test of "unreadable file" or
 * "read-only folder" means nothing as root — yet CI containers and this machine run the suite as root. There the
 * checked code runs as `nobody` instead:
 *   - a subprocess (pi itself) is started through `setpriv --reuid/--regid nobody --clear-groups`;
 *   - code in the test process runs between seteuid(nobody) and seteuid(0) (asNobody), which Bun applies to every
 *     thread of the process (checked at first use).
 * The files such a test prepares are handed to nobody first (giveToNobody). As an ordinary user everything runs
 * directly. Where neither works, permissionTestsUnavailable() says why, for describe.skipIf and a printed reason.
 */
import { chmodSync, chownSync, closeSync, lstatSync, mkdtempSync, openSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const NOBODY = { uid: 65534, gid: 65534 };
export const runningAsRoot = process.getuid?.() === 0;
const setpriv = Bun.which("setpriv");

/** A command that runs as nobody when we are root, unchanged otherwise. */
export function asNobodyCommand(command: string[]): string[] {
	if (!runningAsRoot) return command;
	if (!setpriv) throw new Error("setpriv is not installed");
	return [setpriv, `--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, "--clear-groups", "--", ...command];
}

/** Does `nobody` (through setpriv) get to run this command's program and read its script? */
function nobodyCanRun(command: string[]): boolean {
	const [program, script] = command;
	if (!program) return false;
	const checks = [`test -x '${program}'`, ...(script?.startsWith("/") ? [`test -r '${script}'`] : [])];
	const result = Bun.spawnSync(asNobodyCommand(["sh", "-c", checks.join(" && ")]), {
		stdin: "ignore",
		stdout: "ignore",
		stderr: "ignore",
	});
	return result.exitCode === 0;
}

let euidWorks: boolean | undefined;
/** seteuid must take effect for Bun's worker threads too, or asNobody would test nothing. */
function checkSeteuid(): boolean {
	if (euidWorks !== undefined) return euidWorks;
	const dir = mkdtempSync(join(tmpdir(), "pi-euid-check-"));
	const file = join(dir, "secret");
	writeFileSync(file, "x");
	chmodSync(file, 0o000);
	try {
		process.seteuid?.(NOBODY.uid);
		try {
			closeSync(openSync(file, "r"));
			euidWorks = false;
		} catch {
			euidWorks = true;
		}
	} finally {
		process.seteuid?.(0);
	}
	return euidWorks;
}

const reasons = new Map<string, string | undefined>();

/**
 * Why permission tests cannot run here (undefined when they can). `command` is the program a subprocess test
 * runs (pi), which nobody must be able to reach. The reason is printed once.
 */
export function permissionTestsUnavailable(command?: string[]): string | undefined {
	const key = command?.join(" ") ?? "";
	if (reasons.has(key)) return reasons.get(key);
	let reason: string | undefined;
	if (process.platform === "win32") reason = "Windows has no POSIX file modes";
	else if (runningAsRoot && !setpriv) reason = "running as root and setpriv (util-linux) is not installed";
	else if (runningAsRoot && !command && typeof process.seteuid !== "function") reason = "process.seteuid is missing";
	else if (runningAsRoot && !command && !checkSeteuid()) reason = "seteuid does not reach Bun's file threads";
	else if (runningAsRoot && command && !nobodyCanRun(command)) {
		reason = `running as root and user nobody cannot run ${command.slice(0, 2).join(" ")} (a folder on the way is private); use PI_TEST_BINARY in a shared folder`;
	}
	reasons.set(key, reason);
	if (reason) console.warn(`permission tests skipped: ${reason}`);
	return reason;
}

/** Hands a test's files to nobody (when we are root) and lets nobody pass through the folders above them. */
export function giveToNobody(path: string): void {
	if (!runningAsRoot) return;
	const visit = (target: string) => {
		chownSync(target, NOBODY.uid, NOBODY.gid);
		const stat = lstatSync(target);
		if (stat.isDirectory()) for (const name of readdirSync(target)) visit(join(target, name));
	};
	visit(path);
	// Only the temp folders above it: a test's files live under the run's TMPDIR.
	const top = dirname(tmpdir());
	for (let dir = dirname(path); dir.startsWith(top) && dir !== top; dir = dirname(dir)) {
		const mode = lstatSync(dir).mode & 0o777;
		if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
	}
}

/** Runs `work` as nobody when we are root (effective ids only, restored afterwards); directly otherwise. */
export async function asNobody<T>(work: () => Promise<T> | T): Promise<T> {
	if (!runningAsRoot) return work();
	process.setegid?.(NOBODY.gid);
	process.seteuid?.(NOBODY.uid);
	try {
		return await work();
	} finally {
		process.seteuid?.(0);
		process.setegid?.(0);
	}
}
