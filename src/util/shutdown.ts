/**
 * Work that must happen before pi exits, however it exits: a quit from the UI, SIGTERM, SIGHUP or Ctrl+C in
 * print mode. The typical hook aborts the running agent, which kills tool processes and saves the answer so far
 * as "aborted", so a conversation is never lost because the process ended mid-stream.
 */

type ShutdownHook = () => unknown;

const hooks = new Set<ShutdownHook>();

/** Registers `hook`; returns the function that removes it again. */
export function onShutdown(hook: ShutdownHook): () => void {
	hooks.add(hook);
	return () => hooks.delete(hook);
}

/**
 * Runs every hook (concurrently) and waits for them, but never longer than `timeoutMs`: a hook that hangs must
 * not keep a process alive that the user asked to end. Errors are ignored for the same reason. Hooks run once.
 */
export async function runShutdownHooks(timeoutMs = 3000): Promise<void> {
	const running = [...hooks].map(async (hook) => {
		try {
			await hook();
		} catch {
			// Shutting down regardless.
		}
	});
	hooks.clear();
	if (running.length === 0) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<void>((resolve) => {
		timer = setTimeout(resolve, timeoutMs);
	});
	await Promise.race([Promise.all(running), deadline]);
	clearTimeout(timer);
}

let exitExplicitly = false;

/**
 * pi ends the process itself once its mode is done; code it ran (an extension's file watcher, timer or server) must
 * not keep it alive. Called when extensions load; without them nothing lingers and the process ends on its own.
 */
export function exitWhenShutDown(): void {
	exitExplicitly = true;
}

/** Whether main should call process.exit after the shutdown hooks (see exitWhenShutDown). */
export function shouldExitWhenShutDown(): boolean {
	return exitExplicitly;
}
