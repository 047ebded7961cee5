import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { providerEnvVariables } from "../../../src/auth/env-api-keys.ts";
import { ModelRegistry } from "../../../src/registry/model-registry.ts";

/** Every variable any provider reads its key from, so a developer's own keys cannot leak into a test. */
export const PROVIDER_ENV_VARS = providerEnvVariables();

/** A fresh temp dir and a clean provider environment; call the returned cleanup in afterEach. */
export function sandbox(): { dir: string; cleanup: () => void } {
	const dir = mkdtempSync(join(tmpdir(), "pi-registry-test-"));
	const saved = new Map(PROVIDER_ENV_VARS.map((name) => [name, process.env[name]]));
	for (const name of PROVIDER_ENV_VARS) delete process.env[name];
	return {
		dir,
		cleanup: () => {
			for (const [name, value] of saved) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Registry over real files in `dir`; `modelsJson` (object or raw text) is written when given. */
export function makeRegistry(
	dir: string,
	options: { modelsJson?: unknown; authJson?: unknown } = {},
): { auth: AuthStorage; registry: ModelRegistry; modelsPath: string; authPath: string } {
	const modelsPath = join(dir, "models.json");
	const authPath = join(dir, "auth.json");
	if (options.modelsJson !== undefined) {
		const text = typeof options.modelsJson === "string" ? options.modelsJson : JSON.stringify(options.modelsJson);
		writeFileSync(modelsPath, text);
	}
	if (options.authJson !== undefined) writeFileSync(authPath, JSON.stringify(options.authJson));
	const auth = new AuthStorage(authPath);
	return { auth, registry: new ModelRegistry(auth, modelsPath), modelsPath, authPath };
}
