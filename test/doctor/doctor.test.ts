import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { maskProxyUrl, networkReport } from "../../src/doctor/network.ts";
import { PROBE_QUERY, parseProbeReplies } from "../../src/doctor/terminal-probe.ts";
import { newerRelease, updateCheckDisabled } from "../../src/update/check.ts";
import { FakeReleaseServer } from "../support/fake-release.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

function tempDir(): string {
	return mkdtempSync(join(tmpdir(), "pi-doctor-test-"));
}

describe("terminal probe", () => {
	test("asks for the kitty keyboard flags, synchronized output and device attributes", () => {
		expect(PROBE_QUERY).toBe("\x1b[?u\x1b[?2026$p\x1b[c");
	});

	test("reads the answers; incomplete until the device attributes arrive", () => {
		expect(parseProbeReplies("\x1b[?1u\x1b[?2026;2$y\x1b[?62;22c")).toEqual({
			complete: true,
			kittyKeyboard: "yes",
			synchronizedOutput: "yes",
		});
		// A terminal that knows neither: only the device attributes come back.
		expect(parseProbeReplies("\x1b[?1;2c")).toEqual({ complete: true, kittyKeyboard: "no", synchronizedOutput: "no" });
		expect(parseProbeReplies("\x1b[?2026;0$y\x1b[?6c").synchronizedOutput).toBe("no");
		expect(parseProbeReplies("\x1b[?0u")).toEqual({
			complete: false,
			kittyKeyboard: "yes",
			synchronizedOutput: "unknown",
		});
		expect(parseProbeReplies("")).toEqual({ complete: false, kittyKeyboard: "unknown", synchronizedOutput: "unknown" });
	});
});

describe("network report", () => {
	test("proxies are listed with their credentials masked; a bad one is a problem", () => {
		expect(maskProxyUrl("http://alice:s3cret@proxy.corp:8080")).toBe("http://***:***@proxy.corp:8080");
		const report = networkReport(
			{ HTTPS_PROXY: "http://alice:s3cret@proxy.corp:8080", NO_PROXY: "localhost,.corp", HTTP_PROXY: "http://[bad" },
			["--use-system-ca"],
			true,
		);
		expect(report.proxies).toEqual([
			["HTTPS_PROXY", "http://***:***@proxy.corp:8080"],
			["HTTP_PROXY", "http://[bad"],
		]);
		expect(report.noProxy).toBe("localhost,.corp");
		expect(report.problems).toEqual(["HTTP_PROXY is not a URL: http://[bad"]);
		expect(report.ca[0]).toBe("system certificate store: used (--use-system-ca)");
	});

	test("NODE_EXTRA_CA_CERTS: counted when good, a problem when missing or empty; TLS checks turned off is a problem", () => {
		const dir = tempDir();
		const pem = join(dir, "corp.pem");
		writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
		expect(networkReport({ NODE_EXTRA_CA_CERTS: pem }, [], true).ca).toContain(
			`NODE_EXTRA_CA_CERTS=${pem} (1 certificate(s))`,
		);
		const missing = networkReport({ NODE_EXTRA_CA_CERTS: join(dir, "nope.pem") }, [], true);
		expect(missing.problems[0]).toContain("nope.pem does not exist");
		writeFileSync(join(dir, "empty.pem"), "hello");
		expect(networkReport({ NODE_EXTRA_CA_CERTS: join(dir, "empty.pem") }, [], true).problems[0]).toContain(
			"holds no PEM certificate",
		);
		expect(networkReport({ NODE_TLS_REJECT_UNAUTHORIZED: "0" }, [], false).problems[0]).toContain(
			"turns off certificate checks",
		);
		expect(networkReport({}, [], true).ca[0]).toContain("not used (this binary was built without --use-system-ca)");
	});
});

