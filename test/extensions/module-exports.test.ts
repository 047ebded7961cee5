/**
 * Every name pi's published packages export exists in the modules the binary provides to extensions
 * (src/extensions/modules), so an extension that imports one loads; a name we do not implement throws a clear
 * error when called, never at import. Compared with the npm packages of pi 0.73.1 and 1.6.0 when they are installed
 * (CI), and with the committed name lists always.
 */
import { describe, expect, test } from "bun:test";
import { loadProvidedModule, PROVIDED_MODULES } from "../../src/extensions/modules/register.ts";
import { UnsupportedExtensionApiError } from "../../src/extensions/modules/stubs.ts";
import { UPSTREAM_NAMES } from "../../src/extensions/modules/upstream-names.ts";
import { moduleExportNames, referenceRoot, UPSTREAM_MODULES } from "./upstream-packages.ts";

/** Our module that answers `specifier` (both scopes, root and /compat share one). */
function ourSpecifier(moduleId: string, scope: string): string {
	return `${scope}/${moduleId}`;
}

describe("modules provided to extensions", () => {
	test("every specifier pi maps is provided, in both scopes, and typebox under both names", () => {
		for (const scope of ["@earendil-works", "@mariozechner"]) {
			for (const id of Object.keys(UPSTREAM_NAMES)) expect(PROVIDED_MODULES).toContain(ourSpecifier(id, scope));
			expect(PROVIDED_MODULES).toContain(`${scope}/pi-ai/compat`);
		}
		for (const name of [
			"typebox",
			"typebox/compile",
			"typebox/value",
			"@sinclair/typebox",
			"@sinclair/typebox/value",
		]) {
			expect(PROVIDED_MODULES).toContain(name);
		}
	});

	for (const [id, names] of Object.entries(UPSTREAM_NAMES)) {
		test(`${id}: every upstream name is exported`, async () => {
			const exported = await loadProvidedModule(ourSpecifier(id, "@earendil-works"));
			const missing = names.filter((name) => !(name in exported));
			expect(missing).toEqual([]);
			// The old scope is the very same module.
			expect(await loadProvidedModule(ourSpecifier(id, "@mariozechner"))).toBe(exported);
		});
	}

	test("an unsupported name fails only when used, saying what and where", async () => {
		const codingAgent = await loadProvidedModule("@earendil-works/pi-coding-agent");
		const Unsupported = codingAgent.InteractiveMode;
		expect(typeof Unsupported).toBe("function");
		if (typeof Unsupported !== "function") return;
		expect(() => Reflect.construct(Unsupported, [])).toThrow(UnsupportedExtensionApiError);
		expect(() => Reflect.construct(Unsupported, [])).toThrow(
			"InteractiveMode from pi's pi-coding-agent package is not supported by this pi binary yet",
		);
		// A subclass can still be declared (extensions do this at module load).
		expect(() => class Sub extends (Unsupported as new () => object) {}).not.toThrow();
	});

	test("helpers extensions use are real: guards, truncation, StringEnum, Key", async () => {
		const codingAgent = await loadProvidedModule("@earendil-works/pi-coding-agent");
		const isToolCallEventType = codingAgent.isToolCallEventType;
		if (typeof isToolCallEventType !== "function") throw new Error("missing isToolCallEventType");
		expect(isToolCallEventType("bash", { toolName: "bash", input: {} })).toBe(true);
		expect(codingAgent.DEFAULT_MAX_BYTES).toBe(50 * 1024);
		expect(codingAgent.CONFIG_DIR_NAME).toBe(".pi");
		const piAi = await loadProvidedModule("@earendil-works/pi-ai");
		const StringEnum = piAi.StringEnum;
		if (typeof StringEnum !== "function") throw new Error("missing StringEnum");
		expect(JSON.parse(JSON.stringify(StringEnum(["a", "b"], { description: "d" })))).toEqual({
			type: "string",
			enum: ["a", "b"],
			description: "d",
		});
		const tui = await loadProvidedModule("@earendil-works/pi-tui");
		const Key = tui.Key as Record<string, unknown>;
		expect(Key.enter).toBe("enter");
		expect(typeof Key.ctrl === "function" && Key.ctrl("c")).toBe("ctrl+c");
		const matchesKey = tui.matchesKey;
		if (typeof matchesKey !== "function") throw new Error("missing matchesKey");
		expect(matchesKey("\x03", "ctrl+c")).toBe(true);
	});
});

const references = { "1.6.0": referenceRoot("1.6.0"), "0.73.1": referenceRoot("0.73.1") };
if (!references["1.6.0"] || !references["0.73.1"]) {
	console.warn("export lists not compared with npm: PI_REF_160_DIR / PI_REF_073_DIR unset (bash .ci/run sets them)");
}

describe.skipIf(!references["1.6.0"] || !references["0.73.1"])("compared with the published npm packages", () => {
	for (const [id, sources] of Object.entries(UPSTREAM_MODULES)) {
		test(`${id} exports everything ${sources.map((s) => s.specifier).join(" and ")} export`, async () => {
			const ours = await loadProvidedModule(ourSpecifier(id, "@earendil-works"));
			for (const source of sources) {
				const root = references[source.version];
				if (!root) throw new Error(`pi ${source.version} is not installed`);
				const upstream = await moduleExportNames(root, source.specifier);
				expect({ specifier: source.specifier, missing: upstream.filter((name) => !(name in ours)) }).toEqual({
					specifier: source.specifier,
					missing: [],
				});
			}
		}, 60_000);
	}
});
