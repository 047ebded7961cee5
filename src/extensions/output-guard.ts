/**
 * In print, JSON and RPC mode stdout carries pi's output only (pi 1.6.0 takes stdout over the same way): what an
 * extension writes with process.stdout.write or console.log/info/debug goes to stderr instead, so an extension
 * that prints (a terminal notification, a debug line) cannot break a JSON or RPC stream. Our own output is written
 * through Bun.stdout (src/modes/output.ts), which this leaves alone.
 */
let guarded = false;

export function guardStdoutFromExtensions(): void {
	if (guarded) return;
	guarded = true;
	process.stdout.write = process.stderr.write.bind(process.stderr);
	const toStderr = (...values: unknown[]) => console.error(...values);
	console.log = toStderr;
	console.info = toStderr;
	console.debug = toStderr;
}
