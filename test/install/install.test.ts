/**
 * Runs install.sh with `sh` against a local release server holding fake artifacts (shell scripts that print a
 * version), with platform detection pinned through PI_INSTALL_* so results do not depend on the test machine.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import {
	chmodSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const installScript = resolve(import.meta.dir, "../../install.sh");
const ARTIFACTS = ["pi-linux-x64", "pi-linux-x64-baseline", "pi-linux-arm64", "pi-linux-x64-musl", "pi-darwin-arm64"];

/** A fake release binary: prints its version; its second line names the artifact so tests can tell builds apart. */
function fakeBinary(version: string, artifact: string): string {
	return `#!/bin/sh\n# artifact: ${artifact}\necho "${version}"\n`;
}

function sha256(text: string): string {
	return createHash("sha256").update(text).digest("hex");
}

/** path → body. Releases live at /latest/download/<file> and /download/v<version>/<file>, like GitHub's. */
const files = new Map<string, string>();
const requested: string[] = [];

function publishRelease(prefix: string, version: string, options: { corrupt?: string } = {}): void {
	const sums: string[] = [];
	for (const artifact of ARTIFACTS) {
		const body = fakeBinary(version, artifact);
		files.set(`${prefix}/${artifact}`, body);
		sums.push(`${options.corrupt === artifact ? "0".repeat(64) : sha256(body)}  ${artifact}`);
	}
	files.set(`${prefix}/SHA256SUMS`, `${sums.join("\n")}\n`);
}

/** Sends part of a binary, then nothing: the installer is interrupted while downloading it. */
const STALLING_ARTIFACT = "/download/v5.0.0/pi-linux-x64";

function stallingResponse(): Response {
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(new Uint8Array(4096).fill(65));
		},
	});
	return new Response(stream, { headers: { "content-length": "1000000" } });
}

let server: ReturnType<typeof Bun.serve>;
let baseUrl = "";

beforeAll(() => {
	publishRelease("/latest/download", "2.0.0");
	publishRelease("/download/v1.0.0", "1.0.0");
	publishRelease("/download/v3.0.0-bad", "3.0.0", { corrupt: "pi-linux-x64" });
	publishRelease("/download/v5.0.0", "5.0.0");
	server = Bun.serve({
		hostname: "127.0.0.1",
		port: 0,
		fetch(request) {
			const path = new URL(request.url).pathname;
			requested.push(path);
			if (path === STALLING_ARTIFACT) return stallingResponse();
			const body = files.get(path);
			return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
		},
	});
	baseUrl = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
	await server.stop(true);
});

interface InstallRun {
	exitCode: number;
	stdout: string;
	stderr: string;
	dir: string;
}

function tempDir(prefix: string): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

function cpuinfo(flags: string): string {
	const path = join(tempDir("pi-cpuinfo-"), "cpuinfo");
	writeFileSync(path, `processor\t: 0\nflags\t\t: ${flags}\n`);
	return path;
}

const withAvx2 = cpuinfo("fpu sse sse2 avx avx2 bmi2");
const withoutAvx2 = cpuinfo("fpu sse sse2 avx");

/**
 * Stand-ins for curl and wget on machines that lack them (slim CI images), so every test still runs; the real
 * tools are used whenever they are installed. They take the output file after -o/-O and the URL as last argument.
 */
const shimDir = tempDir("pi-download-shims-");
for (const [tool, failCode] of [
	["curl", 22],
	["wget", 8],
] as const) {
	const shim = join(shimDir, tool);
	writeFileSync(
		shim,
		`#!/bin/sh
out=""; url=""
while [ $# -gt 0 ]; do case "$1" in -o|-O) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done
exec "${process.execPath}" -e 'const r = await fetch(process.argv[1]); if (!r.ok) process.exit(${failCode}); await Bun.write(process.argv[2], r);' "$url" "$out"
`,
	);
	chmodSync(shim, 0o755);
}

function toolPath(tool: string): string | null {
	return Bun.which(tool) ?? (existsSync(join(shimDir, tool)) ? join(shimDir, tool) : null);
}

/** A PATH holding only the named tools (symlinked from the real PATH), to simulate machines that lack some. */
function pathWith(tools: string[]): string {
	const bin = tempDir("pi-path-");
	for (const tool of tools) {
		const real = toolPath(tool);
		if (real) symlinkSync(real, join(bin, tool));
	}
	return bin;
}

/** The machine's PATH, with the stand-ins last so real curl and wget win. */
const defaultPath = `${process.env.PATH ?? "/usr/bin:/bin"}:${shimDir}`;

