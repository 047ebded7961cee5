/**
 * One error hierarchy for the whole program. A PiError carries a one-line message meant for the user
 * and the process exit code; the CLI prints only the message (the stack only with --verbose).
 * Anything that is not a PiError is a bug and is reported with its stack.
 */
export class PiError extends Error {
	// Each class names itself: the binary's identifiers are minified (build.ts), so new.target.name would not say it.
	override name = "PiError";
	readonly exitCode: number;
	/** Printed as is, without the "Error: " prefix (where pi prints the bare message). */
	readonly plain: boolean;
	constructor(message: string, options: { exitCode?: number; cause?: unknown; plain?: boolean } = {}) {
		super(message, { cause: options.cause });
		this.exitCode = options.exitCode ?? 1;
		this.plain = options.plain ?? false;
	}
}

/** A file the user named does not exist or cannot be read. */
export class FileError extends PiError {
	override name = "FileError";
}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}
