/**
 * Drives one QuickJS VM (quickjs-wasi, QuickJS-NG compiled to WebAssembly) through one script. Runs inside the
 * codemode worker. The VM has no file system, network or timers: its only way out is the bridge function the
 * prelude holds, which posts calls and output to the host; results come back through `deliver`. QuickJS's engine
 * output to stdout/stderr is discarded (the terminal belongs to pi), and the interrupt handler stops the script
 * when the host raises the shared flag (timeout, Esc).
 */
import { JSException, type JSValueHandle, MAX_STACK_SIZE, QuickJS } from "quickjs-wasi";
import { PRELUDE } from "./prelude.ts";
import type { ResultMessage, StartMessage, WorkerToHost } from "./protocol.ts";

/** WASI fd_write that swallows what QuickJS writes to fd 1 and 2, reporting it as written. */
function discardOutput(memory: { readonly buffer: ArrayBufferLike }) {
	return {
		fd_write(_fd: number, iovs: number, count: number, writtenPtr: number): number {
			const view = new DataView(memory.buffer);
			let written = 0;
			for (let i = 0; i < count; i++) written += view.getUint32(iovs + i * 8 + 4, true);
			view.setUint32(writtenPtr, written, true);
			return 0;
		},
	};
}

function exceptionJson(error: JSException): string {
	const head = error.message ? `${error.name}: ${error.message}` : error.name;
	const stack = error.stack?.trimEnd();
	return JSON.stringify({ name: error.name, message: error.message, stack: stack ? `${head}\n${stack}` : head });
}

export interface VmSession {
	deliver(message: ResultMessage): void;
	dispose(): void;
}

export async function startVm(
	start: StartMessage,
	wasm: WebAssembly.Module,
	post: (message: WorkerToHost) => void,
): Promise<VmSession> {
	const flag = new Int32Array(start.interrupt);
	const vm = await QuickJS.create({
		wasm,
		memoryLimit: start.memoryLimitBytes,
		// Deep recursion becomes a catchable RangeError instead of a wasm trap.
		maxStackSize: MAX_STACK_SIZE,
		interruptHandler: () => Atomics.load(flag, 0) !== 0,
		wasi: discardOutput,
	});
	let disposed = false;
	let api: JSValueHandle | undefined;
	let settle: JSValueHandle | undefined;
	let stalled: JSValueHandle | undefined;
	const crash = (error: unknown) =>
		post({ type: "crash", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });

	/** Run queued promise jobs, then fail a script that waits on nothing that could ever resume it. */
	const drain = () => {
		vm.executePendingJobs();
		if (api && stalled) vm.callFunction(stalled, api).dispose();
	};

	const session: VmSession = {
		deliver(message) {
			if (disposed || !api || !settle) return;
			try {
				const fn = settle;
				const self = api;
				vm.withScope(() => {
					vm.callFunction(
						fn,
						self,
						vm.newNumber(message.id),
						message.ok ? vm.true : vm.false,
						message.payload === undefined ? vm.undefined : vm.newString(message.payload),
					);
				});
				drain();
			} catch (error) {
				crash(error);
			}
		},
		dispose() {
			if (disposed) return;
			disposed = true;
			vm.dispose();
		},
	};

	try {
		// Called by the prelude with primitives only.
		const bridge = vm.newFunction("bridge", (kind, a, b, c) => {
			const what = kind?.toString();
			const text = (handle: JSValueHandle | undefined) =>
				handle === undefined || handle.isUndefined ? undefined : handle.toString();
			if (what === "call" || what === "global") {
				post({
					type: "call",
					id: a?.toNumber() ?? 0,
					target: what === "call" ? "tool" : "global",
					name: b?.toString() ?? "",
					args: text(c),
				});
			} else if (what === "output") {
				const itemKind = a?.toString();
				const data = b?.toString() ?? "";
				post({
					type: "output",
					item:
						itemKind === "image"
							? { type: "image", data, mimeType: c?.toString() ?? "" }
							: itemKind === "console"
								? { type: "text", text: data, console: true }
								: { type: "text", text: data },
				});
			} else if (what === "done") {
				if (a?.toBoolean()) post({ type: "done", ok: true, value: text(b), writes: c?.toString() ?? "[]" });
				else post({ type: "done", ok: false, error: b?.toString() ?? "{}" });
			}
			return vm.undefined;
		});
		const made = vm.withScope((scope) =>
			scope.escape(
				vm.callFunction(
					vm.evalCode(PRELUDE, "codemode-prelude.js"),
					vm.undefined,
					bridge,
					vm.newString(JSON.stringify(start.tools)),
					vm.newString(JSON.stringify(start.globals)),
					vm.newString(JSON.stringify(start.store)),
				),
			),
		);
		api = made;
		settle = made.getProp("settle");
		stalled = made.getProp("stalled");
		const run = made.getProp("run");
		let fn: JSValueHandle;
		try {
			// The script is the body of an async function; it shares the first line, so line numbers match.
			fn = vm.evalCode(`(async (tools, console) => {${start.code}\n})`, "codemode.js");
		} catch (error) {
			if (!(error instanceof JSException)) throw error;
			post({ type: "done", ok: false, error: exceptionJson(error) });
			return session;
		}
		vm.callFunction(run, made, fn).dispose();
		fn.dispose();
		drain();
	} catch (error) {
		if (error instanceof JSException) post({ type: "done", ok: false, error: exceptionJson(error) });
		else crash(error);
	}
	return session;
}
