/**
 * One configured server and its connection, over the official MCP SDK's Client. It connects lazily (the manager
 * starts it in the background), keeps the tool list up to date (`tools/list_changed`), shows a dropped connection as
 * `disconnected` and reconnects on the next call, and reports every failure with the server's name and, for stdio
 * servers, the tail of what the server wrote to stderr. This module imports the SDK: load it only when a server
 * is configured (the manager does, through a dynamic import).
 */
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type {
	CallToolResult,
	ReadResourceResult,
	Resource,
	ResourceTemplate,
	Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { expandHome } from "../config/paths.ts";
import { importIsland, MCP_SDK } from "../util/embedded-asset.ts";
import { errorMessage } from "../util/errors.ts";
import { sleep } from "../util/sleep.ts";
import { VERSION } from "../version.ts";
import { DEFAULT_TIMEOUT_SECONDS, isHttpConfig } from "./config.ts";
import type { McpServerEntry } from "./config-file.ts";
import { resolveMcpRecord } from "./config-values.ts";
import type { McpServerLog } from "./log.ts";
import type { McpAuth } from "./oauth/provider.ts";
import { StdioTransport } from "./stdio-transport.ts";

export { stopServersQuickly } from "./stdio-transport.ts";

// The SDK is an island (mcp-sdk.ts): JavaScript outside the bytecode, compiled when this module first loads.
const mcp = await importIsland<typeof import("./mcp-sdk.ts")>(MCP_SDK);

export type ConnectionState = "connecting" | "connected" | "disconnected" | "needs-auth" | "failed" | "closed";

/** Delays before the 2nd and 3rd attempt to reach an HTTP server that failed with a transient error. */
const RETRY_DELAYS_MS = [250, 1_000];
const STDERR_TAIL_CHARS = 2_000;

export interface ProgressUpdate {
	progress: number;
	total?: number;
	message?: string;
}

export interface CallOptions {
	signal?: AbortSignal;
	onProgress?: (progress: ProgressUpdate) => void;
}

/** Thrown when a server needs the user to sign in first. */
export class SignInRequiredError extends Error {}

/** Network failures and overloaded or restarting servers: worth another attempt. */
export function isTransientError(error: unknown): boolean {
	if (error instanceof mcp.StreamableHTTPError) {
		const status = error.code ?? 0;
		return status === 408 || status === 429 || (status >= 500 && status !== 501);
	}
	if (error instanceof TypeError) return true;
	const code = (error as { code?: unknown } | undefined)?.code;
	return (
		typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ConnectionRefused|ConnectionClosed|ETIMEDOUT)$/.test(code)
	);
}

