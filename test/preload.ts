// Runs before every test file: no test may touch the real home folder or reach the network.
import { afterAll } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { providerEnvVariables } from "../src/auth/env-api-keys.ts";

// Every temp folder a test makes (tmpdir() reads TMPDIR on each call) lives under one root, so repeated test runs do
// not fill /tmp. The root is removed by a detached `rm` after the run: deleting thousands of files inside a hook
// once took longer than the hook timeout and failed a green run; cleanup must never hold the run.
const root = mkdtempSync(join(tmpdir(), "pi-test-run-"));
process.env.TMPDIR = root;
afterAll(() => {
	const remover = Bun.spawn(["rm", "-rf", root], {
		stdin: "ignore",
		stdout: "ignore",
		stderr: "ignore",
		detached: true,
	});
	remover.unref();
});

const home = mkdtempSync(join(root, "pi-test-home-"));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.PI_CODING_AGENT_DIR = join(home, ".pi", "agent");
process.env.PI_OFFLINE = "1";
process.env.PI_SKIP_VERSION_CHECK = "1";
// OAuth endpoints go to a closed local port (discard, 9): a test that forgets its fake server fails fast
// instead of reaching the internet.
for (const key of [
	"PI_OAUTH_ANTHROPIC_AUTHORIZE_URL",
	"PI_OAUTH_ANTHROPIC_TOKEN_URL",
	"PI_OAUTH_GITHUB_DEVICE_CODE_URL",
	"PI_OAUTH_GITHUB_ACCESS_TOKEN_URL",
	"PI_OAUTH_GITHUB_COPILOT_TOKEN_URL",
	"PI_OAUTH_GITHUB_COPILOT_API_URL",
	"PI_OAUTH_OPENAI_AUTHORIZE_URL",
	"PI_OAUTH_OPENAI_TOKEN_URL",
	"PI_OPENAI_CODEX_BASE_URL",
	"PI_RADIUS_GATEWAY",
]) {
	process.env[key] ??= "http://127.0.0.1:9/";
}
// No provider credential, provider setting or proxy of the developer's environment may reach a test.
for (const key of [
	...providerEnvVariables(),
	"PI_DEBUG",
	"HTTP_PROXY",
	"HTTPS_PROXY",
	"ALL_PROXY",
	"NO_PROXY",
	"http_proxy",
	"https_proxy",
	"all_proxy",
	"no_proxy",
]) {
	delete process.env[key];
}
