/**
 * Debug log: JSON lines appended to `<agent dir>/pi-debug.log`, off unless `PI_DEBUG=1` or `--verbose`.
 * It must never contain credentials: fields named like keys/tokens are masked, every secret the program has
 * registered (API keys it resolved) is masked wherever it appears, and strings that look like API keys are too.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { agentPaths } from "../config/paths.ts";

let enabled = process.env.PI_DEBUG === "1" || process.env.PI_DEBUG === "true";
const secrets = new Set<string>();

const SECRET_FIELD = /(api[-_]?key|token|secret|password|authorization|cookie|^key$|^access$|^refresh$)/i;
const KEY_LIKE = /\b(sk-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,})/g;

export function enableDebugLog(): void {
	enabled = true;
}

/** Remember a credential so it is masked in every later log line. */
export function registerSecret(value: string | undefined): void {
	if (value && value.length >= 6) secrets.add(value);
}

export function redact(value: unknown, field = ""): unknown {
	if (typeof value === "string") {
		if (field && SECRET_FIELD.test(field)) return "[redacted]";
		let text = value;
		for (const secret of secrets) text = text.split(secret).join("[redacted]");
		return text.replace(KEY_LIKE, "[redacted]");
	}
	if (Array.isArray(value)) return value.map((item) => redact(item));
	if (typeof value === "object" && value !== null) {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) out[key] = redact(item, key);
		return out;
	}
	return value;
}

export function debugLog(event: string, data: Record<string, unknown> = {}): void {
	if (!enabled) return;
	const path = agentPaths.debugLog();
	try {
		mkdirSync(dirname(path), { recursive: true });
		const line = JSON.stringify({
			time: new Date().toISOString(),
			pid: process.pid,
			event,
			...(redact(data) as object),
		});
		appendFileSync(path, `${line}\n`);
	} catch {
		// A debug log must never break the program.
	}
}
