/** Auto-retry through AgentSession (src/agent/session/retry-controller.ts): backoff events, success, give-up, cancel. */
import { describe, expect, test } from "bun:test";
import type { AgentSession } from "../../src/agent/agent-session.ts";
import { createSession, type ScriptedTurn } from "../interactive/harness.ts";
import { recordEvents } from "./helpers.ts";

const retryEvents = (session: AgentSession) => recordEvents(session, "auto_retry_start", "auto_retry_end");

function withRetry(turns: ScriptedTurn[], retry: { maxRetries: number; baseDelayMs: number }) {
	return createSession({ turns, settings: { retry: { enabled: true, ...retry } } });
}

describe("AgentSession auto-retry", () => {
	test("a transient error is retried after the backoff and prompt() resolves after the retry", async () => {
		const { session, contexts } = withRetry([{ error: "529 overloaded" }, { chunks: ["fine"] }], {
			maxRetries: 3,
			baseDelayMs: 1,
		});
		const events = retryEvents(session);
		await session.prompt("hi");
		expect(events).toEqual([
			{ type: "auto_retry_start", attempt: 1, maxAttempts: 3, delayMs: 1, errorMessage: "529 overloaded" },
			{ type: "auto_retry_end", success: true, attempt: 1 },
		]);
		expect(session.isRetrying).toBeFalse();
		expect(session.getLastAssistantText()).toBe("fine");
		// The failed answer left the context sent the second time but stays in the file, omitted by a context_edit
		// (pi 1.6.0), so a resumed session sends the same context.
		expect(contexts[1]?.messages.map((m) => m.role)).toEqual(["user"]);
		const entries = session.sessionManager.getEntries();
		const failed = entries.find((e) => e.type === "message" && e.message.role === "assistant");
		expect(entries.filter((e) => e.type === "message" && e.message.role === "assistant")).toHaveLength(2);
		expect(entries.find((e) => e.type === "context_edit")).toMatchObject({ targetId: failed?.id, replacement: null });
		const saved = session.sessionManager.buildSessionContext().messages;
		expect(saved.filter((m) => m.role === "assistant")).toHaveLength(1);
	});

	test("gives up after maxRetries with the last error", async () => {
		const { session, contexts } = withRetry([{ error: "overloaded" }, { error: "overloaded again" }], {
			maxRetries: 1,
			baseDelayMs: 1,
		});
		const events = retryEvents(session);
		await session.prompt("hi");
		expect(contexts).toHaveLength(2);
		expect(events.at(-1)).toEqual({
			type: "auto_retry_end",
			success: false,
			attempt: 1,
			finalError: "overloaded again",
		});
	});

	test("abortRetry during the backoff cancels it", async () => {
		const { session, contexts } = withRetry([{ error: "overloaded" }], { maxRetries: 3, baseDelayMs: 5000 });
		const events = retryEvents(session);
		const run = session.prompt("hi");
		while (!events.some((e) => e.type === "auto_retry_start")) await Bun.sleep(1);
		expect(session.isRetrying).toBeTrue();
		session.abortRetry();
		await run;
		expect(events.at(-1)).toEqual({
			type: "auto_retry_end",
			success: false,
			attempt: 1,
			finalError: "Retry cancelled",
		});
		expect(contexts).toHaveLength(1);
	});

	test("errors that are not transient are not retried", async () => {
		const { session, contexts } = withRetry([{ error: "invalid x-api-key" }], { maxRetries: 3, baseDelayMs: 1 });
		const events = retryEvents(session);
		await session.prompt("hi");
		expect(events).toEqual([]);
		expect(contexts).toHaveLength(1);
	});
});
