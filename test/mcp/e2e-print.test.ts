// End to end (sources, or the binary with PI_TEST_BINARY): pi with real MCP servers, the test LLM server scripting
// the model's tool calls. Direct tools, codemode scripts, tool_search, resources; print and JSON mode.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { everythingStdio, filesystemStdio } from "../support/mcp-servers.ts";
import { makePiEnv, type PiEnv, runPi, sessionFiles } from "../support/run-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

function withServers(servers: Record<string, unknown>): PiEnv {
	const env = makePiEnv(server.url);
	writeFileSync(join(env.agentDir, "mcp.json"), JSON.stringify({ mcpServers: servers }, null, 2));
	return env;
}

interface RequestBody {
	system?: unknown;
	messages: { role: string; content: unknown }[];
	tools?: { type?: string; function?: { name: string; description: string } }[];
}

function requestBody(index: number): RequestBody {
	return server.requests.at(index)?.body as RequestBody;
}

function toolNames(body: RequestBody): string[] {
	return (body.tools ?? []).map((tool) => tool.function?.name ?? "");
}

/** The text the model got back for tool results, in request order. */
function toolResults(body: RequestBody): string[] {
	return body.messages.filter((message) => message.role === "tool").map((message) => JSON.stringify(message.content));
}

describe("MCP tools in print mode", () => {
	test("a direct tool is declared in the first request and called by the model", async () => {
		const env = withServers({ everything: everythingStdio({ exposure: "direct" }) });
		const before = server.requests.length;
		server.enqueue(
			{ toolCalls: [{ id: "c1", name: "mcp__everything__echo", arguments: { message: "over MCP" } }] },
			{ text: "Done." },
		);
		const run = await runPi(["-p", "echo something"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Done.\n");
		const first = requestBody(before);
		expect(toolNames(first)).toContain("mcp__everything__echo");
		expect(toolResults(requestBody(before + 1)).join("")).toContain("Echo: over MCP");
	});

	test("default exposure: codemode is active, MCP tools are not declared, the prompt lists the server", async () => {
		const env = withServers({ everything: everythingStdio({ description: "Test server with every feature" }) });
		const before = server.requests.length;
		const script = `const [a, b] = await Promise.all([
			tools.mcp__everything__echo({ message: "one" }),
			tools.mcp__everything__get_sum({ a: 2, b: 40 }),
		]);
		const found = await searchTools("add two numbers", { limit: 1 });
		text(a.content[0].text);
		return { sum: b.content[0].text, found: found[0].name };`;
		server.enqueue({ toolCalls: [{ id: "c1", name: "codemode", arguments: { code: script } }] }, { text: "Ok." });
		const run = await runPi(["-p", "use the server"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		const first = requestBody(before);
		const names = toolNames(first);
		expect(names).toContain("codemode");
		expect(names.some((name) => name.startsWith("mcp__"))).toBe(false);
		expect(JSON.stringify(first.messages[0])).toContain("<mcp_servers>");
		expect(JSON.stringify(first.messages[0])).toContain("- mcp__everything (codemode): Test server with every feature");
		const result = toolResults(requestBody(before + 1)).join("");
		expect(result).toContain("Script completed");
		expect(result).toContain("Echo: one");
		expect(result).toContain("42");
		expect(result).toContain("mcp__everything__get_sum");
	});

	test("deferred exposure: tool_search loads a tool, which the next request declares", async () => {
		const env = withServers({ everything: everythingStdio({ exposure: "deferred" }) });
		const before = server.requests.length;
		server.enqueue(
			{ toolCalls: [{ id: "c1", name: "tool_search", arguments: { query: "echo message" } }] },
			{ toolCalls: [{ id: "c2", name: "mcp__everything__echo", arguments: { message: "found" } }] },
			{ text: "Done." },
		);
		const run = await runPi(["-p", "find a tool"], env);
		expect(run.exitCode).toBe(0);
		expect(toolNames(requestBody(before))).toContain("tool_search");
		expect(toolNames(requestBody(before))).not.toContain("mcp__everything__echo");
		expect(toolNames(requestBody(before + 1))).toContain("mcp__everything__echo");
		expect(toolResults(requestBody(before + 2)).join("")).toContain("Echo: found");
	});

	test("resources are read through read_mcp_resource; filesystem server tools work from codemode", async () => {
		const env = withServers({ files: filesystemStdio("/", {}), everything: everythingStdio({ exposure: "direct" }) });
		// The filesystem server takes its allowed folders from the client's roots: pi's working directory.
		const file = join(env.cwd, "notes.txt");
		writeFileSync(file, "file contents here");
		const before = server.requests.length;
		server.enqueue(
			{
				toolCalls: [
					{ id: "c1", name: "list_mcp_resources", arguments: { server: "everything" } },
					{ id: "c1t", name: "list_mcp_resource_templates", arguments: {} },
				],
			},
			{
				toolCalls: [
					{
						id: "c2",
						name: "codemode",
						arguments: {
							code: `const r = await tools.mcp__files__read_text_file({ path: ${JSON.stringify(file)} }); return r.content[0].text;`,
						},
					},
				],
			},
			{ text: "Done." },
		);
		const run = await runPi(["-p", "look around"], env);
		expect(run.exitCode).toBe(0);
		expect(toolResults(requestBody(before + 1)).join("")).toContain('\\"server\\":\\"everything\\"');
		// Templates of every server (no server named): each tagged with its server.
		expect(toolResults(requestBody(before + 1)).join("")).toContain(
			'\\"uriTemplate\\":\\"demo://resource/dynamic/text/{',
		);
		expect(toolResults(requestBody(before + 2)).join("")).toContain("file contents here");
	});

	test("--no-mcp: no servers, no MCP tools", async () => {
		const env = withServers({ everything: everythingStdio({ exposure: "direct" }) });
		const before = server.requests.length;
		server.enqueue({ text: "Plain." });
		const run = await runPi(["-p", "--no-mcp", "hi"], env);
		expect(run.exitCode).toBe(0);
		expect(toolNames(requestBody(before)).some((name) => name.startsWith("mcp__"))).toBe(false);
	});

	test("--exclude-tools 'mcp__*' removes MCP tools; a broken server is reported and does not block", async () => {
		const env = withServers({
			everything: everythingStdio({ exposure: "direct" }),
			broken: { command: "/nonexistent/server" },
		});
		const before = server.requests.length;
		server.enqueue({ text: "Fine." });
		const run = await runPi(["-p", "--exclude-tools", "mcp__*", "hi"], env);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Fine.\n");
		expect(toolNames(requestBody(before)).some((name) => name.startsWith("mcp__"))).toBe(false);
		expect(run.stderr).toContain("broken: failed: command not found: /nonexistent/server");
	});
});

describe("MCP in JSON mode", () => {
	test("codemode's nested calls are tool_execution events with parentToolCallId; the store persists", async () => {
		const env = withServers({ everything: everythingStdio() });
		server.enqueue(
			{
				toolCalls: [
					{
						id: "c1",
						name: "codemode",
						arguments: {
							code: `store("n", 7); return (await tools.mcp__everything__echo({ message: "x" })).content[0].text;`,
						},
					},
				],
			},
			{ text: "Done." },
		);
		const run = await runPi(["--mode", "json", "go"], env);
		expect(run.exitCode).toBe(0);
		const events = run.stdout
			.trim()
			.split("\n")
			.map(
				(line) =>
					JSON.parse(line) as { type: string; toolName?: string; toolCallId?: string; parentToolCallId?: string },
			);
		const nested = events.filter((event) => event.parentToolCallId === "c1");
		expect(nested.map((event) => `${event.type}:${event.toolName}:${event.toolCallId}`)).toEqual([
			"tool_execution_start:mcp__everything__echo:c1/1",
			"tool_execution_end:mcp__everything__echo:c1/1",
		]);
		const file = sessionFiles(env)[0] ?? "";
		const entries = readFileSync(file, "utf8")
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line) as { type: string; customType?: string; data?: unknown });
		expect(entries.find((entry) => entry.customType === "codemode-store")?.data).toEqual({ set: { n: 7 }, delete: [] });
	});
});

describe("tool_search loads survive on the branch", () => {
	test("a resumed session declares the tools tool_search loaded, once their server connects", async () => {
		const env = withServers({ everything: everythingStdio({ exposure: "deferred" }) });
		server.enqueue(
			{ toolCalls: [{ id: "c1", name: "tool_search", arguments: { query: "echo message" } }] },
			{ text: "Loaded." },
		);
		expect((await runPi(["-p", "find a tool"], env)).exitCode).toBe(0);
		const before = server.requests.length;
		server.enqueue(
			{ toolCalls: [{ id: "c2", name: "mcp__everything__echo", arguments: { message: "again" } }] },
			{ text: "Ok." },
		);
		const resumed = await runPi(["-p", "--continue", "use it again"], env);
		expect(resumed.exitCode).toBe(0);
		expect(toolNames(requestBody(before))).toContain("mcp__everything__echo");
		expect(toolResults(requestBody(before + 1)).join("")).toContain("Echo: again");
	});
});

describe("codemode without MCP", () => {
	test("--tools +codemode: bash resolves to its structured result, also for a non-zero exit", async () => {
		const env = makePiEnv(server.url);
		const before = server.requests.length;
		const code = `const [ok, bad] = await Promise.all([tools.bash({ command: "echo hi" }), tools.bash({ command: "echo no; exit 3" })]);
return { ok: ok.output, okCode: ok.exit_code, bad: bad.exit_code };`;
		server.enqueue({ toolCalls: [{ id: "c1", name: "codemode", arguments: { code } }] }, { text: "Done." });
		const run = await runPi(["-p", "--tools", "+codemode", "go"], env);
		expect(run.exitCode).toBe(0);
		const names = toolNames(requestBody(before));
		expect(names).toEqual(["read", "bash", "edit", "write", "codemode"]);
		// Declared tools say how scripts call them.
		const bash = requestBody(before).tools?.find((tool) => tool.function?.name === "bash");
		expect(bash?.function?.description).toContain(
			"Codemode: `tools.bash(args)` resolves to `{ output, truncated, full_output_path?, exit_code, wall_time_seconds }`.",
		);
		const texts = requestBody(before + 1)
			.messages.filter((message) => message.role === "tool")
			.map((message) => String(message.content));
		expect(texts.join("")).toContain('{"ok":"hi\\n","okCode":0,"bad":3}');
	});

	test('codemode.mode "only": the other tools are reached through scripts alone and listed in codemode', async () => {
		const env = makePiEnv(server.url);
		const settingsFile = join(env.agentDir, "settings.json");
		const settings = JSON.parse(readFileSync(settingsFile, "utf8"));
		writeFileSync(settingsFile, JSON.stringify({ ...settings, codemode: { mode: "only" } }));
		const before = server.requests.length;
		server.enqueue(
			{
				toolCalls: [
					{
						id: "c1",
						name: "codemode",
						arguments: { code: 'return (await tools.bash({ command: "echo only" })).output;' },
					},
				],
			},
			{ text: "Done." },
		);
		const run = await runPi(["-p", "--tools", "+codemode", "go"], env);
		expect(run.exitCode).toBe(0);
		const first = requestBody(before);
		expect(toolNames(first)).toEqual(["codemode"]);
		const codemode = first.tools?.find((tool) => tool.function?.name === "codemode");
		expect(codemode?.function?.description).toContain("### `bash`");
		expect(toolResults(requestBody(before + 1)).join("")).toContain("only");
	});
});

describe("MCP servers registered by extensions", () => {
	test("pi.registerMcpServer() from an extension connects like a configured server; getMcpServers() lists it", async () => {
		const env = makePiEnv(server.url);
		const extension = join(env.home, "mcp-extension.ts");
		const config = everythingStdio({ exposure: "direct" });
		writeFileSync(
			extension,
			`export default function (pi) {
	pi.registerMcpServer("from-ext", ${JSON.stringify(config)});
	pi.on("session_start", () => {
		const listed = pi.getMcpServers().map((server) => server.name + "@" + server.extensionPath.split("/").pop());
		if (listed.join() !== "from-ext@mcp-extension.ts") throw new Error("unexpected: " + listed.join());
	});
	try { pi.registerMcpServer("bad name", { command: "x" }); } catch (error) { globalThis.registrationError = error.message; }
	pi.on("session_start", () => { if (!String(globalThis.registrationError).includes("invalid server name")) throw new Error("no error"); });
}
`,
		);
		const before = server.requests.length;
		server.enqueue(
			{ toolCalls: [{ id: "c1", name: "mcp__from_ext__echo", arguments: { message: "registered" } }] },
			{ text: "Done." },
		);
		const run = await runPi(["-p", "-e", extension, "go"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(toolNames(requestBody(before))).toContain("mcp__from_ext__echo");
		expect(toolResults(requestBody(before + 1)).join("")).toContain("Echo: registered");
	});
});
