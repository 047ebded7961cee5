/**
 * Messages between the codemode host (sandbox.ts, pi's thread) and the worker that runs the QuickJS VM (worker.ts).
 * Values travel as JSON text; the host parses what it receives with valibot before it trusts it.
 */
import * as v from "valibot";

export interface StartMessage {
	type: "start";
	/** quickjs.wasm, compiled once per process by the host. */
	wasm: WebAssembly.Module;
	code: string;
	tools: { name: string; jsName: string; description: string }[];
	globals: { name: string; spread: boolean }[];
	/** key → JSON text */
	store: Record<string, string>;
	memoryLimitBytes: number;
	/** Int32Array over a SharedArrayBuffer: the host sets [0] to 1 to interrupt the script. */
	interrupt: SharedArrayBuffer;
}

export interface ResultMessage {
	type: "result";
	id: number;
	ok: boolean;
	/** JSON of the value, or the error message. */
	payload?: string;
}

export type HostToWorker = StartMessage | ResultMessage;

export type OutputItem =
	| { type: "text"; text: string; console?: true }
	| { type: "image"; data: string; mimeType: string };

const outputItem = v.union([
	v.object({ type: v.literal("text"), text: v.string(), console: v.optional(v.literal(true)) }),
	v.object({ type: v.literal("image"), data: v.string(), mimeType: v.string() }),
]);

export const WorkerToHostSchema = v.variant("type", [
	v.object({
		type: v.literal("call"),
		id: v.number(),
		target: v.picklist(["tool", "global"]),
		name: v.string(),
		args: v.optional(v.string()),
	}),
	v.object({ type: v.literal("output"), item: outputItem }),
	v.object({ type: v.literal("done"), ok: v.literal(true), value: v.optional(v.string()), writes: v.string() }),
	v.object({ type: v.literal("done"), ok: v.literal(false), error: v.string() }),
	v.object({ type: v.literal("crash"), message: v.string() }),
]);

export type WorkerToHost = v.InferOutput<typeof WorkerToHostSchema>;
