/**
 * `pi update` against a fake release on 127.0.0.1 (test/support/fake-release.ts). Installs are made by the real
 * install.sh, then updated in-process with the executable path of the installed `pi`; after every failure the
 * installed pi must still run and report its old version.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
	chmodSync,
	copyFileSync,
	existsSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { detectInstallMethod, readInstallRecord } from "../../src/update/install-layout.ts";
import { checksumFor, isNewerVersion } from "../../src/update/release.ts";
import { runRollback, runSelfUpdate, type SelfUpdateOptions } from "../../src/update/self-update.ts";
import { hostArtifact } from "../../src/update/targets.ts";
import { FakeReleaseServer, fakeBinary } from "../support/fake-release.ts";

const installScript = resolve(import.meta.dir, "../../install.sh");
const release = new FakeReleaseServer();

beforeAll(() => {
	release.start();
	release.publish("1.0.0");
	release.publish("2.0.0");
	release.latest = "2.0.0";
	process.env.PI_UPDATE_API_URL = release.apiBase;
});

afterAll(async () => {
	delete process.env.PI_UPDATE_API_URL;
	await release.stop();
});

function tempDir(prefix: string): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

interface Install {
	dir: string;
	root: string;
	pi: string;
}

/**
 * A real install of `version` by install.sh (x64 Linux build, whatever the test machine is). Spawned
 * asynchronously: the fake release server answers from this process's event loop.
 */
async function installWithScript(version: string): Promise<Install> {
	const dir = tempDir("pi-update-bin-");
	const root = join(tempDir("pi-update-root-"), "pi-binary");
	const run = Bun.spawn(["sh", installScript, "--version", version], {
		env: {
			PATH: process.env.PATH ?? "/usr/bin:/bin",
			HOME: tempDir("pi-update-home-"),
			PI_INSTALL_BASE_URL: release.downloadBase,
			PI_INSTALL_DIR: dir,
			PI_INSTALL_ROOT: root,
			PI_INSTALL_OS: "Linux",
			PI_INSTALL_ARCH: "x86_64",
			PI_INSTALL_LIBC: "glibc",
			PI_INSTALL_CPUINFO: "/dev/null/none",
		},
		stdout: "pipe",
		stderr: "pipe",
	});
	const [stderr, exitCode] = await Promise.all([new Response(run.stderr).text(), run.exited]);
	if (exitCode !== 0) throw new Error(`install.sh failed: ${stderr}`);
	return { dir, root, pi: join(dir, "pi") };
}

function versionOf(pi: string): string {
	return Bun.spawnSync([pi, "--version"]).stdout.toString().trim();
}

interface Outcome {
	code: number;
	out: string;
	err: string;
}

async function update(
	executable: string,
	currentVersion: string,
	extra: Partial<SelfUpdateOptions> = {},
	action: typeof runSelfUpdate = runSelfUpdate,
): Promise<Outcome> {
	const out: string[] = [];
	const err: string[] = [];
	const code = await action({
		executable,
		compiled: true,
		currentVersion,
		stallTimeoutMs: 2000,
		out: (line) => out.push(line),
		err: (line) => err.push(line),
		...extra,
	});
	return { code, out: out.join("\n"), err: err.join("\n") };
}

function leftovers(root: string): string[] {
	return readdirSync(join(root, "versions")).filter((name) => name.startsWith("."));
}

