// mcp.json: validation, naming, merging user and project files, and edits that keep the rest of the file.
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToolFilter } from "../../src/agent/session/tool-set.ts";
import { toolExposure, validateServerConfig } from "../../src/mcp/config.ts";
import {
	addServerToFile,
	loadMcpConfig,
	patchServerInFile,
	removeServerFromFile,
	userMcpFile,
} from "../../src/mcp/config-file.ts";
import { resolveMcpValue } from "../../src/mcp/config-values.ts";
import { assignToolNames, mcpNamespace, mcpToolName, serverSummary } from "../../src/mcp/naming.ts";

function error(name: string, raw: unknown): string {
	const result = validateServerConfig(name, raw);
	return result.ok ? "" : result.error;
}

describe("validation", () => {
	test("stdio and http entries; type is optional", () => {
		expect(validateServerConfig("fs", { command: "npx", args: ["-y", "x"] }).ok).toBe(true);
		expect(validateServerConfig("web", { url: "https://example.com/mcp", type: "streamable-http" }).ok).toBe(true);
		expect(validateServerConfig("web", { type: "http", url: "http://127.0.0.1:1/mcp" }).ok).toBe(true);
	});

	test("bad entries say what is wrong, naming the server", () => {
		expect(error("a b", { command: "x" })).toBe('invalid server name "a b" (use letters, digits, "_" and "-")');
		expect(error("s", "npx")).toBe('server "s" must be an object');
		expect(error("s", { url: "https://x/sse", type: "sse" })).toBe(
			'server "s": legacy SSE transport is not supported; use the streamable HTTP URL',
		);
		expect(error("s", {})).toBe('server "s" needs either "command" (stdio) or "url" (streamable HTTP)');
		expect(error("s", { command: "x", args: "a b" })).toBe('server "s": args must be an array of strings');
		expect(error("s", { url: "ftp://x" })).toBe('server "s": url must be an http or https URL');
		expect(error("s", { command: "x", timeout: -1 })).toBe('server "s": timeout must be a positive number of seconds');
		expect(error("s", { command: "x", exposure: "loud" })).toContain("exposure must be one of");
		expect(error("s", { command: "x", toolExposure: { a: "x" } })).toContain('toolExposure "a" must be one of');
		expect(error("s", { url: "https://x", oauth: { callbackUrl: "https://evil.example/cb" } })).toContain(
			"oauth.callbackUrl must be an http URI on localhost",
		);
		expect(error("s", { url: "https://x", oauth: { clientRegistration: "cimd", clientId: "a" } })).toContain(
			"cannot be combined",
		);
	});

	test("codemode-deferred is an alias of codemode; toolExposure: exact names win, then the first pattern", () => {
		const result = validateServerConfig("s", {
			command: "x",
			exposure: "codemode-deferred",
			toolExposure: { "get_*": "direct", get_secret: "hidden", "*": "deferred" },
		});
		if (!result.ok) throw new Error(result.error);
		expect(result.config.exposure).toBe("codemode");
		expect(toolExposure(result.config, "get_secret")).toBe("hidden");
		expect(toolExposure(result.config, "get_file")).toBe("direct");
		expect(toolExposure(result.config, "put")).toBe("deferred");
	});
});

describe("naming", () => {
	test("mcp__<server>__<tool> with everything else as _", () => {
		expect(mcpToolName("dev-radius", "search.files")).toBe("mcp__dev_radius__search_files");
		expect(mcpNamespace("dev-radius")).toBe("mcp__dev_radius");
	});

	test("colliding and long names all get a hash suffix, independent of order", () => {
		const names = assignToolNames("s", ["a-b", "a_b", "c"]);
		const reversed = assignToolNames("s", ["a_b", "a-b", "c"]);
		expect(names.get("c")).toBe("mcp__s__c");
		expect(names.get("a-b")).toMatch(/^mcp__s__a_b_[0-9a-f]{8}$/);
		expect(names.get("a_b")).toMatch(/^mcp__s__a_b_[0-9a-f]{8}$/);
		expect(names.get("a-b")).not.toBe(names.get("a_b"));
		expect(reversed.get("a-b")).toBe(names.get("a-b"));
		const long = mcpToolName("server", "x".repeat(80));
		expect(long.length).toBe(64);
	});

	test("a summary is the first line of the description, else of the instructions", () => {
		expect(serverSummary(" Docs\nmore", "ignored")).toBe("Docs");
		expect(serverSummary(undefined, "\n Use me\nlater")).toBe("Use me");
	});
});

describe("values", () => {
	test("$NAME in braces or bare, $$, and !command", () => {
		expect(resolveMcpValue(`Bearer $${"{T}"}`, "x", { T: "tok" })).toBe("Bearer tok");
		expect(resolveMcpValue("$A-$$-$!", "x", { A: "1" })).toBe("1-$-!");
		expect(resolveMcpValue("!echo from-shell", "x")).toBe("from-shell");
		// No bare-name lookup here (models.json keeps 0.73.1's): "HOME" is the text HOME, as in pi 1.6.0.
		expect(resolveMcpValue("HOME", "x")).toBe("HOME");
		expect(() => resolveMcpValue(`$${"{MISSING_ONE}"}`, 'MCP server "s" env "K"', {})).toThrow(
			'Failed to resolve MCP server "s" env "K" from environment variable: MISSING_ONE',
		);
	});
});

