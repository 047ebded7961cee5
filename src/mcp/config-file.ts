/**
 * Reading and editing `mcp.json`: `~/.pi/agent/mcp.json` and, for trusted projects, `.pi/mcp.json` (docs/mcp.md).
 * A project entry replaces a user entry of the same name; a project entry without `command`/`url`/`type` only
 * overrides `enabled`, `exposure` and `toolExposure` of the user entry. Invalid entries are reported and skipped.
 * Edits keep everything else in the file (other keys, other servers, the indentation) and are written atomically.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { agentDir, projectConfigDir } from "../config/paths.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { errorMessage } from "../util/errors.ts";
import { readTextFileSync } from "../util/text-file.ts";
import {
	isOverrideEntry,
	type McpExposure,
	type McpServerConfig,
	OVERRIDE_KEYS,
	validateServerConfig,
} from "./config.ts";
import { mcpNamespace } from "./naming.ts";

export type McpConfigScope = "user" | "project";

export interface McpServerEntry {
	name: string;
	config: McpServerConfig;
	/** The file that defines the server, or the extension that registered it. */
	source: string;
	/** `extension`: registered with pi.registerMcpServer(); changes to it apply to this session only. */
	scope: McpConfigScope | "extension";
	/** The project file holding an override of this user-level server's enabled/exposure/toolExposure. */
	override?: string;
}

export interface LoadedMcpConfig {
	servers: McpServerEntry[];
	/** `autoEnableCodemode` beside `mcpServers`; a project value wins. Default true. */
	autoEnableCodemode: boolean;
	errors: string[];
	/** The project file when the project is trusted (where `/mcp` adds project overrides). */
	projectFile?: string;
}

export function userMcpFile(): string {
	return join(agentDir(), "mcp.json");
}

export function projectMcpFile(cwd: string): string {
	return join(projectConfigDir(cwd), "mcp.json");
}

const isRecord = (value: unknown): value is Record<string, unknown> => v.is(v.record(v.string(), v.unknown()), value);

/** The parsed file, or an error line naming it. A missing file is an empty config. */
function readMcpFile(path: string): { data?: Record<string, unknown>; error?: string } {
	if (!existsSync(path)) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(readTextFileSync(path));
	} catch (error) {
		return { error: `${path}: ${errorMessage(error)}` };
	}
	if (!isRecord(parsed) || (parsed.mcpServers !== undefined && !isRecord(parsed.mcpServers))) {
		return { error: `${path}: expected an object with an "mcpServers" object` };
	}
	return { data: parsed };
}

interface LoadState {
	servers: Map<string, McpServerEntry>;
	autoEnableCodemode?: boolean;
	errors: string[];
}

function applyFile(path: string, scope: McpConfigScope, state: LoadState): void {
	const { data, error } = readMcpFile(path);
	if (error) state.errors.push(error);
	if (!data) return;
	if (typeof data.autoEnableCodemode === "boolean") state.autoEnableCodemode = data.autoEnableCodemode;
	else if (data.autoEnableCodemode !== undefined) state.errors.push(`${path}: autoEnableCodemode must be a boolean`);
	const servers = isRecord(data.mcpServers) ? data.mcpServers : {};
	for (const [name, raw] of Object.entries(servers)) {
		if (scope === "project" && isRecord(raw) && isOverrideEntry(raw)) {
			applyOverride(path, name, raw, state);
			continue;
		}
		const result = validateServerConfig(name, raw);
		if (!result.ok) {
			state.errors.push(`${path}: ${result.error}`);
			continue;
		}
		const clash = [...state.servers.keys()].find(
			(other) => other !== name && mcpNamespace(other) === mcpNamespace(name),
		);
		if (clash) {
			state.errors.push(`${path}: server "${name}" conflicts with "${clash}" (names differ only in "-" and "_")`);
			continue;
		}
		state.servers.set(name, { name, config: result.config, source: path, scope });
	}
}

