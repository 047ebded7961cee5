/**
 * `pi --help` against pi 0.73.1's (recorded in test/fixtures/compat/cli-073/help.json; moving to pi 1.6.0's with
 * the rest of its CLI, issue 14), plus the flags pi 1.6.0 added that we already have: the same sections in the
 * same order, the same options with the same spellings, the same environment variables, the same examples.
 * Where this binary differs on purpose (no extensions, no package commands, its own debug log) it says so below.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { helpText } from "../../src/cli/help.ts";

const pi = v.parse(
	v.object({ stdout: v.string(), stderr: v.string() }),
	JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/compat/cli-073/help.json"), "utf8")),
);
const theirs = pi.stdout + pi.stderr;
/** pi 1.6.0's flags that 0.73.1's help lacks. */
const ADDED_SINCE_073 = /^ {2}--exclude-tools, -xt <tools>.*\n/m;
const ours = helpText().replace(ADDED_SINCE_073, "");

/** Lines of one section: from its header to the next blank-line-separated header. */
function section(text: string, header: string): string[] {
	const lines = text.split("\n");
	const start = lines.indexOf(`${header}:`);
	if (start < 0) return [];
	const out: string[] = [];
	for (const line of lines.slice(start + 1)) {
		if (/^\S.*:$/.test(line)) break;
		out.push(line);
	}
	while (out.at(-1) === "") out.pop();
	return out;
}

const optionName = (line: string) => line.match(/^ {2}(--[a-z-]+(?:, -[a-z]+)?(?: <[^>]+>| \[search\])?)/)?.[1];
const envName = (line: string) => line.match(/^ {2}([A-Z_]+)\s+-/)?.[1];

test("the same sections, in order, apart from pi's package commands", () => {
	const headers = (text: string) => text.split("\n").filter((line) => /^[A-Z][A-Za-z -]*:$/.test(line));
	expect(headers(ours)).toEqual(headers(theirs).filter((header) => header !== "Commands:"));
	expect(ours.split("\n")[0]).toBe(theirs.split("\n")[0]);
	expect(section(ours, "Usage")).toEqual(section(theirs, "Usage"));
});

test("every option pi has, spelled the same and described the same (except extension and our own notes)", () => {
	// --thinking: pi 1.6.0 lists the level max, which this fixture of 0.73.1 predates.
	const own = new Set([
		"--provider <name>",
		"--extension, -e <path>",
		"--no-extensions, -ne",
		"--verbose",
		"--thinking <level>",
	]);
	// pi 1.6.0's trust, MCP and --tui-mode flags; the recorded help is 0.73.1's, which has none of them.
	const newer = new Set([
		"--approve, -a",
		"--no-approve, -na",
		"--exclude-tools, -xt <tools>",
		"--no-mcp",
		"--tui-mode <mode>",
		"--session-id <id>",
		"--name, -n <name>",
		"--use-theme <name[/name]>",
	]);
	const mine = section(ours, "Options").filter((line) => !newer.has(optionName(line) ?? ""));
	const pis = section(theirs, "Options").filter((line) => line !== "" && !line.startsWith("Extensions can register"));
	expect(mine.map(optionName).filter(Boolean)).toEqual(pis.map(optionName).filter(Boolean));
	const described = (lines: string[]) => lines.filter((line) => !own.has(optionName(line) ?? ""));
	expect(described(mine)).toEqual(described(pis));
});

test("the same examples and built-in tool list", () => {
	expect(section(ours, "Examples")).toEqual(section(theirs, "Examples"));
	expect(section(ours, "Built-in Tool Names")).toEqual(section(theirs, "Built-in Tool Names"));
});

test("pi 1.6.0's provider variables; pi's own variables less telemetry and /share, plus PI_DEBUG", () => {
	const pi16 = v.parse(
		v.object({ stdout: v.string(), stderr: v.string() }),
		JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/compat/cli/help.json"), "utf8")),
	);
	const variables = (text: string, own: boolean) =>
		section(text, "Environment Variables").filter((line) => (envName(line) ?? "").startsWith("PI_") === own);
	// The providers and their variables are pi 1.6.0's (src/auth/env-api-keys.ts has the same list).
	expect(variables(ours, false)).toEqual(variables(pi16.stdout + pi16.stderr, false));
	const pis = variables(theirs, true).filter(
		(line) => !["PI_TELEMETRY", "PI_SHARE_VIEWER_URL"].includes(envName(line) ?? ""),
	);
	expect(variables(ours, true).filter((line) => envName(line) !== "PI_DEBUG")).toEqual(pis);
});
