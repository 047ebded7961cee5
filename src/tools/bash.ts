/** The `bash` tool (pi-spec §6.5): run a command, stream throttled updates, tail-truncate, spill to a temp file. */
import * as v from "valibot";
import type { AgentTool, AgentToolResult } from "../agent/types.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { OutputAccumulator, type OutputSnapshot } from "./output-accumulator.ts";
import { BASH_SPEC, type ToolSpec } from "./schemas.ts";
import { HeadTailCapture } from "./script-output.ts";
import { type RunShellOptions, runShellCommand, type ShellOutcome, shellEnvironment } from "./shell.ts";
import type { ShellRunner } from "./shell-runners.ts";
import { argumentParser, vNumber, vObject, vString } from "./tool-args.ts";
import { DEFAULT_MAX_BYTES, formatSize, type TruncationResult } from "./truncate.ts";

const bashArgsSchema = lazySchema(() => vObject({ command: vString(), timeout: v.optional(vNumber()) }));
export type BashArgs = v.InferOutput<typeof bashArgsSchema>;
export interface BashToolDetails {
	truncation?: TruncationResult;
	fullOutputPath?: string;
}

export interface BashToolOptions {
	shellPath?: string;
	shellCommandPrefix?: string;
	/** Another shell's tool built on this one (powershell.ts): its spec, temp file prefix and shell. */
	spec?: ToolSpec;
	tempFilePrefix?: string;
	shell?: RunShellOptions["shell"];
	/**
	 * pi 1.6.0's PI_SESSION_ID, PI_SESSION_FILE, PI_PROVIDER, PI_MODEL and PI_REASONING_LEVEL of the current
	 * session, read at each call (the session, model and level change while the tool lives).
	 */
	sessionEnvironment?: () => Readonly<Record<string, string>>;
	/** Runs the command instead of the local shell (an extension's `operations` or `spawnHook`: shell-runners.ts). */
	run?: ShellRunner;
}

/** The variables pi sets for the session; inherited values are removed so a nested pi's never leak through. */
const SESSION_VARIABLES = ["PI_SESSION_ID", "PI_SESSION_FILE", "PI_PROVIDER", "PI_MODEL", "PI_REASONING_LEVEL"];

/** Seconds the timeout argument may not exceed (the longest timer the runtime can set). */
const MAX_TIMEOUT_SECONDS = 2_147_483_647 / 1000;

function checkTimeout(timeout: number | undefined): void {
	if (timeout === undefined) return;
	if (!Number.isFinite(timeout) || timeout <= 0) throw new Error("Invalid timeout: must be a finite number of seconds");
	if (timeout > MAX_TIMEOUT_SECONDS) throw new Error(`Invalid timeout: maximum is ${MAX_TIMEOUT_SECONDS} seconds`);
}

function commandEnvironment(sessionEnvironment: (() => Readonly<Record<string, string>>) | undefined) {
	if (!sessionEnvironment) return undefined;
	const env = shellEnvironment();
	for (const name of SESSION_VARIABLES) delete env[name];
	return { ...env, ...sessionEnvironment() };
}

/** Updates are throttled: a chatty command must not flood the UI with thousands of events per second. */
const UPDATE_THROTTLE_MS = 100;

function formatOutput(
	snapshot: OutputSnapshot,
	lastLineBytes: number,
	emptyText: string,
): { text: string; details: BashToolDetails | undefined } {
	const { truncation, fullOutputPath } = snapshot;
	let text = snapshot.content || emptyText;
	if (!truncation.truncated) return { text, details: undefined };
	const startLine = truncation.totalLines - truncation.outputLines + 1;
	const endLine = truncation.totalLines;
	// No file when the temp folder could not take it (full disk): say so instead of naming a missing file.
	const where = fullOutputPath
		? `Full output: ${fullOutputPath}`
		: "Full output could not be saved (temp folder not writable)";
	if (truncation.lastLinePartial) {
		text += `\n\n[Showing last ${formatSize(truncation.outputBytes)} of line ${endLine} (line is ${formatSize(lastLineBytes)}). ${where}]`;
	} else if (truncation.truncatedBy === "lines") {
		text += `\n\n[Showing lines ${startLine}-${endLine} of ${truncation.totalLines}. ${where}]`;
	} else {
		text += `\n\n[Showing lines ${startLine}-${endLine} of ${truncation.totalLines} (${formatSize(DEFAULT_MAX_BYTES)} limit). ${where}]`;
	}
	return { text, details: { truncation, fullOutputPath } };
}