describe("startup update check", () => {
	const release = new FakeReleaseServer();
	beforeAll(() => {
		release.start();
		release.publish("9.0.0");
		release.latest = "9.0.0";
		process.env.PI_UPDATE_API_URL = release.apiBase;
	});
	afterAll(async () => {
		delete process.env.PI_UPDATE_API_URL;
		await release.stop();
	});

	test("off with PI_OFFLINE or PI_SKIP_VERSION_CHECK: no request at all", async () => {
		expect(updateCheckDisabled({ PI_OFFLINE: "1" })).toBe(true);
		expect(updateCheckDisabled({ PI_SKIP_VERSION_CHECK: "true" })).toBe(true);
		expect(updateCheckDisabled({ PI_SKIP_VERSION_CHECK: "0" })).toBe(false);
		const before = release.requests.length;
		expect(await newerRelease("1.0.0", { dir: tempDir(), env: { PI_OFFLINE: "1" } })).toBeUndefined();
		expect(release.requests.length).toBe(before);
	});

	test("asks once a day: the answer is cached; a newer release is reported, the same one is not", async () => {
		const dir = tempDir();
		const before = release.requests.length;
		const now = Date.now();
		expect(await newerRelease("1.0.0", { dir, env: {}, now })).toBe("9.0.0");
		expect(await newerRelease("9.0.0", { dir, env: {}, now: now + 1000 })).toBeUndefined();
		expect(release.requests.length).toBe(before + 1);
		release.publish("9.1.0");
		release.latest = "9.1.0";
		expect(await newerRelease("1.0.0", { dir, env: {}, now: now + 25 * 3600_000 })).toBe("9.1.0");
		expect(release.requests.length).toBe(before + 2);
	});

	test("an unreachable release host is silent", async () => {
		release.apiStatus = 500;
		try {
			expect(await newerRelease("1.0.0", { dir: tempDir(), env: {} })).toBeUndefined();
		} finally {
			release.apiStatus = undefined;
		}
	});
});

describe("pi doctor (CLI)", () => {
	test("one screen: version, install, updates, terminal, shell, network, config; exit 0 without problems", async () => {
		const env = makePiEnv();
		const run = await runPi(["doctor"], env, { extraEnv: { HTTPS_PROXY: "http://bob:pw@proxy.test:3128" } });
		expect(run.stderr).toBe("");
		const lines = run.stdout.trimEnd().split("\n");
		expect(lines.length).toBeLessThan(30);
		for (const section of ["pi", "install", "updates", "terminal", "shell", "network", "config"]) {
			expect(run.stdout).toMatch(new RegExp(`^${section} +`, "m"));
		}
		expect(run.stdout).toContain("not a terminal: capabilities not asked");
		expect(run.stdout).toContain("HTTPS_PROXY=http://***:***@proxy.test:3128");
		expect(run.stdout).toContain("startup check off (offline mode");
		expect(run.stdout).toContain("No problems found.");
		expect(run.exitCode).toBe(0);
	});

	test("problems are listed and make the exit code 1", async () => {
		const env = makePiEnv();
		mkdirSync(env.agentDir, { recursive: true });
		writeFileSync(join(env.agentDir, "auth.json"), "{}");
		chmodSync(join(env.agentDir, "auth.json"), 0o644);
		const run = await runPi(["doctor"], env, { extraEnv: { NODE_EXTRA_CA_CERTS: "/nonexistent/corp.pem" } });
		expect(run.exitCode).toBe(1);
		expect(run.stdout).toContain("Problems (2):");
		expect(run.stdout).toContain("NODE_EXTRA_CA_CERTS /nonexistent/corp.pem does not exist");
		expect(run.stdout).toContain("is readable by others (mode 644): chmod 600 it");
	});

	test("models.json is checked as pi reads it: comments, trailing commas and a BOM are fine, broken JSON is not", async () => {
		const env = makePiEnv();
		mkdirSync(env.agentDir, { recursive: true });
		const models = join(env.agentDir, "models.json");
		// Before, this valid file (pi accepts // comments and trailing commas) was reported as "not valid JSON".
		writeFileSync(models, '\uFEFF{\n  // my local server\n  "providers": {},\n}\n');
		const good = await runPi(["doctor"], env);
		expect(good.stdout).toContain("No problems found.");
		writeFileSync(models, '{ "providers": ');
		const bad = await runPi(["doctor"], env);
		expect(bad.exitCode).toBe(1);
		expect(bad.stdout).toContain("models.json is not valid JSON");
	});

	test("arguments are refused", async () => {
		const run = await runPi(["doctor", "--fix"], makePiEnv());
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("pi doctor takes no arguments");
	});
});

describe("pi doctor in a terminal (tmux)", () => {
	test.skipIf(!tmuxBinary)("asks the terminal and shows its answers, restoring the terminal afterwards", async () => {
		const pi = new TmuxPi(makePiEnv(), ["doctor"], { columns: 120, rows: 40 });
		try {
			const { code, stty } = await pi.exited(20_000);
			const screen = pi.screen();
			expect(screen).toContain("inside tmux, 120×40");
			// tmux answers the device attributes query, so each answer is a yes or a no, never unknown.
			expect(screen).toMatch(/kitty keyboard (yes|no); synchronized output (yes|no)/);
			expect(code).toBe(0);
			expect(stty).toEqual(["icanon", "echo"]);
		} finally {
			pi.kill();
		}
	});
});
