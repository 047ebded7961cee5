/**
 * `pi mcp add|remove|list|login|logout` (pi 1.6.0 docs/cli.md "MCP commands"): configure and check servers and sign
 * in to them without a session, so agents can run them through bash. `list` connects to every enabled server and
 * exits 1 when an entry is invalid or an enabled server is not connected.
 */
import { existsSync } from "node:fs";
import { errorMessage } from "../util/errors.ts";
import { isHttpConfig, serverExposure, toolExposure, validateServerConfig } from "./config.ts";
import {
	addServerToFile,
	type LoadedMcpConfig,
	loadMcpConfig,
	type McpServerEntry,
	projectMcpFile,
	removeServerFromFile,
	userMcpFile,
} from "./config-file.ts";
import { runMcpLogin, runMcpLogout } from "./login-command.ts";

const HELP = `Usage:
  pi mcp add <server> [options] -- <command> [args...]
  pi mcp add <server> [options] --url <url>
  pi mcp remove <server> [-l]
  pi mcp list [--json]
  pi mcp login <server> [-l] [--timeout <seconds>]
  pi mcp logout <server> [-l]

Configure and check MCP servers and sign in to OAuth servers without starting a session.
Reads ~/.pi/agent/mcp.json and, in trusted projects, .pi/mcp.json.

Commands:
  add <server>            Add or replace a server in mcp.json
  remove <server>         Remove a server from mcp.json
  list                    Show state, tools, and errors (exits 1 on failure)
  login <server>          Sign in through the browser
  logout <server>         Delete the stored OAuth credentials

Options for add, remove, login, and logout:
  -l, --local             Use .pi/mcp.json in the current project instead of the global file

Options for add:
  --url <url>             Streamable HTTP server URL (instead of a command)
  --env <KEY=VALUE>       Environment variable for a stdio server (repeatable)
  --cwd <dir>             Working directory for a stdio server
  --header <KEY=VALUE>    HTTP header (repeatable)
  --bearer-token-env-var <NAME>
                          Send "Authorization: Bearer \${NAME}"
  --oauth-client-id <id>  Pre-registered OAuth client id
  --oauth-client-secret <secret>
                          OAuth client secret (may be \${NAME} or !command)
  --oauth-callback-port <port>
                          Fixed OAuth callback port
  --oauth-client-name <name>
                          Client name sent when registering with the OAuth server
  --oauth-client-registration <mode>
                          auto (default), cimd, or dcr
  --exposure <mode>       codemode (default), deferred, direct, or hidden
  --description <text>    What the server offers, shown in the system prompt

Other options:
  --json                  Print the list as JSON
  --timeout <seconds>     Time limit for the whole sign-in (default: 300)`;

const HINT = 'Use "pi mcp --help" for usage.';

type OptionKind = "flag" | "value" | "list";

interface Parsed {
	positional: string[];
	values: Map<string, string | true>;
	lists: Map<string, string[]>;
}

export interface McpCommandContext {
	cwd: string;
	projectTrusted: boolean;
	log: (line: string) => void;
	error: (line: string) => void;
	/** Opens the sign-in page (default: the system browser). */
	openUrl?: (url: string) => void;
}

/**
 * `--name value` options; `--` or the `maxPositionals`-th positional argument ends them, so a stdio command's own
 * flags pass through (`add fs npx -y server --flag`).
 */
function parseOptions(
	args: readonly string[],
	known: Record<string, OptionKind>,
	error: (line: string) => void,
	maxPositionals = Number.POSITIVE_INFINITY,
): Parsed | undefined {
	const parsed: Parsed = { positional: [], values: new Map(), lists: new Map() };
	for (let index = 0; index < args.length; index++) {
		const typed = args[index] ?? "";
		const arg = typed === "-l" ? "--local" : typed;
		if (arg === "--" || parsed.positional.length >= maxPositionals) {
			parsed.positional.push(...args.slice(arg === "--" ? index + 1 : index));
			break;
		}
		if (!arg.startsWith("--")) {
			parsed.positional.push(arg);
			continue;
		}
		const name = arg.slice(2);
		const kind = known[name];
		if (!kind) {
			error(`Unknown option ${typed}.\n${HINT}`);
			return undefined;
		}
		if (kind === "flag") {
			parsed.values.set(name, true);
			continue;
		}
		const value = args[++index];
		if (value === undefined) {
			error(`${arg} needs a value.`);
			return undefined;
		}
		if (kind === "list") parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
		else parsed.values.set(name, value);
	}
	return parsed;
}

