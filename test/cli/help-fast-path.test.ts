/** `pi --help`'s check whether extensions must be loaded first (src/cli/help-fast-path.ts), on real folders. */
import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helpNeedsExtensions } from "../../src/cli/help-fast-path.ts";

function agentDir(): string {
	return mkdtempSync(join(tmpdir(), "pi-help-agent-"));
}

test("nothing configured: the fast path; an extension file or a settings entry: load them first", async () => {
	const bare = agentDir();
	// Nothing to read: answered at once, without a promise (src/main.ts then runs no asynchronous code).
	expect(helpNeedsExtensions({ PI_CODING_AGENT_DIR: bare })).toBe(false);
	writeFileSync(join(bare, "settings.json"), JSON.stringify({ theme: "dark" }));
	expect(await helpNeedsExtensions({ PI_CODING_AGENT_DIR: bare })).toBe(false);

	const withFile = agentDir();
	mkdirSync(join(withFile, "extensions"));
	writeFileSync(join(withFile, "extensions", "flags.ts"), "export default function () {}\n");
	expect(await helpNeedsExtensions({ PI_CODING_AGENT_DIR: withFile })).toBe(true);

	for (const settings of [{ extensions: ["./mine.ts"] }, { packages: ["npm:pi-thing"] }]) {
		const dir = agentDir();
		writeFileSync(join(dir, "settings.json"), JSON.stringify(settings));
		expect(await helpNeedsExtensions({ PI_CODING_AGENT_DIR: dir })).toBe(true);
	}
	const home = mkdtempSync(join(tmpdir(), "pi-help-home-"));
	mkdirSync(join(home, ".pi", "agent", "extensions"), { recursive: true });
	writeFileSync(join(home, ".pi", "agent", "extensions", "x.ts"), "export default function () {}\n");
	expect(await helpNeedsExtensions({ HOME: home })).toBe(true);
	expect(await helpNeedsExtensions({ HOME: home, PI_CODING_AGENT_DIR: bare })).toBe(false);
});