function tail(text: string): string {
	const trimmed = text.trim();
	return trimmed.length > STDERR_TAIL_CHARS ? `…${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
}

export interface ConnectionOptions {
	entry: McpServerEntry;
	/** Working directory of the session: relative `cwd` values resolve against it and it is the client's root. */
	cwd: string;
	log?: McpServerLog;
	/** OAuth for HTTP servers without an Authorization header. */
	auth?: McpAuth;
	/** State, error or tools changed. */
	onChange?: (connection: McpConnection) => void;
}

export class McpConnection {
	state: ConnectionState = "connecting";
	error: string | undefined;
	tools: Tool[] = [];
	hasResources = false;
	instructions: string | undefined;
	private client: Client | undefined;
	private opening: Promise<Client> | undefined;
	private readonly shutdown = new AbortController();

	constructor(private readonly options: ConnectionOptions) {}

	get entry(): McpServerEntry {
		return this.options.entry;
	}

	get name(): string {
		return this.options.entry.name;
	}

	get timeoutMs(): number {
		return (this.options.entry.config.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
	}

	get auth(): McpAuth | undefined {
		return this.options.auth;
	}

	/** The connected client, connecting (again) when there is none. */
	getClient(): Promise<Client> {
		if (this.shutdown.signal.aborted) return Promise.reject(new Error(`MCP server "${this.name}" is shut down`));
		if (this.client) return Promise.resolve(this.client);
		this.opening ??= this.open().finally(() => {
			this.opening = undefined;
		});
		return this.opening;
	}

	async callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
		// Tool calls are never retried: the server may already have done the work.
		return this.withClient(async (client) => {
			const result = await client.callTool({ name: tool, arguments: args }, mcp.CallToolResultSchema, {
				signal: options.signal,
				timeout: this.timeoutMs,
				resetTimeoutOnProgress: true,
				onprogress: options.onProgress,
			});
			return mcp.CallToolResultSchema.parse(result);
		}, false);
	}

	readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
		return this.withClient((client) => client.readResource({ uri }, { signal, timeout: this.timeoutMs }), true);
	}

	listResourcesPage(cursor: string | undefined, signal?: AbortSignal) {
		return this.withClient(
			(client) => client.listResources(cursor ? { cursor } : undefined, { signal, timeout: this.timeoutMs }),
			true,
		);
	}

	listResourceTemplatesPage(cursor: string | undefined, signal?: AbortSignal) {
		return this.withClient(async (client) => {
			try {
				return await client.listResourceTemplates(cursor ? { cursor } : undefined, {
					signal,
					timeout: this.timeoutMs,
				});
			} catch (error) {
				// Servers that do not implement the method simply have no templates.
				if (error instanceof mcp.McpError && error.code === mcp.ErrorCode.MethodNotFound)
					return { resourceTemplates: [] };
				throw error;
			}
		}, true);
	}

	allResources(signal?: AbortSignal): Promise<Resource[]> {
		return allPages(async (cursor) => {
			const page = await this.listResourcesPage(cursor, signal);
			return { items: page.resources, nextCursor: page.nextCursor };
		});
	}

	allResourceTemplates(signal?: AbortSignal): Promise<ResourceTemplate[]> {
		return allPages(async (cursor) => {
			const page = await this.listResourceTemplatesPage(cursor, signal);
			return { items: page.resourceTemplates, nextCursor: page.nextCursor };
		});
	}

	/** Drop the connection and connect again (after a sign-in, or on the user's request). */
	async reconnect(): Promise<void> {
		await this.opening?.catch(() => undefined);
		await this.dropClient();
		await this.getClient();
	}

	/** After the stored credentials were removed: disconnect and show that a sign-in is needed. */
	async signOut(): Promise<void> {
		await this.opening?.catch(() => undefined);
		await this.dropClient();
		if (!this.shutdown.signal.aborted) this.setState("needs-auth", undefined);
	}

	/** Resolves once no transport of this server is open any more (stdio servers have exited). */
	async close(): Promise<void> {
		this.shutdown.abort();
		const opening = this.opening;
		await this.dropClient();
		await opening?.catch(() => undefined);
		this.setState("closed", undefined);
	}

	/** Run a request on the client; read-only ones are retried once after a transient HTTP error. */
	private async withClient<T>(run: (client: Client) => Promise<T>, readOnly: boolean): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			const client = await this.getClient();
			try {
				return await run(client);
			} catch (error) {
				if (readOnly && attempt === 1 && isTransientError(error)) {
					await sleep(RETRY_DELAYS_MS[0] ?? 0);
					continue;
				}
				if (error instanceof mcp.StreamableHTTPError && error.code === 404 && attempt === 1) {
					// The server forgot our session (a restart): it did not run the request. Start a new session.
					if (this.client === client) await this.dropClient();
					continue;
				}
				if (this.options.auth?.isSignInError(error)) {
					await this.dropClient();
					this.setState("needs-auth", undefined);
					throw new SignInRequiredError(signInMessage(this.name));
				}
				throw error;
			}
		}
	}

	private setState(state: ConnectionState, error: string | undefined): void {
		this.state = state;
		this.error = error;
		this.options.onChange?.(this);
	}

	private async dropClient(): Promise<void> {
		const client = this.client;
		this.client = undefined;
		await client?.close().catch(() => undefined);
	}

	private async open(): Promise<Client> {
		this.setState("connecting", undefined);
		const retries = isHttpConfig(this.entry.config) ? RETRY_DELAYS_MS : [];
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.connectOnce();
			} catch (error) {
				const delay = retries[attempt];
				const closed = this.shutdown.signal.aborted;
				const original = error instanceof ConnectError ? error.original : error;
				if (closed || delay === undefined || !isTransientError(original)) throw this.failed(error);
				await sleep(delay, this.shutdown.signal).catch(() => undefined);
				if (this.shutdown.signal.aborted) throw this.failed(error);
			}
		}
	}

	/** Record why connecting failed and return the error to throw. */
	private failed(error: unknown): Error {
		const original = error instanceof ConnectError ? error.original : error;
		if (this.options.auth?.isSignInError(original) && !this.shutdown.signal.aborted) {
			this.setState("needs-auth", undefined);
			return new SignInRequiredError(signInMessage(this.name));
		}
		const detail = error instanceof ConnectError ? error.detail : errorMessage(error);
		this.setState(this.shutdown.signal.aborted ? "closed" : "failed", detail);
		return new Error(`MCP server "${this.name}" failed to connect: ${detail}`);
	}

	private createTransport(): Transport {
		const { config, name } = this.entry;
		if (isHttpConfig(config)) {
			const headers = resolveMcpRecord(config.headers, (key) => `MCP server "${name}" header "${key}"`);
			return new mcp.StreamableHTTPClientTransport(new URL(config.url), {
				requestInit: { headers },
				authProvider: this.options.auth?.provider,
			});
		}
		const env = resolveMcpRecord(config.env, (key) => `MCP server "${name}" env "${key}"`);
		return new StdioTransport({
			command: expandHome(config.command),
			args: (config.args ?? []).map(expandHome),
			cwd: resolve(this.options.cwd, expandHome(config.cwd ?? ".")),
			env,
		});
	}

	private async connectOnce(): Promise<Client> {
		const client = new mcp.Client(
			{ name: "pi", version: VERSION },
			{ capabilities: { roots: { listChanged: false } } },
		);
		const root = { uri: pathToFileURL(this.options.cwd).href, name: basename(this.options.cwd) };
		client.setRequestHandler(mcp.ListRootsRequestSchema, () => ({ roots: [root] }));
		const log = this.options.log;
		if (log) {
			client.setNotificationHandler(mcp.LoggingMessageNotificationSchema, (notification) => {
				log.write(this.name, notification.params);
			});
		}
		// Servers may announce a changed tool list while still connecting: the list is then fetched again at once.
		let listChangedEarly = false;
		client.setNotificationHandler(mcp.ToolListChangedNotificationSchema, () => {
			if (this.client === client) void this.refreshTools(client);
			else listChangedEarly = true;
		});
		const stopConnecting = () => void client.close().catch(() => undefined);
		this.shutdown.signal.addEventListener("abort", stopConnecting, { once: true });
		let transport: Transport | undefined;
		try {
			transport = this.createTransport();
			await client.connect(transport, { timeout: this.timeoutMs });
			const capabilities = client.getServerCapabilities();
			// Servers with only prompts or resources do not answer tools/list.
			const tools = capabilities?.tools ? await this.listAllTools(client) : [];
			if (this.shutdown.signal.aborted) throw new Error("shut down while connecting");
			client.onclose = () => this.handleClose(client, transport);
			this.client = client;
			this.tools = tools;
			this.hasResources = capabilities?.resources !== undefined;
			this.instructions = client.getInstructions()?.trim() || undefined;
			this.setState("connected", undefined);
			if (listChangedEarly) void this.refreshTools(client);
			return client;
		} catch (error) {
			await client.close().catch(() => undefined);
			const stderr = transport instanceof StdioTransport ? tail(transport.stderr) : "";
			throw new ConnectError(error, stderr);
		} finally {
			this.shutdown.signal.removeEventListener("abort", stopConnecting);
		}
	}

	private listAllTools(client: Client): Promise<Tool[]> {
		return allPages(async (cursor) => {
			const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.timeoutMs });
			return { items: page.tools, nextCursor: page.nextCursor };
		});
	}

	private async refreshTools(client: Client): Promise<void> {
		try {
			const tools = await this.listAllTools(client);
			if (this.client !== client) return;
			this.tools = tools;
			this.options.onChange?.(this);
		} catch (error) {
			if (this.client === client) this.setState(this.state, `Failed to refresh tools: ${errorMessage(error)}`);
		}
	}

	/** The transport dropped (a stdio server exited): the next call reconnects; until then the status says why. */
	private handleClose(client: Client, transport: Transport | undefined): void {
		if (this.client !== client || this.shutdown.signal.aborted) return;
		this.client = undefined;
		const stderr = transport instanceof StdioTransport ? tail(transport.stderr) : "";
		this.setState("disconnected", stderr ? `Connection closed\n${stderr}` : "Connection closed");
	}
}

/** Every page of a paginated MCP list, following `nextCursor`. */
async function allPages<T>(
	page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
	const items: T[] = [];
	let cursor: string | undefined;
	do {
		const next = await page(cursor);
		items.push(...next.items);
		cursor = next.nextCursor;
	} while (cursor);
	return items;
}

/** A failed connect with what the server wrote to stderr, shown below the error. */
class ConnectError extends Error {
	readonly detail: string;
	constructor(
		readonly original: unknown,
		stderr: string,
	) {
		super(errorMessage(original), { cause: original });
		this.detail = stderr ? `${errorMessage(original)}\n${stderr}` : errorMessage(original);
	}
}

function signInMessage(server: string): string {
	return `MCP server "${server}" requires sign-in. Run /mcp login ${server} or pi mcp login ${server}.`;
}
