/**
 * Corporate networks: the compiled binary starts with --use-system-ca and honours NODE_EXTRA_CA_CERTS, so a
 * TLS-inspecting proxy's CA works. Checked against an HTTPS server on 127.0.0.1 with a certificate made here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCommand } from "../support/run-command.ts";

const repoRoot = resolve(import.meta.dir, "../..");
const openssl = Bun.which("openssl");
const dir = mkdtempSync(join(tmpdir(), "pi-tls-test-"));
const binary = join(dir, "out", "pi");
let server: ReturnType<typeof Bun.serve> | undefined;
let url = "";

async function run(command: string[], env: Record<string, string | undefined> = {}) {
	const clean = { ...process.env };
	for (const key of ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR"]) delete clean[key];
	return runCommand(command, { env: { ...clean, ...env } });
}

beforeAll(async () => {
	if (!openssl) return;
	const made = await run([
		openssl,
		...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"],
		...["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "ca.pem")],
	]);
	if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`);
	server = Bun.serve({
		hostname: "127.0.0.1",
		port: 0,
		tls: { cert: readFileSync(join(dir, "ca.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") },
		fetch: () => new Response("ok"),
	});
	url = `https://127.0.0.1:${server.port}/`;
	const entry = join(import.meta.dir, "fixtures", "entry.ts");
	const build = await run([
		process.execPath,
		"run",
		join(repoRoot, "build.ts"),
		"--host",
		"--no-bytecode",
		"--entry",
		entry,
		"--outdir",
		join(dir, "out"),
	]);
	if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr}${build.stdout}`);
}, 120_000);

afterAll(async () => {
	await server?.stop(true);
});

describe.skipIf(!openssl)("TLS trust of the compiled binary", () => {
	test("it starts with the system certificate store on", async () => {
		expect((await run([binary, "exec-argv"])).stdout).toBe('["--use-system-ca"]\n');
	});

	test("an unknown CA is refused; NODE_EXTRA_CA_CERTS makes it trusted", async () => {
		expect((await run([binary, "fetch", url])).stdout).toMatch(/^error: .*(self.signed|certificate)/i);
		expect((await run([binary, "fetch", url], { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") })).stdout).toBe("200\n");
	});

	test("a CA installed in the system store (/etc/ssl/certs) is trusted without configuration", async () => {
		// A private mount namespace shows the binary a system store that holds our CA, leaving the machine's alone.
		const store = join(dir, "store");
		mkdirSync(store);
		copyFileSync(join(dir, "ca.pem"), join(store, "ca-certificates.crt"));
		const rehash = await run([openssl ?? "openssl", "rehash", store]);
		const probe = await run(["unshare", "-m", "--propagation", "private", "true"]);
		if (probe.exitCode !== 0 || rehash.exitCode !== 0) {
			console.warn("system-store TLS test skipped: no mount namespaces here (unshare -m)");
			return;
		}
		const inside = await run([
			"unshare",
			...["-m", "--propagation", "private", "sh", "-c", 'mount --bind "$0" /etc/ssl/certs && exec "$1" fetch "$2"'],
			...[store, binary, url],
		]);
		expect(inside.stdout).toBe("200\n");
	});
});
