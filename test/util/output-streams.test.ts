/** isTerminal: the mode decision (interactive or print) rests on it, so it must be right with and without Bun's binding. */
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const modulePath = resolve(import.meta.dir, "../../src/util/output-streams.ts");

/** A shell command running a child that prints isTerminal(0..2), optionally with process.binding removed first. */
function probe(withoutBinding: boolean): string {
	const file = join(mkdtempSync(join(tmpdir(), "pi-isterminal-")), "probe.ts");
	writeFileSync(
		file,
		[
			withoutBinding ? "process.binding = () => { throw new Error('no binding'); };" : "",
			`const { isTerminal } = await import(${JSON.stringify(modulePath)});`,
			"console.log([0, 1, 2].map((fd) => isTerminal(fd)).join(','));",
		].join("\n"),
	);
	return `'${process.execPath}' '${file}'`;
}

async function run(command: string, inTerminal: boolean): Promise<string> {
	// `script` gives the child a pseudo-terminal on all three streams; without it they are pipes.
	const argv = inTerminal ? ["script", "-qec", command, "/dev/null"] : ["sh", "-c", command];
	const proc = Bun.spawn(argv, { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
	proc.stdin.end();
	const [out, err, code] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	expect({ code, err }).toEqual({ code: 0, err: "" });
	return out.trim();
}

for (const withoutBinding of [false, true]) {
	const how = withoutBinding ? "without the tty_wrap binding (node:tty)" : "through the tty_wrap binding";
	test(`isTerminal ${how}: pipes are not terminals`, async () => {
		expect(await run(probe(withoutBinding), false)).toBe("false,false,false");
	});

	test.skipIf(!Bun.which("script"))(`isTerminal ${how}: a pseudo-terminal is one`, async () => {
		expect(await run(probe(withoutBinding), true)).toBe("true,true,true");
	});
}
