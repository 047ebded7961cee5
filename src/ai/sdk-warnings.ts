/**
 * Advice the provider SDKs print for developers — Anthropic's "model X is deprecated" and "thinking.type=enabled is
 * deprecated" (console.warn inside messages.create), and what their loggers emit — would draw over the interactive
 * screen and clutter stderr in print mode. It goes to the debug log (PI_DEBUG=1 / --verbose) instead.
 */
import { formatWithOptions } from "node:util";
import { debugLog } from "../util/debug-log.ts";

type LogFn = (message: string, ...rest: unknown[]) => void;

function toDebugLog(level: string): LogFn {
	return (message, ...rest) =>
		debugLog("sdk_log", { level, message: formatWithOptions({ colors: false }, message, ...rest) });
}

/** For an SDK client's `logger` option. */
export const sdkLogger: { error: LogFn; warn: LogFn; info: LogFn; debug: LogFn } = {
	error: toDebugLog("error"),
	warn: toDebugLog("warn"),
	info: toDebugLog("info"),
	debug: toDebugLog("debug"),
};

/** Runs `call` (an SDK request that may console.warn while it starts) with those warnings sent to the debug log. */
export function withSdkWarningsLogged<T>(call: () => T): T {
	const original = console.warn;
	console.warn = toDebugLog("warn");
	try {
		return call();
	} finally {
		console.warn = original;
	}
}
