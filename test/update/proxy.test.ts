/**
 * Corporate networks: the updater's requests (release API and downloads) go through HTTP(S)_PROXY like every other
 * request, and NO_PROXY exempts hosts. A recording forward proxy on 127.0.0.1 sits in front of the fake release.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { resolve } from "node:path";
import { FakeReleaseServer } from "../support/fake-release.ts";
import { runCommand } from "../support/run-command.ts";

const release = new FakeReleaseServer();
const proxied: string[] = [];
let proxy: ReturnType<typeof Bun.serve>;

beforeAll(() => {
	release.start();
	release.publish("7.7.7");
	release.latest = "7.7.7";
	// A forward proxy receives absolute URLs (GET http://host/path); it passes them on and notes them.
	proxy = Bun.serve({
		hostname: "127.0.0.1",
		port: 0,
		async fetch(request) {
			proxied.push(request.url);
			const upstream = await fetch(request.url, { headers: request.headers });
			return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: upstream.headers });
		},
	});
});

afterAll(async () => {
	await proxy.stop(true);
	await release.stop();
});

const script = `
import { downloadAsset, fetchRelease, findAsset } from ${JSON.stringify(resolve(import.meta.dir, "../../src/update/release.ts"))};
const release = await fetchRelease();
const sums = await downloadAsset(findAsset(release, "SHA256SUMS"));
console.log(release.version, sums.length > 0);
`;

function check(env: Record<string, string>) {
	const clean: Record<string, string | undefined> = { ...process.env };
	for (const key of ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"])
		delete clean[key];
	return runCommand([process.execPath, "-e", script], {
		env: { ...clean, PI_UPDATE_API_URL: release.apiBase, ...env },
	});
}

test("the release API and the asset downloads go through HTTP_PROXY; NO_PROXY bypasses it", async () => {
	const via = await check({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
	expect(via.stderr).toBe("");
	expect(via.stdout).toBe("7.7.7 true\n");
	expect(proxied).toEqual([`${release.apiBase}/releases/latest`, `${release.downloadBase}/download/v7.7.7/SHA256SUMS`]);

	proxied.length = 0;
	const direct = await check({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: "127.0.0.1" });
	expect(direct.stdout).toBe("7.7.7 true\n");
	expect(proxied).toEqual([]);
});
