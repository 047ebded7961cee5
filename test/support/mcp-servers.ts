/**
 * Real MCP servers for tests, from npm (devDependencies): `@modelcontextprotocol/server-everything` over stdio and
 * streamable HTTP, `@modelcontextprotocol/server-filesystem` over stdio, run by the test runner's Bun. Plus small
 * misbehaving servers written here (one that never answers).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "../..");
const modules = join(repoRoot, "node_modules", "@modelcontextprotocol");

/** The JavaScript runtime that runs the servers: the Bun running the tests. */
export const serverRuntime = process.execPath;
export const everythingScript = join(modules, "server-everything", "dist", "index.js");
export const filesystemScript = join(modules, "server-filesystem", "dist", "index.js");

/** mcp.json entry of server-everything over stdio. */
export function everythingStdio(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { command: serverRuntime, args: [everythingScript, "stdio"], ...extra };
}

export function filesystemStdio(root: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { command: serverRuntime, args: [filesystemScript, root], ...extra };
}

/** A server that starts but never answers anything (not even initialize). */
export function silentServer(): Record<string, unknown> {
	const dir = mkdtempSync(join(tmpdir(), "pi-mcp-silent-"));
	const script = join(dir, "silent.js");
	writeFileSync(script, "process.stdin.resume();\n");
	return { command: serverRuntime, args: [script] };
}

export interface HttpMcpServer {
	url: string;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	const server = Bun.serve({ port: 0, fetch: () => new Response("") });
	const port = server.port ?? 0;
	await server.stop(true);
	return port;
}

/** server-everything over streamable HTTP on 127.0.0.1; resolves once it listens. */
export async function startEverythingHttp(): Promise<HttpMcpServer> {
	for (let attempt = 0; ; attempt++) {
		const port = await freePort();
		const child = Bun.spawn([serverRuntime, everythingScript, "streamableHttp"], {
			env: { ...process.env, PORT: String(port) },
			stdin: "ignore",
			stdout: "ignore",
			stderr: "pipe",
		});
		const listening = await waitForLine(child.stderr, /listening on port|already in use|Failed/i);
		if (listening.includes("listening")) {
			return {
				url: `http://127.0.0.1:${port}/mcp`,
				async stop() {
					child.kill("SIGKILL");
					await child.exited;
				},
			};
		}
		child.kill("SIGKILL");
		await child.exited;
		if (attempt >= 3) throw new Error(`server-everything over HTTP did not start: ${listening}`);
	}
}

async function waitForLine(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<string> {
	const decoder = new TextDecoder();
	let text = "";
	const reader = stream.getReader();
	try {
		while (!pattern.test(text)) {
			const { value, done } = await reader.read();
			if (done) break;
			text += decoder.decode(value, { stream: true });
		}
	} finally {
		reader.releaseLock();
	}
	return text;
}
