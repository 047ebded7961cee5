/**
 * Drop-in check in the other direction: the real pi 0.73.1 opens a session file WE wrote, sends our history to
 * the model, and appends to it in a way we read back.
 */
import { expect, test } from "bun:test";
import { SessionManager } from "../../src/session/session-manager.ts";
import { startLlmServer } from "../support/llm-server.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { assistant, tempDir, textOf, user } from "./helpers.ts";
import { hasPi, PI_COMMAND } from "./pi-ref.ts";

test.skipIf(!hasPi)(
	"pi --session <our file> -p sends our history and appends readable entries",
	async () => {
		const server = await startLlmServer({ turns: [{ text: "pi answered" }] });
		try {
			const env = makePiEnv(server.url, { api: "anthropic-messages" });
			const ours = SessionManager.create(env.cwd, tempDir());
			ours.appendModelChange("test", "test-model");
			ours.appendThinkingLevelChange("off");
			ours.appendMessage(user("dropped question"));
			ours.appendMessage(assistant("dropped answer", { provider: "test", model: "test-model" }));
			const kept = ours.appendMessage(user("kept question"));
			ours.appendMessage({
				...assistant("", { provider: "test", model: "test-model" }),
				content: [{ type: "toolCall", id: "toolu_ours1", name: "read", arguments: { path: "a.txt" } }],
				stopReason: "toolUse",
			});
			ours.appendMessage({
				role: "toolResult",
				toolCallId: "toolu_ours1",
				toolName: "read",
				content: [{ type: "text", text: "contents of a" }],
				isError: false,
				timestamp: Date.now(),
			});
			ours.appendMessage(assistant("kept answer", { provider: "test", model: "test-model" }));
			ours.appendCompaction("our summary", kept, 1234, { readFiles: ["a.txt"], modifiedFiles: [] });
			ours.appendMessage({
				role: "bashExecution",
				command: "echo ours",
				output: "ours",
				exitCode: 0,
				cancelled: false,
				truncated: false,
				timestamp: Date.now(),
			});
			ours.appendCustomMessage("note", "our custom note", true);
			const path = ours.getSessionFile() ?? "";

			const proc = Bun.spawn([...PI_COMMAND, "--session", path, "-p", "next question"], {
				cwd: env.cwd,
				env: env.env,
				stdout: "pipe",
				stderr: "pipe",
			});
			const [stdout, stderr, code] = await Promise.all([
				new Response(proc.stdout).text(),
				new Response(proc.stderr).text(),
				proc.exited,
			]);
			expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
			expect(stdout.trim()).toBe("pi answered");

			expect(server.requests).toHaveLength(1);
			const body = JSON.stringify(server.requests[0]?.body);
			expect(body).not.toContain("dropped question");
			expect(body).toContain(
				"The conversation history before this point was compacted into the following summary:\\n\\n<summary>\\nour summary\\n</summary>",
			);
			for (const text of [
				"kept question",
				"toolu_ours1",
				"contents of a",
				"kept answer",
				"Ran `echo ours`",
				"our custom note",
				"next question",
			]) {
				expect(body).toContain(text);
			}
			expect(body.indexOf("kept question")).toBeLessThan(body.indexOf("next question"));

			// pi appended to our file; we read its entries back, continuing our tree
			const reopened = SessionManager.open(path);
			expect(reopened.warnings).toEqual([]);
			const texts = reopened.buildSessionContext().messages.map(textOf);
			expect(texts.slice(-2)).toEqual(["next question", "pi answered"]);
			expect(texts[0]).toBe("<compactionSummary>our summary");
			expect(reopened.getEntries().length).toBeGreaterThan(ours.getEntries().length);
		} finally {
			await server.close();
		}
	},
	20_000,
);
