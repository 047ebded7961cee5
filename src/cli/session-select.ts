/**
 * Which session file the run uses (pi-spec §1.9): --no-session, --session <path|id>, --fork, --continue,
 * --resume (chosen by the caller's picker), --session-id (pi 1.6.0), or a new one.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { defaultSessionDir, SessionManager } from "../session/session-manager.ts";
import { PiError } from "../util/errors.ts";
import type { ParsedArgs } from "./args.ts";

function looksLikePath(value: string): boolean {
	return value.includes("/") || value.includes("\\") || value.endsWith(".jsonl");
}

interface FoundSession {
	path: string;
	/** Set when the id matched only a session of another project (pi's "global" match). */
	otherProjectCwd?: string;
}

/** A session by path or id prefix: this project's sessions first, then every project's (pi's resolveSessionPath). */
function findSession(arg: string, cwd: string, sessionDir: string | undefined): FoundSession {
	if (looksLikePath(arg)) return { path: arg };
	const match = SessionManager.findByIdPrefix(arg, cwd, sessionDir);
	if (!match) throw new PiError(`No session found matching '${arg}'`, { plain: true });
	const projectDir = resolve(sessionDir ?? defaultSessionDir(cwd));
	return dirname(resolve(match.path)) === projectDir
		? { path: match.path }
		: { path: match.path, otherProjectCwd: match.cwd };
}

/**
 * pi's yes/no question: y/yes is yes, any other answer no; when input ends without an answer there is none
 * (undefined), and pi then just exits.
 */
async function confirm(question: string, output: NodeJS.WritableStream): Promise<boolean | undefined> {
	const rl = createInterface({ input: process.stdin, output });
	try {
		const answer = await new Promise<string | undefined>((done) => {
			rl.question(`${question} [y/N] `, done);
			rl.on("close", () => done(undefined));
		});
		return answer === undefined ? undefined : ["y", "yes"].includes(answer.trim().toLowerCase());
	} finally {
		rl.close();
	}
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

/** Flags pi 1.6.0 refuses next to --session-id ("Error: --session-id cannot be combined with ..."). */
export function sessionIdConflictFlags(args: ParsedArgs): string[] {
	if (args.sessionId === undefined) return [];
	const flags: [boolean | string | undefined, string][] = [
		[args.session, "--session"],
		[args.continue, "--continue"],
		[args.resume, "--resume"],
	];
	return flags.filter(([set]) => Boolean(set)).map(([, flag]) => flag);
}

/**
 * Returns undefined when the user did not agree to fork a session of another project (pi exits 0 then).
 * `output` is where pi's messages go: stdout in interactive mode, stderr when stdout carries the answer.
 */
export async function selectSession(
	args: ParsedArgs,
	cwd: string,
	sessionDir: string | undefined,
	/** The session the caller's -r picker chose. */
	resumePath: string | undefined,
	output: NodeJS.WritableStream = process.stdout,
): Promise<SessionManager | undefined> {
	const { sessionId } = args;
	if (args.noSession) return SessionManager.inMemory(cwd, sessionId !== undefined ? { id: sessionId } : {});
	if (args.fork) {
		if (sessionId !== undefined && SessionManager.findById(cwd, sessionId, sessionDir)) {
			throw new PiError(`Session already exists with id '${sessionId}'`, { plain: true });
		}
		const source = findSession(args.fork, cwd, sessionDir).path;
		if (!existsSync(source)) throw new PiError(`Session file not found: ${source}`);
		return SessionManager.forkFrom(source, cwd, sessionDir, sessionId);
	}
	if (args.session) {
		const found = findSession(args.session, cwd, sessionDir);
		if (found.otherProjectCwd === undefined) return SessionManager.open(found.path, sessionDir);
		output.write(`Session found in different project: ${found.otherProjectCwd}\n`);
		const fork = await confirm("Fork this session into current directory?", output);
		if (!fork) {
			if (fork === false) output.write("Aborted.\n");
			return undefined;
		}
		return SessionManager.forkFrom(found.path, cwd, sessionDir);
	}
	// -r wins over -c, as in pi.
	if (args.resume && resumePath) return SessionManager.open(resumePath, sessionDir);
	if (args.continue) return SessionManager.continueRecent(cwd, sessionDir);
	if (sessionId !== undefined) {
		// pi 1.6.0: this project's session with that id, else a new one with it.
		const existing = SessionManager.findById(cwd, sessionId, sessionDir);
		if (existing) return SessionManager.open(existing, sessionDir);
		process.stderr.write(
			`Warning: No project session found with id '${sessionId}'; creating a new session with that id.\n`,
		);
		return SessionManager.create(cwd, sessionDir, { id: sessionId });
	}
	return SessionManager.create(cwd, sessionDir);
}
