/** Resolves after `ms`, or rejects with `new Error(abortMessage)` as soon as `signal` aborts (at once if it has). */
export function sleep(ms: number, signal?: AbortSignal, abortMessage = "aborted"): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(new Error(abortMessage));
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error(abortMessage));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}
