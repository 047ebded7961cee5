/**
 * Startup stays lean: a plain launch builds only the valibot schemas it needs (the others wait behind lazySchema,
 * src/util/lazy-schema.ts) and loads none of the heavy modules (shiki, the provider SDKs, MCP, typebox, quickjs).
 * pi reports both through its test hook (PI_STARTUP_REPORT, src/util/startup-report.ts) for `--version`, `--help` and
 * an interactive launch up to a drawn editor in tmux; the modules that launch loaded are then imported again with
 * valibot instrumented (test/fixtures/startup/import-schemas.fixture.ts), which finds any schema built at module top
 * level. Module names mean something only from the sources, so those runs always use them; with PI_TEST_BINARY the
 * compiled binary's lazy schemas are counted as well.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { runCommand } from "../support/run-command.ts";
import { makePiEnv, type PiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

const repoRoot = resolve(import.meta.dir, "../..");
const srcRoot = join(repoRoot, "src/");
const fromSources = { name: "sources", command: [process.execPath, join(repoRoot, "src/main.ts")] };
const binary = process.env.PI_TEST_BINARY;
const launchers = [fromSources, ...(binary ? [{ name: "binary", command: [resolve(binary)] }] : [])];

/** What a plain interactive launch may load from node_modules: nothing else. */
const INTERACTIVE_PACKAGES = ["ansi-regex", "strip-ansi", "valibot"];
/** The one lazy schema an interactive launch builds: models.json's, because the test home has one. */
const INTERACTIVE_SCHEMA_BUILDERS = ["registry/models-json-schema.ts"];

const HEAVY: [name: string, pattern: RegExp][] = [
	["shiki", /\/node_modules\/(shiki|@shikijs)\//],
	["provider SDKs", /\/node_modules\/(openai|@anthropic-ai|@google\/genai|@aws-sdk|@smithy|google-auth-library)\//],
	["MCP SDK", /\/node_modules\/@modelcontextprotocol\//],
	["typebox", /\/node_modules\/typebox\//],
	["quickjs", /\/node_modules\/quickjs-wasi\//],
];

const ReportSchema = v.object({ lazySchemas: v.array(v.string()), modules: v.array(v.string()) });
type Report = v.InferOutput<typeof ReportSchema>;

function readReport(path: string): Report {
	return v.parse(ReportSchema, JSON.parse(readFileSync(path, "utf8")));
}

/** The node_modules packages a report's modules come from, sorted. */
function packagesOf(report: Report): string[] {
	const names = report.modules.flatMap((path) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? []);
	return [...new Set(names)].sort();
}

function heavyModulesOf(report: Report): string[] {
	return HEAVY.filter(([, pattern]) => report.modules.some((path) => pattern.test(path))).map(([name]) => name);
}

/** Where each lazy schema was built (from the sources): the first src/ file on its stack below the hook. */
function schemaBuilders(report: Report): string[] {
	return report.lazySchemas
		.map((stack) => {
			for (const line of stack.split("\n")) {
				const file = /(\/[^():]+\.ts):\d+:\d+/.exec(line)?.[1];
				if (!file?.startsWith(srcRoot)) continue;
				if (file.endsWith("/util/startup-report.ts") || file.endsWith("/util/lazy-schema.ts")) continue;
				return file.slice(srcRoot.length);
			}
			return "(unknown)";
		})
		.sort();
}

function reportEnv(env: PiEnv, name: string): { env: Record<string, string>; reportPath: string } {
	const reportPath = join(env.home, `startup-report-${name}.json`);
	return { env: { ...env.env, PI_STARTUP_REPORT: reportPath }, reportPath };
}

describe("pi --version and --help", () => {
	for (const launcher of launchers) {
		for (const flag of ["--version", "--help"]) {
			test(`${flag} (${launcher.name}) builds no schema and loads no package`, async () => {
				const piEnv = makePiEnv();
				const { env, reportPath } = reportEnv(piEnv, flag.slice(2));
				const run = await runCommand([...launcher.command, flag], { cwd: piEnv.cwd, env });
				expect(run.exitCode).toBe(0);
				expect(run.stdout.length).toBeGreaterThan(0);
				const report = readReport(reportPath);
				expect(report.lazySchemas).toEqual([]);
				// The report lists what was loaded: at least the entry point, whichever form pi takes.
				expect(report.modules.length).toBeGreaterThan(0);
				if (launcher === fromSources) expect(packagesOf(report)).toEqual([]);
			});
		}
	}
});

describe.skipIf(!tmuxBinary)("an interactive launch up to a drawn editor", () => {
	let server: LlmTestServer;
	beforeAll(async () => {
		server = await startLlmServer();
	});
	afterAll(async () => {
		await server.close();
	});

	async function launch(command: string[], name: string): Promise<Report> {
		const piEnv = makePiEnv(server.url);
		const { env, reportPath } = reportEnv(piEnv, name);
		const pi = new TmuxPi({ ...piEnv, env }, [], { columns: 100, rows: 30 }, command);
		try {
			// The footer names the model once the editor is drawn.
			await pi.waitFor("test-model");
			pi.pressCtrlCTwice();
			expect((await pi.exited()).code).toBe(0);
		} finally {
			pi.kill();
		}
		// The report is written as pi exits, before the wrapper script prints its exit code.
		return readReport(reportPath);
	}

	test("from the sources: one lazy schema, no heavy module, no schema built at module top level", async () => {
		const report = await launch(fromSources.command, "sources");
		expect(schemaBuilders(report)).toEqual(INTERACTIVE_SCHEMA_BUILDERS);
		expect(heavyModulesOf(report)).toEqual([]);
		expect(packagesOf(report)).toEqual(INTERACTIVE_PACKAGES);

		// Every src module the launch loaded, imported again with valibot instrumented.
		const modules = report.modules.filter((path) => path.startsWith(srcRoot) && path !== fromSources.command[1]);
		expect(modules.length).toBeGreaterThan(100);
		const dir = mkdtempSync(join(tmpdir(), "pi-lean-startup-"));
		const modulesFile = join(dir, "modules.json");
		const outFile = join(dir, "schemas.json");
		await Bun.write(modulesFile, JSON.stringify(modules));
		const child = await runCommand([process.execPath, "test", "./test/fixtures/startup/import-schemas.fixture.ts"], {
			cwd: repoRoot,
			// A throwaway home: the imported modules must not see the user's.
			env: { ...process.env, HOME: dir, PI_STARTUP_MODULES: modulesFile, PI_STARTUP_SCHEMAS_OUT: outFile },
		});
		if (child.exitCode !== 0) throw new Error(`the fixture failed:\n${child.stdout}${child.stderr}`);
		// src file → schemas it built while loading; a lazySchema() wrapper builds none.
		expect(JSON.parse(readFileSync(outFile, "utf8"))).toEqual({});
	});

	test.skipIf(!binary)("the compiled binary builds the same one lazy schema", async () => {
		const report = await launch([resolve(binary ?? "")], "binary");
		expect(report.lazySchemas.length).toBe(INTERACTIVE_SCHEMA_BUILDERS.length);
	});
});
