/**
 * Where the built-in Radius provider signs in and reads its model list: `https://radius.pi.dev`, or the gateway
 * PI_RADIUS_GATEWAY names (pi 1.6.0's variable). Light: the model registry reads it at startup.
 */
import { endpoint } from "./http.ts";

export const DEFAULT_RADIUS_GATEWAY = "https://radius.pi.dev";

/** `radius.example` or `https://radius.example/` as `https://radius.example`. */
export function normalizeGatewayUrl(value: string): string {
	const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
	return withScheme.replace(/\/+$/, "");
}

export function radiusGateway(): string {
	return normalizeGatewayUrl(endpoint("PI_RADIUS_GATEWAY", DEFAULT_RADIUS_GATEWAY));
}
