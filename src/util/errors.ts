/**
 * One error hierarchy for the whole program. A PiError carries a one-line message meant for the user
 * and the process exit code; the CLI prints only the message (the stack only with --verbose).
 * Anything that is not a PiError is a bug and is reported with its stack.
 */
export class PiError extends Error {
	readonly exitCode: number;
	/** Printed as is, without the "Error: " prefix (where pi prints the bare message). */
	readonly plain: boolean;
	constructor(message: string, options: { exitCode?: number; cause?: unknown; plain?: boolean } = {}) {
		super(message, { cause: options.cause });
		this.name = new.target.name;
		this.exitCode = options.exitCode ?? 1;
		this.plain = options.plain ?? false;
	}
}

/** The user asked for something invalid on the command line (exit 2 for unknown flags, like usage errors). */
export class UsageError extends PiError {}

/** A configuration file (settings, models.json, auth.json, keybindings) could not be read or is invalid. */
export class ConfigError extends PiError {}

/** A feature reachable from the CLI that this build does not have yet. Never silently ignored. */
export class NotImplementedError extends PiError {
	constructor(feature: string) {
		super(`${feature} is not available in this version of pi yet.`);
	}
}

/** A file the user named does not exist or cannot be read. */
export class FileError extends PiError {}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}
