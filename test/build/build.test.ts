import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
	archiveName,
	artifactName,
	compileCommand,
	defaultReleaseBaseUrl,
	executableName,
	FORMULA_ARTIFACTS,
	findTarget,
	homebrewFormula,
	JIT_POLICY,
	parseBuildArgs,
	RELEASE_TARGETS,
	runtimeVariantProblem,
	sha256File,
	sha256sumsText,
	VERSION,
	writeIslands,
	writeWasmAssets,
	writeZstdAssets,
} from "../../build.ts";
import packageJson from "../../package.json" with { type: "json" };
import {
	evaluateIsland,
	HIGHLIGHT_JS,
	ISLANDS,
	type Island,
	MODEL_CATALOG,
	WASM_ASSETS,
	ZSTD_ASSETS,
} from "../../src/util/embedded-asset.ts";
import { runCommand } from "../support/run-command.ts";

const repoRoot = resolve(import.meta.dir, "../..");
const fixtureEntry = join(import.meta.dir, "fixtures", "entry.ts");

function tempDir(): string {
	return mkdtempSync(join(tmpdir(), "pi-build-test-"));
}

function run(command: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
	return runCommand(command, { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env } });
}

const hostName = `${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;

describe("targets and artifact names", () => {
	test("every release target has the archive name install.sh, install.ps1, pi update and the formula download", () => {
		expect(RELEASE_TARGETS.map((t) => archiveName(artifactName(t)))).toEqual([
			"pi-linux-x64.tar.gz",
			"pi-linux-x64-baseline.tar.gz",
			"pi-linux-arm64.tar.gz",
			"pi-linux-x64-musl.tar.gz",
			"pi-darwin-x64.tar.gz",
			"pi-darwin-arm64.tar.gz",
			"pi-windows-x64.zip",
		]);
		expect(RELEASE_TARGETS.map(executableName)).toContain("pi-windows-x64.exe");
	});

	test("targets are found by Bun name, short name or artifact name", () => {
		expect(findTarget("bun-linux-x64-musl")?.variant).toBe("musl");
		expect(findTarget("darwin-arm64")?.bunTarget).toBe("bun-darwin-arm64");
		expect(findTarget("pi-windows-x64.exe")?.os).toBe("windows");
		expect(findTarget("pi-windows-x64.zip")?.os).toBe("windows");
		expect(findTarget("pi-linux-x64-musl.tar.gz")?.variant).toBe("musl");
		expect(findTarget("linux-riscv64")).toBeUndefined();
	});

	test("the version embedded is package.json's", () => {
		expect(VERSION).toBe(packageJson.version);
		expect(defaultReleaseBaseUrl("1.2.3")).toBe("https://github.com/pi-binary/pi/releases/download/v1.2.3");
	});
});

describe("parseBuildArgs", () => {
	test("defaults: every target, bytecode, dist/ and src/main.ts", () => {
		const options = parseBuildArgs([], "/repo");
		expect(options).toEqual({
			host: false,
			targets: [],
			bytecode: true,
			outDir: "/repo/dist",
			entry: "/repo/src/main.ts",
			runtimes: new Map(),
			compressionLevel: 9,
		});
	});

	test("--runtime names a Bun executable to embed for one target", () => {
		const options = parseBuildArgs(["--runtime", "linux-x64-baseline=/opt/bun-baseline/bun"], "/repo");
		expect(options.runtimes.get("bun-linux-x64-baseline")).toBe("/opt/bun-baseline/bun");
		expect(() => parseBuildArgs(["--runtime", "/opt/bun"], "/repo")).toThrow(/<target>=<path/);
		expect(() => parseBuildArgs(["--runtime", "plan9-x64=/bun"], "/repo")).toThrow(/unknown target/);
	});

	test("every executable starts with the system CA store on; --runtime becomes --compile-executable-path", () => {
		const target = findTarget("linux-x64-baseline");
		const command = compileCommand({ bytecode: true, entry: "e.ts", runtime: "/opt/bun" }, "out", target);
		expect(command).toContain("--compile-exec-argv=--use-system-ca");
		expect(command).toContain("--compile-executable-path=/opt/bun");
		expect(command).toContain("--target=bun-linux-x64-baseline");
	});

	test("every executable runs with JavaScriptCore's tier-up thresholds scaled by JIT_POLICY", () => {
		expect(JIT_POLICY).toBeGreaterThan(1);
		for (const bytecode of [true, false]) {
			const command = compileCommand({ bytecode, entry: "e.ts" }, "out");
			expect(command.filter((arg) => arg.startsWith("--compile-jit-policy"))).toEqual([
				`--compile-jit-policy=${JIT_POLICY}`,
			]);
		}
	});

	test("the WebAssembly is embedded zstd-compressed (--asset) under the names src/util/embedded-asset.ts looks for", () => {
		const dir = tempDir();
		const written = writeWasmAssets(dir);
		expect(written.map((path) => path.slice(dir.length + 1)).sort()).toEqual([
			"photon_rs_bg.wasm.zst",
			"quickjs.wasm.zst",
		]);
		for (const asset of WASM_ASSETS) {
			const original = readFileSync(Bun.resolveSync(asset.specifier, repoRoot));
			const packed = readFileSync(join(dir, asset.embeddedName));
			expect(packed.length).toBeLessThan(original.length / 2);
			expect(Buffer.from(Bun.zstdDecompressSync(packed)).equals(original)).toBe(true);
		}
		const command = compileCommand({ bytecode: true, entry: "e.ts", assets: written }, "out");
		for (const path of written) expect(command).toContain(`--asset=${path}`);
	});

	test("the model catalog and the README are embedded zstd-compressed, byte for byte the file (the catalog's provider spans are offsets)", () => {
		const dir = tempDir();
		expect(writeZstdAssets(dir)).toEqual(ZSTD_ASSETS.map((asset) => join(dir, asset.embeddedName)));
		for (const asset of ZSTD_ASSETS) {
			const original = readFileSync(join(repoRoot, "src", asset.source));
			const packed = readFileSync(join(dir, asset.embeddedName));
			expect(packed.length).toBeLessThan(original.length / (asset === MODEL_CATALOG ? 10 : 2));
			expect(Buffer.from(Bun.zstdDecompressSync(packed)).equals(original)).toBe(true);
		}
	});

	test("islands are bundled whole and zstd-compressed: evaluated without node_modules, they have what their callers use", async () => {
		const dir = tempDir();
		const written = await writeIslands(dir);
		expect(written).toEqual(ISLANDS.map((island) => join(dir, island.embeddedName)));
		const evaluate = (island: Island) => {
			const path = join(dir, island.embeddedName);
			return evaluateIsland(readFileSync(path), path) as Record<string, unknown>;
		};
		for (const island of ISLANDS) {
			const packed = readFileSync(join(dir, island.embeddedName));
			const source = await import(join(repoRoot, "src", island.source));
			expect(Object.keys(evaluate(island)).sort()).toEqual(Object.keys(source).sort());
			// zstd-compressed: a fraction of the JavaScript it holds.
			expect(packed.length).toBeLessThan(Bun.zstdDecompressSync(packed).length / 2);
		}
		const hljs = (evaluate(HIGHLIGHT_JS) as typeof import("../../src/export/highlight-js.ts")).createHighlightJs();
		expect(hljs.highlight("const x = 1;", { language: "ts" }).value).toContain(
			'<span class="hljs-keyword">const</span>',
		);
	});

	test("a trained bytecode order is passed with the bytecode, most important first, and never without it", () => {
		const orders = ["/t/order-0.txt", "/t/order-1.txt"];
		const command = compileCommand({ bytecode: true, entry: "e.ts", bytecodeOrder: orders }, "out");
		expect(command).toContain("--bytecode-order=/t/order-0.txt,/t/order-1.txt");
		const plain = compileCommand({ bytecode: false, entry: "e.ts", bytecodeOrder: orders }, "out");
		expect(plain.some((arg) => arg.startsWith("--bytecode"))).toBe(false);
	});

	test("--target takes several names, until the next flag", () => {
		const options = parseBuildArgs(["--target", "linux-x64", "bun-darwin-arm64", "--no-bytecode"], "/repo");
		expect(options.targets.map((t) => t.bunTarget)).toEqual(["bun-linux-x64", "bun-darwin-arm64"]);
		expect(options.bytecode).toBe(false);
	});

	test("unknown targets, unknown flags and --host with --target are errors", () => {
		expect(() => parseBuildArgs(["--target", "plan9-x64"], "/repo")).toThrow(/unknown target "plan9-x64"/);
		expect(() => parseBuildArgs(["--fast"], "/repo")).toThrow(/unknown argument: --fast/);
		expect(() => parseBuildArgs(["--host", "--target", "linux-x64"], "/repo")).toThrow(/cannot be combined/);
		expect(() => parseBuildArgs(["--target"], "/repo")).toThrow(/needs a value/);
	});
});

describe("SHA256SUMS and the Homebrew formula", () => {
	test("SHA256SUMS is in sha256sum format and verifies with sha256sum -c", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "pi-linux-x64"), "binary one");
		writeFileSync(join(dir, "pi-darwin-arm64"), "binary two");
		const sums = new Map([
			["pi-linux-x64", sha256File(join(dir, "pi-linux-x64"))],
			["pi-darwin-arm64", sha256File(join(dir, "pi-darwin-arm64"))],
		]);
		const text = sha256sumsText(sums);
		expect(text).toBe(`${sums.get("pi-darwin-arm64")}  pi-darwin-arm64\n${sums.get("pi-linux-x64")}  pi-linux-x64\n`);
		writeFileSync(join(dir, "SHA256SUMS"), text);
		const tool = Bun.which("sha256sum")
			? ["sha256sum", "-c", "SHA256SUMS"]
			: ["shasum", "-a", "256", "-c", "SHA256SUMS"];
		const check = await run(tool, { cwd: dir });
		expect(check.exitCode).toBe(0);
		writeFileSync(join(dir, "pi-linux-x64"), "tampered");
		expect((await run(tool, { cwd: dir })).exitCode).not.toBe(0);
	});

	test("the formula points each os/arch block at its archive with that archive's sha256", () => {
		const sums = new Map(Object.values(FORMULA_ARTIFACTS).map((name, i) => [archiveName(name), String(i).repeat(64)]));
		const formula = homebrewFormula("1.2.3", "https://mirror.example/pi/", sums);
		expect(formula).toContain('version "1.2.3"');
		const block = (os: string, cpu: string): string => {
			const osBody = formula.split(`  ${os} do\n`)[1]?.split("\n  end\n")[0] ?? "";
			return osBody.split(`    ${cpu} do\n`)[1]?.split("\n    end")[0] ?? "";
		};
		expect(block("on_macos", "on_arm")).toBe(
			`      url "https://mirror.example/pi/pi-darwin-arm64.tar.gz"\n      sha256 "${"0".repeat(64)}"`,
		);
		expect(block("on_macos", "on_intel")).toContain(`pi-darwin-x64.tar.gz"\n      sha256 "${"1".repeat(64)}"`);
		expect(block("on_linux", "on_arm")).toContain(`pi-linux-arm64.tar.gz"\n      sha256 "${"2".repeat(64)}"`);
		expect(block("on_linux", "on_intel")).toContain(`pi-linux-x64-baseline.tar.gz"\n      sha256 "${"3".repeat(64)}"`);
		expect(formula).toContain('bin.install "pi"');
	});

	test("the formula refuses to point at an archive that was not built", () => {
		const sums = new Map([["pi-darwin-arm64.tar.gz", "a".repeat(64)]]);
		expect(() => homebrewFormula("1.2.3", "https://x", sums)).toThrow(/needs pi-darwin-x64.tar.gz/);
	});
});

