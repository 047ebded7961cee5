/**
 * `onPayload` hooks (extensions' before_provider_request) may hand back a replacement request body.
 * We only accept a plain object in its place; its fields are the hook's responsibility, as in pi.
 */
export function isPayloadObject<T extends object>(value: unknown, _original: T): value is T {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
