/**
 * Startup warnings: printed to stderr at once and kept, so the fullscreen mode (whose alternate screen hides what
 * stderr printed) can show them too.
 */

export const startupWarnings: string[] = [];

export function warn(message: string): void {
	startupWarnings.push(message);
	process.stderr.write(`Warning: ${message}\n`);
}
