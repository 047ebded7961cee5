/** Serialise writes to the same file (parallel tool calls may target one file); other files run in parallel. */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";

const queues = new Map<string, Promise<void>>();

function queueKey(path: string): string {
	const absolute = resolve(path);
	try {
		return realpathSync.native(absolute);
	} catch {
		return absolute;
	}
}

export async function withFileMutationQueue<T>(path: string, work: () => Promise<T>): Promise<T> {
	const key = queueKey(path);
	const previous = queues.get(key) ?? Promise.resolve();
	let release = () => {};
	const mine = new Promise<void>((resolveMine) => {
		release = resolveMine;
	});
	const tail = previous.then(() => mine);
	queues.set(key, tail);
	await previous;
	try {
		return await work();
	} finally {
		release();
		if (queues.get(key) === tail) queues.delete(key);
	}
}
