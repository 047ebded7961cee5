/**
 * pi's example extensions in RPC mode (`pi --mode rpc -e <example>`) and JSON mode: their dialogs and notices go
 * through pi's extension-UI sub-protocol (docs/rpc-extension-ui.md), their commands answer `get_commands` and run
 * from `prompt`, their errors arrive as `extension_error` events.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../support/rpc-client.ts";
import { runPi } from "../support/run-pi.ts";
import { copyExample } from "./examples.ts";
import { scenarioEnv, toolResults } from "./run-extension.ts";

function uiRequest(method: string) {
	return (line: { type: string; method?: unknown }) => line.type === "extension_ui_request" && line.method === method;
}

describe("pi's example extensions in RPC mode", () => {
	test("permission-gate: the select dialog goes to the client, whose answer decides", async () => {
		const { server, env } = await scenarioEnv([
			{ toolCalls: [{ name: "bash", arguments: { command: "rm -rf one" } }] },
			{ toolCalls: [{ name: "bash", arguments: { command: "rm -rf two" } }] },
			{ text: "done" },
		]);
		mkdirSync(join(env.cwd, "one"));
		mkdirSync(join(env.cwd, "two"));
		const rpc = new RpcClient(env, ["-e", copyExample("1.6.0", "permission-gate.ts")]);
		await rpc.request({ id: "1", type: "prompt", message: "clean up" });
		const first = await rpc.waitFor(uiRequest("select"));
		expect(first.title).toBe("⚠️ Dangerous command:\n\n  rm -rf one\n\nAllow?");
		expect(first.options).toEqual(["Yes", "No"]);
		rpc.send({ type: "extension_ui_response", id: first.id, value: "No" });
		const second = await rpc.waitFor((line) => uiRequest("select")(line) && line.id !== first.id);
		rpc.send({ type: "extension_ui_response", id: second.id, value: "Yes" });
		await rpc.waitFor((line) => line.type === "agent_end");
		expect(await rpc.close()).toBe(0);
		expect(toolResults(server, 1)).toEqual(["Blocked by user"]);
		expect(existsSync(join(env.cwd, "one"))).toBe(true);
		expect(existsSync(join(env.cwd, "two"))).toBe(false);
	});

	test("confirm-destructive: new_session asks first; a no cancels it", async () => {
		const { env } = await scenarioEnv([]);
		const rpc = new RpcClient(env, ["-e", copyExample("1.6.0", "confirm-destructive.ts")]);
		const before = await rpc.request({ id: "1", type: "get_state" });
		rpc.send({ id: "2", type: "new_session" });
		const confirm = await rpc.waitFor(uiRequest("confirm"));
		expect(confirm.title).toBe("Clear session?");
		rpc.send({ type: "extension_ui_response", id: confirm.id, confirmed: false });
		const response = await rpc.response("2");
		expect(response.data).toEqual({ cancelled: true });
		const notice = await rpc.waitFor(uiRequest("notify"));
		expect(notice.message).toBe("Clear cancelled");
		const after = await rpc.request({ id: "3", type: "get_state" });
		expect((after.data as { sessionId: string }).sessionId).toBe((before.data as { sessionId: string }).sessionId);
		expect(await rpc.close()).toBe(0);
	});

	test("status-line and event-bus: fire-and-forget requests reach the client", async () => {
		const { env } = await scenarioEnv([{ text: "hi" }]);
		const rpc = new RpcClient(env, [
			"-e",
			copyExample("1.6.0", "status-line.ts"),
			"-e",
			copyExample("1.6.0", "event-bus.ts"),
		]);
		const ready = await rpc.waitFor(uiRequest("setStatus"));
		expect(ready.statusKey).toBe("status-demo");
		expect(String(ready.statusText)).toContain("Ready");
		const notice = await rpc.waitFor(uiRequest("notify"));
		expect(notice.message).toBe("Event from event-bus-example: Session started");
		await rpc.request({ id: "1", type: "prompt", message: "hello" });
		await rpc.waitFor((line) => uiRequest("setStatus")(line) && String(line.statusText).includes("Turn 1 complete"));
		expect(await rpc.close()).toBe(0);
	});

	test("session-name: extension commands are listed and run from prompt", async () => {
		const { server, env } = await scenarioEnv([]);
		const rpc = new RpcClient(env, ["-e", copyExample("1.6.0", "session-name.ts")]);
		const commands = await rpc.request({ id: "1", type: "get_commands" });
		const names = (commands.data as { commands: { name: string; source: string }[] }).commands;
		expect(names[0]).toMatchObject({ name: "session-name", source: "extension" });
		await rpc.request({ id: "2", type: "prompt", message: "/session-name Release prep" });
		const notice = await rpc.waitFor(uiRequest("notify"));
		expect(notice.message).toBe("Session named: Release prep");
		const state = await rpc.request({ id: "3", type: "get_state" });
		expect((state.data as { sessionName?: string }).sessionName).toBe("Release prep");
		expect(server.requests).toHaveLength(0);
		expect(await rpc.close()).toBe(0);
	});

	test("a throwing handler becomes an extension_error event and the session goes on", async () => {
		const { env } = await scenarioEnv([{ text: "still fine" }]);
		writeFileSync(
			join(env.cwd, "throws.ts"),
			'export default function (pi) {\n\tpi.on("turn_start", () => {\n\t\tthrow new Error("turn handler broke");\n\t});\n}\n',
		);
		const rpc = new RpcClient(env, ["-e", "throws.ts"]);
		await rpc.request({ id: "1", type: "prompt", message: "hi" });
		const error = await rpc.waitFor((line) => line.type === "extension_error");
		expect(error).toEqual({
			type: "extension_error",
			extensionPath: "throws.ts",
			event: "turn_start",
			error: "turn handler broke",
		});
		await rpc.waitFor((line) => line.type === "agent_end");
		const text = await rpc.request({ id: "2", type: "get_last_assistant_text" });
		expect(text.data).toEqual({ text: "still fine" });
		expect(await rpc.close()).toBe(0);
	});
});

describe("pi's example extensions in JSON mode", () => {
	test("notify: what an extension writes to stdout goes to stderr, after agent_settled; the stream stays JSON", async () => {
		const { env } = await scenarioEnv([{ text: "done" }]);
		const run = await runPi(["--mode", "json", "-e", copyExample("1.6.0", "notify.ts"), "hi"], env, {
			extraEnv: { KITTY_WINDOW_ID: "", WT_SESSION: "" },
		});
		expect(run.exitCode).toBe(0);
		const lines = run.stdout.trim().split("\n");
		expect(lines.every((line) => line.startsWith("{"))).toBe(true);
		expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toContain("agent_end");
		expect(run.stderr).toContain("\x1b]777;notify;Pi;Ready for input\x07");
	});

	test("hello: the tool's events are in the stream like a built-in tool's", async () => {
		const { env } = await scenarioEnv([
			{ toolCalls: [{ id: "call_1", name: "hello", arguments: { name: "JSON" } }] },
			{ text: "done" },
		]);
		const run = await runPi(["--mode", "json", "-e", copyExample("1.6.0", "hello.ts"), "greet"], env);
		expect(run.exitCode).toBe(0);
		const events = run.stdout
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line) as { type: string; toolName?: string; result?: unknown });
		const end = events.find((event) => event.type === "tool_execution_end");
		expect(end).toMatchObject({
			toolName: "hello",
			result: { content: [{ type: "text", text: "Hello, JSON!" }], details: { greeted: "JSON" } },
			isError: false,
		});
	});
});
