/**
 * One `mcpServers` entry, as pi 1.6.0 and other MCP clients write it (docs/mcp.md "Configure servers"):
 * stdio servers (`command`, `args`, `env`, `cwd`), streamable HTTP servers (`url`, `headers`, `oauth`), and for both
 * `enabled`, `description`, `timeout`, `exposure` and `toolExposure`. Configuration files are a trust boundary, so
 * every field is checked here with valibot and a bad entry becomes one message that names the server and the field.
 * Fields we do not know are kept (other clients add their own), unchecked.
 */
import * as v from "valibot";
import { lazyGroup } from "../util/lazy-schema.ts";

/** How a server's tools reach the model (docs/mcp.md "Control tool exposure"). */
export type McpExposure = "codemode" | "deferred" | "direct" | "hidden";
export const MCP_EXPOSURES: readonly McpExposure[] = ["codemode", "deferred", "direct", "hidden"];
/** Older names accepted in files and replaced by the current one when read. */
const EXPOSURE_ALIASES: Readonly<Record<string, McpExposure>> = { "codemode-deferred": "codemode" };

export interface McpOAuthConfig {
	clientId?: string;
	/** May be `${VAR}` or `!command`. */
	clientSecret?: string;
	callbackPort?: number;
	callbackUrl?: string;
	scope?: string;
	clientName?: string;
	clientRegistration?: "auto" | "dcr" | "cimd";
	authServerMetadataUrl?: string;
}

interface McpServerCommon {
	description?: string;
	enabled?: boolean;
	/** Seconds per request; progress notifications reset it. Default 60. */
	timeout?: number;
	exposure?: McpExposure;
	toolExposure?: Record<string, McpExposure>;
}

export interface McpStdioConfig extends McpServerCommon {
	type?: "stdio";
	command: string;
	args?: string[];
	env?: Record<string, string>;
	cwd?: string;
}

export interface McpHttpConfig extends McpServerCommon {
	type?: "http" | "streamable-http";
	url: string;
	headers?: Record<string, string>;
	oauth?: McpOAuthConfig;
}

export type McpServerConfig = McpStdioConfig | McpHttpConfig;

export function isHttpConfig(config: McpServerConfig): config is McpHttpConfig {
	return "url" in config;
}

const SERVER_NAME = /^[A-Za-z0-9_-]+$/;
const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

const EXPOSURE_LIST = MCP_EXPOSURES.map((exposure) => `"${exposure}"`).join(", ");

/** One check of a field: the schema and the message when the value does not fit it. */
type FieldCheck = [field: string, schema: v.GenericSchema, message: string];

/** Built on first use: only a run with an MCP configuration checks one. */
const checks = lazyGroup(() => {
	const stringRecord = v.record(v.string(), v.string());
	const exposureSchema = v.picklist(MCP_EXPOSURES);
	const COMMON_FIELDS: FieldCheck[] = [
		["enabled", v.boolean(), "enabled must be a boolean"],
		["description", v.string(), "description must be a string"],
		["timeout", v.pipe(v.number(), v.gtValue(0)), "timeout must be a positive number of seconds"],
		["exposure", exposureSchema, `exposure must be one of ${EXPOSURE_LIST}`],
		["toolExposure", v.record(v.string(), v.unknown()), "toolExposure must map tool names to exposures"],
	];
	const STDIO_FIELDS: FieldCheck[] = [
		["args", v.array(v.string()), "args must be an array of strings"],
		["env", stringRecord, "env must map names to strings"],
		["cwd", v.string(), "cwd must be a string"],
	];
	const HTTP_FIELDS: FieldCheck[] = [
		["headers", stringRecord, "headers must map names to strings"],
		["oauth", v.record(v.string(), v.unknown()), "oauth must be an object"],
	];
	const OAUTH_FIELDS: FieldCheck[] = [
		["clientId", v.string(), "oauth.clientId must be a string"],
		["clientSecret", v.string(), "oauth.clientSecret must be a string"],
		[
			"callbackPort",
			v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
			"oauth.callbackPort must be a port number",
		],
		["scope", v.string(), "oauth.scope must be a string"],
		["clientName", v.pipe(v.string(), v.trim(), v.nonEmpty()), "oauth.clientName must be a non-empty string"],
		[
			"clientRegistration",
			v.picklist(["auto", "dcr", "cimd"]),
			'oauth.clientRegistration must be "auto", "dcr", or "cimd"',
		],
	];
	const anyRecord = v.record(v.string(), v.unknown());
	return { exposureSchema, COMMON_FIELDS, STDIO_FIELDS, HTTP_FIELDS, OAUTH_FIELDS, anyRecord };
});