describe("files", () => {
	function project(): string {
		const cwd = mkdtempSync(join(tmpdir(), "pi-mcp-project-"));
		mkdirSync(join(cwd, ".pi"));
		return cwd;
	}

	test("project entries replace user ones; overrides change only enabled/exposure; untrusted projects are ignored", () => {
		mkdirSync(join(process.env.PI_CODING_AGENT_DIR ?? "", ""), { recursive: true });
		writeFileSync(
			userMcpFile(),
			JSON.stringify({
				mcpServers: { a: { command: "a", env: { K: "v" } }, b: { command: "b" } },
				autoEnableCodemode: false,
			}),
		);
		const cwd = project();
		writeFileSync(
			join(cwd, ".pi", "mcp.json"),
			JSON.stringify({
				mcpServers: { a: { enabled: false, exposure: "direct" }, b: { url: "https://b" }, c: { enabled: false } },
			}),
		);
		const untrusted = loadMcpConfig({ cwd, projectTrusted: false });
		expect(untrusted.servers.map((server) => server.name)).toEqual(["a", "b"]);
		expect(untrusted.autoEnableCodemode).toBe(false);
		const trusted = loadMcpConfig({ cwd, projectTrusted: true });
		const a = trusted.servers.find((server) => server.name === "a");
		expect(a?.config).toMatchObject({ command: "a", env: { K: "v" }, enabled: false, exposure: "direct" });
		expect(a?.override).toBe(join(cwd, ".pi", "mcp.json"));
		expect(trusted.servers.find((server) => server.name === "b")?.scope).toBe("project");
		expect(trusted.errors).toEqual([
			`${join(cwd, ".pi", "mcp.json")}: server "c" needs "command" or "url", or a user-level server to override`,
		]);
	});

	test("names that differ only in - and _ clash; invalid JSON is reported, not thrown", () => {
		writeFileSync(
			userMcpFile(),
			JSON.stringify({ mcpServers: { "my-srv": { command: "a" }, my_srv: { command: "b" } } }),
		);
		const loaded = loadMcpConfig({ cwd: project(), projectTrusted: false });
		expect(loaded.servers.map((server) => server.name)).toEqual(["my-srv"]);
		expect(loaded.errors[0]).toContain('server "my_srv" conflicts with "my-srv"');
		writeFileSync(userMcpFile(), "{ nope");
		expect(loadMcpConfig({ cwd: project(), projectTrusted: false }).errors[0]).toContain(userMcpFile());
	});

	test("edits keep other content and the indentation", () => {
		const path = join(mkdtempSync(join(tmpdir(), "pi-mcp-edit-")), "mcp.json");
		writeFileSync(path, `{\n    "other": 1,\n    "mcpServers": {\n        "keep": { "command": "k" }\n    }\n}\n`);
		expect(addServerToFile(path, "new", { command: "n" })).toBe(false);
		patchServerInFile(path, "keep", { enabled: false, exposure: "direct" });
		patchServerInFile(path, "keep", { exposure: "codemode" });
		const text = readFileSync(path, "utf8");
		expect(text).toContain('\n    "other": 1,');
		expect(JSON.parse(text)).toEqual({
			other: 1,
			mcpServers: { keep: { command: "k", enabled: false }, new: { command: "n" } },
		});
		expect(removeServerFromFile(path, "new")).toBe(true);
		expect(removeServerFromFile(path, "new")).toBe(false);
		writeFileSync(path, "{ broken");
		expect(() => addServerToFile(path, "x", { command: "x" })).toThrow("is not valid JSON");
		expect(readFileSync(path, "utf8")).toBe("{ broken");
	});
});

describe("--tools and --exclude-tools", () => {
	test("MCP tools stay unless an entry starts with mcp__; excludes apply last", () => {
		const plain = createToolFilter(["read", "codemode"], undefined);
		expect(plain.isAllowed("mcp__a__b")).toBe(true);
		expect(plain.isNamed("mcp__a__b")).toBe(false);
		expect(plain.isAllowed("bash")).toBe(false);
		const scoped = createToolFilter(["read", "mcp__radius__*"], ["mcp__radius__delete"]);
		expect(scoped.isAllowed("mcp__radius__get")).toBe(true);
		expect(scoped.isNamed("mcp__radius__get")).toBe(true);
		expect(scoped.isAllowed("mcp__other__get")).toBe(false);
		expect(scoped.isAllowed("list_mcp_resources")).toBe(false);
		expect(scoped.isAllowed("mcp__radius__delete")).toBe(false);
	});
});
