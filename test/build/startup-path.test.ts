/**
 * `pi --version` and `pi --help` must cost no more than a bare Bun binary (issue 19; bench/targets.ts measures it).
 * What keeps them there is checked here without timing: the modules the entry loads before deciding what to do,
 * and that both answers come out right (plain text when stdout is not a terminal) and end quietly when the reader
 * goes away.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { helpText } from "../../src/cli/help.ts";
import { VERSION } from "../../src/version.ts";
import { runCommand } from "../support/run-command.ts";
import { piCommand } from "../support/run-pi.ts";

const repoRoot = resolve(import.meta.dir, "../..");

const Metafile = v.object({
	inputs: v.record(
		v.string(),
		v.object({ imports: v.array(v.object({ path: v.string(), kind: v.string(), external: v.optional(v.boolean()) })) }),
	),
});

test("the entry statically loads only the version, the output helpers, the --help extension check, the startup report hook and nothing from Node's stream world", async () => {
	const out = mkdtempSync(join(tmpdir(), "pi-startup-path-"));
	const meta = join(out, "meta.json");
	const build = await runCommand(
		[
			process.execPath,
			"build",
			"--splitting",
			"--format=esm",
			"--target=bun",
			`--outdir=${out}`,
			`--metafile=${meta}`,
			"src/main.ts",
		],
		{ cwd: repoRoot },
	);
	expect(build.exitCode).toBe(0);
	const { inputs } = v.parse(Metafile, JSON.parse(readFileSync(meta, "utf8")));
	const loaded = new Set<string>();
	const visit = (path: string) => {
		if (loaded.has(path)) return;
		loaded.add(path);
		// `external` static imports are build-time macros (the help text), inlined in the output.
		for (const item of inputs[path]?.imports ?? []) {
			if (item.kind === "import-statement" && !item.external) visit(item.path);
		}
	};
	visit("src/main.ts");
	expect([...loaded].sort()).toEqual([
		"package.json",
		"src/cli/help-fast-path.ts",
		"src/main.ts",
		"src/util/output-streams.ts",
		// Imports nothing; PI_STARTUP_REPORT (tests only) switches it on.
		"src/util/startup-report.ts",
		"src/version.ts",
	]);
	const entry = readFileSync(join(out, "main.js"), "utf8");
	expect(entry).toContain("AI coding assistant with read, bash, edit, write tools");
	expect(entry).not.toMatch(/from\s*"[^"]*help/);
}, 120_000);

test("--version and --help print their text, plain when stdout is a pipe, and end quietly when the reader leaves", async () => {
	const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: mkdtempSync(join(tmpdir(), "pi-home-")) };
	const version = await runCommand([...piCommand(), "--version"], { env });
	expect(version).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n`, stderr: "" });
	const help = await runCommand([...piCommand(), "--help"], { env });
	expect(help).toMatchObject({ exitCode: 0, stdout: helpText(false), stderr: "" });
	const pi = piCommand()
		.map((part) => `'${part}'`)
		.join(" ");
	const early = await runCommand(["bash", "-c", `${pi} --help | head -c 5; echo " \${PIPESTATUS[0]}"`], { env });
	expect(early.stdout).toBe("pi -  0\n");
	expect(early.stderr).toBe("");
}, 60_000);

/** Runs a bash command line in a pseudo-terminal; returns what reached the terminal, with pi's line ends. */
async function inTerminal(commandLine: string, env: Record<string, string>): Promise<string> {
	const end = "END-OF-RUN";
	let output = "";
	const decoder = new TextDecoder();
	const terminal = new Bun.Terminal({
		cols: 200,
		rows: 60,
		data(_terminal, data) {
			output += decoder.decode(data, { stream: true });
		},
	});
	try {
		// pi's own status decides (printf's would hide a crash): the marker is printed only after pi succeeded.
		const proc = Bun.spawn(["bash", "-c", `set -o pipefail; ${commandLine} && printf '${end}'`], { env, terminal });
		expect(await proc.exited).toBe(0);
		const deadline = Date.now() + 30_000;
		while (!output.includes(end) && Date.now() < deadline) await Bun.sleep(10);
		expect(output).toContain(end);
	} finally {
		terminal.close();
	}
	return output.slice(0, output.indexOf(end)).replaceAll("\r\n", "\n");
}

// stdoutIsTerminal answers from Bun.enableANSIColors when neither stdout nor stderr is a terminal; these are the
// cases where a terminal is somewhere and the tty_wrap binding must answer for stdout itself.
test.skipIf(process.platform === "win32")(
	"--help is bold on a terminal (whatever TERM and NO_COLOR say) and plain into a pipe while stderr is a terminal",
	async () => {
		const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: mkdtempSync(join(tmpdir(), "pi-home-")) };
		const pi = piCommand()
			.map((part) => `'${part}'`)
			.join(" ");
		expect(await inTerminal(`${pi} --help`, env)).toBe(helpText(true));
		expect(await inTerminal(`${pi} --help 2>/dev/null`, { ...env, TERM: "dumb" })).toBe(helpText(true));
		expect(await inTerminal(`${pi} --help`, { ...env, NO_COLOR: "1" })).toBe(helpText(true));
		expect(await inTerminal(`${pi} --help | cat`, { ...env, TERM: "xterm-256color" })).toBe(helpText(false));
	},
	60_000,
);