describe("pi update (installer-managed)", () => {
	test("updates A → B: verified, switched by link, the previous version kept, the old file untouched", async () => {
		const install = await installWithScript("1.0.0");
		const oldBinary = join(install.root, "versions", "1.0.0", "pi");
		const before = { ino: statSync(oldBinary).ino, text: readFileSync(oldBinary, "utf8") };
		const result = await update(install.pi, "1.0.0");
		expect(result.err).toBe("");
		expect(result.code).toBe(0);
		expect(result.out).toContain("Updating pi 1.0.0 → 2.0.0 (pi-linux-x64-baseline.tar.gz)");
		expect(result.out).toContain(`Updated pi 1.0.0 → 2.0.0 at ${install.pi}`);
		expect(versionOf(install.pi)).toBe("2.0.0");
		expect(readlinkSync(install.pi)).toBe(join(install.root, "versions", "2.0.0", "pi"));
		expect(readInstallRecord(install.root)).toMatchObject({ current: "2.0.0", previous: "1.0.0" });
		expect(statSync(oldBinary).ino).toBe(before.ino);
		expect(readFileSync(oldBinary, "utf8")).toBe(before.text);
		expect(leftovers(install.root)).toEqual([]);
		expect(existsSync(join(install.root, "update.lock"))).toBe(false);
		// The API and SHA256SUMS were consulted, and the archive came from the release's asset URL.
		expect(release.requests).toContain("/repos/pi-binary/pi/releases/latest");
		expect(release.requests).toContain("/pi-binary/pi/releases/download/v2.0.0/pi-linux-x64-baseline.tar.gz");
	});

	test("already up to date: says so and downloads nothing; --force reinstalls the same version", async () => {
		const install = await installWithScript("2.0.0");
		const before = release.requests.length;
		const result = await update(install.pi, "2.0.0");
		expect(result.code).toBe(0);
		expect(result.out).toBe("pi is already up to date (v2.0.0)");
		expect(release.requests.slice(before)).toEqual(["/repos/pi-binary/pi/releases/latest"]);
		const forced = await update(install.pi, "2.0.0", { force: true });
		expect(forced.code).toBe(0);
		expect(versionOf(install.pi)).toBe("2.0.0");
		expect(readdirSync(join(install.root, "versions"))).toEqual(["2.0.0"]);
	});

	test("a tampered archive (SHA256SUMS mismatch) changes nothing", async () => {
		release.publish("3.0.0", { badSums: ["pi-linux-x64-baseline"] });
		release.latest = "3.0.0";
		try {
			const install = await installWithScript("1.0.0");
			const result = await update(install.pi, "1.0.0");
			expect(result.code).toBe(1);
			expect(result.err).toContain("checksum mismatch for pi-linux-x64-baseline.tar.gz: SHA256SUMS says 0000");
			expect(result.err).toContain("nothing was changed");
			expect(versionOf(install.pi)).toBe("1.0.0");
			expect(readdirSync(join(install.root, "versions"))).toEqual(["1.0.0"]);
			expect(existsSync(join(install.root, "update.lock"))).toBe(false);
		} finally {
			release.latest = "2.0.0";
		}
	});

	test("archive and SHA256SUMS replaced together: the release host's digest still catches it", async () => {
		release.publish("3.1.0", { badDigests: ["pi-linux-x64-baseline"] });
		release.latest = "3.1.0";
		try {
			const install = await installWithScript("1.0.0");
			const result = await update(install.pi, "1.0.0");
			expect(result.code).toBe(1);
			expect(result.err).toContain("the release host's digest is 1111");
			expect(versionOf(install.pi)).toBe("1.0.0");
		} finally {
			release.latest = "2.0.0";
		}
	});

	test("a release without digests (older hosts) is verified against SHA256SUMS alone", async () => {
		release.publish("3.2.0", { noDigests: true });
		release.latest = "3.2.0";
		try {
			const install = await installWithScript("1.0.0");
			const result = await update(install.pi, "1.0.0");
			expect(result.code).toBe(0);
			expect(versionOf(install.pi)).toBe("3.2.0");
		} finally {
			release.latest = "2.0.0";
		}
	});

	test("a new binary that fails --version (or reports another version) is not switched to", async () => {
		release.publish("4.0.0", { scripts: { "pi-linux-x64-baseline": 'echo "Illegal instruction" >&2; exit 132' } });
		release.publish("4.1.0", { scripts: { "pi-linux-x64-baseline": "echo 0.0.1" } });
		const install = await installWithScript("1.0.0");
		try {
			release.latest = "4.0.0";
			const crash = await update(install.pi, "1.0.0");
			expect(crash.code).toBe(1);
			expect(crash.err).toContain("the new pi 4.0.0 does not run on this machine (Illegal instruction)");
			release.latest = "4.1.0";
			const wrong = await update(install.pi, "1.0.0");
			expect(wrong.code).toBe(1);
			expect(wrong.err).toContain("the new pi reports version 0.0.1, not 4.1.0");
		} finally {
			release.latest = "2.0.0";
		}
		expect(versionOf(install.pi)).toBe("1.0.0");
		expect(readdirSync(join(install.root, "versions"))).toEqual(["1.0.0"]);
		expect(leftovers(install.root)).toEqual([]);
	});

	test("an interrupted download (the server stalls) fails cleanly", async () => {
		release.publish("5.0.0", { stalling: ["pi-linux-x64-baseline"] });
		release.latest = "5.0.0";
		try {
			const install = await installWithScript("1.0.0");
			const result = await update(install.pi, "1.0.0", { stallTimeoutMs: 300 });
			expect(result.code).toBe(1);
			expect(result.err).toContain("download of pi-linux-x64-baseline.tar.gz failed: no data for 300 ms");
			expect(versionOf(install.pi)).toBe("1.0.0");
			expect(leftovers(install.root)).toEqual([]);
			expect(existsSync(join(install.root, "update.lock"))).toBe(false);
		} finally {
			release.latest = "2.0.0";
		}
	});

	test("staging folders left by a killed install or update are removed by the next one", async () => {
		const install = await installWithScript("1.0.0");
		for (const name of [".staging.abc123", ".staging-xyz"]) {
			mkdirSync(join(install.root, "versions", name));
			writeFileSync(join(install.root, "versions", name, "pi-linux-x64.tar.gz"), "partial");
		}
		expect((await update(install.pi, "1.0.0")).code).toBe(0);
		expect(leftovers(install.root)).toEqual([]);
	});

	test("a concurrent second update stops with a message; the first one completes", async () => {
		const install = await installWithScript("1.0.0");
		const [first, second] = await Promise.all([update(install.pi, "1.0.0"), update(install.pi, "1.0.0")]);
		const outcomes = [first, second].sort((a, b) => a.code - b.code);
		expect(outcomes.map((o) => o.code)).toEqual([0, 1]);
		expect(outcomes[1]?.err).toContain(`another pi install or update is running (process ${process.pid})`);
		expect(versionOf(install.pi)).toBe("2.0.0");

		// A lock left by a process that died is taken over.
		const other = await installWithScript("1.0.0");
		mkdirSync(join(other.root, "update.lock"));
		writeFileSync(join(other.root, "update.lock", "pid"), "999999999\n");
		expect((await update(other.pi, "1.0.0")).code).toBe(0);
	});

	test("rollback returns to the previous version and back; without one it says so", async () => {
		const install = await installWithScript("1.0.0");
		expect((await update(install.pi, "1.0.0")).code).toBe(0);
		const back = await update(install.pi, "2.0.0", {}, runRollback);
		expect(back.err).toBe("");
		expect(back.out).toBe(`Rolled back pi 2.0.0 → 1.0.0 at ${install.pi}`);
		expect(versionOf(install.pi)).toBe("1.0.0");
		expect(readInstallRecord(install.root)).toMatchObject({ current: "1.0.0", previous: "2.0.0" });
		const forth = await update(install.pi, "1.0.0", {}, runRollback);
		expect(forth.code).toBe(0);
		expect(versionOf(install.pi)).toBe("2.0.0");

		const fresh = await installWithScript("2.0.0");
		const none = await update(fresh.pi, "2.0.0", {}, runRollback);
		expect(none.code).toBe(1);
		expect(none.err).toContain("there is no previous version to roll back to");
		expect(versionOf(fresh.pi)).toBe("2.0.0");
	});
});