function pairs(option: string, items: string[] | undefined, error: (line: string) => void) {
	const record: Record<string, string> = {};
	for (const item of items ?? []) {
		const separator = item.indexOf("=");
		if (separator <= 0) {
			error(`--${option} expects KEY=VALUE, got "${item}".`);
			return undefined;
		}
		record[item.slice(0, separator)] = item.slice(separator + 1);
	}
	return record;
}

const ADD_OPTIONS: Record<string, OptionKind> = {
	local: "flag",
	url: "value",
	env: "list",
	cwd: "value",
	header: "list",
	"bearer-token-env-var": "value",
	"oauth-client-id": "value",
	"oauth-client-secret": "value",
	"oauth-callback-port": "value",
	"oauth-client-name": "value",
	"oauth-client-registration": "value",
	exposure: "value",
	description: "value",
};
const HTTP_ONLY = [
	"header",
	"bearer-token-env-var",
	"oauth-client-id",
	"oauth-client-secret",
	"oauth-callback-port",
	"oauth-client-name",
	"oauth-client-registration",
];

function add(args: readonly string[], context: McpCommandContext): number {
	const { log, error } = context;
	const parsed = parseOptions(args, ADD_OPTIONS, error, 2);
	if (!parsed) return 1;
	const { positional, values, lists } = parsed;
	const [name, ...command] = positional;
	const text = (option: string) => {
		const value = values.get(option);
		return typeof value === "string" ? value : undefined;
	};
	const url = text("url");
	if (!name || (url === undefined) === (command.length === 0)) {
		error(`Usage: pi mcp add <server> [options] (--url <url> | -- <command> [args...])\n${HINT}`);
		return 1;
	}
	const misplaced = (url === undefined ? HTTP_ONLY : ["env", "cwd"]).find(
		(option) => values.has(option) || lists.has(option),
	);
	if (misplaced) {
		error(`--${misplaced} only applies to ${url === undefined ? "HTTP servers (--url)" : "stdio servers"}.`);
		return 1;
	}
	let config: Record<string, unknown>;
	if (url !== undefined) {
		const headers = pairs("header", lists.get("header"), error);
		if (!headers) return 1;
		const bearer = text("bearer-token-env-var");
		if (bearer !== undefined) headers.Authorization = `Bearer \${${bearer}}`;
		const port = text("oauth-callback-port");
		const oauth: Record<string, unknown> = {};
		if (text("oauth-client-id") !== undefined) oauth.clientId = text("oauth-client-id");
		if (text("oauth-client-secret") !== undefined) oauth.clientSecret = text("oauth-client-secret");
		if (port !== undefined) oauth.callbackPort = Number(port);
		if (text("oauth-client-name") !== undefined) oauth.clientName = text("oauth-client-name");
		if (text("oauth-client-registration") !== undefined) oauth.clientRegistration = text("oauth-client-registration");
		config = {
			url,
			...(Object.keys(headers).length ? { headers } : {}),
			...(Object.keys(oauth).length ? { oauth } : {}),
		};
	} else {
		const env = pairs("env", lists.get("env"), error);
		if (!env) return 1;
		const [executable, ...commandArgs] = command;
		config = {
			command: executable,
			...(commandArgs.length ? { args: commandArgs } : {}),
			...(Object.keys(env).length ? { env } : {}),
			...(text("cwd") === undefined ? {} : { cwd: text("cwd") }),
		};
	}
	if (text("exposure") !== undefined) config.exposure = text("exposure");
	if (text("description") !== undefined) config.description = text("description");
	const validated = validateServerConfig(name, config);
	if (!validated.ok) {
		error(validated.error);
		return 1;
	}
	const local = values.has("local");
	const path = local ? projectMcpFile(context.cwd) : userMcpFile();
	let replaced: boolean;
	try {
		replaced = addServerToFile(path, name, config);
	} catch (failure) {
		error(`Could not update ${path}: ${errorMessage(failure)}`);
		return 1;
	}
	log(`${replaced ? "Replaced" : "Added"} ${local ? "project" : "global"} MCP server "${name}" in ${path}.`);
	if (local && !context.projectTrusted) {
		log(`The project is not trusted, so ${path} is ignored until you start pi in the project and trust it.`);
	}
	const mayNeedSignIn =
		isHttpConfig(validated.config) &&
		!Object.keys(validated.config.headers ?? {}).some((header) => header.toLowerCase() === "authorization");
	log(`Check it with: pi mcp list${mayNeedSignIn ? `. If it requires sign-in: pi mcp login ${name}` : ""}`);
	return 0;
}