const withStatus = (text: string, status: string) => `${text ? `${text}\n\n` : ""}${status}`;

/**
 * What codemode scripts get from bash (pi 1.6.0): the output up to 1 MiB, the exit code and the wall time. A non-zero
 * exit is an error for the model, but scripts still resolve to this value.
 */
export const BASH_OUTPUT_SCHEMA = {
	type: "object",
	properties: {
		output: { type: "string", description: "Combined stdout and stderr, possibly truncated" },
		truncated: { type: "boolean" },
		full_output_path: { type: "string", description: "Full output, when truncated" },
		exit_code: { type: "number" },
		wall_time_seconds: { type: "number" },
	},
	required: ["output", "truncated", "exit_code", "wall_time_seconds"],
};

export function createBashTool(
	cwd: string,
	options: BashToolOptions = {},
): AgentTool<BashArgs, BashToolDetails | undefined> {
	const spec = options.spec ?? BASH_SPEC;
	return {
		...spec,
		label: spec.name,
		outputSchema: BASH_OUTPUT_SCHEMA,
		parseArgs: argumentParser(spec.name, spec.parameters, bashArgsSchema),
		async execute(_id, { command, timeout }, signal, onUpdate): Promise<AgentToolResult<BashToolDetails | undefined>> {
			checkTimeout(timeout);
			const env = commandEnvironment(options.sessionEnvironment);
			const output = new OutputAccumulator({ tempFilePrefix: options.tempFilePrefix ?? "pi-bash" });
			const whole = new HeadTailCapture();
			const startedAt = performance.now();
			let lastUpdateAt = 0;
			let dirty = false;
			let timer: ReturnType<typeof setTimeout> | undefined;
			const emitUpdate = () => {
				if (!dirty) return;
				dirty = false;
				lastUpdateAt = Date.now();
				const snapshot = output.snapshot();
				onUpdate({
					content: [{ type: "text", text: snapshot.content || "" }],
					details: {
						truncation: snapshot.truncation.truncated ? snapshot.truncation : undefined,
						fullOutputPath: snapshot.fullOutputPath,
					},
				});
			};
			const scheduleUpdate = () => {
				dirty = true;
				const wait = UPDATE_THROTTLE_MS - (Date.now() - lastUpdateAt);
				if (wait <= 0) {
					if (timer) clearTimeout(timer);
					timer = undefined;
					emitUpdate();
				} else {
					timer ??= setTimeout(() => {
						timer = undefined;
						emitUpdate();
					}, wait);
				}
			};
			onUpdate({ content: [], details: undefined });

			let outcome: ShellOutcome;
			try {
				outcome = await (options.run ?? runShellCommand)(command, {
					cwd,
					shellPath: options.shellPath,
					shell: options.shell,
					commandPrefix: options.shellCommandPrefix,
					...(env ? { env } : {}),
					signal,
					timeoutSeconds: timeout,
					onData: (chunk) => {
						output.append(chunk);
						whole.append(chunk);
						scheduleUpdate();
					},
				});
			} finally {
				output.finish();
				if (timer) clearTimeout(timer);
				emitUpdate();
				output.close();
			}
			const snapshot = output.snapshot();
			if (outcome.kind === "aborted") {
				throw new Error(withStatus(formatOutput(snapshot, output.lastLineBytes(), "").text, "Command aborted"));
			}
			if (outcome.kind === "timedOut") {
				const { text } = formatOutput(snapshot, output.lastLineBytes(), "");
				throw new Error(withStatus(text, `Command timed out after ${outcome.seconds} seconds`));
			}
			const { text, details } = formatOutput(snapshot, output.lastLineBytes(), "(no output)");
			if (outcome.exitCode === null) throw new Error(withStatus(text, "Command terminated without an exit code"));
			const full = whole.result();
			const structuredContent = {
				output: full.content,
				truncated: full.truncated,
				...(full.truncated && snapshot.fullOutputPath ? { full_output_path: snapshot.fullOutputPath } : {}),
				exit_code: outcome.exitCode,
				wall_time_seconds: Math.round((performance.now() - startedAt) / 100) / 10,
			};
			if (outcome.exitCode !== 0) {
				// pi 1.6.0 reports a failed command as an error result (keeping its truncation details), not a throw.
				const failed = withStatus(text, `Command exited with code ${outcome.exitCode}`);
				return { content: [{ type: "text", text: failed }], details, structuredContent, isError: true };
			}
			return { content: [{ type: "text", text }], details, structuredContent };
		},
	};
}
