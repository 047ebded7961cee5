/**
 * Values of `env`, `headers` and `oauth.clientSecret` in mcp.json (docs/mcp.md): `${NAME}` or `$NAME` insert an
 * environment variable (`$$` is a literal `$`, `$!` a literal `!`), and a value that starts with `!` is a shell
 * command whose trimmed output is the value. A value that cannot be resolved is an error that names the variable
 * or the command, so the server's status says exactly what is missing.
 */
import { execSync } from "node:child_process";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const COMMAND_TIMEOUT_MS = 10_000;

type Part = { literal: string } | { env: string };

function parseTemplate(value: string): Part[] {
	const parts: Part[] = [];
	let literal = "";
	let index = 0;
	while (index < value.length) {
		const dollar = value.indexOf("$", index);
		if (dollar < 0) {
			literal += value.slice(index);
			break;
		}
		literal += value.slice(index, dollar);
		const next = value[dollar + 1];
		if (next === "$" || next === "!") {
			literal += next;
			index = dollar + 2;
			continue;
		}
		let name: string | undefined;
		let end = dollar + 1;
		if (next === "{") {
			const close = value.indexOf("}", dollar + 2);
			const inner = close < 0 ? "" : value.slice(dollar + 2, close);
			if (close >= 0 && NAME.exec(inner)?.[0] === inner) {
				name = inner;
				end = close + 1;
			}
		} else {
			name = NAME.exec(value.slice(dollar + 1))?.[0];
			if (name) end = dollar + 1 + name.length;
		}
		if (name === undefined) {
			literal += "$";
			index = dollar + 1;
			continue;
		}
		if (literal) parts.push({ literal });
		literal = "";
		parts.push({ env: name });
		index = end;
	}
	if (literal) parts.push({ literal });
	return parts;
}

function runCommand(command: string): string | undefined {
	try {
		const output = execSync(command, {
			encoding: "utf8",
			timeout: COMMAND_TIMEOUT_MS,
			stdio: ["ignore", "pipe", "ignore"],
		});
		return output.trim() || undefined;
	} catch {
		return undefined;
	}
}

/** Resolve one value or throw an Error naming `what` (`MCP server "x" env "TOKEN"`) and the missing piece. */
export function resolveMcpValue(value: string, what: string, env: NodeJS.ProcessEnv = process.env): string {
	if (value.startsWith("!")) {
		const output = runCommand(value.slice(1));
		if (output === undefined) throw new Error(`Failed to resolve ${what} from shell command: ${value.slice(1)}`);
		return output;
	}
	let resolved = "";
	const missing: string[] = [];
	for (const part of parseTemplate(value)) {
		if ("literal" in part) {
			resolved += part.literal;
			continue;
		}
		const found = env[part.env];
		if (found) resolved += found;
		else if (!missing.includes(part.env)) missing.push(part.env);
	}
	if (missing.length === 1) throw new Error(`Failed to resolve ${what} from environment variable: ${missing[0]}`);
	if (missing.length > 1)
		throw new Error(`Failed to resolve ${what} from environment variables: ${missing.join(", ")}`);
	return resolved;
}

/** Resolve every value of a record (env or headers); the first failure throws. */
export function resolveMcpRecord(
	values: Record<string, string> | undefined,
	what: (key: string) => string,
): Record<string, string> {
	const resolved: Record<string, string> = {};
	for (const [key, value] of Object.entries(values ?? {})) resolved[key] = resolveMcpValue(value, what(key));
	return resolved;
}
