/**
 * Runs one codemode script in a QuickJS WebAssembly VM on a worker thread. The worker keeps pi's event loop free (a
 * script in a tight loop cannot freeze the UI, and Esc still works), and terminating it frees the VM at once. Calls
 * the script makes come here and are answered by `call`; output items are collected in order. The script ends when
 * it returns, throws, calls exit(), waits on nothing that can settle, times out, or `signal` aborts; calls still
 * running then are cancelled through their own signals.
 *
 * At most two workers are alive per process (PI_CODEMODE_MAX_WORKERS changes it); later scripts wait in arrival
 * order, for at most 60 s or their deadline.
 */
import * as v from "valibot";
import { QUICKJS_WASM, readWasmAsset } from "../util/embedded-asset.ts";
import { errorMessage } from "../util/errors.ts";
import { type HostToWorker, type OutputItem, type StartMessage, WorkerToHostSchema } from "./protocol.ts";

/** A runaway script throws `InternalError: out of memory` instead of growing towards wasm32's 4 GiB. */
const MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_WORKERS = 2;
export const WORKER_WAIT_MS = 60_000;

export type ScriptError = {
	kind: "script" | "timeout" | "aborted" | "sandbox";
	name?: string;
	message: string;
	stack?: string;
};

export type ScriptResult =
	| { ok: true; value: unknown; output: OutputItem[]; storeWrites: { set: Record<string, unknown>; delete: string[] } }
	| { ok: false; error: ScriptError; output: OutputItem[]; notStarted?: boolean };

export interface ScriptCall {
	target: "tool" | "global";
	name: string;
	args: unknown;
	signal: AbortSignal;
}

export interface RunScriptOptions {
	code: string;
	tools: { name: string; jsName: string; description: string }[];
	globals: { name: string; spread: boolean }[];
	/** Values load() reads. */
	store: Record<string, unknown>;
	/** Answers a call: resolve with a JSON value, reject with an Error whose message the script sees. */
	call(call: ScriptCall): Promise<unknown>;
	signal?: AbortSignal;
	/** Deadline for the whole script, including the wait for a worker. */
	timeoutMs?: number;
}

let compiledWasm: Promise<WebAssembly.Module> | undefined;
/** quickjs.wasm (~640 KB) compiled once per process; each worker instantiates its own VM from it. */
function quickjsModule(): Promise<WebAssembly.Module> {
	compiledWasm ??= readWasmAsset(QUICKJS_WASM)
		.then((bytes) => WebAssembly.compile(bytes))
		.catch((error: unknown) => {
			compiledWasm = undefined;
			throw error;
		});
	return compiledWasm;
}

function maxWorkers(): number {
	const value = Number(process.env.PI_CODEMODE_MAX_WORKERS);
	return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_WORKERS;
}

let liveWorkers = 0;
const waiting: (() => void)[] = [];

function admit(): void {
	while (waiting.length > 0 && liveWorkers < maxWorkers()) {
		liveWorkers++;
		waiting.shift()?.();
	}
}

/** Wait for a worker slot in arrival order; resolves with why none was reserved otherwise. */
function reserveWorker(
	signal: AbortSignal | undefined,
	timeoutMs: number,
): Promise<"reserved" | "aborted" | "timeout"> {
	if (signal?.aborted) return Promise.resolve("aborted");
	return new Promise((resolve) => {
		const finish = (outcome: "reserved" | "aborted" | "timeout") => {
			clearTimeout(timer);
			signal?.removeEventListener("abort", onAbort);
			const index = waiting.indexOf(grant);
			if (index >= 0) waiting.splice(index, 1);
			resolve(outcome);
		};
		const grant = () => finish("reserved");
		const onAbort = () => finish("aborted");
		const timer = setTimeout(() => finish("timeout"), timeoutMs);
		waiting.push(grant);
		signal?.addEventListener("abort", onAbort, { once: true });
		admit();
	});
}

function releaseWorker(): void {
	liveWorkers--;
	admit();
}

/** The worker entry: an embedded entrypoint of the compiled binary, or the source file next to this one. */
function workerSpecifier(): string | URL {
	const embedded = import.meta.url.includes("$bunfs") || import.meta.url.includes("~BUN");
	return embedded ? "./codemode/worker.ts" : new URL("./worker.ts", import.meta.url);
}

const scriptErrorSchema = v.object({
	name: v.optional(v.string()),
	message: v.string(),
	stack: v.optional(v.string()),
});
const writesSchema = v.array(v.union([v.strictTuple([v.string()]), v.strictTuple([v.string(), v.string()])]));

function parseJson(text: string | undefined): unknown {
	return text === undefined ? undefined : JSON.parse(text);
}

function reasonOf(signal: AbortSignal | undefined): string {
	const reason: unknown = signal?.reason;
	return reason instanceof Error && reason.name !== "AbortError" ? reason.message : "Execution aborted";
}