const BASIC_TOOLS = ["sh", "uname", "grep", "awk", "mkdir", "mktemp", "chmod", "mv", "rm", "sha256sum", "shasum"];

async function install(env: Record<string, string> = {}, dir = tempDir("pi-install-dir-")): Promise<InstallRun> {
	const proc = Bun.spawn(["sh", installScript], {
		env: {
			PATH: defaultPath,
			HOME: tempDir("pi-install-home-"),
			PI_INSTALL_BASE_URL: baseUrl,
			PI_INSTALL_DIR: dir,
			PI_INSTALL_OS: "Linux",
			PI_INSTALL_ARCH: "x86_64",
			PI_INSTALL_LIBC: "glibc",
			PI_INSTALL_CPUINFO: withAvx2,
			...env,
		},
		stdout: "pipe",
		stderr: "pipe",
	});
	const [stdout, stderr, exitCode] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	return { exitCode, stdout, stderr, dir };
}

function installedArtifact(dir: string): string {
	return /# artifact: (\S+)/.exec(readFileSync(join(dir, "pi"), "utf8"))?.[1] ?? "";
}

describe("install.sh", () => {
	test("happy path: downloads the latest build, verifies it, installs it executable and says how to use it", async () => {
		const run = await install();
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(installedArtifact(run.dir)).toBe("pi-linux-x64");
		expect(readdirSync(run.dir)).toEqual(["pi"]);
		const check = Bun.spawnSync([join(run.dir, "pi")]);
		expect(check.stdout.toString()).toBe("2.0.0\n");
		expect(run.stdout).toContain(`Installed pi 2.0.0 at ${join(run.dir, "pi")}`);
		expect(run.stdout).toContain(`${run.dir} is not on your PATH`);
		expect(run.stdout).toContain(`export PATH="${run.dir}:$PATH"`);
	});

	test("PI_INSTALL_VERSION installs that release; no PATH hint when the folder is already on PATH", async () => {
		const dir = tempDir("pi-install-dir-");
		const run = await install({ PI_INSTALL_VERSION: "v1.0.0", PATH: `${defaultPath}:${dir}` }, dir);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toContain("Installed pi 1.0.0");
		expect(run.stdout).not.toContain("is not on your PATH");
		expect(requested).toContain("/download/v1.0.0/pi-linux-x64");
		expect(requested).toContain("/download/v1.0.0/SHA256SUMS");
	});

	test("upgrades in place", async () => {
		const first = await install({ PI_INSTALL_VERSION: "1.0.0" });
		expect(first.exitCode).toBe(0);
		const second = await install({}, first.dir);
		expect(second.exitCode).toBe(0);
		expect(second.stdout).toContain(`Upgraded pi 1.0.0 -> 2.0.0 at ${join(first.dir, "pi")}`);
		expect(Bun.spawnSync([join(first.dir, "pi")]).stdout.toString()).toBe("2.0.0\n");
		expect(readdirSync(first.dir)).toEqual(["pi"]);
	});

	test("checksum mismatch: exits non-zero, says so, installs nothing and keeps the old binary", async () => {
		const fresh = await install({ PI_INSTALL_VERSION: "3.0.0-bad" });
		expect(fresh.exitCode).not.toBe(0);
		expect(fresh.stderr).toContain("checksum mismatch for pi-linux-x64");
		expect(readdirSync(fresh.dir)).toEqual([]);

		const old = await install({ PI_INSTALL_VERSION: "1.0.0" });
		const upgrade = await install({ PI_INSTALL_VERSION: "3.0.0-bad" }, old.dir);
		expect(upgrade.exitCode).not.toBe(0);
		expect(readdirSync(old.dir)).toEqual(["pi"]);
		expect(Bun.spawnSync([join(old.dir, "pi")]).stdout.toString()).toBe("1.0.0\n");
	});

	test("a missing artifact fails with the URL and leaves nothing behind", async () => {
		const run = await install({ PI_INSTALL_VERSION: "9.9.9" });
		expect(run.exitCode).not.toBe(0);
		expect(run.stderr).toContain(`download failed: ${baseUrl}/download/v9.9.9/SHA256SUMS`);
		expect(readdirSync(run.dir)).toEqual([]);
	});

	test("unsupported operating systems and CPUs are refused clearly", async () => {
		const bsd = await install({ PI_INSTALL_OS: "FreeBSD" });
		expect(bsd.exitCode).not.toBe(0);
		expect(bsd.stderr).toContain("unsupported platform: FreeBSD");
		const windows = await install({ PI_INSTALL_OS: "MINGW64_NT-10.0" });
		expect(windows.stderr).toContain("unsupported platform: MINGW64_NT-10.0");
		expect(windows.stderr).toContain("pi-windows-x64.exe");
		const riscv = await install({ PI_INSTALL_ARCH: "riscv64" });
		expect(riscv.exitCode).not.toBe(0);
		expect(riscv.stderr).toContain("unsupported platform: CPU architecture riscv64");
		const muslArm = await install({ PI_INSTALL_ARCH: "aarch64", PI_INSTALL_LIBC: "musl" });
		expect(muslArm.exitCode).not.toBe(0);
		expect(muslArm.stderr).toContain("no musl build of pi for arm64");
		for (const run of [bsd, windows, riscv, muslArm]) expect(existsSync(join(run.dir, "pi"))).toBe(false);
	});

	test("picks the build for the CPU and C library: baseline without AVX2, musl, arm64, macOS", async () => {
		const cases: [Record<string, string>, string][] = [
			[{ PI_INSTALL_CPUINFO: withoutAvx2 }, "pi-linux-x64-baseline"],
			[{ PI_INSTALL_ARCH: "amd64", PI_INSTALL_CPUINFO: withAvx2 }, "pi-linux-x64"],
			[{ PI_INSTALL_LIBC: "musl" }, "pi-linux-x64-musl"],
			[{ PI_INSTALL_ARCH: "aarch64", PI_INSTALL_CPUINFO: withoutAvx2 }, "pi-linux-arm64"],
			[{ PI_INSTALL_OS: "Darwin", PI_INSTALL_ARCH: "arm64" }, "pi-darwin-arm64"],
		];
		const runs = await Promise.all(cases.map(([env]) => install(env)));
		runs.forEach((run, i) => {
			expect(run.exitCode).toBe(0);
			expect(installedArtifact(run.dir)).toBe(cases[i]?.[1] ?? "");
		});
	});

	test("without curl and wget it says what is missing; with only wget it installs", async () => {
		const bare = await install({ PATH: pathWith(BASIC_TOOLS) });
		expect(bare.exitCode).not.toBe(0);
		expect(bare.stderr).toContain("need curl or wget");
		expect(readdirSync(bare.dir)).toEqual([]);

		const wgetOnly = await install({ PATH: pathWith([...BASIC_TOOLS, "wget"]) });
		expect(wgetOnly.stderr).toBe("");
		expect(wgetOnly.exitCode).toBe(0);
		expect(installedArtifact(wgetOnly.dir)).toBe("pi-linux-x64");
	});

	test("interrupted mid-download (Ctrl+C): the partial file is removed and nothing is installed", async () => {
		const old = await install({ PI_INSTALL_VERSION: "1.0.0" });
		const proc = Bun.spawn(["sh", installScript], {
			env: {
				PATH: defaultPath,
				HOME: tempDir("pi-install-home-"),
				PI_INSTALL_BASE_URL: baseUrl,
				PI_INSTALL_DIR: old.dir,
				PI_INSTALL_VERSION: "5.0.0",
				PI_INSTALL_OS: "Linux",
				PI_INSTALL_ARCH: "x86_64",
				PI_INSTALL_LIBC: "glibc",
				PI_INSTALL_CPUINFO: withAvx2,
			},
			// Its own process group, so the signal reaches sh and curl together, as Ctrl+C in a terminal does.
			detached: true,
			stdout: "ignore",
			stderr: "ignore",
		});
		const partial = (): string[] => readdirSync(old.dir).filter((name) => name.startsWith(".pi-install."));
		const deadline = Date.now() + 5000;
		while (!partial().some((name) => statSync(join(old.dir, name)).size > 0) && Date.now() < deadline) {
			await Bun.sleep(10);
		}
		expect(partial().length).toBe(1);
		process.kill(-proc.pid, "SIGINT");
		expect(await proc.exited).not.toBe(0);
		expect(readdirSync(old.dir)).toEqual(["pi"]);
		expect(Bun.spawnSync([join(old.dir, "pi")]).stdout.toString()).toBe("1.0.0\n");
	});

	test("PI_INSTALL_DIR is created when missing", async () => {
		const dir = join(tempDir("pi-install-parent-"), "nested", "bin");
		const run = await install({}, dir);
		expect(run.exitCode).toBe(0);
		expect(existsSync(join(dir, "pi"))).toBe(true);
	});
});
