/**
 * pi 1.6.0's `agent_before_settle` driven end to end: a real extension file (fixtures/before-settle.ts) in print mode
 * against the LLM test server; checks what each handler saw, what reached the model and the session file.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { sessionFiles } from "../support/run-pi.ts";
import { requestMessages, runWithExtension } from "./run-extension.ts";

const EXTENSION = resolve(import.meta.dir, "..", "fixtures", "extensions", "before-settle.ts");

function jsonLines(path: string): Record<string, unknown>[] {
	return readFileSync(path, "utf8")
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line));
}

describe("agent_before_settle", () => {
	test("proposed entries are saved in order and continue: true makes one more model request", async () => {
		const run = await runWithExtension(
			[{ text: "first answer" }, { text: "reviewed answer" }],
			["-p", "-e", EXTENSION, "change it"],
		);
		expect(run.stderr).toContain("settle handler failed");
		expect(run.stdout).toBe("reviewed answer\n");

		// The second request ends with the reminder, sent as a user message after the first answer.
		expect(run.server.requests.length).toBe(2);
		const second = requestMessages(run.server, 1);
		expect(second.at(-2)).toMatchObject({ role: "assistant" });
		expect(JSON.stringify(second.at(-1))).toContain("Review the final diff before replying.");
		expect(second.at(-1)?.role).toBe("user");

		// At each boundary the first handler finds an empty proposal after the model's answer, the session still busy.
		const firstHandlerAtAnswer = {
			handler: 1,
			outcome: "completed",
			entries: 0,
			continue: false,
			canContinue: false,
			lastLlmRole: "assistant",
			idle: false,
		};
		expect(jsonLines(join(run.env.cwd, "before-settle.log"))).toEqual([
			firstHandlerAtAnswer,
			// The throwing handler changed nothing; the third sees the first's proposal and its preview.
			{
				handler: 3,
				entries: ["custom", "custom_message"],
				continue: true,
				canContinue: true,
				lastContextMessage: "custom",
			},
			// After the extra request the boundary is reached again; nothing more is asked.
			firstHandlerAtAnswer,
			{ handler: 3, entries: [], continue: false, canContinue: false, lastContextMessage: "assistant" },
			{ settled: true, aborted: false },
		]);

		const [file] = sessionFiles(run.env);
		if (!file) throw new Error("no session file");
		const entries = jsonLines(file).slice(1);
		const types = entries.map((entry) =>
			entry.type === "message" ? `message:${(entry.message as { role: string }).role}` : entry.type,
		);
		const firstAnswer = types.indexOf("message:assistant");
		expect(types.slice(firstAnswer, firstAnswer + 4)).toEqual([
			"message:assistant",
			"custom",
			"custom_message",
			"message:assistant",
		]);
		expect(entries.find((entry) => entry.type === "custom")).toMatchObject({
			customType: "settle-note",
			data: { turn: 1 },
		});
		expect(entries.find((entry) => entry.type === "custom_message")).toMatchObject({
			customType: "review-reminder",
			display: false,
		});
	});

	test("continue: true with nothing for the model to answer is reported and makes no request", async () => {
		const run = await runWithExtension([{ text: "only answer" }], ["-p", "-e", EXTENSION, "hi"], {
			extraEnv: { PI_TEST_SETTLE: "bare" },
		});
		expect(run.stdout).toBe("only answer\n");
		expect(run.stderr).toContain("agent_before_settle requested continuation without runnable model context");
		expect(run.server.requests.length).toBe(1);
	});

	test("a proposal that cannot apply is reported and nothing of it is saved", async () => {
		const run = await runWithExtension([{ text: "only answer" }], ["-p", "-e", EXTENSION, "hi"], {
			extraEnv: { PI_TEST_SETTLE: "invalid" },
		});
		expect(run.stdout).toBe("only answer\n");
		expect(run.stderr).toContain("Invalid boundary entries");
		expect(run.stderr).toContain("no-such-entry");
		expect(run.server.requests.length).toBe(1);
		const [file] = sessionFiles(run.env);
		if (!file) throw new Error("no session file");
		expect(jsonLines(file).some((entry) => entry.type === "custom" || entry.type === "context_edit")).toBe(false);
	});
});
