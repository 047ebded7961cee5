import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	createTar,
	createTarGz,
	createZip,
	readArchive,
	readTar,
	readTarGz,
	readZip,
} from "../../src/update/archive.ts";

function tempDir(): string {
	return mkdtempSync(join(tmpdir(), "pi-archive-test-"));
}

function run(command: string[], cwd: string): { code: number; stdout: string; stderr: string } {
	const proc = Bun.spawnSync(command, { cwd, stdout: "pipe", stderr: "pipe" });
	return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

const binary = new Uint8Array(70_000).map((_, i) => (i * 7919) % 251);
const entries = [
	{ name: "pi", data: binary, mode: 0o755 },
	{ name: "README.txt", data: new TextEncoder().encode("hello\n"), mode: 0o644 },
];

describe("tar.gz", () => {
	test("round-trips files with their modes, and is byte-for-byte reproducible", () => {
		const archive = createTarGz(entries);
		expect(createTarGz(entries)).toEqual(archive);
		const read = readTarGz(archive);
		expect(read.map((e) => [e.name, e.mode, e.data.length])).toEqual([
			["pi", 0o755, 70_000],
			["README.txt", 0o644, 6],
		]);
		expect(read[0]?.data).toEqual(binary);
	});

	test("the system's tar extracts it with the executable bit set", () => {
		const dir = tempDir();
		writeFileSync(join(dir, "a.tar.gz"), createTarGz(entries));
		const out = join(dir, "out");
		mkdirSync(out);
		expect(run(["tar", "xzf", join(dir, "a.tar.gz"), "-C", out], dir).code).toBe(0);
		expect(readFileSync(join(out, "pi"))).toEqual(Buffer.from(binary));
		expect(statSync(join(out, "pi")).mode & 0o777).toBe(0o755);
	});

	test("reads what GNU tar writes, including long names and directory entries", () => {
		const dir = tempDir();
		const long = `${"d".repeat(60)}/${"n".repeat(80)}`;
		mkdirSync(join(dir, "src", "d".repeat(60)), { recursive: true });
		writeFileSync(join(dir, "src", long), "long");
		writeFileSync(join(dir, "src", "pi"), binary);
		chmodSync(join(dir, "src", "pi"), 0o755);
		expect(run(["tar", "czf", join(dir, "gnu.tar.gz"), "-C", join(dir, "src"), "."], dir).code).toBe(0);
		const read = readTarGz(readFileSync(join(dir, "gnu.tar.gz")));
		const names = read.map((e) => e.name).sort();
		expect(names).toEqual([`./${long}`, "./pi"]);
		expect(read.find((e) => e.name === "./pi")?.mode).toBe(0o755);
	});

	test("damage is reported, never returned as content", () => {
		const tar = createTar(entries);
		const broken = tar.slice();
		broken[10] = (broken[10] ?? 0) ^ 0xff;
		expect(() => readTar(broken)).toThrow(/checksum/);
		expect(() => readTar(tar.subarray(0, 2000))).toThrow(/truncated/);
		expect(() => readTarGz(new TextEncoder().encode("<html>not found</html>"))).toThrow(/not a gzip archive/);
		const gz = createTarGz(entries);
		expect(() => readTarGz(gz.subarray(0, gz.length - 100))).toThrow();
	});
});

describe("zip", () => {
	test("round-trips, keeps Unix modes, and the system's unzip accepts it", () => {
		const zip = createZip(entries);
		expect(createZip(entries)).toEqual(zip);
		const read = readZip(zip);
		expect(read.map((e) => [e.name, e.mode])).toEqual([
			["pi", 0o755],
			["README.txt", 0o644],
		]);
		expect(read[0]?.data).toEqual(binary);
		const dir = tempDir();
		writeFileSync(join(dir, "a.zip"), zip);
		if (Bun.which("unzip")) {
			const test = run(["unzip", "-t", "a.zip"], dir);
			expect(test.stdout).toContain("No errors detected");
		}
	});

	test("reads what the zip tool writes (stored and deflated, directory entries)", () => {
		if (!Bun.which("zip")) return;
		const dir = tempDir();
		mkdirSync(join(dir, "src", "sub"), { recursive: true });
		writeFileSync(join(dir, "src", "pi.exe"), binary);
		writeFileSync(join(dir, "src", "sub", "tiny"), "x");
		expect(run(["zip", "-qr", join(dir, "a.zip"), "."], join(dir, "src")).code).toBe(0);
		const read = readZip(readFileSync(join(dir, "a.zip")));
		expect(read.map((e) => e.name).sort()).toEqual(["pi.exe", "sub/tiny"]);
		expect(read.find((e) => e.name === "pi.exe")?.data).toEqual(binary);
	});

	test("a corrupted entry fails its CRC check", () => {
		const zip = createZip([{ name: "pi.exe", data: new Uint8Array(1000), mode: 0o755 }]);
		const broken = zip.slice();
		broken[40] = (broken[40] ?? 0) ^ 0x01;
		expect(() => readZip(broken)).toThrow();
		expect(() => readZip(new Uint8Array(100))).toThrow(/not a zip archive/);
	});
});

test("readArchive picks the format by file name", () => {
	expect(readArchive("pi-linux-x64.tar.gz", createTarGz(entries))[0]?.name).toBe("pi");
	expect(readArchive("pi-windows-x64.zip", createZip(entries))[0]?.name).toBe("pi");
	expect(() => readArchive("pi.rar", new Uint8Array())).toThrow(/unknown archive type/);
});
