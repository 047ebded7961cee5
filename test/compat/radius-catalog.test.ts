/**
 * The Radius model list we store (models-store.json) is read by pi 1.6.0 the same way: both list the account's
 * models, not the shipped ones, from the file our refresh wrote.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AuthStorage } from "../../src/auth/auth-storage.ts";
import { ModelRegistry } from "../../src/registry/model-registry.ts";
import { radiusTestModel, startRadiusGateway } from "../support/radius-gateway.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { runCommand } from "../support/run-command.ts";
import { makePiEnv, piCommand } from "../support/run-pi.ts";

const pi160 = referencePi160();
describe.skipIf(!pi160)("Radius's stored model list, as pi 1.6.0 reads it", () => {
	test("--list-models radius lists the same account models", async () => {
		if (!pi160) throw new Error("pi 1.6.0 not installed");
		const gateway = startRadiusGateway({ apiKeys: ["rk-compat"] });
		const saved = process.env.PI_RADIUS_GATEWAY;
		try {
			gateway.models = [
				radiusTestModel("balanced"),
				radiusTestModel("fast", { reasoning: false, input: ["text"], contextWindow: 64000, maxTokens: 8000 }),
			];
			const env = makePiEnv();
			process.env.PI_RADIUS_GATEWAY = gateway.url;
			process.env.RADIUS_API_KEY = "rk-compat";
			await new ModelRegistry(
				new AuthStorage(join(env.agentDir, "auth.json")),
				join(env.agentDir, "models.json"),
			).refreshRadiusModels();
			const run = (command: string[]) =>
				runCommand([...command, "--list-models", "radius"], {
					cwd: env.cwd,
					env: { ...env.env, RADIUS_API_KEY: "rk-compat" },
					stdin: "ignore",
				});
			const [theirs, ours] = [await run(pi160.command), await run(piCommand())];
			expect(theirs.stdout).toContain("fast");
			expect(ours.stdout).toBe(theirs.stdout);
		} finally {
			gateway.close();
			delete process.env.RADIUS_API_KEY;
			process.env.PI_RADIUS_GATEWAY = saved;
		}
	}, 60_000);
});
