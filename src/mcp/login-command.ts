/**
 * `pi mcp login <server>` and `pi mcp logout <server>`. Login first connects as a session would: a server that
 * already accepts the stored credentials needs nothing. Otherwise it prints the authorization page (and opens it in a
 * browser when pi runs in a terminal) and waits for the loopback callback, or for the redirect URL pasted into the
 * terminal when the browser is on another machine. Running sessions pick the new credentials up on their next call.
 */
import { createInterface } from "node:readline";
import { errorMessage } from "../util/errors.ts";
import { openInBrowser } from "../util/open-browser.ts";
import type { McpCommandContext } from "./cli.ts";
import type { McpServerEntry } from "./config-file.ts";

export { openInBrowser };

/** One line from the terminal, or undefined on EOF or when `signal` aborts. */
function readPastedUrl(signal: AbortSignal): Promise<string | undefined> {
	return new Promise((resolve) => {
		const prompt = createInterface({ input: process.stdin, output: process.stderr });
		const finish = (value: string | undefined) => {
			signal.removeEventListener("abort", abort);
			prompt.close();
			resolve(value);
		};
		const abort = () => finish(undefined);
		signal.addEventListener("abort", abort, { once: true });
		prompt.on("close", () => resolve(undefined));
		prompt.question("If the browser cannot reach this machine, paste the URL it was redirected to: ", finish);
	});
}

export async function runMcpLogin(
	entry: McpServerEntry,
	timeoutMs: number,
	context: McpCommandContext,
): Promise<number> {
	const { name } = entry;
	const { signInToServer, usesOAuth, createMcpAuth, SignInCancelledError } = await import("./oauth/auth.ts");
	if (!usesOAuth(entry)) {
		context.error(`MCP server "${name}" does not use OAuth. Only HTTP servers without an Authorization header do.`);
		return 1;
	}
	const { McpConnection } = await import("./connection.ts");
	const connect = () => new McpConnection({ entry, cwd: context.cwd, auth: createMcpAuth(entry) });
	const probe = connect();
	try {
		await probe.getClient();
		context.log(`Already signed in to MCP server "${name}" (${probe.tools.length} tools).`);
		return 0;
	} catch {
		if (probe.state !== "needs-auth") {
			context.error(`MCP server "${name}" failed to connect: ${probe.error ?? "unknown error"}`);
			return 1;
		}
	} finally {
		await probe.close();
	}
	const interactive = process.stdin.isTTY === true;
	try {
		await signInToServer(entry, {
			signal: AbortSignal.timeout(timeoutMs),
			onAuthorizationUrl: (url) => {
				context.log(`Sign in to MCP server "${name}" in your browser:\n${url.href}`);
				if (context.openUrl) context.openUrl(url.href);
				else if (process.stdout.isTTY) openInBrowser(url.href);
			},
			...(interactive ? { promptRedirectUrl: readPastedUrl } : {}),
		});
	} catch (error) {
		context.error(
			error instanceof SignInCancelledError
				? `Sign-in to MCP server "${name}" was cancelled or not completed within ${Math.round(timeoutMs / 1000)} seconds.`
				: `Sign-in to MCP server "${name}" failed: ${errorMessage(error)}`,
		);
		return 1;
	}
	const connection = connect();
	try {
		await connection.getClient();
		context.log(`Signed in to MCP server "${name}" (${connection.tools.length} tools).`);
		return 0;
	} catch (error) {
		context.error(`Signed in, but ${errorMessage(error)}`);
		return 1;
	} finally {
		await connection.close();
	}
}

export async function runMcpLogout(entry: McpServerEntry, context: McpCommandContext): Promise<number> {
	const { signOutOfServer, usesOAuth } = await import("./oauth/auth.ts");
	if (!usesOAuth(entry)) {
		context.error(
			`MCP server "${entry.name}" does not use OAuth. Only HTTP servers without an Authorization header do.`,
		);
		return 1;
	}
	const removed = signOutOfServer(entry);
	context.log(
		removed ? `Signed out of MCP server "${entry.name}".` : `No stored credentials for MCP server "${entry.name}".`,
	);
	return 0;
}
