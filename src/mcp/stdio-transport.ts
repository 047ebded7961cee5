/**
 * MCP over a child process's stdin/stdout, as an SDK Transport. Ours rather than the SDK's StdioClientTransport
 * because stopping a server must reach everything it started: `npx`/`uvx` wrappers run the real server as a
 * grandchild, which a signal to the direct child leaves running. The server runs in its own process group; closing
 * follows the MCP spec (close stdin, then SIGTERM, then SIGKILL) and signals the whole group (on Windows, taskkill
 * ends the process tree). Servers still running when pi exits are killed by an exit hook. The last 64 KB of stderr
 * are kept for error reports. cross-spawn starts the command, so `npx` (npx.cmd) works on Windows too.
 */
import type { ChildProcess } from "node:child_process";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import spawn from "cross-spawn";
import { killWindowsTree, signalGroup } from "../tools/shell.ts";
import { importIsland, MCP_SDK } from "../util/embedded-asset.ts";

// The SDK is an island (mcp-sdk.ts): JavaScript outside the bytecode, compiled when this module first loads.
const mcp = await importIsland<typeof import("./mcp-sdk.ts")>(MCP_SDK);

const USE_GROUPS = process.platform !== "win32";
/** After stdin closes, how long a server may take to exit on its own. */
const STDIN_GRACE_MS = 500;
/** After SIGTERM, how long before SIGKILL. */
const TERM_GRACE_MS = 2_000;
const STDERR_KEEP_CHARS = 64 * 1024;
/** A line longer than this without a newline is not a message we can use; it is dropped. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Set when pi is exiting: nobody waits for a server to wind down any more, so stdin closes and SIGTERM follows at
 * once (SIGKILL after the usual grace), instead of first giving the server half a second to exit on its own.
 */
let exiting = false;
export function stopServersQuickly(): void {
	exiting = true;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
	liveGroups.add(pid);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on("exit", () => {
		for (const group of liveGroups) signalGroup(group, "SIGKILL");
	});
}

export interface StdioServerOptions {
	command: string;
	args: string[];
	cwd: string;
	/** Added to pi's own environment. */
	env: Record<string, string>;
}

export class StdioTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;

	private child: ChildProcess | undefined;
	private stdout: Buffer[] = [];
	private stdoutBytes = 0;
	private stderrText = "";
	private closing: Promise<void> | undefined;
	private closeReported = false;

	constructor(private readonly options: StdioServerOptions) {}

	/** The tail of what the server wrote to stderr. */
	get stderr(): string {
		return this.stderrText;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	start(): Promise<void> {
		if (this.child) throw new Error("MCP stdio transport already started");
		const child = spawn(this.options.command, this.options.args, {
			cwd: this.options.cwd,
			env: { ...process.env, ...this.options.env },
			stdio: ["pipe", "pipe", "pipe"],
			detached: USE_GROUPS,
			windowsHide: true,
		});
		this.child = child;
		child.stdout?.on("data", (chunk: Buffer) => this.readStdout(chunk));
		child.stderr?.on("data", (chunk: Buffer) => {
			this.stderrText = (this.stderrText + chunk.toString("utf8")).slice(-STDERR_KEEP_CHARS);
		});
		// Writing to a server that just died: the close event reports it.
		child.stdin?.on("error", () => {});
		child.on("close", () => {
			if (child.pid !== undefined) liveGroups.delete(child.pid);
			this.reportClose();
		});
		return new Promise((resolve, reject) => {
			child.once("spawn", () => {
				if (USE_GROUPS && child.pid !== undefined) trackGroup(child.pid);
				child.on("error", (error) => this.onerror?.(error));
				resolve();
			});
			child.once("error", (error: NodeJS.ErrnoException) => {
				const reason = error.code === "ENOENT" ? `command not found: ${this.options.command}` : error.message;
				reject(new Error(reason));
			});
		});
	}

	send(message: JSONRPCMessage): Promise<void> {
		const stdin = this.child?.stdin;
		if (!stdin?.writable || this.closing) return Promise.reject(new Error("Not connected"));
		return new Promise((resolve, reject) => {
			stdin.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
		});
	}

	close(): Promise<void> {
		this.closing ??= this.stop();
		return this.closing;
	}

	private async stop(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) {
			// The server is gone, but with process groups its children may still hold the pipes.
			if (USE_GROUPS && child?.pid !== undefined) signalGroup(child.pid, "SIGTERM");
			this.reportClose();
			return;
		}
		await new Promise<void>((resolve) => {
			const signal = (name: NodeJS.Signals) => {
				if (child.pid === undefined) return;
				if (USE_GROUPS) signalGroup(child.pid, name);
				else killWindowsTree(child.pid);
			};
			const grace = exiting ? 0 : STDIN_GRACE_MS;
			const term = setTimeout(() => signal("SIGTERM"), grace);
			const kill = setTimeout(() => signal("SIGKILL"), grace + TERM_GRACE_MS);
			child.once("close", () => {
				clearTimeout(term);
				clearTimeout(kill);
				// Children of the server that ignored stdin closing would otherwise outlive it.
				if (USE_GROUPS && child.pid !== undefined) signalGroup(child.pid, "SIGTERM");
				resolve();
			});
			child.stdin?.end();
		});
	}

	private reportClose(): void {
		if (this.closeReported) return;
		this.closeReported = true;
		this.onclose?.();
	}

	/** Split stdout into lines; each line is one JSON-RPC message. Other lines (stray logging) are ignored. */
	private readStdout(chunk: Buffer): void {
		let start = 0;
		for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
			this.stdout.push(chunk.subarray(start, newline));
			const line = Buffer.concat(this.stdout).toString("utf8").replace(/\r$/, "");
			this.stdout = [];
			this.stdoutBytes = 0;
			start = newline + 1;
			this.handleLine(line);
		}
		if (start < chunk.length) {
			this.stdout.push(chunk.subarray(start));
			this.stdoutBytes += chunk.length - start;
			if (this.stdoutBytes > MAX_LINE_BYTES) {
				this.stdout = [];
				this.stdoutBytes = 0;
				this.onerror?.(new Error("MCP server sent a line over 64 MB without a newline; dropped"));
			}
		}
	}

	private handleLine(line: string): void {
		if (line.trim() === "") return;
		let parsed: unknown;
		try {
			parsed = JSON.parse(line);
		} catch {
			return;
		}
		const message = mcp.JSONRPCMessageSchema.safeParse(parsed);
		if (message.success) this.onmessage?.(message.data);
		else this.onerror?.(new Error(`MCP server sent an invalid JSON-RPC message: ${line.slice(0, 200)}`));
	}
}
