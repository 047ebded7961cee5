/** `!` commands through AgentSession (src/agent/session/bash-runner.ts): when their message joins the context. */
import { describe, expect, test } from "bun:test";
import { createSession } from "../interactive/harness.ts";

function bashMessages(messages: readonly { role: string }[]) {
	return messages.filter((m) => m.role === "bashExecution");
}

describe("AgentSession bash", () => {
	test("while idle the result is added to the context and the session file at once", async () => {
		const { session } = createSession({ turns: [] });
		const chunks: string[] = [];
		const result = await session.executeBash("echo hi", { onChunk: (c) => chunks.push(c), excludeFromContext: true });
		expect(result.output).toBe("hi\n");
		expect(chunks.join("")).toBe("hi\n");
		expect(session.isBashRunning).toBe(false);
		const [message] = bashMessages(session.messages);
		expect(message).toMatchObject({ command: "echo hi", output: "hi\n", exitCode: 0, excludeFromContext: true });
		expect(bashMessages(session.sessionManager.buildSessionContext().messages)).toHaveLength(1);
	});

	test("while the agent streams the result waits until the run ends, after the answer", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const { session } = createSession({ turns: [{ chunks: ["answer"], gate }] });
		const run = session.prompt("go");
		while (!session.isStreaming) await Bun.sleep(1);
		await session.executeBash("echo later");
		expect(bashMessages(session.messages)).toHaveLength(0);
		release();
		await run;
		await session.waitForIdle();
		expect(session.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "bashExecution"]);
		const saved = session.sessionManager.buildSessionContext().messages.map((m) => m.role);
		expect(saved).toEqual(["system", "user", "assistant", "bashExecution"]);
	});

	test("abortBash cancels a running command", async () => {
		const { session } = createSession({ turns: [] });
		const running = session.executeBash("exec sleep 5");
		while (!session.isBashRunning) await Bun.sleep(1);
		session.abortBash();
		const result = await running;
		expect(result.cancelled).toBe(true);
		expect(session.isBashRunning).toBeFalse();
	});
});
