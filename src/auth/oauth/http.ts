import * as v from "valibot";

const REQUEST_TIMEOUT_MS = 30_000;

/** A token endpoint answered with an error status or an unexpected body. */
export class OAuthHttpError extends Error {}

/**
 * Send a request to an OAuth endpoint and parse its JSON answer with `schema`. Errors name the URL and status
 * and include the body the server sent, which usually says why (e.g. `invalid_grant`).
 */
export async function requestJson<TSchema extends v.GenericSchema>(
	url: string,
	init: RequestInit,
	schema: TSchema,
): Promise<v.InferOutput<TSchema>> {
	const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
	const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
	const response = await fetch(url, { ...init, signal });
	const text = await response.text();
	if (!response.ok) throw new OAuthHttpError(`HTTP ${response.status} from ${url}: ${text.slice(0, 500)}`);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new OAuthHttpError(`${url} returned invalid JSON: ${text.slice(0, 500)}`);
	}
	const parsed = v.safeParse(schema, json);
	if (!parsed.success) {
		throw new OAuthHttpError(`${url} returned an unexpected answer: ${v.summarize(parsed.issues)}`);
	}
	return parsed.output;
}

/** The environment variable's value when set and non-empty, else the default (tests point endpoints at fakes). */
export function endpoint(envName: string, fallback: string): string {
	const value = process.env[envName];
	return value && value.trim() !== "" ? value.trim() : fallback;
}

/** Tokens are stored with five minutes shaved off their lifetime so a request never races the expiry. */
export function expiresAt(expiresInSeconds: number, now = Date.now()): number {
	return now + expiresInSeconds * 1000 - 5 * 60 * 1000;
}
