/**
 * Which session file the run uses (pi-spec §1.9): --no-session, --session <path|id>, --fork, --continue,
 * --resume (chosen by the caller's picker), or a new one.
 */
import { existsSync } from "node:fs";
import { SessionManager } from "../session/session-manager.ts";
import { PiError } from "../util/errors.ts";
import type { ParsedArgs } from "./args.ts";

function looksLikePath(value: string): boolean {
	return value.includes("/") || value.includes("\\") || value.endsWith(".jsonl");
}

/** A session by path or id prefix; a match in another project is forked into this one, as pi does after asking. */
function findSession(arg: string, cwd: string, sessionDir: string | undefined): string {
	if (looksLikePath(arg)) return arg;
	const match = SessionManager.findByIdPrefix(arg, cwd, sessionDir);
	if (!match) throw new PiError(`No session found matching '${arg}'`);
	return match.path;
}

/** Flags pi refuses next to --fork ("Error: --fork cannot be combined with ..."). */
export function forkConflictFlags(args: ParsedArgs): string[] {
	if (!args.fork) return [];
	const flags: [boolean | string | undefined, string][] = [
		[args.session, "--session"],
		[args.continue, "--continue"],
		[args.resume, "--resume"],
		[args.noSession, "--no-session"],
	];
	return flags.filter(([set]) => Boolean(set)).map(([, flag]) => flag);
}

export interface SessionChoice {
	sessionManager: SessionManager;
	/** A line to show the user (e.g. that a session from another project was forked). */
	notice?: string;
}

export function selectSession(
	args: ParsedArgs,
	cwd: string,
	sessionDir: string | undefined,
	pickResume?: () => string | undefined,
): SessionChoice {
	if (args.noSession) return { sessionManager: SessionManager.inMemory(cwd) };
	if (args.fork) {
		const source = findSession(args.fork, cwd, sessionDir);
		if (!existsSync(source)) throw new PiError(`Session file not found: ${source}`);
		return {
			sessionManager: SessionManager.forkFrom(source, cwd, sessionDir),
			notice: `Forked ${source} into a new session.`,
		};
	}
	if (args.session) {
		const path = findSession(args.session, cwd, sessionDir);
		const manager = SessionManager.open(path, sessionDir);
		const otherCwd = manager.getCwd();
		if (!looksLikePath(args.session) && otherCwd && otherCwd !== cwd) {
			// pi asks "Fork this session into current directory?"; without a prompt we fork, and say so.
			return {
				sessionManager: SessionManager.forkFrom(path, cwd, sessionDir),
				notice: `Session found in different project: ${otherCwd}. Forked it into ${cwd}.`,
			};
		}
		return { sessionManager: manager };
	}
	// -r wins over -c, as in pi.
	if (args.resume && pickResume) {
		const path = pickResume();
		if (path) return { sessionManager: SessionManager.open(path, sessionDir) };
	}
	if (args.continue) return { sessionManager: SessionManager.continueRecent(cwd, sessionDir) };
	return { sessionManager: SessionManager.create(cwd, sessionDir) };
}
