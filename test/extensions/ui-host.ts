/**
 * Real extensions in the interactive mode on a headless terminal (@xterm/headless): the files are loaded by the
 * extension host as pi's `-e` would, bound to the test session, and the screen is the one users see.
 */
import type { AgentSession } from "../../src/agent/agent-session.ts";
import type { Settings } from "../../src/config/settings-schema.ts";
import { ExtensionHost } from "../../src/extensions/host.ts";
import { type Harness, type ScriptedTurn, startInteractive } from "../interactive/harness.ts";

const started = new WeakMap<ExtensionHost, Promise<void>>();

export async function loadExtensions(session: AgentSession, cwd: string, files: string[]): Promise<ExtensionHost> {
	const host = await ExtensionHost.load({
		cwd,
		mode: "tui",
		discover: () => ({
			sources: files.map((file) => ({
				path: file,
				resolvedPath: file,
				sourceInfo: { path: file, source: "cli", scope: "temporary", origin: "top-level" },
			})),
			missing: [],
		}),
	});
	if (host.failures.length > 0) throw new Error(`extensions failed to load: ${JSON.stringify(host.failures)}`);
	// The screen registers the extensions' commands and then starts them: tests wait for that before typing.
	const start = host.start.bind(host);
	let markStarted = () => {};
	started.set(host, new Promise<void>((resolve) => (markStarted = resolve)));
	host.start = async (...args) => {
		await start(...args);
		markStarted();
	};
	host.bind({
		session,
		isProjectTrusted: () => true,
		reloadResources: async () => {},
		toolSelection: { none: false, named: () => false },
	});
	return host;
}

export interface UiHarness extends Harness {
	/** The visible rows (what the user sees now), not the scrollback. */
	visible(): string;
	/** Waits until `text` is visible on screen. */
	waitForVisible(text: string | RegExp, timeoutMs?: number): Promise<void>;
	/** Waits until `text` has left the visible rows. */
	waitForGone(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

export async function startWithExtensions(
	files: string[],
	options: {
		turns?: ScriptedTurn[];
		tuiMode?: "regular" | "fullscreen";
		columns?: number;
		rows?: number;
		settings?: Settings;
	} = {},
): Promise<UiHarness> {
	let host: ExtensionHost | undefined;
	const harness = await startInteractive({
		turns: options.turns ?? [],
		settings: options.settings,
		columns: options.columns ?? 100,
		rows: options.rows ?? 40,
		interactive: { tuiMode: options.tuiMode ?? "regular" },
		// Extensions may replace the header: the editor's border says the screen is up.
		ready: /─{20}/,
		extensions: async (session, cwd) => {
			host = await loadExtensions(session, cwd, files);
			return host;
		},
	});
	if (host) await started.get(host);
	const visible = () => harness.terminal.getViewport().join("\n");
	const matches = (text: string | RegExp, screen: string) =>
		typeof text === "string" ? screen.includes(text) : text.test(screen);
	const poll = async (done: () => boolean, what: string, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await harness.terminal.flush();
			if (done()) return;
			if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Screen:\n${visible()}`);
			await Bun.sleep(10);
		}
	};
	return {
		...harness,
		visible,
		waitForVisible: (text, timeoutMs = 5000) => poll(() => matches(text, visible()), String(text), timeoutMs),
		waitForGone: (text, timeoutMs = 5000) => poll(() => !matches(text, visible()), `${String(text)} to go`, timeoutMs),
	};
}
