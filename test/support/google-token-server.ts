/**
 * A fake Google OAuth token endpoint on 127.0.0.1 that checks what it is sent as Google's would: the JWT-bearer
 * grant with an RS256 assertion signed by the service account's key (issuer, audience = this endpoint, the
 * cloud-platform scope, a one-hour lifetime), or the refresh-token grant with the right client. It answers with
 * a fresh access token each time and records every exchange.
 */
import { generateKeyPairSync, verify } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface GoogleTokenServer {
	url: string;
	/** Access tokens handed out, in order. */
	issued: string[];
	/** Why requests were refused (empty when all were good). */
	refusals: string[];
	/** A service-account file whose token_uri is this server. */
	serviceAccountFile(): string;
	/** A gcloud user-credentials file whose token_uri is this server. */
	authorizedUserFile(quotaProject?: string): string;
	close(): void;
}

const EMAIL = "pi-test@project.iam.gserviceaccount.com";

function decodeJson(part: string | undefined): Record<string, unknown> {
	return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf-8"));
}

export function startGoogleTokenServer(): GoogleTokenServer {
	const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
	const issued: string[] = [];
	const refusals: string[] = [];
	const dir = mkdtempSync(join(tmpdir(), "pi-google-adc-"));
	const server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		async fetch(request) {
			const url = new URL(request.url);
			const form = new URLSearchParams(await request.text());
			const refuse = (why: string) => {
				refusals.push(why);
				return Response.json({ error: "invalid_grant", error_description: why }, { status: 400 });
			};
			if (form.get("grant_type") === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
				const [header, claims, signature] = (form.get("assertion") ?? "").split(".");
				const signed = verify(
					"RSA-SHA256",
					Buffer.from(`${header}.${claims}`),
					publicKey,
					Buffer.from(signature ?? "", "base64url"),
				);
				if (!signed) return refuse("bad signature");
				const head = decodeJson(header);
				const body = decodeJson(claims);
				if (head.alg !== "RS256" || head.kid !== "key-1") return refuse(`bad header ${JSON.stringify(head)}`);
				if (body.iss !== EMAIL) return refuse(`bad issuer ${String(body.iss)}`);
				if (body.aud !== `${url.origin}${url.pathname}`) return refuse(`bad audience ${String(body.aud)}`);
				if (body.scope !== "https://www.googleapis.com/auth/cloud-platform") return refuse("bad scope");
				if (Number(body.exp) - Number(body.iat) !== 3600) return refuse("bad lifetime");
			} else if (form.get("grant_type") === "refresh_token") {
				if (form.get("client_id") !== "client-1" || form.get("client_secret") !== "secret-1") {
					return refuse("bad client");
				}
				if (form.get("refresh_token") !== "refresh-1") return refuse("bad refresh token");
			} else {
				return refuse(`bad grant ${String(form.get("grant_type"))}`);
			}
			const token = `ya29.test-${issued.length + 1}`;
			issued.push(token);
			return Response.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
		},
	});
	const tokenUri = `http://127.0.0.1:${server.port}/token`;
	return {
		url: tokenUri,
		issued,
		refusals,
		serviceAccountFile() {
			const path = join(dir, "service-account.json");
			writeFileSync(
				path,
				JSON.stringify({
					type: "service_account",
					project_id: "pi-project",
					private_key_id: "key-1",
					private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
					client_email: EMAIL,
					token_uri: tokenUri,
				}),
			);
			return path;
		},
		authorizedUserFile(quotaProject) {
			const path = join(dir, "application_default_credentials.json");
			writeFileSync(
				path,
				JSON.stringify({
					type: "authorized_user",
					client_id: "client-1",
					client_secret: "secret-1",
					refresh_token: "refresh-1",
					token_uri: tokenUri,
					...(quotaProject ? { quota_project_id: quotaProject } : {}),
				}),
			);
			return path;
		},
		close: () => server.stop(true),
	};
}
