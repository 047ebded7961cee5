/** Importing extension files: errors name the file and line, /reload reads edited code again, tools validate. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseToolDefinition } from "../../src/extensions/api.ts";
import type { ExtensionSource } from "../../src/extensions/discovery.ts";
import { forgetImportedExtensions, importExtensions, instantiateExtensions } from "../../src/extensions/loader.ts";
import { ExtensionRuntime } from "../../src/extensions/runtime.ts";
import { validateToolArguments } from "../../src/extensions/tool-validation.ts";

function source(path: string): ExtensionSource {
	return { path, resolvedPath: path, sourceInfo: { path, source: "cli", scope: "temporary", origin: "top-level" } };
}

function files(contents: Record<string, string>): Record<string, string> {
	const dir = mkdtempSync(join(tmpdir(), "pi-ext-loader-"));
	const paths: Record<string, string> = {};
	for (const [name, content] of Object.entries(contents)) {
		paths[name] = join(dir, name);
		writeFileSync(join(dir, name), content);
	}
	return paths;
}

describe("extension loading", () => {
	test("a syntax error, a missing factory and a throwing factory are each reported with where", async () => {
		const paths = files({
			"syntax.ts": "export default function (pi) {\n\tconst x = ;\n}\n",
			// Two syntax errors come as one AggregateError ("2 errors building …"): the first is shown, with where.
			"syntax2.ts": "export default function (pi) {\n  this is not valid\n}\n",
			"nofactory.ts": "export const x = 1;\n",
			"throws.ts": 'export default function (pi) {\n\tpi.on("x", () => {});\n\tthrow new Error("no thanks");\n}\n',
			"good.ts": 'export default function (pi) {\n\tpi.registerCommand("hi", { handler: async () => {} });\n}\n',
		});
		const imported = await importExtensions(
			[paths["syntax.ts"], paths["syntax2.ts"], paths["nofactory.ts"], paths["throws.ts"], paths["good.ts"]].map((p) =>
				source(p ?? ""),
			),
		);
		expect(imported.failures.map((failure) => failure.error)).toEqual([
			`Failed to load extension: Unexpected ; (at ${paths["syntax.ts"]}:2:12)`,
			`Failed to load extension: Expected ";" but found "is" (at ${paths["syntax2.ts"]}:2:8; 1 more error)`,
			`Extension does not export a valid factory function: ${paths["nofactory.ts"]}`,
		]);
		const runtime = new ExtensionRuntime();
		const instantiated = await instantiateExtensions(imported.modules, runtime, tmpdir());
		expect(instantiated.failures).toHaveLength(1);
		expect(instantiated.failures[0]?.error).toStartWith(
			`Failed to load extension: no thanks (at ${paths["throws.ts"]}:3:`,
		);
		// Only the good one is left, and the failed one registered nothing.
		expect(instantiated.extensions.map((extension) => [...extension.commands.keys()])).toEqual([["hi"]]);
	});

	test("after forgetting the imports, an edited file and its helpers are read again", async () => {
		const paths = files({
			"helper.ts": "export const word = 'first';\n",
			"main.ts":
				"import { word } from './helper.ts';\nexport default (pi) => pi.registerCommand(word, { handler: async () => {} });\n",
		});
		const load = async () => {
			const { modules } = await importExtensions([source(paths["main.ts"] ?? "")]);
			const { extensions } = await instantiateExtensions(modules, new ExtensionRuntime(), tmpdir());
			return [...(extensions[0]?.commands.keys() ?? [])];
		};
		expect(await load()).toEqual(["first"]);
		writeFileSync(paths["helper.ts"] ?? "", "export const word = 'second';\n");
		expect(await load()).toEqual(["first"]);
		forgetImportedExtensions();
		expect(await load()).toEqual(["second"]);
	});

	test("a factory calling an action method while loading gets pi's message", async () => {
		const paths = files({ "early.ts": 'export default (pi) => pi.sendMessage({ customType: "x", content: "hi" });\n' });
		const { modules } = await importExtensions([source(paths["early.ts"] ?? "")]);
		const { failures } = await instantiateExtensions(modules, new ExtensionRuntime(), tmpdir());
		expect(failures[0]?.error).toContain(
			"Extension runtime not initialized. Action methods cannot be called during extension loading.",
		);
	});

	test("tool arguments: TypeBox or plain JSON Schema, converted like pi, errors in pi's words", async () => {
		const { Type } = await import("typebox");
		const tool = parseToolDefinition(
			{
				name: "t",
				parameters: Type.Object({
					count: Type.Number(),
					flag: Type.Optional(Type.Boolean()),
					tags: Type.Array(Type.String()),
				}),
				execute: async () => ({ content: [] }),
			},
			"test.ts",
		);
		expect(validateToolArguments("t", tool.parameters, { count: "3", flag: "true", tags: "one" })).toEqual({
			count: 3,
			flag: true,
			tags: ["one"],
		});
		const plain = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
		expect(() => validateToolArguments("greet", plain, {})).toThrow(
			'Validation failed for tool "greet":\n  - name: must have required properties name\n\nReceived arguments:\n{}',
		);
	});
});
