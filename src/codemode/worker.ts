/**
 * Entry of the codemode worker thread: runs one script in a fresh VM (vm.ts) and relays
 * messages. One worker per script: the host terminates it when the script ends, times out or is cancelled, which
 * also frees all of the VM's memory. Built as an extra entrypoint of the binary (build.ts).
 */
import type { HostToWorker, WorkerToHost } from "./protocol.ts";
import { startVm, type VmSession } from "./vm.ts";

declare const self: Worker;

const post = (message: WorkerToHost) => self.postMessage(message);
let session: VmSession | undefined;
/** Results that arrive while the VM is still being created. */
const early: HostToWorker[] = [];
let starting = false;

self.onmessage = async (event: MessageEvent<HostToWorker>) => {
	const message = event.data;
	if (message.type === "result") {
		if (session) session.deliver(message);
		else early.push(message);
		return;
	}
	if (starting) return;
	starting = true;
	try {
		session = await startVm(message, message.wasm, post);
		for (const result of early.splice(0)) if (result.type === "result") session.deliver(result);
	} catch (error) {
		post({ type: "crash", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
	}
};
