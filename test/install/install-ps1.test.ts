/**
 * install.ps1 cannot run here (no PowerShell on this machine: it is neither in Debian nor on npm without a
 * download at install time). What can be checked without it: it follows the same release layout and record as
 * install.sh and pi update, performs each check install.sh does, and runs nothing unless complete.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as v from "valibot";
import { archiveName } from "../../src/update/targets.ts";

const script = readFileSync(resolve(import.meta.dir, "../../install.ps1"), "utf8");

describe("install.ps1", () => {
	test("downloads the Windows archive and SHA256SUMS of the release layout install.sh uses", () => {
		expect(script).toContain("$artifact = 'pi-windows-x64'");
		expect(archiveName("pi-windows-x64")).toBe("pi-windows-x64.zip");
		expect(script).toContain('"$BaseUrl/download/v$Version"');
		expect(script).toContain('"$BaseUrl/latest/download"');
		expect(script).toContain("'https://github.com/pi-binary/pi/releases'");
	});

	test("makes every check install.sh makes, before switching", () => {
		const order = [
			"Get-FileHash -ErrorAction", // tools checked before any download
			"update.lock", // the lock pi update shares
			"is not a published release", // pinned version missing
			"checksum mismatch", // SHA-256 against SHA256SUMS
			"& $newExe --version", // the new binary must run
			"asked for pi $Version, but the downloaded binary is", // and be the version asked for
			"Move-Item $live $aside", // only then the running exe is renamed aside
			"Move-Item $incoming $live",
		].map((needle) => {
			const at = script.indexOf(needle);
			expect(at).toBeGreaterThan(-1);
			return at;
		});
		expect([...order].sort((a, b) => a - b)).toEqual(order);
	});

	test("writes the install record pi update reads (copy layout)", () => {
		const keys = [...script.matchAll(/^ {12}(\w+) += /gm)].map((m) => m[1]);
		expect(keys).toEqual([
			"kind",
			"schemaVersion",
			"installedBy",
			"artifact",
			"binDir",
			"current",
			"previous",
			"layout",
		]);
		expect(script).toContain("kind          = 'pi-binary-install'");
		expect(script).toContain("layout        = 'copy'");
		expect(v.is(v.picklist(["link", "copy"]), "copy")).toBe(true);
	});

	test("--help-like usage, options as parameters or environment variables, and nothing runs until the last line", () => {
		for (const name of [
			"PI_INSTALL_VERSION",
			"PI_INSTALL_DIR",
			"PI_INSTALL_ROOT",
			"PI_INSTALL_BASE_URL",
			"[switch]$Help",
		]) {
			expect(script).toContain(name);
		}
		const code = script.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));
		expect(code[0]).toBe("function Install-Pi {");
		expect(code.at(-1)).toBe("Install-Pi @args");
	});

	test("the braces balance (a cheap guard against a broken edit, since it cannot be parsed here)", () => {
		const stripped = script
			.replace(/@'[\s\S]*?'@/g, "")
			.replace(/'[^'\n]*'/g, "''")
			.replace(/"[^"\n]*"/g, '""');
		const count = (ch: string) => stripped.split(ch).length - 1;
		expect(count("{")).toBe(count("}"));
		expect(count("(")).toBe(count(")"));
	});
});
