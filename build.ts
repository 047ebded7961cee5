/**
 * Builds pi into standalone executables with `bun build --compile`.
 *
 *   bun run build.ts                 every release target, starting from an empty dist/:
 *                                      dist/pi-<os>-<arch>[-baseline|-musl][.exe]   the executables (tests, smoke)
 *                                      dist/release/                                what a release uploads: one
 *                                        archive per target (.tar.gz, .zip for Windows), SHA256SUMS, install.sh,
 *                                        install.ps1
 *                                      dist/pi.rb                                   the Homebrew formula (tap)
 *   bun run build.ts --host          only this machine → dist/pi (what `npm run pi` runs); dist/ is kept
 *   bun run build.ts --target linux-x64 darwin-arm64     only these targets (archives and SHA256SUMS too)
 *   --runtime <target>=<bun binary>  the Bun runtime to embed for a target instead of the one Bun downloads
 *                                    (the release workflow passes Bun's own baseline build, see BASELINE below)
 *   --no-bytecode                    skip the bytecode cache (slower start, see bench/startup.ts)
 *   --compression-level <1-9>        gzip/deflate level of the archives (default 9; tests use 1)
 *   --outdir <dir>, --entry <file>   used by tests and benches; default dist/ and src/main.ts
 *
 * Cross-compiling downloads the Bun runtime of each target from the npm registry (cached in ~/.bun/install/cache).
 * A target that cannot be built is reported by name and makes the build exit 1; the other targets are still built.
 * The version is embedded because src/version.ts imports package.json, which the bundler inlines.
 */
import { createHash } from "node:crypto";
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import packageJson from "./package.json" with { type: "json" };
import { buildShikiGrammarPack } from "./src/tui/components/shiki-grammar-pack-build.ts";
import { createTarGz, createZip } from "./src/update/archive.ts";
import {
	archiveName,
	artifactName,
	type BuildTarget,
	binaryName,
	findTarget,
	RELEASE_OWNER,
	RELEASE_TARGETS,
	releaseDownloadBase,
} from "./src/update/targets.ts";
import { ISLANDS, SHIKI_GRAMMAR_PACK, WASM_ASSETS, ZSTD_ASSETS } from "./src/util/embedded-asset.ts";

export { archiveName, artifactName, type BuildTarget, findTarget, RELEASE_OWNER, RELEASE_TARGETS };

export const VERSION: string = packageJson.version;

/** The compiled executable's file name in dist/: `pi-linux-x64`, `pi-windows-x64.exe`. */
export function executableName(target: BuildTarget): string {
	const name = artifactName(target);
	return binaryName(name) === "pi.exe" ? `${name}.exe` : name;
}

export function defaultReleaseBaseUrl(version: string): string {
	return releaseDownloadBase(version);
}

export interface BuildOptions {
	host: boolean;
	targets: BuildTarget[];
	bytecode: boolean;
	outDir: string;
	entry: string;
	/** Bun target name → path of a Bun executable to embed instead of the downloaded runtime. */
	runtimes: Map<string, string>;
	compressionLevel: number;
}

