/**
 * Benchmark for the grep and find tools over a generated tree of 50,000 files: the built-in
 * implementation always, rg/fd too when installed. Run: bun bench/tools-search.ts [fileCount]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentTool } from "../src/agent/types.ts";
import { findExternalTool, type SearchBackend } from "../src/tools/external-tools.ts";
import { createBuiltinTools } from "../src/tools/registry.ts";

const fileCount = Number(process.argv[2] ?? 50_000);
const root = mkdtempSync(join(tmpdir(), "pi-bench-search-"));

function generateTree(): void {
	mkdirSync(join(root, ".git"));
	writeFileSync(join(root, ".gitignore"), "ignored/\n*.tmp\n");
	const perDir = 100;
	for (let i = 0; i < fileCount; i++) {
		const dir = join(root, `pkg${Math.floor(i / (perDir * 10))}`, `mod${Math.floor(i / perDir) % 10}`);
		if (i % perDir === 0) mkdirSync(dir, { recursive: true });
		const ext = i % 5 === 0 ? "ts" : i % 5 === 1 ? "md" : i % 5 === 2 ? "tmp" : "js";
		const needle = i % 997 === 0 ? "NEEDLE_MARKER" : "nothing";
		writeFileSync(join(dir, `file${i}.${ext}`), `// file ${i}\nexport const value${i} = ${i};\n// ${needle}\n`);
	}
	mkdirSync(join(root, "ignored"));
	for (let i = 0; i < 1000; i++) writeFileSync(join(root, "ignored", `x${i}.ts`), "NEEDLE_MARKER\n");
}

async function time(label: string, tool: AgentTool | undefined, args: unknown): Promise<void> {
	if (!tool) throw new Error(`${label}: tool not registered`);
	const started = performance.now();
	const result = await tool.execute("bench", tool.parseArgs(args), new AbortController().signal, () => {});
	const ms = performance.now() - started;
	const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
	const lines = text.split("\n").filter((line) => line && !line.startsWith("[")).length;
	console.log(`${label.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms  ${String(lines).padStart(5)} result lines`);
}

const genStart = performance.now();
generateTree();
console.log(
	`generated ${fileCount} files (+1000 ignored) in ${(performance.now() - genStart).toFixed(0)} ms at ${root}`,
);

const backends: { name: string; backend: SearchBackend }[] = [{ name: "built-in", backend: "builtin" }];
const rg = findExternalTool("rg");
const fd = findExternalTool("fd");
if (rg || fd) backends.push({ name: `external (rg=${rg ?? "-"}, fd=${fd ?? "-"})`, backend: "auto" });
else console.log("rg/fd not installed: external backend skipped");

try {
	for (const { name, backend } of backends) {
		console.log(`\n${name}`);
		const tools = new Map(createBuiltinTools(root, { searchBackend: backend }));
		const grep = tools.get("grep");
		const find = tools.get("find");
		await time("grep NEEDLE_MARKER (limit 1000)", grep, { pattern: "NEEDLE_MARKER", limit: 1000 });
		await time("grep 'value\\d+5 =' (limit 100)", grep, { pattern: "value\\d+5 =" });
		await time("grep literal, glob *.ts", grep, { pattern: "NEEDLE_MARKER", literal: true, glob: "*.ts" });
		await time("find *.ts (limit 1000)", find, { pattern: "*.ts" });
		await time("find pkg1/**/*.md (limit 100000)", find, { pattern: "pkg1/**/*.md", limit: 100_000 });
		await time("find *.none (full walk, no hits)", find, { pattern: "*.none" });
	}
} finally {
	rmSync(root, { recursive: true, force: true });
}
