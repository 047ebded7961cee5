/**
 * Print mode (`-p`, `--mode text`, piped stdin) and JSON mode (`--mode json`), pi-spec §8.1–8.2.
 * Text: runs the prompts, prints the last answer's text, exit 1 if it ended in an error or abort.
 * JSON: the session header, then every session event as one line.
 */
import type { AgentSession } from "../agent/agent-session.ts";
import type { ImageContent } from "../ai/types.ts";
import { flushStdout, writeEvent, writeJsonLine, writeStdout } from "./output.ts";

export interface PrintModeOptions {
	mode: "text" | "json";
	/** The first prompt, with @file contents already prepended. */
	initialMessage?: string;
	initialImages?: ImageContent[];
	/** Further prompts, each sent after the previous one finished. */
	messages: string[];
}

export async function runPrintMode(session: AgentSession, options: PrintModeOptions): Promise<number> {
	let unsubscribe = () => {};
	const onSignal = (signal: NodeJS.Signals) => {
		void session.abort().finally(() => process.exit(signal === "SIGHUP" ? 129 : 143));
	};
	process.on("SIGTERM", onSignal);
	process.on("SIGHUP", onSignal);
	try {
		if (options.mode === "json") {
			writeJsonLine(session.sessionManager.getHeader());
			unsubscribe = session.subscribe((event) => writeEvent(event));
		}
		if (options.initialMessage !== undefined) {
			await session.prompt(options.initialMessage, { images: options.initialImages });
		}
		for (const message of options.messages) await session.prompt(message);
		await session.waitForIdle();
		if (options.mode === "text") return printLastAnswer(session);
		return 0;
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		return 1;
	} finally {
		unsubscribe();
		process.off("SIGTERM", onSignal);
		process.off("SIGHUP", onSignal);
		await flushStdout();
	}
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
