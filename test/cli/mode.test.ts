/** Which mode a command line runs in: pi 1.6.0's rule (docs/cli.md), stream by stream. */
import { describe, expect, test } from "bun:test";
import { resolveMode } from "../../src/cli/mode.ts";

const both = { stdin: true, stdout: true };

describe("resolveMode", () => {
	test("terminals on both streams: interactive unless -p; --mode text alone stays interactive", () => {
		expect(resolveMode({}, both)).toBe("interactive");
		expect(resolveMode({ mode: "text" }, both)).toBe("interactive");
		expect(resolveMode({ print: true }, both)).toBe("text");
	});

	test("stdin or stdout not a terminal: print mode", () => {
		expect(resolveMode({}, { stdin: false, stdout: true })).toBe("text");
		expect(resolveMode({}, { stdin: true, stdout: false })).toBe("text");
		expect(resolveMode({ mode: "text" }, { stdin: false, stdout: false })).toBe("text");
	});

	test("--mode json and --mode rpc are unchanged by the terminals", () => {
		for (const terminals of [both, { stdin: false, stdout: false }]) {
			expect(resolveMode({ mode: "json" }, terminals)).toBe("json");
			expect(resolveMode({ mode: "rpc", print: true }, terminals)).toBe("rpc");
		}
	});
});