describe("pi update (other installs)", () => {
	test("a standalone binary becomes a managed install and keeps itself for rollback", async () => {
		const dir = tempDir("pi-standalone-");
		const pi = join(dir, "pi");
		writeFileSync(pi, fakeBinary("1.0.0", "pi-linux-arm64"));
		chmodSync(pi, 0o755);
		const root = join(tempDir("pi-standalone-root-"), "pi-binary");
		const result = await update(pi, "1.0.0", { installRoot: root, artifact: "pi-linux-arm64" });
		expect(result.err).toBe("");
		expect(result.code).toBe(0);
		expect(lstatSync(pi).isSymbolicLink()).toBe(true);
		expect(versionOf(pi)).toBe("2.0.0");
		expect(readInstallRecord(root)).toMatchObject({ artifact: "pi-linux-arm64", current: "2.0.0", previous: "1.0.0" });
		expect(detectInstallMethod(pi, true).kind).toBe("managed");
		expect((await update(pi, "2.0.0", {}, runRollback)).code).toBe(0);
		expect(versionOf(pi)).toBe("1.0.0");
	});

	test("a standalone binary does not take over the install root of another pi", async () => {
		const managed = await installWithScript("1.0.0");
		const dir = tempDir("pi-standalone-");
		const pi = join(dir, "pi");
		writeFileSync(pi, fakeBinary("1.0.0", "pi-linux-arm64"));
		chmodSync(pi, 0o755);
		const result = await update(pi, "1.0.0", { installRoot: managed.root, artifact: "pi-linux-arm64" });
		expect(result.code).toBe(1);
		expect(result.err).toContain(`already manages the pi in ${managed.dir}`);
		expect(readInstallRecord(managed.root)).toMatchObject({ binDir: managed.dir, current: "1.0.0" });
		expect(versionOf(pi)).toBe("1.0.0");
	});

	test("Windows layout (a copy, the running exe renamed aside), simulated on this OS", async () => {
		const root = join(tempDir("pi-win-root-"), "pi-binary");
		const binDir = join(root, "bin");
		mkdirSync(join(root, "versions", "1.0.0"), { recursive: true });
		mkdirSync(binDir);
		const old = join(root, "versions", "1.0.0", "pi.exe");
		writeFileSync(old, fakeBinary("1.0.0", "pi-windows-x64"));
		chmodSync(old, 0o755);
		copyFileSync(old, join(binDir, "pi.exe"));
		// install.ps1's Set-Content -Encoding UTF8 starts the file with a byte-order mark on Windows PowerShell 5.1.
		writeFileSync(
			join(root, "install.json"),
			"\uFEFF" +
				JSON.stringify({
					kind: "pi-binary-install",
					schemaVersion: 1,
					artifact: "pi-windows-x64",
					binDir,
					current: "1.0.0",
					previous: "",
					layout: "copy",
				}),
		);
		// The managed binary runs from versions/<v>/pi.exe's copy in bin; detection goes by the version folder.
		const result = await update(old, "1.0.0", { platform: "windows" });
		expect(result.err).toBe("");
		expect(result.code).toBe(0);
		expect(lstatSync(join(binDir, "pi.exe")).isSymbolicLink()).toBe(false);
		expect(versionOf(join(binDir, "pi.exe"))).toBe("2.0.0");
		expect(readdirSync(binDir)).toEqual(["pi.exe"]);
		expect(readdirSync(join(root, "versions")).sort()).toEqual(["1.0.0", "2.0.0"]);
		const back = await update(join(root, "versions", "2.0.0", "pi.exe"), "2.0.0", { platform: "windows" }, runRollback);
		expect(back.code).toBe(0);
		expect(versionOf(join(binDir, "pi.exe"))).toBe("1.0.0");
	});

	test("Homebrew, Nix and source installs are told what to run instead", async () => {
		const brew = await update("/opt/homebrew/Cellar/pi/1.0.0/bin/pi", "1.0.0");
		expect(brew.code).toBe(1);
		expect(brew.err).toBe("pi was installed with Homebrew; update it with: brew upgrade pi-binary/tap/pi");
		const nix = await update("/nix/store/abc-pi-1.0.0/bin/pi", "1.0.0");
		expect(nix.err).toContain("pi was installed with Nix");
		const source = await update(process.execPath, "1.0.0", { compiled: false });
		expect(source.code).toBe(1);
		expect(source.err).toContain("pi is running from source");
	});

	test("PI_SELF_UPDATE_COMMAND / selfUpdateCommand runs only when a newer release exists, with placeholders", async () => {
		const marker = join(tempDir("pi-selfcmd-"), "ran");
		const command = ["sh", "-c", `echo "{packageName} {version} {installSpec}" > ${marker}`];
		const current = await update("/opt/homebrew/Cellar/pi/2.0.0/bin/pi", "2.0.0", { configuredCommand: command });
		expect(current.out).toBe("pi is already up to date (v2.0.0)");
		expect(existsSync(marker)).toBe(false);
		const old = await update("/opt/homebrew/Cellar/pi/1.0.0/bin/pi", "1.0.0", { configuredCommand: command });
		expect(old.code).toBe(0);
		expect(readFileSync(marker, "utf8")).toBe("pi-binary 2.0.0 pi-binary@2.0.0\n");
		const failing = await update("/x/pi", "1.0.0", { configuredCommand: ["sh", "-c", "exit 7"] });
		expect(failing.code).toBe(1);
		expect(failing.err).toContain("exited with code 7");
	});

	test("the release host being down or rate limited is reported, nothing changes", async () => {
		const install = await installWithScript("1.0.0");
		release.apiStatus = 403;
		try {
			const result = await update(install.pi, "1.0.0");
			expect(result.code).toBe(1);
			expect(result.err).toContain("answered HTTP 403 (rate limited; try again later)");
		} finally {
			release.apiStatus = undefined;
		}
		expect(versionOf(install.pi)).toBe("1.0.0");
	});
});

