/**
 * Runs install.sh with `sh` against a fake release server on 127.0.0.1 (test/support/fake-release.ts) whose
 * archives hold shell scripts that print a version, with platform detection pinned through PI_INSTALL_* so the
 * results do not depend on the test machine.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
	chmodSync,
	existsSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FakeReleaseServer, fakeBinary } from "../support/fake-release.ts";
import { runCommand } from "../support/run-command.ts";

const installScript = resolve(import.meta.dir, "../../install.sh");
const release = new FakeReleaseServer();

beforeAll(() => {
	release.start();
	release.publish("2.0.0");
	release.latest = "2.0.0";
	release.publish("1.0.0");
	release.publish("3.0.0", { badSums: ["pi-linux-x64"] });
	release.publish("4.0.0", {
		scripts: { "pi-linux-x64": 'echo "cannot execute binary file: Exec format error" >&2; exit 126' },
	});
	release.publish("5.0.0", { stalling: ["pi-linux-x64"] });
	release.publish("6.0.0", { artifacts: ["pi-linux-arm64"] });
	// A Mach-O header: what a macOS build is to Linux.
	const machO = new Uint8Array(4096);
	machO.set([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01]);
	release.publish("7.0.0", { raw: { "pi-darwin-arm64": machO } });
	release.publish("8.0.0", { scripts: { "pi-linux-x64": "echo 7.9.9" } });
});

afterAll(async () => {
	await release.stop();
});

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
 * tools are used whenever they are installed. They take the output file after -o/-O and the URL as last argument,
 * and exit like the real ones on an HTTP error.
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

const BASIC_TOOLS = [
	"sh",
	"uname",
	"grep",
	"awk",
	"sed",
	"head",
	"tr",
	"cat",
	"mkdir",
	"mktemp",
	"chmod",
	"mv",
	"rm",
	"ln",
	"cp",
	"tar",
	"gzip",
];
const SHA_TOOLS = ["sha256sum", "shasum", "openssl"];

interface InstallRun {
	exitCode: number;
	stdout: string;
	stderr: string;
	dir: string;
	root: string;
}

function installEnv(env: Record<string, string>, dir: string, root: string): Record<string, string> {
	return {
		PATH: defaultPath,
		HOME: tempDir("pi-install-home-"),
		PI_INSTALL_BASE_URL: release.downloadBase,
		PI_INSTALL_DIR: dir,
		PI_INSTALL_ROOT: root,
		PI_INSTALL_OS: "Linux",
		PI_INSTALL_ARCH: "x86_64",
		PI_INSTALL_LIBC: "glibc",
		PI_INSTALL_CPUINFO: withAvx2,
		...env,
	};
}

async function install(
	env: Record<string, string> = {},
	where: { dir?: string; root?: string; args?: string[] } = {},
): Promise<InstallRun> {
	const dir = where.dir ?? tempDir("pi-install-dir-");
	const root = where.root ?? join(tempDir("pi-install-root-"), "pi-binary");
	const run = await runCommand(["sh", installScript, ...(where.args ?? [])], { env: installEnv(env, dir, root) });
	return { ...run, dir, root };
}

function runPi(path: string, args: string[] = ["--version"]): string {
	return Bun.spawnSync([path, ...args]).stdout.toString();
}

function installedArtifact(dir: string): string {
	return /# artifact: (\S+)/.exec(readFileSync(join(dir, "pi"), "utf8"))?.[1] ?? "";
}

function installJson(root: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(root, "install.json"), "utf8"));
}

describe("install.sh", () => {
	test("happy path: the latest archive, verified, unpacked into a version folder, linked as pi", async () => {
		const run = await install();
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(installedArtifact(run.dir)).toBe("pi-linux-x64");
		expect(readdirSync(run.dir)).toEqual(["pi"]);
		expect(lstatSync(join(run.dir, "pi")).isSymbolicLink()).toBe(true);
		expect(readlinkSync(join(run.dir, "pi"))).toBe(join(run.root, "versions", "2.0.0", "pi"));
		expect(readdirSync(join(run.root, "versions"))).toEqual(["2.0.0"]);
		expect(readdirSync(run.root).sort()).toEqual(["install.json", "versions"]);
		expect(installJson(run.root)).toEqual({
			kind: "pi-binary-install",
			schemaVersion: 1,
			installedBy: "install.sh",
			artifact: "pi-linux-x64",
			binDir: run.dir,
			current: "2.0.0",
			previous: "",
		});
		expect(runPi(join(run.dir, "pi"))).toBe("2.0.0\n");
		expect(run.stdout).toContain("Downloading pi-linux-x64.tar.gz from");
		expect(run.stdout).toContain(`Installed pi 2.0.0 at ${join(run.dir, "pi")}`);
		expect(run.stdout).toContain(`${run.dir} is not on your PATH`);
		expect(run.stdout).toContain(`export PATH="${run.dir}:$PATH"`);
		// Not a terminal: no progress bar in the output.
		expect(run.stdout + run.stderr).not.toContain("#");
	});

	test("--help prints the usage and installs nothing; an unknown option is refused", async () => {
		const before = release.requests.length;
		const help = await install({}, { args: ["--help"] });
		expect(help.exitCode).toBe(0);
		expect(help.stdout).toContain("Usage: sh install.sh [--version <version>]");
		expect(help.stdout).toContain("PI_INSTALL_DIR");
		expect(readdirSync(help.dir)).toEqual([]);
		expect(existsSync(help.root)).toBe(false);
		expect(release.requests.length).toBe(before);

		const unknown = await install({}, { args: ["--frobnicate"] });
		expect(unknown.exitCode).not.toBe(0);
		expect(unknown.stderr).toContain("unknown option: --frobnicate");
		expect(readdirSync(unknown.dir)).toEqual([]);
	});

	test("a pinned version (--version or PI_INSTALL_VERSION) installs that release; no PATH hint when on PATH", async () => {
		const dir = tempDir("pi-install-dir-");
		const run = await install({ PI_INSTALL_VERSION: "v1.0.0", PATH: `${defaultPath}:${dir}` }, { dir });
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toContain("Installed pi 1.0.0");
		expect(run.stdout).not.toContain("is not on your PATH");
		expect(release.requests).toContain("/pi-binary/pi/releases/download/v1.0.0/pi-linux-x64.tar.gz");
		const flag = await install({}, { args: ["--version", "1.0.0"] });
		expect(flag.exitCode).toBe(0);
		expect(runPi(join(flag.dir, "pi"))).toBe("1.0.0\n");
	});

	test("a pinned version that was never published is reported as such", async () => {
		const run = await install({}, { args: ["--version", "9.9.9"] });
		expect(run.exitCode).not.toBe(0);
		expect(run.stderr).toContain("pi 9.9.9 is not a published release");
		expect(run.stderr).toContain("/download/v9.9.9/SHA256SUMS");
		expect(readdirSync(run.dir)).toEqual([]);
		expect(readdirSync(join(run.root, "versions"))).toEqual([]);
	});

	test("upgrades: the link switches, the previous version is kept for rollback, older ones are removed", async () => {
		const first = await install({ PI_INSTALL_VERSION: "1.0.0" });
		expect(first.exitCode).toBe(0);
		const where = { dir: first.dir, root: first.root };
		const second = await install({}, where);
		expect(second.exitCode).toBe(0);
		expect(second.stdout).toContain(`Upgraded pi 1.0.0 -> 2.0.0 at ${join(first.dir, "pi")}`);
		expect(runPi(join(first.dir, "pi"))).toBe("2.0.0\n");
		expect(readdirSync(join(first.root, "versions")).sort()).toEqual(["1.0.0", "2.0.0"]);
		expect(installJson(first.root)).toMatchObject({ current: "2.0.0", previous: "1.0.0" });
		expect(readdirSync(first.dir)).toEqual(["pi"]);

		// Reinstalling the same version keeps the recorded previous one.
		const again = await install({}, where);
		expect(again.exitCode).toBe(0);
		expect(again.stdout).toContain("Installed pi 2.0.0");
		expect(installJson(first.root)).toMatchObject({ current: "2.0.0", previous: "1.0.0" });

		// A third version: 1.0.0 is no longer the previous one and goes.
		const third = await install({ PI_INSTALL_VERSION: "6.0.0", PI_INSTALL_ARCH: "aarch64" }, where);
		expect(third.exitCode).toBe(0);
		expect(readdirSync(join(first.root, "versions")).sort()).toEqual(["2.0.0", "6.0.0"]);
		expect(installJson(first.root)).toMatchObject({ current: "6.0.0", previous: "2.0.0" });
	});

	test("a plain binary from the old installer is replaced by the link and kept as a version", async () => {
		const dir = tempDir("pi-install-dir-");
		writeFileSync(join(dir, "pi"), fakeBinary("0.1.0", "pi-linux-x64"));
		chmodSync(join(dir, "pi"), 0o755);
		const run = await install({}, { dir });
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toContain("Upgraded pi 0.1.0 -> 2.0.0");
		expect(lstatSync(join(dir, "pi")).isSymbolicLink()).toBe(true);
		expect(runPi(join(run.root, "versions", "0.1.0", "pi"))).toBe("0.1.0\n");
		expect(installJson(run.root)).toMatchObject({ current: "2.0.0", previous: "0.1.0" });
	});

	test("checksum mismatch: exits non-zero, says so, and keeps the installed pi", async () => {
		const fresh = await install({ PI_INSTALL_VERSION: "3.0.0" });
		expect(fresh.exitCode).not.toBe(0);
		expect(fresh.stderr).toContain("checksum mismatch for pi-linux-x64.tar.gz");
		expect(readdirSync(fresh.dir)).toEqual([]);

		const old = await install({ PI_INSTALL_VERSION: "1.0.0" });
		const upgrade = await install({ PI_INSTALL_VERSION: "3.0.0" }, { dir: old.dir, root: old.root });
		expect(upgrade.exitCode).not.toBe(0);
		expect(runPi(join(old.dir, "pi"))).toBe("1.0.0\n");
		expect(readdirSync(join(old.root, "versions"))).toEqual(["1.0.0"]);
	});

	test("a downloaded pi that does not run never replaces a working one (the wrong OS's build)", async () => {
		const old = await install({ PI_INSTALL_VERSION: "1.0.0" });
		const broken = await install({ PI_INSTALL_VERSION: "4.0.0" }, { dir: old.dir, root: old.root });
		expect(broken.exitCode).not.toBe(0);
		expect(broken.stderr).toContain("the downloaded pi does not run on this machine");
		expect(broken.stderr).toContain("Exec format error");
		expect(broken.stdout).not.toContain("Upgraded");
		expect(runPi(join(old.dir, "pi"))).toBe("1.0.0\n");
		expect(readdirSync(join(old.root, "versions"))).toEqual(["1.0.0"]);
		expect(installJson(old.root)).toMatchObject({ current: "1.0.0" });

		// The case reported on the issue: a macOS build (forced with PI_INSTALL_OS) over a working Linux install.
		const darwin = await install(
			{ PI_INSTALL_OS: "Darwin", PI_INSTALL_ARCH: "arm64", PI_INSTALL_VERSION: "7.0.0" },
			{ dir: old.dir, root: old.root },
		);
		expect(darwin.exitCode).not.toBe(0);
		expect(darwin.stderr).toContain("the downloaded pi does not run on this machine");
		expect(darwin.stdout).not.toContain("Upgraded");
		expect(runPi(join(old.dir, "pi"))).toBe("1.0.0\n");
		expect(readdirSync(join(old.root, "versions"))).toEqual(["1.0.0"]);
	});

	test("a binary whose --version is not the version asked for is refused; a release without this platform is named", async () => {
		const wrong = await install({}, { args: ["--version", "8.0.0"] });
		expect(wrong.exitCode).not.toBe(0);
		expect(wrong.stderr).toContain("asked for pi 8.0.0, but the downloaded binary is 7.9.9");
		expect(readdirSync(wrong.dir)).toEqual([]);
		const missing = await install({}, { args: ["--version", "6.0.0"] });
		expect(missing.exitCode).not.toBe(0);
		expect(missing.stderr).toContain("SHA256SUMS of this release has no entry for pi-linux-x64.tar.gz");
	});

	test("unsupported operating systems and CPUs are refused clearly", async () => {
		const bsd = await install({ PI_INSTALL_OS: "FreeBSD" });
		expect(bsd.exitCode).not.toBe(0);
		expect(bsd.stderr).toContain("unsupported platform: FreeBSD");
		const windows = await install({ PI_INSTALL_OS: "MINGW64_NT-10.0" });
		expect(windows.stderr).toContain("unsupported platform: MINGW64_NT-10.0");
		expect(windows.stderr).toContain("install.ps1");
		const riscv = await install({ PI_INSTALL_ARCH: "riscv64" });
		expect(riscv.exitCode).not.toBe(0);
		expect(riscv.stderr).toContain("unsupported platform: CPU architecture riscv64");
		const muslArm = await install({ PI_INSTALL_ARCH: "aarch64", PI_INSTALL_LIBC: "musl" });
		expect(muslArm.exitCode).not.toBe(0);
		expect(muslArm.stderr).toContain("no musl build of pi for arm64");
		for (const run of [bsd, windows, riscv, muslArm]) expect(existsSync(join(run.dir, "pi"))).toBe(false);
	});

	test("picks the build for the CPU and C library: baseline without AVX2, musl, arm64, macOS", async () => {
		const libDir = tempDir("pi-libdir-");
		writeFileSync(join(libDir, "libstdc++.so.6"), "");
		const cases: [Record<string, string>, string][] = [
			[{ PI_INSTALL_CPUINFO: withoutAvx2 }, "pi-linux-x64-baseline"],
			[{ PI_INSTALL_ARCH: "amd64", PI_INSTALL_CPUINFO: withAvx2 }, "pi-linux-x64"],
			[{ PI_INSTALL_LIBC: "musl", PI_INSTALL_LIBDIRS: libDir }, "pi-linux-x64-musl"],
			[{ PI_INSTALL_ARCH: "aarch64", PI_INSTALL_CPUINFO: withoutAvx2 }, "pi-linux-arm64"],
			[{ PI_INSTALL_OS: "Darwin", PI_INSTALL_ARCH: "arm64" }, "pi-darwin-arm64"],
		];
		const runs = await Promise.all(cases.map(([env]) => install(env)));
		runs.forEach((run, i) => {
			expect(run.stderr).toBe("");
			expect(run.exitCode).toBe(0);
			expect(installedArtifact(run.dir)).toBe(cases[i]?.[1] ?? "");
			expect(installJson(run.root).artifact).toBe(cases[i]?.[1] ?? "");
		});
	});

	test("musl without libstdc++ (a bare Alpine) says what to install before downloading anything", async () => {
		const before = release.requests.length;
		const run = await install({ PI_INSTALL_LIBC: "musl", PI_INSTALL_LIBDIRS: tempDir("pi-empty-lib-") });
		expect(run.exitCode).not.toBe(0);
		expect(run.stderr).toContain("apk add libstdc++ libgcc");
		expect(release.requests.length).toBe(before);
	});

	test("missing tools are named before anything is downloaded; wget and openssl work as fallbacks", async () => {
		const before = release.requests.length;
		const noDownloader = await install({ PATH: pathWith([...BASIC_TOOLS, ...SHA_TOOLS]) });
		expect(noDownloader.exitCode).not.toBe(0);
		expect(noDownloader.stderr).toContain("need curl or wget");
		const noSha = await install({ PATH: pathWith([...BASIC_TOOLS, "curl"]) });
		expect(noSha.exitCode).not.toBe(0);
		expect(noSha.stderr).toContain("need sha256sum, shasum or openssl");
		const noTar = await install({ PATH: pathWith([...BASIC_TOOLS.filter((t) => t !== "tar"), "curl", ...SHA_TOOLS]) });
		expect(noTar.exitCode).not.toBe(0);
		expect(noTar.stderr).toContain("need tar");
		expect(release.requests.length).toBe(before);
		for (const run of [noDownloader, noSha, noTar]) expect(readdirSync(run.dir)).toEqual([]);

		const wgetOnly = await install({ PATH: pathWith([...BASIC_TOOLS, "wget", "sha256sum"]) });
		expect(wgetOnly.stderr).toBe("");
		expect(wgetOnly.exitCode).toBe(0);
		expect(installedArtifact(wgetOnly.dir)).toBe("pi-linux-x64");
		if (Bun.which("openssl")) {
			const opensslOnly = await install({ PATH: pathWith([...BASIC_TOOLS, "curl", "openssl"]) });
			expect(opensslOnly.exitCode).toBe(0);
		}
	});

	test("a running install or update holds the lock: refused clearly; the lock of a dead one is taken over", async () => {
		const root = join(tempDir("pi-install-root-"), "pi-binary");
		mkdirSync(join(root, "update.lock"), { recursive: true });
		const sleeper = Bun.spawn(["sleep", "60"]);
		try {
			writeFileSync(join(root, "update.lock", "pid"), `${sleeper.pid}\n`);
			const busy = await install({}, { root });
			expect(busy.exitCode).not.toBe(0);
			expect(busy.stderr).toContain(`another pi install or update is running (process ${sleeper.pid})`);
			expect(existsSync(join(busy.dir, "pi"))).toBe(false);
		} finally {
			sleeper.kill();
			await sleeper.exited;
		}
		const stale = await install({}, { root });
		expect(stale.exitCode).toBe(0);
		expect(existsSync(join(root, "update.lock"))).toBe(false);
	});

	test("interrupted mid-download (Ctrl+C): the staging folder is removed and the installed pi is kept", async () => {
		const old = await install({ PI_INSTALL_VERSION: "1.0.0" });
		const proc = Bun.spawn(["sh", installScript], {
			env: installEnv({ PI_INSTALL_VERSION: "5.0.0" }, old.dir, old.root),
			// Its own process group, so the signal reaches sh and curl together, as Ctrl+C in a terminal does.
			detached: true,
			stdout: "ignore",
			stderr: "ignore",
		});
		const staged = (): string[] =>
			readdirSync(join(old.root, "versions")).filter((name) => name.startsWith(".staging."));
		const archive = (): string => join(old.root, "versions", staged()[0] ?? "none", "pi-linux-x64.tar.gz");
		const deadline = Date.now() + 15_000;
		while (!(existsSync(archive()) && statSync(archive()).size > 0) && Date.now() < deadline) {
			await Bun.sleep(20);
		}
		expect(staged().length).toBe(1);
		process.kill(-proc.pid, "SIGINT");
		expect(await proc.exited).not.toBe(0);
		expect(staged()).toEqual([]);
		expect(existsSync(join(old.root, "update.lock"))).toBe(false);
		expect(readdirSync(old.dir)).toEqual(["pi"]);
		expect(runPi(join(old.dir, "pi"))).toBe("1.0.0\n");
	});

	test("on a terminal the archive download shows a progress bar", async () => {
		if (!Bun.which("script") || !Bun.which("curl")) return;
		const dir = tempDir("pi-install-dir-");
		const root = join(tempDir("pi-install-root-"), "pi-binary");
		const proc = Bun.spawn(["script", "-qec", `sh ${installScript}`, "/dev/null"], {
			env: installEnv({}, dir, root),
			stdin: "ignore",
			stdout: "pipe",
			stderr: "pipe",
		});
		const [output, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
		expect(exitCode).toBe(0);
		expect(output).toContain("100.0%");
		expect(runPi(join(dir, "pi"))).toBe("2.0.0\n");
	});

	test("a staging folder left by a killed install is removed by the next one", async () => {
		const root = join(tempDir("pi-install-root-"), "pi-binary");
		mkdirSync(join(root, "versions", ".staging.AbCdEf"), { recursive: true });
		writeFileSync(join(root, "versions", ".staging.AbCdEf", "pi-linux-x64.tar.gz"), "partial");
		const run = await install({}, { root });
		expect(run.exitCode).toBe(0);
		expect(readdirSync(join(root, "versions"))).toEqual(["2.0.0"]);
	});

	test("PI_INSTALL_DIR is created when missing", async () => {
		const dir = join(tempDir("pi-install-parent-"), "nested", "bin");
		const run = await install({}, { dir });
		expect(run.exitCode).toBe(0);
		expect(existsSync(join(dir, "pi"))).toBe(true);
	});

	test("shellcheck finds nothing (when installed)", () => {
		if (!Bun.which("shellcheck")) return;
		const check = Bun.spawnSync(["shellcheck", "-s", "sh", installScript], { stdout: "pipe", stderr: "pipe" });
		expect(check.stdout.toString() + check.stderr.toString()).toBe("");
		expect(check.exitCode).toBe(0);
	});
});