const isRecord = (value: unknown): value is Record<string, unknown> => v.is(checks().anyRecord, value);

function checkFields(entry: Record<string, unknown>, fields: FieldCheck[]): string | undefined {
	for (const [field, schema, message] of fields) {
		if (entry[field] !== undefined && !v.is(schema, entry[field])) return message;
	}
	return undefined;
}

function resolveAlias(value: unknown): unknown {
	return typeof value === "string" ? (EXPOSURE_ALIASES[value] ?? value) : value;
}

/** The entry with exposure aliases replaced; other fields as written. */
function withResolvedAliases(entry: Record<string, unknown>): Record<string, unknown> {
	const resolved = { ...entry };
	if (entry.exposure !== undefined) resolved.exposure = resolveAlias(entry.exposure);
	if (isRecord(entry.toolExposure)) {
		resolved.toolExposure = Object.fromEntries(
			Object.entries(entry.toolExposure).map(([tool, exposure]) => [tool, resolveAlias(exposure)]),
		);
	}
	return resolved;
}

function isLoopbackHttpUrl(value: string, options: { allowPathQuery: boolean }): boolean {
	if (!URL.canParse(value)) return false;
	const url = new URL(value);
	if (url.protocol !== "http:" || !LOOPBACK_HOSTS.includes(url.hostname)) return false;
	return options.allowPathQuery || (url.search === "" && url.hash === "");
}

/**
 * pi's Client ID Metadata Documents list `/callback` on localhost and 127.0.0.1 only, so a `cimd` registration
 * needs a callback URL of that shape (or none: then pi picks one).
 */
export function isMetadataDocumentCallback(callbackUrl: string | undefined): boolean {
	if (callbackUrl === undefined) return true;
	const url = new URL(callbackUrl);
	return url.hostname !== "[::1]" && url.pathname === "/callback";
}

function checkOAuth(oauth: Record<string, unknown>): string | undefined {
	const fieldError = checkFields(oauth, checks().OAUTH_FIELDS);
	if (fieldError) return fieldError;
	const { callbackUrl, callbackPort, clientRegistration, authServerMetadataUrl } = oauth;
	if (callbackUrl !== undefined) {
		if (typeof callbackUrl !== "string" || !isLoopbackHttpUrl(callbackUrl, { allowPathQuery: false })) {
			return "oauth.callbackUrl must be an http URI on localhost, 127.0.0.1, or [::1] without query or fragment";
		}
		const port = new URL(callbackUrl).port;
		if (port && callbackPort !== undefined && Number(port) !== callbackPort) {
			return "oauth.callbackUrl and oauth.callbackPort name different ports";
		}
	}
	if (clientRegistration === "cimd") {
		if (oauth.clientId !== undefined || oauth.clientName !== undefined) {
			return 'oauth.clientRegistration "cimd" cannot be combined with oauth.clientId or oauth.clientName';
		}
		if (!isMetadataDocumentCallback(typeof callbackUrl === "string" ? callbackUrl : undefined)) {
			return 'oauth.clientRegistration "cimd" requires oauth.callbackUrl on localhost or 127.0.0.1 with path /callback';
		}
	}
	if (authServerMetadataUrl !== undefined) {
		const ok =
			typeof authServerMetadataUrl === "string" &&
			URL.canParse(authServerMetadataUrl) &&
			(new URL(authServerMetadataUrl).protocol === "https:" ||
				isLoopbackHttpUrl(authServerMetadataUrl, { allowPathQuery: true }));
		if (!ok) return "oauth.authServerMetadataUrl must be an https URL, or http on localhost, 127.0.0.1, or [::1]";
	}
	return undefined;
}