describe("helpers", () => {
	test("versions compare as semantic versions", () => {
		expect(isNewerVersion("1.10.0", "1.9.9")).toBe(true);
		expect(isNewerVersion("1.0.0", "1.0.0")).toBe(false);
		expect(isNewerVersion("1.0.0", "1.0.0-rc.1")).toBe(true);
		expect(isNewerVersion("1.0.0-rc.2", "1.0.0-rc.10")).toBe(false);
		expect(isNewerVersion("v2.0.0", "1.0.0")).toBe(true);
		expect(isNewerVersion("garbage", "1.0.0")).toBe(false);
	});

	test("SHA256SUMS lines in text and binary mode", () => {
		const sums = `${"a".repeat(64)}  pi-linux-x64.tar.gz\n${"B".repeat(64)} *pi-windows-x64.zip\r\n`;
		expect(checksumFor(sums, "pi-linux-x64.tar.gz")).toBe("a".repeat(64));
		expect(checksumFor(sums, "pi-windows-x64.zip")).toBe("b".repeat(64));
		expect(checksumFor(sums, "pi-linux-arm64.tar.gz")).toBeUndefined();
	});

	test("the host artifact is chosen as install.sh chooses it", () => {
		const probe = (platform: string, arch: string, musl = false, avx2 = true) => ({
			platform,
			arch,
			isMusl: () => musl,
			hasAvx2: () => avx2,
		});
		expect(hostArtifact(probe("linux", "x64"))).toBe("pi-linux-x64");
		expect(hostArtifact(probe("linux", "x64", false, false))).toBe("pi-linux-x64-baseline");
		expect(hostArtifact(probe("linux", "x64", true))).toBe("pi-linux-x64-musl");
		expect(hostArtifact(probe("linux", "arm64", true))).toBeUndefined();
		expect(hostArtifact(probe("darwin", "arm64"))).toBe("pi-darwin-arm64");
		expect(hostArtifact(probe("win32", "x64"))).toBe("pi-windows-x64");
		expect(hostArtifact(probe("freebsd", "x64"))).toBeUndefined();
	});
});