describe("baseline runtime check", () => {
	const baseline = findTarget("linux-x64-baseline");
	const regular = findTarget("linux-x64");
	if (!baseline || !regular) throw new Error("targets missing");

	test("a baseline executable must embed a runtime that names the baseline upgrade asset", () => {
		const real = new TextEncoder().encode("...ELF...bun-linux-x64-baseline.zip...");
		const fake = new TextEncoder().encode("...ELF...bun-linux-x64.zip...");
		expect(runtimeVariantProblem(baseline, real)).toBeUndefined();
		expect(runtimeVariantProblem(baseline, fake)).toContain("--runtime linux-x64-baseline=");
		expect(runtimeVariantProblem(regular, fake)).toBeUndefined();
	});
});

describe("compiling", () => {
	test("--host builds dist/pi with the version and lazily imported modules embedded, error names kept, ignoring ./.env", async () => {
		const outDir = tempDir();
		const build = await run([
			process.execPath,
			"run",
			"build.ts",
			"--host",
			"--entry",
			fixtureEntry,
			"--outdir",
			outDir,
		]);
		expect(build.stderr).toBe("");
		expect(build.exitCode).toBe(0);
		const binary = join(outDir, process.platform === "win32" ? "pi.exe" : "pi");
		// Run from another folder: nothing may be read from the source tree at run time.
		const cwd = tempDir();
		writeFileSync(join(cwd, ".env"), "PI_BUILD_TEST_DOTENV=loaded\n");
		expect((await run([binary, "--version"], { cwd })).stdout).toBe(`${packageJson.version}\n`);
		expect((await run([binary, "lazy"], { cwd })).stdout).toBe("lazy-ok valibot-ok\n");
		expect((await run([binary, "lazy-require"], { cwd, env: { FORCE_COLOR: "1" } })).stdout).toBe("highlighted\n");
		expect((await run([binary, "dotenv"], { cwd })).stdout).toBe("unset\n");
		expect((await run([binary, "error-name"], { cwd })).stdout).toBe("FileError\n");
	});

	test("top-level await in the entry builds with bytecode (ESM output) and runs", async () => {
		const entry = join(import.meta.dir, "fixtures", "top-level-await.ts");
		const outDir = tempDir();
		const built = await run([process.execPath, "run", "build.ts", "--host", "--entry", entry, "--outdir", outDir]);
		expect(built.exitCode).toBe(0);
		expect((await run([join(outDir, "pi")])).stdout).toBe("tla-ok\n");
	});

	test("a target whose runtime cannot be fetched fails by name; the others are still built and summed", async () => {
		const host = findTarget(hostName);
		if (!host) throw new Error(`this test needs a host that is a release target, not ${hostName}`);
		const other = host.bunTarget === "bun-darwin-arm64" ? "linux-arm64" : "darwin-arm64";
		const outDir = tempDir();
		const build = await run(
			[
				...[process.execPath, "run", "build.ts", "--target", hostName, other],
				...["--entry", fixtureEntry, "--outdir", outDir, "--compression-level", "1"],
			],
			{
				// An empty runtime cache and a dead proxy: the cross target's download fails without touching the internet.
				env: { BUN_INSTALL_CACHE_DIR: tempDir(), HTTPS_PROXY: "http://127.0.0.1:9", https_proxy: "http://127.0.0.1:9" },
			},
		);
		expect(build.exitCode).toBe(1);
		expect(build.stdout).toContain(`FAILED bun-${other}`);
		expect(build.stdout).toContain(`build failed for: bun-${other}`);
		expect(readdirSync(outDir).sort()).toEqual([executableName(host), "release"].sort());
		const archive = archiveName(artifactName(host));
		const release = join(outDir, "release");
		const scripts = ["install.sh", "install.ps1"].filter((name) => existsSync(join(repoRoot, name)));
		expect(readdirSync(release).sort()).toEqual(["SHA256SUMS", archive, ...scripts].sort());
		expect(readFileSync(join(release, "install.sh"), "utf8")).toBe(readFileSync(join(repoRoot, "install.sh"), "utf8"));
		expect(readFileSync(join(release, "SHA256SUMS"), "utf8")).toBe(
			`${sha256File(join(release, archive))}  ${archive}\n`,
		);
		expect(existsSync(join(outDir, "pi.rb"))).toBe(false);
		// The archive holds the same executable, runnable after extraction with the system's tar.
		const unpacked = tempDir();
		expect((await run(["tar", "xzf", join(release, archive), "-C", unpacked])).exitCode).toBe(0);
		expect(readFileSync(join(unpacked, "pi"))).toEqual(readFileSync(join(outDir, executableName(host))));
		expect((await run([join(unpacked, "pi"), "--version"])).stdout).toBe(`${packageJson.version}\n`);

		// A second build starts from a clean output: files of the first one that are not rebuilt do not linger.
		writeFileSync(join(release, "pi-stale.tar.gz"), "old");
		const again = await run(
			[
				...[process.execPath, "run", "build.ts", "--target", hostName],
				...["--entry", fixtureEntry, "--outdir", outDir, "--compression-level", "1"],
			],
			{ env: { BUN_INSTALL_CACHE_DIR: tempDir() } },
		);
		expect(again.exitCode).toBe(0);
		expect(existsSync(join(release, "pi-stale.tar.gz"))).toBe(false);
	}, 120_000);
});
