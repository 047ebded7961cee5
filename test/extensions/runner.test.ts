/** pi's result semantics of extension events, one rule per test (src/extensions/runner.ts). */
import { describe, expect, test } from "bun:test";
import type { AgentMessage } from "../../src/agent/types.ts";
import { emptyExtension } from "../../src/extensions/loader.ts";
import { ExtensionRunner } from "../../src/extensions/runner.ts";
import { ExtensionRuntime } from "../../src/extensions/runtime.ts";
import { CancelResultSchema } from "../../src/extensions/schemas.ts";
import type { Extension, ExtensionError, ExtensionHandler } from "../../src/extensions/types.ts";

function extension(path: string, handlers: Record<string, ExtensionHandler[]>): Extension {
	const resolvedPath = `/ext/${path}`;
	const record = emptyExtension({
		path,
		resolvedPath,
		sourceInfo: { path: resolvedPath, source: "cli", scope: "temporary", origin: "top-level" },
	});
	for (const [event, list] of Object.entries(handlers)) record.handlers.set(event, list);
	return record;
}

function runnerWith(...extensions: Extension[]): { runner: ExtensionRunner; errors: ExtensionError[] } {
	const runner = new ExtensionRunner(extensions, new ExtensionRuntime());
	const errors: ExtensionError[] = [];
	runner.onError((error) => errors.push(error));
	return { runner, errors };
}

const user = (text: string): AgentMessage => ({ role: "user", content: text, timestamp: 1 });