export async function runScript(options: RunScriptOptions): Promise<ScriptResult> {
	const startedAt = performance.now();
	const deadline = options.timeoutMs ?? Number.POSITIVE_INFINITY;
	const admission = await reserveWorker(options.signal, Math.min(deadline, WORKER_WAIT_MS));
	if (admission !== "reserved") {
		const message =
			admission === "aborted"
				? `Script aborted: ${reasonOf(options.signal)}`
				: deadline <= WORKER_WAIT_MS
					? `Script timed out: Execution timed out after ${deadline} ms while waiting for a free codemode worker`
					: `No codemode worker became free within ${WORKER_WAIT_MS / 1000} seconds. All ${maxWorkers()} workers in this process are held by other scripts. Retry after they finish.`;
		return {
			ok: false,
			error: { kind: admission === "aborted" ? "aborted" : "timeout", message },
			output: [],
			notStarted: true,
		};
	}
	let wasm: WebAssembly.Module;
	try {
		wasm = await quickjsModule();
	} catch (error) {
		releaseWorker();
		return {
			ok: false,
			error: { kind: "sandbox", message: `Cannot load QuickJS: ${errorMessage(error)}` },
			output: [],
			notStarted: true,
		};
	}
	const remaining = Math.max(1, Math.round(deadline - (performance.now() - startedAt)));
	return new ScriptRun(options, wasm, remaining).result;
}

/** One started script: the worker, its calls in flight, its output, and the one way it ends (finish). */
class ScriptRun {
	readonly result: Promise<ScriptResult>;
	private resolve: (result: ScriptResult) => void = () => {};
	private readonly worker: Worker;
	private readonly interrupt = new SharedArrayBuffer(4);
	private readonly output: OutputItem[] = [];
	private readonly calls = new Map<number, AbortController>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private finished = false;

	constructor(
		private readonly options: RunScriptOptions,
		wasm: WebAssembly.Module,
		timeoutMs: number,
	) {
		this.result = new Promise((resolve) => {
			this.resolve = resolve;
		});
		this.worker = new Worker(workerSpecifier());
		this.worker.addEventListener("close", releaseWorker, { once: true });
		this.worker.onmessage = (event: MessageEvent) => this.receive(event.data);
		this.worker.onerror = (event) =>
			this.finish({ kind: "sandbox", message: event.message || "codemode worker failed" });
		if (Number.isFinite(timeoutMs)) {
			this.timer = setTimeout(
				() => this.finish({ kind: "timeout", message: `Execution timed out after ${options.timeoutMs} ms` }),
				timeoutMs,
			);
		}
		options.signal?.addEventListener("abort", this.onAbort, { once: true });
		if (options.signal?.aborted) {
			this.onAbort();
			return;
		}
		const start: StartMessage = {
			type: "start",
			wasm,
			code: options.code,
			tools: options.tools,
			globals: options.globals,
			store: Object.fromEntries(Object.entries(options.store).map(([key, value]) => [key, JSON.stringify(value)])),
			memoryLimitBytes: MEMORY_LIMIT_BYTES,
			interrupt: this.interrupt,
		};
		this.post(start);
	}

	private readonly onAbort = () => this.finish({ kind: "aborted", message: reasonOf(this.options.signal) });

	private post(message: HostToWorker): void {
		if (!this.finished) this.worker.postMessage(message);
	}

	private receive(data: unknown): void {
		if (this.finished) return;
		const parsed = v.safeParse(WorkerToHostSchema, data);
		if (!parsed.success) {
			this.finish({ kind: "sandbox", message: "Sandbox bridge broken: unknown message from the worker" });
			return;
		}
		const message = parsed.output;
		switch (message.type) {
			case "output":
				this.output.push(message.item);
				return;
			case "call":
				void this.answer(message.id, message.target, message.name, message.args);
				return;
			case "crash":
				this.finish({ kind: "sandbox", message: message.message });
				return;
			case "done":
				if (!message.ok) {
					this.finish(this.scriptError(message.error));
					return;
				}
				try {
					const writes = v.parse(writesSchema, JSON.parse(message.writes));
					const set: Record<string, unknown> = {};
					const deleted: string[] = [];
					for (const write of writes) {
						if (write.length === 2) set[write[0]] = JSON.parse(write[1]);
						else deleted.push(write[0]);
					}
					this.finish(undefined, parseJson(message.value), { set, delete: deleted });
				} catch (error) {
					this.finish({ kind: "sandbox", message: `Sandbox bridge broken: ${errorMessage(error)}` });
				}
		}
	}

	private scriptError(json: string): ScriptError {
		try {
			return { kind: "script", ...v.parse(scriptErrorSchema, JSON.parse(json)) };
		} catch {
			return { kind: "script", message: "The script failed with an error that could not be read" };
		}
	}

	private async answer(id: number, target: "tool" | "global", name: string, args: string | undefined): Promise<void> {
		const controller = new AbortController();
		this.calls.set(id, controller);
		let reply: HostToWorker;
		try {
			const value = await this.options.call({ target, name, args: parseJson(args), signal: controller.signal });
			reply = { type: "result", id, ok: true, payload: value === undefined ? undefined : JSON.stringify(value) };
		} catch (error) {
			reply = { type: "result", id, ok: false, payload: errorMessage(error) };
		}
		if (!this.calls.delete(id)) return;
		this.post(reply);
	}

	private finish(
		error: ScriptError | undefined,
		value?: unknown,
		storeWrites?: { set: Record<string, unknown>; delete: string[] },
	): void {
		if (this.finished) return;
		this.finished = true;
		clearTimeout(this.timer);
		this.options.signal?.removeEventListener("abort", this.onAbort);
		// Stop the VM even inside a tight loop (its interrupt handler reads the flag), then end the worker.
		Atomics.store(new Int32Array(this.interrupt), 0, 1);
		this.worker.terminate();
		for (const controller of this.calls.values()) controller.abort();
		this.calls.clear();
		this.resolve(
			error
				? { ok: false, error, output: this.output }
				: { ok: true, value, output: this.output, storeWrites: storeWrites ?? { set: {}, delete: [] } },
		);
	}
}