function remove(args: readonly string[], context: McpCommandContext): number {
	const parsed = parseOptions(args, { local: "flag" }, context.error);
	if (!parsed) return 1;
	const [name, ...extra] = parsed.positional;
	if (!name || extra.length > 0) {
		context.error(`Usage: pi mcp remove <server> [-l]\n${HINT}`);
		return 1;
	}
	const local = parsed.values.has("local");
	const scope = local ? "project" : "global";
	const path = local ? projectMcpFile(context.cwd) : userMcpFile();
	let removed: boolean;
	try {
		removed = removeServerFromFile(path, name);
	} catch (failure) {
		context.error(`Could not update ${path}: ${errorMessage(failure)}`);
		return 1;
	}
	if (removed) {
		context.log(`Removed ${scope} MCP server "${name}" from ${path}.`);
		return 0;
	}
	const other = loadMcpConfig({ cwd: context.cwd, projectTrusted: true }).servers.find(
		(server) => server.name === name && (server.scope === "project") !== local,
	);
	const where = other
		? ` It is defined in ${other.source}${other.scope === "project" ? "; use --local" : "; omit --local"}.`
		: "";
	context.error(`No ${scope} MCP server named "${name}" in ${path}.${where}`);
	return 1;
}

interface ServerReport {
	name: string;
	scope: string;
	source: string;
	override?: string;
	enabled: boolean;
	exposure: string;
	transport: string;
	state: string;
	tools: string[];
	toolExposure?: Record<string, string>;
	resources?: true;
	error?: string;
}

function transportOf(entry: McpServerEntry): string {
	const { config } = entry;
	return isHttpConfig(config) ? config.url : [config.command, ...(config.args ?? [])].join(" ");
}

async function report(entry: McpServerEntry, cwd: string): Promise<ServerReport> {
	const result: ServerReport = {
		name: entry.name,
		scope: entry.scope === "user" ? "global" : "project",
		source: entry.source,
		...(entry.override ? { override: entry.override } : {}),
		enabled: entry.config.enabled !== false,
		exposure: serverExposure(entry.config),
		transport: transportOf(entry),
		state: "disabled",
		tools: [],
	};
	if (!result.enabled) return result;
	const { McpConnection } = await import("./connection.ts");
	const { createMcpAuth } = await import("./oauth/auth.ts");
	const connection = new McpConnection({ entry, cwd, auth: createMcpAuth(entry) });
	await connection.getClient().catch(() => undefined);
	result.state = connection.state;
	result.tools = connection.tools.map((tool) => tool.name);
	const differing = connection.tools.flatMap((tool) => {
		const exposure = toolExposure(entry.config, tool.name);
		return exposure === result.exposure ? [] : [[tool.name, exposure] as const];
	});
	if (differing.length > 0) result.toolExposure = Object.fromEntries(differing);
	if (connection.hasResources) result.resources = true;
	if (connection.state !== "connected" && connection.error) result.error = connection.error;
	await connection.close();
	return result;
}

