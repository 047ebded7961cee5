/**
 * pi's example extensions, unchanged, driven end to end in print mode (`pi -p -e <example>`) against the LLM test
 * server: each scenario makes the model use what the extension adds and checks what reached the model and the disk.
 * With PI_TEST_BINARY set this runs the compiled binary.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { copyExample } from "./examples.ts";
import { offeredTools, runWithExtension, systemPrompt, toolResults } from "./run-extension.ts";

/** A stand-in for the `ms` npm package whose entry is not index.js (package.json `exports` and `main`). */
function installFakeMs(extensionDir: string): void {
	const dir = join(extensionDir, "node_modules", "ms");
	mkdirSync(join(dir, "dist"), { recursive: true });
	writeFileSync(
		join(dir, "package.json"),
		JSON.stringify({
			name: "ms",
			version: "2.1.3",
			main: "./dist/ms.cjs",
			exports: { ".": { import: "./dist/ms.mjs", require: "./dist/ms.cjs" } },
		}),
	);
	const body = `const units = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000, day: 86400000, days: 86400000 };
function ms(text) {
	const match = /^(\\d+)\\s*([a-z]+)$/.exec(String(text).trim());
	if (!match || !(match[2] in units)) return undefined;
	return Number(match[1]) * units[match[2]];
}`;
	writeFileSync(join(dir, "dist", "ms.mjs"), `${body}\nexport default ms;\n`);
	writeFileSync(join(dir, "dist", "ms.cjs"), `${body}\nmodule.exports = ms;\n`);
}

