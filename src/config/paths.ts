/** Where pi keeps its files (pi-spec §2.1). Functions, not constants: tests change the environment between runs. */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const CONFIG_DIR_NAME = ".pi";

export function expandHome(path: string): string {
	if (path === "~") return homedir();
	if (path.startsWith("~/")) return join(homedir(), path.slice(2));
	return path;
}

/** `$PI_CODING_AGENT_DIR` or `~/.pi/agent`. */
export function agentDir(): string {
	const fromEnv = process.env.PI_CODING_AGENT_DIR;
	if (fromEnv) return resolve(expandHome(fromEnv));
	return join(homedir(), CONFIG_DIR_NAME, "agent");
}

export function projectConfigDir(cwd: string): string {
	return join(cwd, CONFIG_DIR_NAME);
}

export const agentPaths = {
	settings: () => join(agentDir(), "settings.json"),
	auth: () => join(agentDir(), "auth.json"),
	models: () => join(agentDir(), "models.json"),
	keybindings: () => join(agentDir(), "keybindings.json"),
	sessions: () => join(agentDir(), "sessions"),
	bin: () => join(agentDir(), "bin"),
	debugLog: () => join(agentDir(), "pi-debug.log"),
};
