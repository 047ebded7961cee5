/**
 * A fake GitHub release host on 127.0.0.1 for the installer and `pi update` tests. Each published release has
 * one archive per platform holding a `pi` that is a shell script printing its version (so the tests need no real
 * builds), SHA256SUMS, and the GitHub API view of the release (`/repos/<repo>/releases/latest`,
 * `/repos/<repo>/releases/tags/v<version>`) with each asset's `digest`. Downloads follow GitHub's layout:
 * `/releases/download/v<version>/<file>` and `/releases/latest/download/<file>`.
 */
import { createHash } from "node:crypto";
import { createTarGz, createZip } from "../../src/update/archive.ts";
import { archiveName, binaryName } from "../../src/update/targets.ts";

export const FAKE_REPO = "pi-binary/pi";

export interface FakeBinaryOptions {
	/** The script body instead of printing the version: e.g. "exit 3" for a binary that does not run. */
	script?: string;
}

/** A stand-in executable: prints its version; its second line names the artifact so tests can tell builds apart. */
export function fakeBinary(version: string, artifact: string, options: FakeBinaryOptions = {}): string {
	const body =
		options.script ?? `if [ "$1" = --version ]; then echo "${version}"; exit 0; fi\necho "pi ${version} ran: $*"`;
	return `#!/bin/sh\n# artifact: ${artifact}\n${body}\n`;
}

export function sha256(data: Uint8Array | string): string {
	return createHash("sha256").update(data).digest("hex");
}

export interface PublishOptions {
	artifacts?: readonly string[];
	/** Per artifact: a different script (a binary that fails to run). */
	scripts?: Record<string, string>;
	/** Per artifact: the executable's bytes as they are (e.g. a Mach-O header that Linux cannot run). */
	raw?: Record<string, Uint8Array>;
	/** Artifacts whose SHA256SUMS line is wrong (tampered archive). */
	badSums?: readonly string[];
	/** Artifacts whose API digest is wrong (SHA256SUMS tampered together with the archive). */
	badDigests?: readonly string[];
	/** Leave the digest out of the API view, as older GitHub releases do. */
	noDigests?: boolean;
	/** Artifacts whose download stalls after a few KB and never ends. */
	stalling?: readonly string[];
}

export const DEFAULT_ARTIFACTS = [
	"pi-linux-x64",
	"pi-linux-x64-baseline",
	"pi-linux-arm64",
	"pi-linux-x64-musl",
	"pi-darwin-arm64",
	"pi-darwin-x64",
	"pi-windows-x64",
];

interface Release {
	version: string;
	files: Map<string, Uint8Array>;
	digests: Map<string, string>;
	stalling: Set<string>;
}

export class FakeReleaseServer {
	readonly releases = new Map<string, Release>();
	latest: string | undefined;
	readonly requests: string[] = [];
	/** Answer every API request with this status (rate limiting, outage). */
	apiStatus: number | undefined;
	private server: ReturnType<typeof Bun.serve> | undefined;

	get url(): string {
		if (!this.server) throw new Error("fake release server not started");
		return `http://127.0.0.1:${this.server.port}`;
	}

	/** The installers' PI_INSTALL_BASE_URL. */
	get downloadBase(): string {
		return `${this.url}/${FAKE_REPO}/releases`;
	}

	/** `pi update`'s PI_UPDATE_API_URL. */
	get apiBase(): string {
		return `${this.url}/repos/${FAKE_REPO}`;
	}

	start(): this {
		this.server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => this.handle(request) });
		return this;
	}

	async stop(): Promise<void> {
		await this.server?.stop(true);
	}

	publish(version: string, options: PublishOptions = {}): void {
		const files = new Map<string, Uint8Array>();
		const digests = new Map<string, string>();
		const sums: string[] = [];
		for (const artifact of options.artifacts ?? DEFAULT_ARTIFACTS) {
			const script = fakeBinary(version, artifact, { script: options.scripts?.[artifact] });
			const data = options.raw?.[artifact] ?? new TextEncoder().encode(script);
			const entry = { name: binaryName(artifact), data, mode: 0o755 };
			const name = archiveName(artifact);
			const archive = name.endsWith(".zip") ? createZip([entry]) : createTarGz([entry]);
			files.set(name, archive);
			const hash = sha256(archive);
			sums.push(`${options.badSums?.includes(artifact) ? "0".repeat(64) : hash}  ${name}`);
			if (!options.noDigests) digests.set(name, options.badDigests?.includes(artifact) ? "1".repeat(64) : hash);
		}
		const sumsText = new TextEncoder().encode(`${sums.join("\n")}\n`);
		files.set("SHA256SUMS", sumsText);
		if (!options.noDigests) digests.set("SHA256SUMS", sha256(sumsText));
		const stalling = new Set((options.stalling ?? []).map((artifact) => archiveName(artifact)));
		this.releases.set(version, { version, files, digests, stalling });
	}

	private apiView(release: Release): unknown {
		return {
			tag_name: `v${release.version}`,
			name: `pi ${release.version}`,
			draft: false,
			prerelease: false,
			assets: [...release.files].map(([name, data]) => ({
				name,
				size: data.length,
				browser_download_url: `${this.downloadBase}/download/v${release.version}/${name}`,
				...(release.digests.has(name) ? { digest: `sha256:${release.digests.get(name)}` } : {}),
			})),
		};
	}

	private handle(request: Request): Response {
		const path = new URL(request.url).pathname;
		this.requests.push(path);
		const api = `/repos/${FAKE_REPO}/releases/`;
		if (path.startsWith(api)) {
			if (this.apiStatus) return new Response("{}", { status: this.apiStatus });
			const rest = path.slice(api.length);
			const version = rest === "latest" ? this.latest : rest.startsWith("tags/v") ? rest.slice(6) : undefined;
			const release = version ? this.releases.get(version) : undefined;
			if (!release) return Response.json({ message: "Not Found" }, { status: 404 });
			return Response.json(this.apiView(release));
		}
		const downloads = `/${FAKE_REPO}/releases/`;
		if (path.startsWith(downloads)) {
			const rest = path.slice(downloads.length);
			let version: string | undefined;
			let file = "";
			if (rest.startsWith("latest/download/")) {
				version = this.latest;
				file = rest.slice("latest/download/".length);
			} else {
				const match = /^download\/v([^/]+)\/(.+)$/.exec(rest);
				version = match?.[1];
				file = match?.[2] ?? "";
			}
			const release = version ? this.releases.get(version) : undefined;
			const body = release?.files.get(file);
			if (!release || !body) return new Response("Not Found", { status: 404 });
			if (release.stalling.has(file)) return stallingResponse(body.length);
			return new Response(new Blob([body as Uint8Array<ArrayBuffer>]));
		}
		return new Response("Not Found", { status: 404 });
	}
}

/** Sends 4 KB of a much longer body, then nothing: a download interrupted mid-way. */
function stallingResponse(length: number): Response {
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(new Uint8Array(4096).fill(65));
		},
	});
	return new Response(stream, { headers: { "content-length": String(Math.max(length, 1_000_000)) } });
}
