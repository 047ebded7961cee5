import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
	clearConfigValueCache,
	resolveConfigValue,
	resolveConfigValueOrThrow,
	resolveConfigValueUncached,
	resolveHeaders,
} from "../../../src/auth/resolve-config-value.ts";
import { sandbox } from "./helpers.ts";

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
	box = sandbox();
	clearConfigValueCache();
});
afterEach(() => {
	delete process.env.PI_TEST_CONFIG_VALUE;
	box.cleanup();
});

test("an environment variable name resolves to its value; anything else is literal", () => {
	process.env.PI_TEST_CONFIG_VALUE = "from-env";
	expect(resolveConfigValue("PI_TEST_CONFIG_VALUE")).toBe("from-env");
	expect(resolveConfigValue("sk-literal")).toBe("sk-literal");
	process.env.PI_TEST_CONFIG_VALUE = "";
	expect(resolveConfigValue("PI_TEST_CONFIG_VALUE")).toBe("PI_TEST_CONFIG_VALUE");
});

test("!command output is trimmed and cached for the process; the uncached variant reruns", () => {
	const counter = join(box.dir, "runs");
	const command = `!echo run >> ${counter}; echo '  the-key  '`;
	expect(resolveConfigValue(command)).toBe("the-key");
	expect(resolveConfigValue(command)).toBe("the-key");
	expect(readFileSync(counter, "utf-8")).toBe("run\n");
	expect(resolveConfigValueUncached(command)).toBe("the-key");
	expect(readFileSync(counter, "utf-8")).toBe("run\nrun\n");
});

test("failing or silent commands resolve to undefined", () => {
	expect(resolveConfigValue("!false")).toBeUndefined();
	expect(resolveConfigValue("!true")).toBeUndefined();
	expect(() => resolveConfigValueOrThrow("!false", 'API key for provider "x"')).toThrow(
		'Failed to resolve API key for provider "x" from shell command: false',
	);
	expect(resolveConfigValueOrThrow("plain", "thing")).toBe("plain");
});

test("headers resolve each value and drop the empty ones", () => {
	process.env.PI_TEST_CONFIG_VALUE = "env-header";
	expect(resolveHeaders({ A: "PI_TEST_CONFIG_VALUE", B: "literal", C: "!true" })).toEqual({
		A: "env-header",
		B: "literal",
	});
	expect(resolveHeaders({ C: "!true" })).toBeUndefined();
	expect(resolveHeaders(undefined)).toBeUndefined();
});
