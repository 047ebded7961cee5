/**
 * Putting another session file in place: /new, /resume (RPC switch_session), /fork and RPC clone. Extensions may
 * cancel first (session_before_switch / session_before_fork); then the agent stops, what was queued for the old
 * session is dropped, the new file's state is loaded, and extensions restart for it (session_shutdown, then a fresh
 * instance gets session_start — see src/extensions/host.ts).
 */
import type { SessionManager } from "../../session/session-manager.ts";
import type { SessionHost } from "./host.ts";
import { prepareFork } from "./session-switching.ts";

type Reason = "new" | "resume" | "fork";

/** What only the coordinator can do (the SessionHost, read live, is passed separately). */
export interface ReplacementOps {
	/** Stops whatever runs and waits until the agent is idle. */
	abort(): Promise<void>;
	/** Forgets queued prompts, waiting `!` results and held custom messages of the old session. */
	dropQueued(): void;
	/** Makes `sessionManager` the session's file and loads its messages, model and thinking level. */
	adopt(sessionManager: SessionManager): Promise<void>;
	createSessionManager(options?: { parentSession?: string; sessionDir?: string }): SessionManager;
	openSessionManager(path: string): SessionManager;
}

export class SessionReplacement {
	constructor(
		private readonly host: SessionHost,
		private readonly ops: ReplacementOps,
	) {}

	/** Point the session at another SessionManager and reload the agent state, extensions restarting around it. */
	async switchTo(sessionManager: SessionManager, reason: Reason = "resume"): Promise<void> {
		const { host, ops } = this;
		await ops.abort();
		const previousSessionFile = host.sessionManager.getSessionFile();
		await host.extensions?.sessionReplacing({ reason, targetSessionFile: sessionManager.getSessionFile() });
		ops.dropQueued();
		await ops.adopt(sessionManager);
		await host.extensions?.sessionReplaced({ reason, previousSessionFile });
		// Like pi, switching sessions emits no session_info_changed; the UIs refresh what they show themselves.
	}

	async newSession(parentSession?: string): Promise<{ cancelled: boolean }> {
		const host = this.host;
		if (await host.extensions?.beforeSwitch({ reason: "new" })) return { cancelled: true };
		// The new file goes where the current session lives (pi), e.g. beside a session opened by path.
		await this.switchTo(
			this.ops.createSessionManager({ parentSession, sessionDir: host.sessionManager.getSessionDir() }),
			"new",
		);
		return { cancelled: false };
	}

	async switchSession(path: string): Promise<{ cancelled: boolean }> {
		if (await this.host.extensions?.beforeSwitch({ reason: "resume", targetSessionFile: path })) {
			return { cancelled: true };
		}
		await this.switchTo(this.ops.openSessionManager(path), "resume");
		return { cancelled: false };
	}

	async fork(entryId: string): Promise<{ selectedText: string; cancelled: boolean }> {
		const host = this.host;
		if (await host.extensions?.beforeFork({ entryId, position: "before" })) {
			return { selectedText: "", cancelled: true };
		}
		const { selectedText, next } = prepareFork(host.sessionManager, entryId, (options) =>
			this.ops.createSessionManager(options),
		);
		await this.switchTo(next, "fork");
		return { selectedText, cancelled: false };
	}

	async clone(): Promise<{ cancelled: boolean } | undefined> {
		const host = this.host;
		const leafId = host.sessionManager.getLeafId();
		if (!leafId) return undefined;
		if (await host.extensions?.beforeFork({ entryId: leafId, position: "at" })) return { cancelled: true };
		await this.switchTo(host.sessionManager.createBranchedSession(leafId), "fork");
		return { cancelled: false };
	}
}
