/** Run tool work so that an abort rejects at once with pi's "Operation aborted", whatever the work is doing. */
export async function runAbortable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
	if (signal?.aborted) throw new Error("Operation aborted");
	if (!signal) return work();
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(new Error("Operation aborted"));
		signal.addEventListener("abort", onAbort, { once: true });
	});
	try {
		return await Promise.race([work(), aborted]);
	} finally {
		if (onAbort) signal.removeEventListener("abort", onAbort);
	}
}