export function parseBuildArgs(argv: readonly string[], projectDir: string): BuildOptions {
	const options: BuildOptions = {
		host: false,
		targets: [],
		bytecode: true,
		outDir: join(projectDir, "dist"),
		entry: join(projectDir, "src", "main.ts"),
		runtimes: new Map(),
		compressionLevel: 9,
	};
	let collectingTargets = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? "";
		const next = (): string => {
			const value = argv[++i];
			if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value`);
			return value;
		};
		if (arg === "--host") options.host = true;
		else if (arg === "--no-bytecode") options.bytecode = false;
		else if (arg === "--outdir") options.outDir = resolve(next());
		else if (arg === "--entry") options.entry = resolve(next());
		else if (arg === "--compression-level") {
			const level = Number(next());
			if (!Number.isInteger(level) || level < 1 || level > 9) throw new Error("--compression-level takes 1 to 9");
			options.compressionLevel = level;
		} else if (arg === "--runtime") {
			const value = next();
			const split = value.indexOf("=");
			if (split <= 0) throw new Error(`--runtime takes <target>=<path to a Bun executable>, not "${value}"`);
			const target = requireTarget(value.slice(0, split));
			options.runtimes.set(target.bunTarget, resolve(value.slice(split + 1)));
		} else if (arg === "--target") {
			collectingTargets = true;
			const first = next();
			options.targets.push(requireTarget(first));
			continue;
		} else if (collectingTargets && !arg.startsWith("--")) options.targets.push(requireTarget(arg));
		else throw new Error(`unknown argument: ${arg}`);
		collectingTargets = false;
	}
	if (options.host && options.targets.length > 0) throw new Error("--host and --target cannot be combined");
	return options;
}

function requireTarget(name: string): BuildTarget {
	const target = findTarget(name);
	if (!target) {
		const known = RELEASE_TARGETS.map((t) => t.bunTarget.slice(4)).join(", ");
		throw new Error(`unknown target "${name}" (known: ${known})`);
	}
	return target;
}

/** Worker entrypoints, relative to the main entry's folder: the image resizer (src/images/) and the codemode sandbox. */
export const WORKER_ENTRIES: readonly string[] = ["images/resize-worker.ts", "codemode/worker.ts"];

/**
 * Arguments every executable starts with. `--use-system-ca`: TLS trusts the operating system's certificate store
 * (macOS Keychain, Windows certificate store, /etc/ssl/certs) besides Bun's bundled roots, so a corporate
 * TLS-inspecting CA that IT installed on the machine works without configuration; NODE_EXTRA_CA_CERTS adds more.
 */
export const COMPILE_EXEC_ARGV = ["--use-system-ca"] as const;

/** The JIT tier-up threshold scale every executable runs with (see compileCommand). */
export const JIT_POLICY = 16;

/** pi's own entry, the one the bytecode order is trained on (tests and benches compile other entries too). */
export const MAIN_ENTRY = join(import.meta.dir, "src", "main.ts");

/**
 * Writes src/util/embedded-asset.ts's WASM_ASSETS, zstd-compressed, into `dir`; returns their paths for --asset.
 * The WebAssembly of Photon (images) and QuickJS (codemode) is read only when an image or a sandboxed script is
 * first handled, never at startup: gzip level 9 took it from 1.88 + 0.64 MB to 0.67 + 0.29 MB in the binary
 * (20.4 → 18.9 MB over the runtime on linux-x64); zstd level 19 to 0.55 + 0.26 MB (0.14 MB less), decompressed in
 * 2.1 ms (Photon) and 0.8 ms (QuickJS) on that first use (gzip: 4 and 1.5 ms).
 */
export function writeWasmAssets(dir: string): string[] {
	return WASM_ASSETS.map((asset) => {
		const path = join(dir, asset.embeddedName);
		const bytes = readFileSync(Bun.resolveSync(asset.specifier, import.meta.dir));
		writeFileSync(path, Bun.zstdCompressSync(bytes, { level: 19 }));
		return path;
	});
}

/**
 * Bundles each of src/util/embedded-asset.ts's ISLANDS on its own (minified Bun CommonJS, no bytecode) and writes it
 * zstd-compressed (level 19) into `dir`; returns their paths for --asset. Bytecode pays at startup, not for big
 * dependencies few runs use: the Bedrock provider's AWS SDK costs 0.5 MB as an island instead of ~1.7 MB in the
 * bundle (18.7 → 17.4 MB over the runtime on linux-x64), and the first Bedrock request of a process compiles what it
 * uses from source: a Bedrock print-mode answer takes 66 → 92 ms CPU (bench: test/cli/cloud-credentials.test.ts's
 * setup, 10 runs, minimum), other providers unchanged. highlight.js, only for the HTML export: 0.15 MB as an island,
 * 0.23 MB less in the binary (16.6 → 16.4 MB). Compressed, the islands take 0.68 → 0.18 MB (15.8 → 15.3 MB over the
 * runtime on linux-x64); decompressing the AWS SDK costs 0.6 ms on its first use (Bedrock answer 72 → 71 ms CPU,
 * medians of 10 interleaved runs). The Google SDK (@google/genai + google-auth-library, for Gemini and Vertex AI):
 * 15.3 → 13.0 MB; the first Google request of a process compiles it, a Gemini print-mode answer 26 → 50 ms CPU
 * (medians of 10 interleaved runs; other providers unchanged), against a request's network round trip. The MCP SDK
 * with zod and ajv (src/mcp/mcp-sdk.ts): 13.0 → 12.0 MB; loading the MCP modules compiles it, a print-mode answer
 * with one stdio server (pi's CPU and the server's) 172 → 184 ms, against starting and talking to a server.
 */
export async function writeIslands(dir: string): Promise<string[]> {
	const paths: string[] = [];
	for (const island of ISLANDS) {
		const built = await Bun.build({
			entrypoints: [join(import.meta.dir, "src", island.source)],
			target: "bun",
			format: "cjs",
			minify: true,
		});
		const output = built.outputs[0];
		if (!built.success || !output) throw new Error(`bundling ${island.source} failed: ${built.logs.join("\n")}`);
		const path = join(dir, island.embeddedName);
		writeFileSync(path, Bun.zstdCompressSync(new Uint8Array(await output.arrayBuffer()), { level: 19 }));
		paths.push(path);
	}
	return paths;
}

/**
 * Everything the binary embeds beside the bundle (--asset), written into `dir`: the zstd-compressed WebAssembly,
 * the islands and shiki's grammar pack (shiki-grammar-pack-build.ts: 0.29 MB as a file; as base64 strings in a
 * module the source and its bytecode held 0.39 MB each). With shiki's engine moved out of its base64 module too,
 * 17.4 → 16.7 MB over the runtime on linux-x64; the first code block reads both (resuming a 200k-token session,
 * which highlights what is on screen: 61 → 48 ms CPU to a typeable editor, bench/resume.ts).
 */
async function writeAssets(dir: string): Promise<string[]> {
	const pack = join(dir, SHIKI_GRAMMAR_PACK);
	writeFileSync(pack, buildShikiGrammarPack({ precompile: true }));
	return [...writeWasmAssets(dir), ...writeZstdAssets(dir), ...(await writeIslands(dir)), pack];
}

/**
 * Writes src/util/embedded-asset.ts's ZSTD_ASSETS, zstd level 19, into `dir`. The model catalog, read at startup
 * for the providers pi looks at: 0.78 MB → 30 KB (16.4 → 15.7 MB over the runtime on linux-x64); decompressing
 * costs ~0.3 ms, and startup reads 30 KB of the binary instead of 0.78 MB.
 */
export function writeZstdAssets(dir: string): string[] {
	return ZSTD_ASSETS.map((asset) => {
		const path = join(dir, asset.embeddedName);
		writeFileSync(path, Bun.zstdCompressSync(readFileSync(join(import.meta.dir, "src", asset.source)), { level: 19 }));
		return path;
	});
}

/** The `bun build` command line; `target` undefined means the running Bun (no download). */
export function compileCommand(
	options: Pick<BuildOptions, "bytecode" | "entry"> & {
		runtime?: string;
		assets?: readonly string[];
		bytecodeOrder?: readonly string[];
	},
	outfile: string,
	target?: BuildTarget,
): string[] {
	// Fully minified, identifiers too: 22.6 → 20.4 MB over the runtime on linux-x64 (the source Bun keeps beside
	// the bytecode shrinks 9.9 → 8.0 MB), startup CPU and RSS unchanged. Class and function names are mangled
	// (Bun 1.4.5's --keep-names keeps none of them, so it is not passed): nothing may depend on them. The SDKs build
	// their User-Agent from constructor.name, but we send pi's own (test/build/smoke-print.ts checks it and the
	// SDKs' x-stainless-* headers); our error classes name themselves (src/util/errors.ts).
	const command = [process.execPath, "build", "--compile", "--minify-syntax", "--minify-whitespace"];
	command.push("--minify-identifiers");
	command.push("--sourcemap=none", `--outfile=${outfile}`);
	if (target) command.push(`--target=${target.bunTarget}`);
	if (options.runtime) command.push(`--compile-executable-path=${options.runtime}`);
	command.push(`--compile-exec-argv=${COMPILE_EXEC_ARGV.join(" ")}`);
	// ESM with code splitting: each lazily imported part (an SDK, interactive mode) becomes its own chunk whose
	// bytecode is loaded only when used — measured 39 → 35 MB RSS and 10 → 8 ms for `pi --version`.
	command.push("--format=esm", "--splitting");
	// Bytecode only for module bodies and the functions one level into them; deeper functions are compiled from
	// source when first called. Measured on linux-x64 (bench/targets.ts, bench/binary-size.ts): all levels 24.0 MB
	// over the runtime, depth 2 22.3 MB with the same print-mode and launch CPU. Depth 1 is what brings issue 19's
	// ≤ 10 MB within reach once the islands and compressed assets (writeIslands, writeWasmAssets) are in: 11.7 →
	// 9.6 MB (every release target 9.6–9.7 MB), at a cost within the startup budget — print mode 23 → 28 ms CPU
	// (pi 0.73.1: 331 ms), launch to a drawn editor 20 → 23 ms, idle RSS 48 → 49 MB, --version/--help unchanged
	// (20 runs each, minimum CPU / median RSS). --no-optimize-bytecode makes it 1.4 MB larger.
	// Not done, measured: the OpenAI and Anthropic SDKs (~1 MB each) as islands would cost their print mode what the
	// Google SDK's costs Gemini (see writeIslands), on the paths most runs take, so they keep their bytecode. TypeBox
	// as an island would save 0.7 MB more, but a print-mode run with one extension took 36 → 48 ms CPU (every run with
	// extensions, not a first network request). Bun's own bytecode for the node: modules the bundle imports (~2 MB
	// at depth 1, embedded since Bun 1.4 with --bytecode, e.g. node:fs alone pulls in 75 internal modules) counts as
	// ours here; no flag leaves it out.
	if (options.bytecode) command.push("--bytecode", "--bytecode-depth=1");
	if (options.bytecode && options.bytecodeOrder?.length)
		command.push(`--bytecode-order=${options.bytecodeOrder.join(",")}`);
	// JavaScriptCore's tier-up thresholds ×16 for the whole run (Bun.unsafe.setJITPolicy(1) is never called): most
	// of what a turn runs is warm, not hot, and compiling it on the JIT thread cost more than it saved. Measured on
	// linux-x64 with the compiled binary, medians of 5 interleaved runs, total process CPU: 50 turns
	// (bench/session-turns.ts) 850 → 640 ms (scale 8: 690, 32: 620; the JIT thread 260 → 80 ms, the main thread
	// unchanged), streaming into an empty session (bench/stream-interactive.ts) 800 → 770 ms, print mode
	// 28 → 24 ms, launch 22 → 21 ms, resuming 1M tokens until idle 470 → 420 ms. Hot code still tiers up, later:
	// bench/frame-pipeline.ts at 1M tokens 0.039 → 0.057 ms a key press, first frame 343 → 370 ms; one grep over
	// 50,000 files (bench/tools-search.ts) ~5 % slower. The scale does not touch WebAssembly's tiers (no API sets
	// JSC's Wasm options in-process), which is why shiki no longer runs Oniguruma's WebAssembly: its ~170 ms of OMG
	// compiling on a helper thread were the same at every scale (src/tui/components/shiki-regex-engine.ts).
	command.push(`--compile-jit-policy=${JIT_POLICY}`);
	// pi (on Node) never reads .env or bunfig.toml from the user's project; the binary must not either.
	command.push("--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig");
	// Extensions import their own npm dependencies: package.json `main` / `exports` must resolve as under Node.
	command.push("--compile-autoload-package-json");
	// Files embedded as they are, found at run time among Bun.embeddedFiles by their base name.
	for (const asset of options.assets ?? []) command.push(`--asset=${asset}`);
	command.push(options.entry);
	// Worker threads are separate entrypoints (Bun embeds each); the program starts them by their path below src/.
	for (const worker of WORKER_ENTRIES) {
		const path = join(dirname(options.entry), worker);
		if (existsSync(path)) command.push(path);
	}
	return command;
}

/**
 * Compiles one executable; on failure removes any partial output and throws with Bun's own error text. `bare`:
 * nothing embedded beside the entry's bundle (the benches' Bun hello world, which measures the runtime alone).
 */
export async function compile(
	options: Pick<BuildOptions, "bytecode" | "entry"> & { runtime?: string; bare?: boolean },
	outfile: string,
	target?: BuildTarget,
): Promise<void> {
	const main = resolve(options.entry) === MAIN_ENTRY;
	const bytecodeOrder = main && options.bytecode ? await trainedBytecodeOrder() : [];
	await compileWith({ ...options, withAssets: !options.bare, bytecodeOrder }, outfile, target);
}

async function compileWith(
	options: Pick<BuildOptions, "bytecode" | "entry"> & {
		runtime?: string;
		withAssets: boolean;
		bytecodeOrder: string[];
	},
	outfile: string,
	target?: BuildTarget,
): Promise<void> {
	mkdirSync(dirname(outfile), { recursive: true });
	const assets = options.withAssets ? await assetsForThisBuild() : [];
	const proc = Bun.spawn(compileCommand({ ...options, assets }, outfile, target), { stdout: "pipe", stderr: "pipe" });
	const [stdout, stderr, code] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	if (code !== 0) {
		rmSync(outfile, { force: true });
		const name = target?.bunTarget ?? "host";
		const output = (stderr + stdout).trim();
		throw new Error(`bun build failed for ${name} (exit ${code}):\n${output}`);
	}
}

let writtenAssets: Promise<string[]> | undefined;

/**
 * The embedded files are the same for every target (the islands are bundled for Bun, not for a platform): written
 * once per build (~0.5 s: zstd level 19, the islands' bundling) instead of once per compile (up to 8 in a release).
 */
function assetsForThisBuild(): Promise<string[]> {
	writtenAssets ??= (async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-build-assets-"));
		process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
		return writeAssets(dir);
	})();
	return writtenAssets;
}

/**
 * --bytecode-order: the bytecode that starting up uses goes first in the executable, together, so fewer of its pages
 * are touched. scripts/bytecode-order.ts trains it at build time (offline, throwaway homes; a committed order file
 * would go stale with every change) on this machine's executable: `--version`, `--help`, a print-mode answer and
 * an interactive launch. Measured on linux-x64 (bench/targets.ts, bench/measure_command.py; RSS medians):
 * `pi --version` 26.2 → 25.8 MB (1.14× → 1.10× a bare Bun), `--help` 27.3 → 27.0 MB, print mode 58 → 54 MB
 * peak and 29 → 27 ms CPU, launch to editor 24 → 23 ms CPU and idle RSS 57 → 53 MB; size unchanged.
 */
let training: Promise<string[]> | undefined;

/** Builds this machine's executable once per build and trains the bytecode order on it; returns the order files. */
function trainedBytecodeOrder(): Promise<string[]> {
	training ??= (async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-bytecode-order-"));
		process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
		const executable = join(dir, process.platform === "win32" ? "pi.exe" : "pi");
		await compileWith({ bytecode: true, entry: MAIN_ENTRY, withAssets: true, bytecodeOrder: [] }, executable);
		const { trainBytecodeOrder } = await import("./scripts/bytecode-order.ts");
		return trainBytecodeOrder(executable, dir);
	})();
	return training;
}

/**
 * BASELINE: a baseline runtime is Bun built for x86-64 CPUs without AVX2. Each Bun build names its own
 * `bun upgrade` download (`bun-linux-x64-baseline.zip` vs `bun-linux-x64.zip`), which tells the two apart.
 * Since Bun 1.4.0 the npm package @oven/bun-linux-x64-baseline — what `--target=bun-linux-x64-baseline` downloads —
 * holds the regular AVX2 build, byte for byte (1.3.9's still holds the baseline one), so a cross-compiled
 * "baseline" pi would crash with SIGILL on exactly the CPUs it exists for. We refuse to ship it: pass the real
 * runtime with `--runtime linux-x64-baseline=<bun>` (the release workflow takes it from Bun's GitHub release).
 */
export function runtimeVariantProblem(target: BuildTarget, executable: Uint8Array): string | undefined {
	if (target.variant !== "baseline") return undefined;
	const marker = new TextEncoder().encode(`bun-${target.os}-${target.arch}-baseline.zip`);
	if (Buffer.from(executable.buffer, executable.byteOffset, executable.byteLength).includes(marker)) return undefined;
	return (
		`the Bun runtime embedded for ${target.bunTarget} is not a baseline build (it lacks the "${new TextDecoder().decode(marker)}" ` +
		"marker; the npm package of this Bun version ships the AVX2 build). Pass the real one with " +
		`--runtime ${target.bunTarget.slice(4)}=<path to bun from Bun's GitHub release asset bun-${target.os}-${target.arch}-baseline.zip>`
	);
}

export function sha256File(path: string): string {
	return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** `sha256sum` format: `<hex>  <name>` per line, sorted by name so the file is reproducible. */
export function sha256sumsText(sums: ReadonlyMap<string, string>): string {
	return [...sums.keys()]
		.sort()
		.map((name) => `${sums.get(name)}  ${name}\n`)
		.join("");
}

/** Packs one executable into its release archive (`pi` or `pi.exe` inside, mode 755); returns the archive path. */
export function writeArchive(executable: string, target: BuildTarget, releaseDir: string, level = 9): string {
	const artifact = artifactName(target);
	const entry = { name: binaryName(artifact), data: readFileSync(executable), mode: 0o755 };
	const archive = join(releaseDir, archiveName(artifact));
	writeFileSync(archive, archive.endsWith(".zip") ? createZip([entry], level) : createTarGz([entry], level));
	return archive;
}

/** Which archive Homebrew installs per platform. Linux/Intel gets the baseline build: brew cannot check for AVX2. */
export const FORMULA_ARTIFACTS = {
	macosArm: "pi-darwin-arm64",
	macosIntel: "pi-darwin-x64",
	linuxArm: "pi-linux-arm64",
	linuxIntel: "pi-linux-x64-baseline",
} as const;

/** A Homebrew formula installing the prebuilt binary of the running platform from the archives at `baseUrl`. */
export function homebrewFormula(version: string, baseUrl: string, sums: ReadonlyMap<string, string>): string {
	const base = baseUrl.replace(/\/+$/, "");
	const block = (indent: string, artifact: string): string => {
		const file = archiveName(artifact);
		const sha = sums.get(file);
		if (!sha) throw new Error(`the Homebrew formula needs ${file}, which was not built`);
		return `${indent}url "${base}/${file}"\n${indent}sha256 "${sha}"\n`;
	};
	return `# Generated by build.ts for pi ${version}. Do not edit: rebuild instead.
class Pi < Formula
  desc "Terminal coding agent, as one standalone binary"
  homepage "https://github.com/${RELEASE_OWNER}/pi"
  version "${version}"

  on_macos do
    on_arm do
${block("      ", FORMULA_ARTIFACTS.macosArm)}    end
    on_intel do
${block("      ", FORMULA_ARTIFACTS.macosIntel)}    end
  end

  on_linux do
    on_arm do
${block("      ", FORMULA_ARTIFACTS.linuxArm)}    end
    on_intel do
${block("      ", FORMULA_ARTIFACTS.linuxIntel)}    end
  end

  def install
    # Each archive holds the one executable, "pi".
    bin.install "pi"
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/pi --version")
  end
end
`;
}

/** Names a release build writes into its output folder; cleared first so no stale file can be uploaded. */
function clearReleaseOutput(outDir: string, isDefaultDist: boolean): void {
	if (isDefaultDist) {
		rmSync(outDir, { recursive: true, force: true });
		return;
	}
	let names: string[] = [];
	try {
		names = readdirSync(outDir);
	} catch {
		return;
	}
	for (const name of names) {
		if (name === "release" || name === "pi.rb" || name.startsWith("pi-")) {
			rmSync(join(outDir, name), { recursive: true, force: true });
		}
	}
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs the build; returns the process exit code. Failures are reported per target, the rest still builds. */
export async function runBuild(
	options: BuildOptions,
	log: (line: string) => void = console.log,
	projectDir: string = import.meta.dir,
): Promise<number> {
	if (options.host) {
		mkdirSync(options.outDir, { recursive: true });
		const outfile = join(options.outDir, process.platform === "win32" ? "pi.exe" : "pi");
		const started = performance.now();
		await compile(options, outfile);
		log(`built ${outfile} (pi ${VERSION}, ${elapsed(started)})`);
		return 0;
	}
	clearReleaseOutput(options.outDir, options.outDir === join(projectDir, "dist"));
	const releaseDir = join(options.outDir, "release");
	mkdirSync(releaseDir, { recursive: true });
	const full = options.targets.length === 0;
	const targets = full ? [...RELEASE_TARGETS] : options.targets;
	const sums = new Map<string, string>();
	const failed: string[] = [];
	// One at a time: each compile already uses all cores and holds a ~100 MB runtime in memory.
	for (const target of targets) {
		const outfile = join(options.outDir, executableName(target));
		const started = performance.now();
		try {
			await compile({ ...options, runtime: options.runtimes.get(target.bunTarget) }, outfile, target);
			const problem = runtimeVariantProblem(target, readFileSync(outfile));
			if (problem) {
				rmSync(outfile, { force: true });
				throw new Error(problem);
			}
			const compiled = performance.now();
			const archive = writeArchive(outfile, target, releaseDir, options.compressionLevel);
			sums.set(archiveName(artifactName(target)), sha256File(archive));
			log(
				`built ${outfile} (${megabytes(statSync(outfile).size)}, ${((compiled - started) / 1000).toFixed(1)} s)` +
					` → release/${archiveName(artifactName(target))} (${megabytes(statSync(archive).size)}, ${elapsed(compiled)})`,
			);
		} catch (error) {
			failed.push(target.bunTarget);
			log(`FAILED ${target.bunTarget}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	if (sums.size > 0) {
		writeFileSync(join(releaseDir, "SHA256SUMS"), sha256sumsText(sums));
		// The README's `curl …/releases/latest/download/install.sh | sh` fetches them from the same release.
		const scripts = ["install.sh", "install.ps1"].filter((script) => existsSync(join(projectDir, script)));
		for (const script of scripts) copyFileSync(join(projectDir, script), join(releaseDir, script));
		log(`wrote ${releaseDir}: ${sums.size} archive(s), SHA256SUMS, ${scripts.join(", ")}`);
	}
	if (Object.values(FORMULA_ARTIFACTS).every((name) => sums.has(archiveName(name)))) {
		const baseUrl = process.env.PI_RELEASE_BASE_URL || defaultReleaseBaseUrl(VERSION);
		writeFileSync(join(options.outDir, "pi.rb"), homebrewFormula(VERSION, baseUrl, sums));
		log(`wrote ${join(options.outDir, "pi.rb")} (archives under ${baseUrl})`);
	} else if (full) {
		log("skipped pi.rb: not every archive it points at was built");
	}
	if (failed.length > 0) {
		log(`build failed for: ${failed.join(", ")}`);
		return 1;
	}
	return 0;
}

function elapsed(started: number): string {
	return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}

if (import.meta.main) {
	try {
		const options = parseBuildArgs(process.argv.slice(2), import.meta.dir);
		process.exitCode = await runBuild(options);
	} catch (error) {
		console.error(`build.ts: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	}
}
