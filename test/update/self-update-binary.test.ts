/**
 * `pi update` and `pi update --rollback` run by the compiled binary (PI_TEST_BINARY, as CI sets it) against a fake
 * release on 127.0.0.1: the real binary is installed as a managed version, updates itself to a (fake) newer
 * release, and the kept real binary rolls back to itself. Skipped when running from the sources.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { hostArtifact } from "../../src/update/targets.ts";
import { FakeReleaseServer } from "../support/fake-release.ts";
import { runCommand } from "../support/run-command.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

const binary = process.env.PI_TEST_BINARY ? resolve(process.env.PI_TEST_BINARY) : undefined;
const artifact = hostArtifact();
const release = new FakeReleaseServer();

beforeAll(() => {
	release.start();
	release.publish("99.0.0");
	release.latest = "99.0.0";
});

afterAll(async () => {
	await release.stop();
});

async function run(command: string[], env: Record<string, string> = {}) {
	const home = mkdtempSync(join(tmpdir(), "pi-update-e2e-home-"));
	return runCommand(command, {
		env: {
			PATH: process.env.PATH ?? "/usr/bin:/bin",
			HOME: home,
			PI_CODING_AGENT_DIR: join(home, ".pi", "agent"),
			PI_UPDATE_API_URL: release.apiBase,
			...env,
		},
	});
}

describe.skipIf(!binary || !artifact || process.platform === "win32")("pi update by the compiled binary", () => {
	test("updates itself from the release, keeps itself, and rolls back to itself", async () => {
		if (!binary || !artifact) return;
		const version = packageJson.version;
		const root = join(mkdtempSync(join(tmpdir(), "pi-update-e2e-")), "pi-binary");
		const binDir = join(root, "..", "bin");
		mkdirSync(join(root, "versions", version), { recursive: true });
		mkdirSync(binDir);
		copyFileSync(binary, join(root, "versions", version, "pi"));
		symlinkSync(join(root, "versions", version, "pi"), join(binDir, "pi"));
		writeFileSync(
			join(root, "install.json"),
			JSON.stringify({ kind: "pi-binary-install", schemaVersion: 1, artifact, binDir, current: version, previous: "" }),
		);
		const pi = join(binDir, "pi");

		const offline = await run([pi, "update"], { PI_OFFLINE: "1" });
		expect(offline.exitCode).toBe(1);
		expect(offline.stderr).toContain("offline mode is on");

		const updated = await run([pi, "update"]);
		expect(updated.stderr).toBe("");
		expect(updated.stdout).toContain(`Updated pi ${version} → 99.0.0 at ${pi}`);
		expect(updated.exitCode).toBe(0);
		expect((await run([pi, "--version"])).stdout).toBe("99.0.0\n");
		expect(readlinkSync(pi)).toBe(join(root, "versions", "99.0.0", "pi"));

		// The fake 99.0.0 cannot roll back; the kept real binary can.
		const back = await run([join(root, "versions", version, "pi"), "update", "--rollback"]);
		expect(back.stderr).toBe("");
		expect(back.stdout).toBe(`Rolled back pi 99.0.0 → ${version} at ${pi}\n`);
		expect((await run([pi, "--version"])).stdout).toBe(`${version}\n`);

		const doctor = await run([pi, "doctor"]);
		expect(doctor.stdout).toContain(`install   installer (${artifact}, versions in ${join(root, "versions")})`);
		expect(doctor.stdout).toContain(`current ${version}, previous 99.0.0 (pi update --rollback)`);
	}, 60_000);
});

describe.skipIf(!binary || !tmuxBinary || process.platform === "win32")(
	"startup update notice (compiled binary)",
	() => {
		test("interactive mode says a newer release exists (the opt-outs are covered in test/doctor)", async () => {
			const env = makePiEnv();
			delete env.env.PI_OFFLINE;
			delete env.env.PI_SKIP_VERSION_CHECK;
			env.env.PI_UPDATE_API_URL = release.apiBase;
			const pi = new TmuxPi(env);
			try {
				await pi.waitFor("New version 99.0.0 is available. Run pi update", 20_000);
			} finally {
				pi.kill();
			}
			expect(release.requests).toContain("/repos/pi-binary/pi/releases/latest");
		}, 60_000);
	},
);
