// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is pi's config value syntax, not a JS template
import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
	clearConfigValueCache,
	isConfigValueConfigured,
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
	delete process.env.PI_TEST_CONFIG_OTHER;
	box.cleanup();
});

test("an environment variable name resolves to its value; anything else is literal", () => {
	process.env.PI_TEST_CONFIG_VALUE = "from-env";
	expect(resolveConfigValue("PI_TEST_CONFIG_VALUE")).toBe("from-env");
	expect(resolveConfigValue("sk-literal")).toBe("sk-literal");
	process.env.PI_TEST_CONFIG_VALUE = "";
	expect(resolveConfigValue("PI_TEST_CONFIG_VALUE")).toBe("PI_TEST_CONFIG_VALUE");
});

test("pi 1.6.0 syntax: $NAME and ${NAME} interpolate anywhere, $$ and $! escape, an unset name does not resolve", () => {
	process.env.PI_TEST_CONFIG_VALUE = "abc";
	expect(resolveConfigValue("Bearer ${PI_TEST_CONFIG_VALUE}-x")).toBe("Bearer abc-x");
	expect(resolveConfigValue("$PI_TEST_CONFIG_VALUE")).toBe("abc");
	expect(resolveConfigValue("pre$PI_TEST_CONFIG_VALUE.post")).toBe("preabc.post");
	expect(resolveConfigValue("cost $$5 $!bang")).toBe("cost $5 !bang");
	expect(resolveConfigValue("a $ b ${not valid} ${unclosed")).toBe("a $ b ${not valid} ${unclosed");
	expect(resolveConfigValue("$PI_TEST_CONFIG_OTHER")).toBeUndefined();
	expect(isConfigValueConfigured("$PI_TEST_CONFIG_OTHER")).toBe(false);
	expect(isConfigValueConfigured("$PI_TEST_CONFIG_VALUE")).toBe(true);
	expect(isConfigValueConfigured("!anything")).toBe(true);
	// A provider's stored env wins over the process environment.
	expect(resolveConfigValue("$PI_TEST_CONFIG_VALUE", { PI_TEST_CONFIG_VALUE: "stored" })).toBe("stored");
	expect(() => resolveConfigValueOrThrow("$PI_TEST_CONFIG_OTHER", 'API key for provider "x"')).toThrow(
		'Failed to resolve API key for provider "x" from environment variable: PI_TEST_CONFIG_OTHER',
	);
	expect(() => resolveConfigValueOrThrow("$PI_TEST_CONFIG_OTHER:$PI_TEST_MISSING_TOO", "key")).toThrow(
		"Failed to resolve key from environment variables: PI_TEST_CONFIG_OTHER, PI_TEST_MISSING_TOO",
	);
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
