/**
 * Print mode (`-p`, or stdin/stdout not a terminal) and JSON mode (`--mode json`), pi-spec §8.1–8.2.
 * Text: runs the prompts, prints the last answer's text, exit 1 if it ended in an error or abort.
 * JSON: the session header, then every session event as one line.
 */
import type { AgentSession } from "../agent/agent-session.ts";
import type { ImageContent } from "../ai/types.ts";
import type { ExtensionHost } from "../extensions/host.ts";
import { killRunningShellCommands } from "../tools/shell.ts";
import { errorMessage } from "../util/errors.ts";
import {
	flushStdout,
	isStdoutClosed,
	onStdoutClosed,
	stdoutFailure,
	writeEvent,
	writeJsonLine,
	writeStdout,
} from "./output.ts";

export interface PrintModeOptions {
	mode: "text" | "json";
	/** The first prompt, with @file contents already prepended. */
	initialMessage?: string;
	initialImages?: ImageContent[];
	/** Further prompts, each sent after the previous one finished. */
	messages: string[];
	/** Loaded extensions (already bound to the session): they start with the run and see it end. */
	extensions?: ExtensionHost;
}

/** Exit codes of a shell killed by these signals (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
/** How long an interrupted run may take to record its aborted answer before we exit regardless. */
const ABORT_GRACE_MS = 3000;

export async function runPrintMode(session: AgentSession, options: PrintModeOptions): Promise<number> {
	let unsubscribe = () => {};
	let interrupted = false;
	// Ctrl+C, kill and a closed terminal all stop the run the same way: the tool processes die first (they are
	// in their own process groups and would not see the signal), then the answer so far is saved as aborted.
	const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
		const code = SIGNAL_EXIT_CODES[signal];
		killRunningShellCommands();
		if (interrupted) process.exit(code);
		interrupted = true;
		setTimeout(() => process.exit(code), ABORT_GRACE_MS).unref();
		void session
			.abort()
			.then(flushStdout)
			.finally(() => process.exit(code));
	};
	const signals = Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[];
	for (const signal of signals) process.on(signal, onSignal);
	// Nobody reads our output any more (`pi -p … | head`): stop working instead of running tools unobserved.
	const offStdoutClosed = onStdoutClosed(() => void session.abort());
	// The answer still reaches stdout when the session cannot be saved, but the user must know, and the exit
	// code says it: scripts rely on `pi -c` finding this conversation later.
	const offSaveFailure = session.sessionManager.onSaveFailure((failure) => {
		process.stderr.write(`Error: ${failure.message}\n`);
	});
	let offExtensionErrors = () => {};
	try {
		if (options.mode === "json") {
			writeJsonLine(session.sessionManager.getHeader());
			unsubscribe = session.subscribe((event) => writeEvent(event));
		}
		if (options.extensions) offExtensionErrors = await startExtensions(options.extensions);
		if (options.initialMessage !== undefined && !isStdoutClosed()) {
			await session.prompt(options.initialMessage, { images: options.initialImages });
		}
		for (const message of options.messages) {
			if (isStdoutClosed()) break;
			await session.prompt(message);
		}
		await session.waitForIdle();
		const code = options.mode === "text" && !isStdoutClosed() ? printLastAnswer(session) : 0;
		await flushStdout();
		return session.sessionManager.getSaveFailure() ? 1 : withStdoutStatus(code);
	} catch (error) {
		process.stderr.write(`${errorMessage(error)}\n`);
		return 1;
	} finally {
		await options.extensions?.shutdown();
		offExtensionErrors();
		unsubscribe();
		offStdoutClosed();
		offSaveFailure();
		for (const signal of signals) process.off(signal, onSignal);
		await flushStdout();
	}
}

/**
 * Extensions in print and JSON mode: no dialogs (`hasUI` false, they resolve as "no answer"), `ctx.shutdown()` does
 * nothing (the run ends by itself), and a handler's error goes to stderr as pi prints it. Returns the unsubscribe.
 */
async function startExtensions(extensions: ExtensionHost): Promise<() => void> {
	const { NO_UI } = await import("../extensions/host.ts");
	extensions.attachMode({ ui: NO_UI, hasUI: false, shutdown: () => {} });
	const off = extensions.onError((error) => {
		const where = error.location && !error.error.includes(error.location) ? ` (at ${error.location})` : "";
		process.stderr.write(`Extension error (${error.extensionPath}): ${error.error}${where}\n`);
	});
	await extensions.start("startup");
	return off;
}

/** A write that failed for a reason other than the reader leaving (e.g. a full disk) lost output: exit 1. */
function withStdoutStatus(code: number): number {
	return stdoutFailure() === undefined ? code : 1;
}

function printLastAnswer(session: AgentSession): number {
	const last = session.messages.at(-1);
	if (last?.role !== "assistant") return 0;
	if (last.stopReason === "error" || last.stopReason === "aborted") {
		process.stderr.write(`${last.errorMessage || `Request ${last.stopReason}`}\n`);
		return 1;
	}
	for (const block of last.content) {
		if (block.type === "text") writeStdout(`${block.text}\n`);
	}
	return 0;
}
