import { describe, expect, test } from "bun:test";
import { parseUpdateArgs } from "../../src/cli/update-command.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

describe("parseUpdateArgs (pi 1.6.0's update targets)", () => {
	test("targets", () => {
		expect(parseUpdateArgs([]).target).toEqual({ type: "self" });
		expect(parseUpdateArgs([]).extensionsSkippedNote).toBe(true);
		expect(parseUpdateArgs(["--self"]).target).toEqual({ type: "self" });
		expect(parseUpdateArgs(["pi"]).target).toEqual({ type: "self" });
		expect(parseUpdateArgs(["self", "--extensions"]).target).toEqual({ type: "all" });
		expect(parseUpdateArgs(["--self", "--extensions"]).target).toEqual({ type: "all" });
		expect(parseUpdateArgs(["--all"]).target).toEqual({ type: "all" });
		expect(parseUpdateArgs(["--extensions"]).target).toEqual({ type: "extensions" });
		expect(parseUpdateArgs(["npm:foo"]).target).toEqual({ type: "extensions", source: "npm:foo" });
		expect(parseUpdateArgs(["--extension", "npm:foo"]).target).toEqual({ type: "extensions", source: "npm:foo" });
		expect(parseUpdateArgs(["--models"]).target).toEqual({ type: "models" });
		expect(parseUpdateArgs(["--rollback"]).target).toEqual({ type: "rollback" });
		expect(parseUpdateArgs(["--force"]).force).toBe(true);
		expect(parseUpdateArgs(["-na"]).approve).toBe(false);
	});

	test("conflicts and mistakes are reported in pi's words", () => {
		expect(parseUpdateArgs(["--all", "--self"]).error).toBe(
			"--all cannot be combined with --self, --extensions, --models, or --extension",
		);
		expect(parseUpdateArgs(["--models", "npm:x"]).error).toBe("--models cannot be combined with a positional source");
		expect(parseUpdateArgs(["npm:x", "--self"]).error).toBe(
			"positional update targets cannot be combined with --self, --extensions, or --all",
		);
		expect(parseUpdateArgs(["--extension"]).error).toBe("Missing value for --extension.");
		expect(parseUpdateArgs(["--bogus"]).error).toBe('Unknown option --bogus for "update".');
		expect(parseUpdateArgs(["a", "b"]).error).toBe("Unexpected argument b.");
		expect(parseUpdateArgs(["--rollback", "--all"]).error).toBe(
			"--rollback cannot be combined with other update targets",
		);
	});
});

function pi(args: string[], env: Record<string, string> = {}) {
	return runPi(args, makePiEnv(), { extraEnv: env });
}

describe("pi update (CLI)", () => {
	test("--help prints the usage", async () => {
		const run = await pi(["update", "--help"]);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toContain("Usage:\n  pi update [source|self|pi]");
		expect(run.stdout).toContain("--rollback");
	});

	test("a bad combination exits 1 with the usage", async () => {
		const run = await pi(["update", "--all", "--models"]);
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("--models cannot be combined with --self, --extensions, --all, or --extension");
		expect(run.stderr).toContain("Usage: pi update");
	});

	test("offline mode refuses the network at once", async () => {
		const run = await pi(["update"], { PI_OFFLINE: "1" });
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("pi update needs the network, and offline mode is on");
	});

	test("online, from source or a standalone binary with no release reachable: a clear one-line error", async () => {
		const run = await pi(["update"], { PI_OFFLINE: "", PI_UPDATE_API_URL: "http://127.0.0.1:9/repos/x/pi" });
		expect(run.exitCode).toBe(1);
		expect(run.stdout).toContain("Extensions are skipped.");
		if (process.env.PI_TEST_BINARY)
			expect(run.stderr).toContain("cannot reach http://127.0.0.1:9/repos/x/pi/releases/latest");
		else expect(run.stderr).toContain("pi is running from source");
		expect(run.stderr).not.toContain("    at ");
	});

	test("--models says the catalog is built in", async () => {
		const run = await pi(["update", "--models"]);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toContain("Model catalogs are built into this pi binary");
	});
});
