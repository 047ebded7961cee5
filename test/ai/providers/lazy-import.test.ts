import { expect, test } from "bun:test";
import * as v from "valibot";

test("importing streamAssistant and the registry loads no provider SDK (startup cost)", async () => {
	const script = `
		import { streamAssistant } from "./src/ai/stream.ts";
		import "./src/registry/model-registry.ts";
		import "./src/cli/start.ts";
		const sdks = Object.keys(require.cache).filter((key) =>
			/node_modules\\/(openai|@anthropic-ai|@google|@aws-sdk|@smithy|google-auth-library)\\//.test(key),
		);
		await import("./src/ai/providers/openai-completions.ts");
		const after = Object.keys(require.cache).filter((key) => /node_modules\\/openai\\//.test(key));
		console.log(JSON.stringify({ before: sdks.length, after: after.length, ok: typeof streamAssistant }));
	`;
	const child = Bun.spawnSync([process.execPath, "-e", script], { cwd: `${import.meta.dir}/../../..` });
	const output = v.parse(
		v.object({ before: v.number(), after: v.number(), ok: v.string() }),
		JSON.parse(child.stdout.toString().trim()),
	);
	expect(output).toMatchObject({ before: 0, ok: "function" });
	expect(output.after).toBeGreaterThan(0); // the probe can see a loaded SDK, so "before: 0" means something
});