function checkToolExposure(toolExposure: unknown): string | undefined {
	if (!isRecord(toolExposure)) return undefined;
	for (const [tool, exposure] of Object.entries(toolExposure)) {
		if (!v.is(checks().exposureSchema, exposure)) return `toolExposure "${tool}" must be one of ${EXPOSURE_LIST}`;
	}
	return undefined;
}

/** Why the entry is unusable, without the `server "<name>"` prefix; undefined when it is fine. */
function entryProblem(entry: Record<string, unknown>): string | undefined {
	const common = checkFields(entry, checks().COMMON_FIELDS) ?? checkToolExposure(entry.toolExposure);
	if (common) return common;
	const { type, url, command } = entry;
	if (type === "sse") return "legacy SSE transport is not supported; use the streamable HTTP URL";
	if (typeof url === "string" && (type === undefined || type === "http" || type === "streamable-http")) {
		if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return "url must be an http or https URL";
		return checkFields(entry, checks().HTTP_FIELDS) ?? (isRecord(entry.oauth) ? checkOAuth(entry.oauth) : undefined);
	}
	if (typeof command === "string" && (type === undefined || type === "stdio")) {
		if (command.trim() === "") return "command must not be empty";
		return checkFields(entry, checks().STDIO_FIELDS);
	}
	return 'needs either "command" (stdio) or "url" (streamable HTTP)';
}

export type ValidatedServer = { ok: true; config: McpServerConfig } | { ok: false; error: string };

/** Check one entry of `mcpServers`; the error names the server and what to fix. */
export function validateServerConfig(name: string, raw: unknown): ValidatedServer {
	if (!SERVER_NAME.test(name)) {
		return { ok: false, error: `invalid server name "${name}" (use letters, digits, "_" and "-")` };
	}
	if (!isRecord(raw)) return { ok: false, error: `server "${name}" must be an object` };
	const entry = withResolvedAliases(raw);
	const problem = entryProblem(entry);
	if (problem) {
		const error = problem.startsWith("needs") ? `server "${name}" ${problem}` : `server "${name}": ${problem}`;
		return { ok: false, error };
	}
	// Every field the types promise was checked above, one by one; valibot cannot express "either stdio or http
	// with these optional fields, keeping unknown ones", so the checked record is narrowed here.
	const config = entry as unknown as McpServerConfig;
	return { ok: true, config };
}

/**
 * An entry without `command`, `url` or `type` only adjusts a server defined elsewhere: a project file may switch a
 * user-level server off or change its exposure, never its command or credentials.
 */
export function isOverrideEntry(entry: Record<string, unknown>): boolean {
	return entry.command === undefined && entry.url === undefined && entry.type === undefined;
}

export const OVERRIDE_KEYS: readonly string[] = ["enabled", "exposure", "toolExposure"];

export const DEFAULT_TIMEOUT_SECONDS = 60;

export function serverExposure(config: McpServerConfig): McpExposure {
	return config.exposure ?? "codemode";
}

/** `*` matches any characters; everything else literally. */
export function toolPatternRegExp(pattern: string): RegExp {
	const source = pattern
		.split("*")
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
		.join(".*");
	return new RegExp(`^${source}$`);
}

/** Exposure of one tool: an exact `toolExposure` key, else the first matching pattern, else the server's. */
export function toolExposure(config: McpServerConfig, tool: string): McpExposure {
	const overrides = config.toolExposure ?? {};
	const exact = overrides[tool];
	if (exact !== undefined) return exact;
	for (const [pattern, exposure] of Object.entries(overrides)) {
		if (pattern.includes("*") && toolPatternRegExp(pattern).test(tool)) return exposure;
	}
	return serverExposure(config);
}

/** The exposures a server's tools can have, known from its config before it connects. */
export function configuredExposures(config: McpServerConfig): Set<McpExposure> {
	return new Set([serverExposure(config), ...Object.values(config.toolExposure ?? {})]);
}