describe("pi's example extensions in print mode", () => {
	for (const version of ["1.6.0", "0.73.1"] as const) {
		test(`hello (${version}): a registered tool is offered and runs`, async () => {
			const run = await runWithExtension(
				[{ toolCalls: [{ name: "hello", arguments: { name: "World" } }] }, { text: "greeted" }],
				["-p", "-e", copyExample(version, "hello.ts"), "say hello"],
			);
			expect(run.stderr).toBe("");
			expect(run.stdout).toBe("greeted\n");
			expect(offeredTools(run.server, 0)).toContain("hello");
			expect(toolResults(run.server)).toEqual(["Hello, World!"]);
		});
	}

	test("with-deps: the extension's own node_modules resolves through package.json exports", async () => {
		const extension = copyExample("1.6.0", "with-deps");
		installFakeMs(extension);
		const run = await runWithExtension(
			[{ toolCalls: [{ name: "parse_duration", arguments: { duration: "2 days" } }] }, { text: "parsed" }],
			["-p", "-e", extension, "how long is 2 days?"],
		);
		expect(run.stderr).toBe("");
		expect(toolResults(run.server)).toEqual(["2 days = 172800000 milliseconds"]);
	});

	test("permission-gate: without a UI a dangerous bash command is blocked and never runs", async () => {
		const run = await runWithExtension(
			[{ toolCalls: [{ name: "bash", arguments: { command: "rm -rf victim" } }] }, { text: "could not" }],
			["-p", "-e", copyExample("1.6.0", "permission-gate.ts"), "clean up"],
			{ prepare: (env) => mkdirSync(join(env.cwd, "victim")) },
		);
		expect(run.exitCode).toBe(0);
		expect(toolResults(run.server)).toEqual(["Dangerous command blocked (no UI for confirmation)"]);
		expect(existsSync(join(run.env.cwd, "victim"))).toBe(true);
	});

	test("bash-spawn-hook: createBashTool's spawnHook adjusts the command and env the tool runs", async () => {
		const run = await runWithExtension(
			[
				{ toolCalls: [{ name: "bash", arguments: { command: 'echo "$PI_SPAWN_HOOK $FROM_PROFILE"' } }] },
				{ text: "ran" },
			],
			["-p", "-e", copyExample("1.6.0", "bash-spawn-hook.ts"), "run it"],
			// The hook sources ~/.profile first.
			{ prepare: (env) => writeFileSync(join(env.env.HOME ?? "", ".profile"), "FROM_PROFILE=profile\n") },
		);
		expect(run.stderr).toBe("");
		expect(toolResults(run.server)).toEqual(["1 profile\n"]);
	});

	test("protected-paths: a write to .env is blocked with the extension's reason", async () => {
		const run = await runWithExtension(
			[{ toolCalls: [{ name: "write", arguments: { path: ".env", content: "SECRET=1" } }] }, { text: "ok" }],
			["-p", "-e", copyExample("1.6.0", "protected-paths.ts"), "write the env file"],
		);
		expect(toolResults(run.server)).toEqual(['Path ".env" is protected']);
		expect(existsSync(join(run.env.cwd, ".env"))).toBe(false);
	});

	test("pirate (0.73.1): a command toggles state that before_agent_start puts into the system prompt", async () => {
		const run = await runWithExtension(
			[{ text: "Arrr, ahoy!" }],
			["-p", "-e", copyExample("0.73.1", "pirate.ts"), "/pirate", "hello there"],
		);
		expect(run.stderr).toBe("");
		expect(run.stdout).toBe("Arrr, ahoy!\n");
		// The command ran locally: one model request, for the second message only.
		expect(run.server.requests).toHaveLength(1);
		expect(systemPrompt(run.server)).toContain("IMPORTANT: You are now in PIRATE MODE.");
	});

	test("tool-override (0.73.1): the extension's read replaces the built-in one and blocks secrets", async () => {
		const run = await runWithExtension(
			[
				{ toolCalls: [{ name: "read", arguments: { path: ".env" } }] },
				{ toolCalls: [{ name: "read", arguments: { path: "notes.txt" } }] },
				{ text: "done" },
			],
			["-p", "-e", copyExample("0.73.1", "tool-override.ts"), "read things"],
			{
				prepare: (env) => {
					writeFileSync(join(env.cwd, ".env"), "TOKEN=secret");
					writeFileSync(join(env.cwd, "notes.txt"), "line one\nline two");
				},
			},
		);
		expect(run.stderr).toBe("");
		const [blocked, allowed] = [toolResults(run.server, 1)[0], toolResults(run.server, 2)[1]];
		expect(blocked).toContain('Access denied: ".env" matches a blocked pattern');
		expect(allowed).toBe("line one\nline two");
		const log = readFileSync(join(run.env.agentDir, "read-access.log"), "utf-8");
		expect(log).toContain(`BLOCKED: ${resolve(run.env.cwd, ".env")}`);
		expect(log).toContain(`ALLOWED: ${resolve(run.env.cwd, "notes.txt")}`);
	});

	test("todo (1.6.0): a stateful tool keeps its list across calls", async () => {
		const run = await runWithExtension(
			[
				{ toolCalls: [{ name: "todo", arguments: { action: "add", text: "buy milk" } }] },
				{ toolCalls: [{ name: "todo", arguments: { action: "list" } }] },
				{ text: "listed" },
			],
			["-p", "-e", copyExample("1.6.0", "todo.ts"), "track my todos"],
		);
		expect(run.stderr).toBe("");
		expect(toolResults(run.server).at(-1)).toContain("buy milk");
	});

	test("input-transform: ?quick is rewritten before the model sees it, ping is answered locally", async () => {
		const run = await runWithExtension(
			[{ text: "brief" }],
			["-p", "-e", copyExample("1.6.0", "input-transform.ts"), "ping", "?quick what is pi"],
		);
		expect(run.stdout).toBe("brief\n");
		expect(run.server.requests).toHaveLength(1);
		const last = JSON.stringify(run.server.requests[0]?.body);
		expect(last).toContain("Respond briefly in 1-2 sentences: what is pi");
	});

	test("dynamic-tools: a tool registered in session_start is offered to the model", async () => {
		const run = await runWithExtension(
			[{ toolCalls: [{ name: "echo_session", arguments: { message: "hi" } }] }, { text: "echoed" }],
			["-p", "-e", copyExample("1.6.0", "dynamic-tools.ts"), "echo hi"],
		);
		expect(run.stderr).toBe("");
		expect(offeredTools(run.server, 0)).toContain("echo_session");
		expect(systemPrompt(run.server, 0)).toContain("Use echo_session when the user asks for exact echo output.");
		expect(toolResults(run.server)).toEqual(["[session] hi"]);
	});

	test("plan-mode: --plan (an extension flag) makes the agent read-only", async () => {
		const run = await runWithExtension(
			[{ toolCalls: [{ name: "bash", arguments: { command: "rm -f notes.txt" } }] }, { text: "planned" }],
			["-p", "-e", copyExample("1.6.0", "plan-mode"), "--plan", "make a plan"],
			{ prepare: (env) => writeFileSync(join(env.cwd, "notes.txt"), "keep me") },
		);
		expect(run.stderr).toBe("");
		expect(offeredTools(run.server, 0)).toEqual(["read", "bash", "grep", "find", "ls"]);
		expect(toolResults(run.server)[0]).toContain("Plan mode: command blocked");
		expect(existsSync(join(run.env.cwd, "notes.txt"))).toBe(true);
	});

	test("custom-provider-anthropic: a provider with its own stream function answers through its SDK", async () => {
		const extension = copyExample("1.6.0", "custom-provider-anthropic");
		// The example's one dependency, as `npm install` would provide it (our own copy of the SDK).
		mkdirSync(join(extension, "node_modules", "@anthropic-ai"), { recursive: true });
		const sdk = resolve(import.meta.dir, "../../node_modules/@anthropic-ai/sdk");
		Bun.spawnSync(["ln", "-s", sdk, join(extension, "node_modules", "@anthropic-ai", "sdk")]);
		const run = await runWithExtension(
			[{ text: "hello from the custom provider" }],
			["-p", "-e", extension, "--model", "custom-anthropic/claude-sonnet-4-5", "hi"],
			{
				extraEnv: { CUSTOM_ANTHROPIC_API_KEY: "sk-test-key" },
				prepare: (env) => {
					const modelsPath = join(env.agentDir, "models.json");
					const models = JSON.parse(readFileSync(modelsPath, "utf-8"));
					// models.json applies over the extension's provider: point it at the test server.
					models.providers["custom-anthropic"] = { baseUrl: serverUrlOf(env) };
					writeFileSync(modelsPath, JSON.stringify(models));
				},
			},
		);
		expect(run.stdout).toBe("hello from the custom provider\n");
		const request = run.server.requests[0];
		expect(request?.api).toBe("anthropic-messages");
		expect(JSON.stringify(request?.body)).toContain("You are a coding assistant running inside pi");
	});

	test("a broken extension is reported once with its place and the run goes on", async () => {
		const run = await runWithExtension([{ text: "still here" }], ["-p", "-e", "broken.ts", "hi"], {
			prepare: (env) =>
				writeFileSync(
					join(env.cwd, "broken.ts"),
					'export default function (pi) {\n\tconst x = 1;\n\tthrow new Error("factory exploded");\n}\n',
				),
		});
		expect(run.stdout).toBe("still here\n");
		expect(run.stderr).toContain("factory exploded");
		expect(run.stderr).toContain("broken.ts:3");
		expect(run.stderr.match(/factory exploded/g)).toHaveLength(1);
	});

	test("a handler that throws is reported on stderr and the run still answers", async () => {
		const run = await runWithExtension([{ text: "fine" }], ["-p", "-e", "throws.ts", "hi"], {
			prepare: (env) =>
				writeFileSync(
					join(env.cwd, "throws.ts"),
					'export default function (pi) {\n\tpi.on("agent_start", () => {\n\t\tthrow new Error("handler broke");\n\t});\n}\n',
				),
		});
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("fine\n");
		expect(run.stderr).toContain("Extension error (throws.ts): handler broke");
	});

	test("an unknown flag is still an error when no extension claims it", async () => {
		const run = await runWithExtension([], ["-p", "-e", copyExample("1.6.0", "hello.ts"), "--no-such-flag", "hi"]);
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("Unknown option: --no-such-flag");
	});
});

/** The test server's base URL for an anthropic-messages provider (its env has it in models.json). */
function serverUrlOf(env: { agentDir: string }): string {
	const models = JSON.parse(readFileSync(join(env.agentDir, "models.json"), "utf-8"));
	return String(models.providers.test.baseUrl).replace(/\/v1$/, "");
}
