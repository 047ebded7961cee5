/**
 * The session file a run opens: flag conflicts, the -r picker, the chosen session (session-select.ts), a session
 * whose folder is gone, and the claim that marks the file as open in this process.
 */

import { existsSync } from "node:fs";
import { sessionIdProblem } from "../session/ids.ts";
import { SessionManager } from "../session/session-manager.ts";
import { PiError } from "../util/errors.ts";
import { isTerminal } from "../util/output-streams.ts";
import { claimSession } from "../util/session-claim.ts";
import type { ParsedArgs } from "./args.ts";
import type { AppMode } from "./mode.ts";
import { forkConflictFlags, selectSession, sessionIdConflictFlags } from "./session-select.ts";

/**
 * A chosen session whose folder no longer exists (pi 1.6.0): in the interactive mode the user continues it in the
 * current folder this once, forks it there, or cancels (exit 0); otherwise it is an error (exit 1).
 */
async function settleMissingSessionCwd(
	manager: SessionManager,
	currentCwd: string,
	sessionDir: string | undefined,
	mode: AppMode,
): Promise<SessionManager | number> {
	const file = manager.getSessionFile();
	const sessionCwd = manager.getCwd();
	if (!file || !sessionCwd || existsSync(sessionCwd)) return manager;
	if (mode !== "interactive") {
		process.stderr.write(
			`Stored session working directory does not exist: ${sessionCwd}\nSession file: ${file}\nCurrent working directory: ${currentCwd}\n`,
		);
		return 1;
	}
	const { promptMissingSessionCwd } = await import("../modes/interactive/missing-cwd-prompt.ts");
	const choice = await promptMissingSessionCwd(sessionCwd, currentCwd);
	if (choice === "continue") return SessionManager.open(file, sessionDir, currentCwd);
	// A fork, as `--session <id>` of another project makes: the choice sticks without rewriting history.
	if (choice === "fork") return SessionManager.forkFrom(file, currentCwd, sessionDir);
	return 0;
}

/** The session the command line asks for, or the exit code when there is none to run (an error, a cancelled pick). */
export async function openStartupSession(
	args: ParsedArgs,
	mode: AppMode,
	cwd: string,
	sessionDir: string | undefined,
): Promise<SessionManager | number> {
	const forkConflicts = forkConflictFlags(args);
	if (forkConflicts.length > 0) {
		process.stderr.write(`Error: --fork cannot be combined with ${forkConflicts.join(", ")}\n`);
		return 1;
	}
	const sessionIdConflicts = sessionIdConflictFlags(args);
	if (sessionIdConflicts.length > 0) {
		process.stderr.write(`Error: --session-id cannot be combined with ${sessionIdConflicts.join(", ")}\n`);
		return 1;
	}
	const badSessionId = args.sessionId === undefined ? undefined : sessionIdProblem(args.sessionId);
	if (badSessionId) {
		process.stderr.write(`Error: ${badSessionId}\n`);
		return 1;
	}
	// -r/--resume: pi shows its session picker before anything else starts.
	let resumePath: string | undefined;
	if (args.resume && !args.noSession && !args.session) {
		if (!isTerminal(0) || !isTerminal(1)) {
			throw new PiError("--resume shows a session picker and needs a terminal; use --session <path|id> instead");
		}
		const { pickSessionToResume } = await import("../modes/interactive/session-picker.ts");
		resumePath = await pickSessionToResume({ cwd, sessionDir });
		if (!resumePath) {
			process.stdout.write("No session selected\n");
			return 0;
		}
	}
	const selected = await selectSession(
		args,
		cwd,
		sessionDir,
		resumePath,
		mode === "interactive" ? process.stdout : process.stderr,
	);
	if (!selected) return 0;
	return settleMissingSessionCwd(selected, cwd, sessionDir, mode);
}

/** The session file this process works on carries its claim; a later /new, /resume or /fork moves it. */
export class SessionClaim {
	private releaseClaim = () => {};

	/** Claims `manager`'s file (releasing the previous one); the pid of another process that holds it too. */
	claim(manager: SessionManager): number | undefined {
		this.releaseClaim();
		this.releaseClaim = () => {};
		const file = manager.getSessionFile();
		if (!file) return undefined;
		const claim = claimSession(file);
		this.releaseClaim = () => claim.release();
		return claim.heldBy;
	}
}
