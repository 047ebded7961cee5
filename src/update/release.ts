/**
 * Talking to the release host: which release is the latest (GitHub's releases API, which also gives each asset's
 * SHA-256 `digest`), and downloading an asset with a stall timeout and optional progress. Plain fetch: Bun's fetch
 * honours HTTPS_PROXY/NO_PROXY, and the binary trusts the system CA store (--use-system-ca) and
 * NODE_EXTRA_CA_CERTS, so the updater works wherever the providers do.
 */
import { createHash } from "node:crypto";
import * as v from "valibot";
import { RELEASE_REPO } from "./targets.ts";

/** `PI_UPDATE_API_URL`: the GitHub API root of the release repository (tests point it at 127.0.0.1). */
export function releaseApiBase(): string {
	return (process.env.PI_UPDATE_API_URL || `https://api.github.com/repos/${RELEASE_REPO}`).replace(/\/+$/, "");
}

const AssetSchema = v.object({
	name: v.string(),
	browser_download_url: v.string(),
	size: v.optional(v.number()),
	digest: v.optional(v.nullable(v.string())),
});

const ReleaseSchema = v.object({
	tag_name: v.string(),
	draft: v.optional(v.boolean()),
	prerelease: v.optional(v.boolean()),
	assets: v.array(AssetSchema),
});

export interface ReleaseAsset {
	name: string;
	url: string;
	size?: number;
	/** Hex SHA-256 from the release host (GitHub computes it at upload), when it gives one. */
	sha256?: string;
}

export interface ReleaseInfo {
	version: string;
	assets: ReleaseAsset[];
}

const USER_AGENT = "pi-binary-updater";

/** The latest release, or a given version's (`1.2.3` or `v1.2.3`). */
export async function fetchRelease(version?: string, signal?: AbortSignal): Promise<ReleaseInfo> {
	const tag = version ? `tags/v${version.replace(/^v/, "")}` : "latest";
	const url = `${releaseApiBase()}/releases/${tag}`;
	let response: Response;
	try {
		response = await fetch(url, {
			headers: { accept: "application/vnd.github+json", "user-agent": USER_AGENT },
			signal: signal ?? AbortSignal.timeout(15_000),
		});
	} catch (error) {
		throw new Error(`cannot reach ${url}: ${errorText(error)}`);
	}
	if (response.status === 404) {
		throw new Error(version ? `pi ${version} is not a published release (${url})` : `no published release at ${url}`);
	}
	if (!response.ok) {
		const limited = response.status === 403 || response.status === 429;
		throw new Error(`${url} answered HTTP ${response.status}${limited ? " (rate limited; try again later)" : ""}`);
	}
	const parsed = v.safeParse(ReleaseSchema, await response.json().catch(() => undefined));
	if (!parsed.success) throw new Error(`${url} did not answer with a release (${parsed.issues[0]?.message})`);
	const releaseVersion = parsed.output.tag_name.replace(/^v/, "");
	return {
		version: releaseVersion,
		assets: parsed.output.assets.map((asset) => ({
			name: asset.name,
			url: asset.browser_download_url,
			size: asset.size,
			sha256: asset.digest?.startsWith("sha256:") ? asset.digest.slice(7).toLowerCase() : undefined,
		})),
	};
}

export function findAsset(release: ReleaseInfo, name: string): ReleaseAsset {
	const asset = release.assets.find((a) => a.name === name);
	if (!asset) throw new Error(`release ${release.version} has no ${name}`);
	return asset;
}

export interface DownloadOptions {
	/** No byte for this long ends the download (default 30 s). */
	stallTimeoutMs?: number;
	onProgress?: (received: number, total: number | undefined) => void;
	signal?: AbortSignal;
}

/** Downloads an asset into memory (archives are tens of MB), failing on a stall, a short body or an HTTP error. */
export async function downloadAsset(asset: ReleaseAsset, options: DownloadOptions = {}): Promise<Uint8Array> {
	const stallMs = options.stallTimeoutMs ?? 30_000;
	const controller = new AbortController();
	const abort = () => controller.abort();
	options.signal?.addEventListener("abort", abort, { once: true });
	let stalled = false;
	let timer = setTimeout(() => {
		stalled = true;
		controller.abort();
	}, stallMs);
	const rearm = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			stalled = true;
			controller.abort();
		}, stallMs);
	};
	try {
		const response = await fetch(asset.url, { headers: { "user-agent": USER_AGENT }, signal: controller.signal });
		if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
		const header = Number(response.headers.get("content-length"));
		const total = Number.isFinite(header) && header > 0 ? header : asset.size;
		const chunks: Uint8Array[] = [];
		let received = 0;
		for await (const chunk of response.body) {
			rearm();
			chunks.push(chunk);
			received += chunk.length;
			options.onProgress?.(received, total);
		}
		if (total !== undefined && received !== total) throw new Error(`got ${received} of ${total} bytes`);
		return Buffer.concat(chunks);
	} catch (error) {
		const waited = stallMs >= 1000 ? `${Math.round(stallMs / 1000)} s` : `${stallMs} ms`;
		const reason = stalled ? `no data for ${waited}` : errorText(error);
		throw new Error(`download of ${asset.name} failed: ${reason}`);
	} finally {
		clearTimeout(timer);
		options.signal?.removeEventListener("abort", abort);
	}
}

export function sha256Hex(data: Uint8Array): string {
	return createHash("sha256").update(data).digest("hex");
}

/** The hash SHA256SUMS lists for `name` (`<hex>  <name>` or `<hex> *<name>` lines). */
export function checksumFor(sums: string, name: string): string | undefined {
	for (const line of sums.split(/\r?\n/)) {
		const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
		if (match?.[2] === name) return match[1]?.toLowerCase();
	}
	return undefined;
}

/** Newer by semantic version (prerelease tags sort before the release); false when either is not a version. */
export function isNewerVersion(candidate: string, current: string): boolean {
	const parse = (version: string) => /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/.exec(version.replace(/^v/, ""));
	const a = parse(candidate);
	const b = parse(current);
	if (!a || !b) return false;
	for (let i = 1; i <= 3; i++) {
		const diff = Number(a[i]) - Number(b[i]);
		if (diff !== 0) return diff > 0;
	}
	if (a[4] === b[4]) return false;
	if (!a[4]) return true;
	if (!b[4]) return false;
	return a[4].localeCompare(b[4], "en", { numeric: true }) > 0;
}

export function errorText(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
	return `${error.message}${cause}`;
}
