/** PKCE (RFC 7636) verifier and S256 challenge, with Web Crypto so the compiled binary needs no node:crypto. */
export interface Pkce {
	verifier: string;
	challenge: string;
}

export function base64Url(bytes: Uint8Array): string {
	return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function createPkce(): Promise<Pkce> {
	const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
	return { verifier, challenge: base64Url(new Uint8Array(digest)) };
}