async function list(config: LoadedMcpConfig, json: boolean, note: string | undefined, context: McpCommandContext) {
	const { log } = context;
	const reports = await Promise.all(config.servers.map((entry) => report(entry, context.cwd)));
	const failed = config.errors.length > 0 || reports.some((item) => item.enabled && item.state !== "connected");
	if (json) {
		log(JSON.stringify({ servers: reports, errors: config.errors, ...(note ? { note } : {}) }, null, 2));
		return failed ? 1 : 0;
	}
	if (reports.length === 0 && config.errors.length === 0) {
		log(`No MCP servers configured. Add them to ${userMcpFile()} or .pi/mcp.json.`);
	}
	for (const item of reports) {
		const count = `${item.tools.length} tool${item.tools.length === 1 ? "" : "s"}`;
		const state =
			item.state === "connected" ? `connected, ${count}` : item.state === "needs-auth" ? "needs sign-in" : item.state;
		log(`${item.name}: ${state} (${item.exposure}, ${item.scope})`);
		log(`  ${item.transport}`);
		if (item.override) log(`  project override: ${item.override}`);
		if (item.state === "needs-auth") log(`  sign in with: pi mcp login ${item.name}`);
		if (item.tools.length > 0) {
			log(
				`  tools: ${item.tools.map((tool) => (item.toolExposure?.[tool] ? `${tool} [${item.toolExposure[tool]}]` : tool)).join(", ")}`,
			);
		}
		if (item.resources) log("  offers resources");
		if (item.error) log(`  ${item.error.split("\n").join("\n  ")}`);
	}
	for (const problem of config.errors) log(`config error: ${problem}`);
	if (note) log(note);
	return failed ? 1 : 0;
}

/** `pi mcp <args>`; returns the exit code. */
export async function runMcpCommand(args: readonly string[], context: McpCommandContext): Promise<number> {
	const [command, ...rest] = args;
	if (command === undefined || command === "help" || args.includes("--help") || args.includes("-h")) {
		context.log(HELP);
		return 0;
	}
	if (command === "add") return add(rest, context);
	if (command === "remove") return remove(rest, context);
	const config = loadMcpConfig({ cwd: context.cwd, projectTrusted: context.projectTrusted });
	const projectFile = projectMcpFile(context.cwd);
	const note =
		!context.projectTrusted && existsSync(projectFile)
			? `${projectFile} is ignored because the project is not trusted. Start pi in the project to trust it.`
			: undefined;
	if (command === "list") {
		const parsed = parseOptions(rest, { json: "flag" }, context.error);
		if (!parsed) return 1;
		if (parsed.positional.length > 0) {
			context.error(`Usage: pi mcp list [--json]\n${HINT}`);
			return 1;
		}
		return list(config, parsed.values.has("json"), note, context);
	}
	if (command === "login" || command === "logout") {
		const parsed = parseOptions(
			rest,
			command === "login" ? { local: "flag", timeout: "value" } : { local: "flag" },
			context.error,
		);
		if (!parsed) return 1;
		const [name, ...extra] = parsed.positional;
		if (!name || extra.length > 0) {
			context.error(`Usage: pi mcp ${command} <server> [-l]\n${HINT}`);
			return 1;
		}
		const entry = config.servers.find((server) => server.name === name);
		if (!entry) {
			const names = config.servers.map((server) => server.name);
			context.error(
				`No MCP server named "${name}".${note ? ` ${note}` : ""} Configured: ${names.join(", ") || "none"}.`,
			);
			return 1;
		}
		if (parsed.values.has("local") && entry.scope !== "project") {
			context.error(`MCP server "${name}" is defined in ${entry.source}, not in the project; omit --local.`);
			return 1;
		}
		if (command === "logout") return runMcpLogout(entry, context);
		const timeout = Number(parsed.values.get("timeout") ?? 300);
		if (!Number.isFinite(timeout) || timeout <= 0) {
			context.error("--timeout must be a positive number of seconds.");
			return 1;
		}
		return runMcpLogin(entry, timeout * 1000, context);
	}
	context.error(`Unknown mcp command "${command}".\n${HINT}`);
	return 1;
}
