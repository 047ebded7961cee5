import { describe, expect, test } from "bun:test";
import { parseArgs } from "../../src/cli/args.ts";

describe("parseArgs", () => {
	test("value flags, repeatable flags and lists", () => {
		const args = parseArgs([
			"--provider",
			"openai",
			"--model",
			"gpt-4o:high",
			"--append-system-prompt",
			"a",
			"--append-system-prompt",
			"b",
			"--tools",
			"read, grep,,ls",
			"--models",
			"sonnet,haiku",
			"--session-dir",
			"/tmp/s",
		]);
		expect(args.provider).toBe("openai");
		expect(args.model).toBe("gpt-4o:high");
		expect(args.appendSystemPrompt).toEqual(["a", "b"]);
		expect(args.tools).toEqual(["read", "grep", "ls"]);
		expect(args.models).toEqual(["sonnet", "haiku"]);
		expect(args.sessionDir).toBe("/tmp/s");
		expect(args.diagnostics).toEqual([]);
	});

	test("-p takes the next argument as a message unless it is a flag or @file", () => {
		expect(parseArgs(["-p", "hello", "world"]).messages).toEqual(["hello", "world"]);
		const withFlag = parseArgs(["-p", "--no-session", "hi"]);
		expect(withFlag.print).toBe(true);
		expect(withFlag.noSession).toBe(true);
		expect(withFlag.messages).toEqual(["hi"]);
		const withFile = parseArgs(["-p", "@a.md", "go"]);
		expect(withFile.fileArgs).toEqual(["a.md"]);
		expect(withFile.messages).toEqual(["go"]);
	});

	test("--list-models takes an optional search term", () => {
		expect(parseArgs(["--list-models"]).listModels).toBe(true);
		expect(parseArgs(["--list-models", "sonnet"]).listModels).toBe("sonnet");
		expect(parseArgs(["--list-models", "--verbose"]).listModels).toBe(true);
	});

	test("short aliases, including pi's two-letter ones", () => {
		const args = parseArgs(["-c", "-nt", "-nc", "-h", "-v", "-r"]);
		expect(args.continue).toBe(true);
		expect(args.noTools).toBe(true);
		expect(args.noContextFiles).toBe(true);
		expect(args.help).toBe(true);
		expect(args.version).toBe(true);
		expect(args.resume).toBe(true);
	});

	test("the second pass knows extension flags: a boolean takes no value, a string takes the next argument", () => {
		const types = new Map<string, "boolean" | "string">([
			["plan", "boolean"],
			["ssh", "string"],
		]);
		const args = parseArgs(["--plan", "hello", "--ssh", "host:/dir", "--other", "--ssh=b"], types);
		expect([...args.extensionFlagValues]).toEqual([
			["plan", true],
			["ssh", "b"],
		]);
		expect(args.messages).toEqual(["hello"]);
		expect(args.unknownFlags).toEqual(["--other"]);
		expect(parseArgs(["--ssh"], types).diagnostics).toEqual([
			{ type: "error", message: 'Extension flag "--ssh" requires a value' },
		]);
	});

	test("--flag=value form", () => {
		expect(parseArgs(["--model=sonnet"]).model).toBe("sonnet");
	});

	test("unknown long flags wait for extensions, unknown short ones are errors, bad thinking levels warnings", () => {
		const args = parseArgs(["--frobnicate", "-x", "--thinking", "extreme"]);
		expect(args.unknownFlags).toEqual(["--frobnicate"]);
		expect(args.diagnostics).toEqual([
			{ type: "error", message: "Unknown option: -x" },
			{
				type: "warning",
				message: 'Invalid thinking level "extreme". Valid values: off, minimal, low, medium, high, xhigh, max',
			},
		]);
		expect(args.thinking).toBeUndefined();
	});

	test("an unknown or missing --mode value is an error (pi 1.6.0)", () => {
		expect(parseArgs(["--mode", "json"]).mode).toBe("json");
		const args = parseArgs(["--mode", "xml"]);
		expect(args.mode).toBeUndefined();
		expect(args.diagnostics).toEqual([{ type: "error", message: 'Invalid mode "xml". Valid values: text, json, rpc' }]);
		// A flag after --mode is not its value.
		const missing = parseArgs(["--mode", "-p", "hi"]);
		expect(missing.diagnostics).toEqual([{ type: "error", message: "--mode requires text, json, or rpc" }]);
		expect(missing.print).toBe(true);
		expect(missing.messages).toEqual(["hi"]);
	});

	test("pi 1.6.0's flags: --session-id, --name/-n, --use-theme, -xt, -nbt, and -- ends the options", () => {
		const args = parseArgs(["--session-id", "my-id", "-n", "Refactor", "--use-theme", "light", "-xt", "bash", "-nbt"]);
		expect(args.sessionId).toBe("my-id");
		expect(args.name).toBe("Refactor");
		expect(args.useTheme).toBe("light");
		expect(args.excludeTools).toEqual(["bash"]);
		expect(args.noBuiltinTools).toBe(true);
		expect(parseArgs(["--name"]).diagnostics).toEqual([{ type: "error", message: "--name requires a value" }]);
		expect(parseArgs(["--use-theme", "--verbose"]).diagnostics).toEqual([
			{ type: "error", message: "--use-theme requires a theme name" },
		]);
		const rest = parseArgs(["-p", "--", "- a dash", "@f.md", "--model"]);
		expect(rest.messages).toEqual(["- a dash", "--model"]);
		expect(rest.fileArgs).toEqual(["f.md"]);
		expect(rest.diagnostics).toEqual([]);
		// The last --exclude-tools counts; a bad --tools entry is reported under the spelling used.
		expect(parseArgs(["--exclude-tools", "a", "--exclude-tools", "b"]).excludeTools).toEqual(["b"]);
		expect(parseArgs(["-t", "+read,grep"]).diagnostics[0]?.message).toStartWith("-t: ");
	});

	test("a value flag at the end of argv is an unknown option, as in pi", () => {
		const args = parseArgs(["hello", "--model"]);
		expect(args.model).toBeUndefined();
		expect(args.messages).toEqual(["hello"]);
		expect(args.diagnostics).toEqual([{ type: "error", message: "Unknown option: --model" }]);
		expect(parseArgs(["-t"]).diagnostics).toEqual([{ type: "error", message: "Unknown option: -t" }]);
		expect(parseArgs(["-"]).diagnostics).toEqual([{ type: "error", message: "Unknown option: -" }]);
	});
});