function applyOverride(path: string, name: string, raw: Record<string, unknown>, state: LoadState): void {
	const base = state.servers.get(name);
	const extra = Object.keys(raw).filter((key) => !OVERRIDE_KEYS.includes(key));
	if (!base) {
		state.errors.push(`${path}: server "${name}" needs "command" or "url", or a user-level server to override`);
		return;
	}
	if (extra.length > 0) {
		state.errors.push(`${path}: server "${name}": an override can only set ${OVERRIDE_KEYS.join(", ")}`);
		return;
	}
	const result = validateServerConfig(name, { ...base.config, ...raw });
	if (!result.ok) state.errors.push(`${path}: ${result.error}`);
	else state.servers.set(name, { ...base, config: result.config, override: path });
}

/** The merged configuration. Disabled servers are included (with `enabled: false`) so they can be enabled again. */
export function loadMcpConfig(options: { cwd: string; projectTrusted: boolean }): LoadedMcpConfig {
	const state: LoadState = { servers: new Map(), errors: [] };
	applyFile(userMcpFile(), "user", state);
	const projectFile = options.projectTrusted ? projectMcpFile(options.cwd) : undefined;
	if (projectFile) applyFile(projectFile, "project", state);
	return {
		servers: [...state.servers.values()],
		autoEnableCodemode: state.autoEnableCodemode ?? true,
		errors: state.errors,
		...(projectFile ? { projectFile } : {}),
	};
}

/**
 * Read the file, let `edit` change it, write it back with its own indentation when `edit` returns true. Keys and
 * servers the edit does not touch stay as they were. A file that is not valid JSON is refused, never overwritten.
 */
function editMcpFile(path: string, edit: (servers: Record<string, unknown>, file: Record<string, unknown>) => boolean) {
	const text = existsSync(path) ? readTextFileSync(path) : undefined;
	let parsed: unknown = {};
	if (text !== undefined) {
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw new Error(`${path} is not valid JSON (${errorMessage(error)}); fix it first`);
		}
	}
	if (!isRecord(parsed) || (parsed.mcpServers !== undefined && !isRecord(parsed.mcpServers))) {
		throw new Error(`${path}: expected an object with an "mcpServers" object`);
	}
	const servers = isRecord(parsed.mcpServers) ? parsed.mcpServers : {};
	if (!edit(servers, parsed)) return;
	parsed.mcpServers = servers;
	const indent = (text && /^([ \t]+)\S/m.exec(text)?.[1]) || "  ";
	writeFileAtomicSync(path, `${JSON.stringify(parsed, null, indent)}\n`);
}

/** Add or replace a server; returns true when one of that name was replaced. */
export function addServerToFile(path: string, name: string, config: Record<string, unknown>): boolean {
	let replaced = false;
	editMcpFile(path, (servers) => {
		replaced = servers[name] !== undefined;
		servers[name] = config;
		return true;
	});
	return replaced;
}

/** Remove a server; false when the file does not define it. */
export function removeServerFromFile(path: string, name: string): boolean {
	if (!existsSync(path)) return false;
	let removed = false;
	editMcpFile(path, (servers) => {
		if (servers[name] === undefined) return false;
		delete servers[name];
		removed = true;
		return true;
	});
	return removed;
}

export interface ServerPatch {
	enabled?: boolean;
	exposure?: McpExposure;
}

/**
 * Change `enabled`/`exposure` of one server in the file that defines it. With `asOverride`, a missing entry is
 * added as a project override. Defaults (`enabled: true`, `exposure: "codemode"`) remove the key from a full
 * entry but are written into an override, since there they replace the user-level value.
 */
export function patchServerInFile(path: string, name: string, patch: ServerPatch, asOverride = false): void {
	editMcpFile(path, (servers) => {
		let server = servers[name];
		if (server === undefined && asOverride) {
			server = {};
			servers[name] = server;
		}
		if (!isRecord(server)) throw new Error(`${path} does not define MCP server "${name}"`);
		const keepDefaults = isOverrideEntry(server);
		if (patch.enabled !== undefined) {
			if (patch.enabled && !keepDefaults) delete server.enabled;
			else server.enabled = patch.enabled;
		}
		if (patch.exposure !== undefined) {
			if (patch.exposure === "codemode" && !keepDefaults) delete server.exposure;
			else server.exposure = patch.exposure;
		}
		return true;
	});
}
