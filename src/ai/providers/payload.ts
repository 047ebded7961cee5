/**
 * `onPayload` hooks (extensions' before_provider_request) may hand back a replacement request body.
 * We only accept a plain object in its place; its fields are the hook's responsibility, as in pi.
 */
import type { Model, StreamOptions } from "../types.ts";

function isPayloadObject<T extends object>(value: unknown): value is T {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The request body after the caller's `onPayload` hook: its replacement when it returned an object. */
export async function applyPayloadHook<T extends object>(
	body: T,
	model: Model,
	options: StreamOptions | undefined,
): Promise<T> {
	const replaced: unknown = await options?.onPayload?.(body, model);
	return isPayloadObject<T>(replaced) ? replaced : body;
}