describe("extension event semantics", () => {
	test("tool_call: the first block wins; a throwing handler blocks (fail-safe) and is reported", async () => {
		const seen: string[] = [];
		const { runner, errors } = runnerWith(
			extension("a.ts", { tool_call: [() => void seen.push("a")] }),
			extension("b.ts", { tool_call: [() => ({ block: true, reason: "no" }), () => void seen.push("b2")] }),
		);
		expect(await runner.emitToolCall({ type: "tool_call", toolName: "bash" })).toEqual({ block: true, reason: "no" });
		expect(seen).toEqual(["a"]);
		const failing = runnerWith(
			extension("c.ts", {
				tool_call: [
					() => {
						throw new Error("gate broke");
					},
				],
			}),
		);
		expect(await failing.runner.emitToolCall({ type: "tool_call" })).toEqual({ block: true, reason: "gate broke" });
		expect(failing.errors.map((error) => [error.extensionPath, error.event, error.error])).toEqual([
			["c.ts", "tool_call", "gate broke"],
		]);
		expect(errors).toEqual([]);
	});

	test("tool_call: input edits in place are seen by later handlers", async () => {
		const input = { command: "ls" };
		let seenByLater = "";
		const { runner } = runnerWith(
			extension("a.ts", {
				tool_call: [
					(event) => {
						if (typeof event === "object" && event !== null && "input" in event && typeof event.input === "object") {
							Object.assign(event.input ?? {}, { command: "ls -la" });
						}
					},
				],
			}),
			extension("b.ts", {
				tool_call: [
					() => {
						seenByLater = input.command;
					},
				],
			}),
		);
		await runner.emitToolCall({ type: "tool_call", input });
		expect(seenByLater).toBe("ls -la");
	});

	test("tool_result: patches chain, omitted fields stay; no patch means undefined", async () => {
		const { runner } = runnerWith(
			extension("a.ts", { tool_result: [() => ({ content: [{ type: "text", text: "redacted" }] })] }),
			extension("b.ts", { tool_result: [() => ({ isError: true })] }),
		);
		const patch = await runner.emitToolResult({
			type: "tool_result",
			content: [{ type: "text", text: "secret" }],
			details: { keep: 1 },
			isError: false,
		});
		expect(patch).toMatchObject({ content: [{ type: "text", text: "redacted" }], details: { keep: 1 }, isError: true });
		const untouched = await runnerWith().runner.emitToolResult({
			type: "tool_result",
			content: [],
			details: {},
			isError: false,
		});
		expect(untouched).toBeUndefined();
	});

	test("input: transforms chain, handled ends it, a bad result is reported and ignored", async () => {
		const { runner, errors } = runnerWith(
			extension("a.ts", { input: [() => ({ action: "transform", text: "one" })] }),
			extension("b.ts", {
				input: [(event) => ({ action: "transform", text: `${(event as { text: string }).text} two` })],
			}),
			extension("c.ts", { input: [() => ({ action: "explode" })] }),
		);
		expect(await runner.emitInput("zero", undefined, "rpc", undefined)).toEqual({
			action: "transform",
			text: "one two",
			images: undefined,
		});
		expect(errors[0]?.error).toStartWith("Invalid input handler result");
		const handled = runnerWith(
			extension("a.ts", { input: [() => ({ action: "handled" })] }),
			extension("b.ts", { input: [() => ({ action: "transform", text: "never" })] }),
		);
		expect(await handled.runner.emitInput("x", undefined, "interactive", undefined)).toEqual({ action: "handled" });
	});

	test("before_agent_start: every message is kept, the system prompt chains, options edits are seen", async () => {
		const options = { appendSystemPrompt: "BASE" };
		const { runner } = runnerWith(
			extension("a.ts", {
				before_agent_start: [
					(event) => {
						const { systemPromptOptions } = event as { systemPromptOptions: { appendSystemPrompt: string } };
						systemPromptOptions.appendSystemPrompt += " edited";
						return { message: { customType: "a", content: "ctx a", display: false } };
					},
				],
			}),
			extension("b.ts", {
				before_agent_start: [(event) => ({ systemPrompt: `${(event as { systemPrompt: string }).systemPrompt} +b` })],
			}),
			extension("c.ts", {
				before_agent_start: [(event) => ({ systemPrompt: `${(event as { systemPrompt: string }).systemPrompt} +c` })],
			}),
		);
		const result = await runner.emitBeforeAgentStart(
			{ messageType: "user", prompt: "hi" },
			options,
			() => `rendered(${options.appendSystemPrompt})`,
		);
		expect(result.systemPrompt).toBe("rendered(BASE edited) +b +c");
		expect(result.messages).toEqual([{ customType: "a", content: "ctx a", display: false }]);
	});

	test("session_before_*: the first cancel stops it, later handlers do not run", async () => {
		let later = false;
		const { runner } = runnerWith(
			extension("a.ts", {
				session_before_switch: [
					() => ({ cancel: true }),
					() => {
						later = true;
					},
				],
			}),
		);
		expect(await runner.emitBefore({ type: "session_before_switch", reason: "new" }, CancelResultSchema)).toEqual({
			cancel: true,
		});
		expect(later).toBe(false);
	});

	test("context: handlers work on a copy and chain; returned messages are checked", async () => {
		const original = [user("one"), user("two")];
		const { runner, errors } = runnerWith(
			extension("a.ts", {
				context: [(event) => ({ messages: (event as { messages: AgentMessage[] }).messages.slice(1) })],
			}),
			extension("b.ts", { context: [() => ({ messages: [{ role: "nonsense" }] })] }),
		);
		const result = await runner.emitContext(original);
		expect(result).toEqual([user("two")]);
		expect(original).toHaveLength(2);
		expect(errors[0]?.error).toStartWith("Invalid context handler result");
	});

	test("context hides the prompt's system messages; a change puts the current one first; context_with_system sees it", async () => {
		const system = (sections: Record<string, string>): AgentMessage => ({
			role: "system",
			content: "",
			sections,
			timestamp: 1,
		});
		const transcript = [system({ preamble: "P" }), user("one"), system({ rules: "R" }), user("two")];
		const seenByContext: string[] = [];
		let seenWithSystem: string[] = [];
		const { runner } = runnerWith(
			extension("a.ts", {
				context: [
					(event) => {
						const { messages } = event as { messages: AgentMessage[] };
						seenByContext.push(...messages.map((message) => message.role));
						return { messages: messages.slice(1) };
					},
				],
				context_with_system: [
					(event) => {
						seenWithSystem = (event as { messages: AgentMessage[] }).messages.map((message) => message.role);
					},
				],
			}),
		);
		const result = await runner.emitContext(transcript);
		expect(seenByContext).toEqual(["user", "user"]);
		// The replayed prompt (both sections) as one leading system message, then what the handler kept.
		expect(result[0]).toMatchObject({ role: "system", sections: { preamble: "P", rules: "R" } });
		expect(result.slice(1)).toEqual([user("two")]);
		expect(seenWithSystem).toEqual(["system", "user"]);
		// An unchanged conversation keeps every system message where it was.
		const untouched = runnerWith(extension("b.ts", { context: [() => undefined] }));
		expect(await untouched.runner.emitContext(transcript)).toEqual(transcript);
	});

	test("message_end: a replacement must keep the role", async () => {
		const { runner, errors } = runnerWith(
			extension("a.ts", { message_end: [() => ({ message: { ...user("changed"), role: "user" } })] }),
			extension("b.ts", {
				message_end: [
					() => ({ message: { role: "custom", customType: "x", content: "", display: true, timestamp: 1 } }),
				],
			}),
		);
		expect(await runner.emitMessageEnd(user("original"))).toEqual(user("changed"));
		expect(errors.map((error) => error.error)).toEqual([
			"message_end handlers must return a message with the same role",
		]);
	});

	test("notifications: a throwing handler is reported with its place; the others still run", async () => {
		let ran = false;
		const { runner, errors } = runnerWith(
			extension("a.ts", {
				turn_start: [
					() => {
						throw new Error("boom");
					},
				],
			}),
			extension("b.ts", {
				turn_start: [
					() => {
						ran = true;
					},
				],
			}),
		);
		await runner.emit({ type: "turn_start" });
		expect(ran).toBe(true);
		expect(errors.map((error) => [error.extensionPath, error.event, error.error])).toEqual([
			["a.ts", "turn_start", "boom"],
		]);
	});

	test("commands: a name registered twice is invoked as name:1 and name:2", () => {
		const make = (path: string) => {
			const ext = extension(path, {});
			ext.commands.set("review", {
				name: "review",
				handler: () => {},
				sourceInfo: ext.sourceInfo,
				extensionPath: path,
			});
			return ext;
		};
		const { runner } = runnerWith(make("a.ts"), make("b.ts"));
		expect(runner.getCommands().map((command) => command.invocationName)).toEqual(["review:1", "review:2"]);
		expect(runner.getCommand("review:2")?.extensionPath).toBe("b.ts");
	});
});
