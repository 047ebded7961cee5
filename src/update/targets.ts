/**
 * What a release holds and where it lives: the build targets, the name of each archive, and the GitHub
 * repository. build.ts writes these names, install.sh/install.ps1 download them and `pi update` reads them, so
 * they are defined once, here.
 */

import { existsSync, readFileSync } from "node:fs";

export interface BuildTarget {
	/** Bun's name for the target, passed to `--target`. */
	bunTarget: string;
	os: "linux" | "darwin" | "windows";
	arch: "x64" | "arm64";
	variant?: "baseline" | "musl";
}

export const RELEASE_TARGETS: readonly BuildTarget[] = [
	{ bunTarget: "bun-linux-x64", os: "linux", arch: "x64" },
	{ bunTarget: "bun-linux-x64-baseline", os: "linux", arch: "x64", variant: "baseline" },
	{ bunTarget: "bun-linux-arm64", os: "linux", arch: "arm64" },
	{ bunTarget: "bun-linux-x64-musl", os: "linux", arch: "x64", variant: "musl" },
	{ bunTarget: "bun-darwin-x64", os: "darwin", arch: "x64" },
	{ bunTarget: "bun-darwin-arm64", os: "darwin", arch: "arm64" },
	{ bunTarget: "bun-windows-x64", os: "windows", arch: "x64" },
];

/** Placeholder GitHub owner of the release repository (`<owner>/pi`); installers and the formula use the same. */
export const RELEASE_OWNER = "pi-binary";
export const RELEASE_REPO = `${RELEASE_OWNER}/pi`;

/** `pi-linux-x64`, `pi-linux-x64-baseline`, `pi-windows-x64`: the platform part of every release file name. */
export function artifactName(target: BuildTarget): string {
	const variant = target.variant ? `-${target.variant}` : "";
	return `pi-${target.os}-${target.arch}${variant}`;
}

/** The release asset: `.zip` for Windows (Explorer and PowerShell open it), `.tar.gz` elsewhere. */
export function archiveName(artifact: string): string {
	return artifact.startsWith("pi-windows-") ? `${artifact}.zip` : `${artifact}.tar.gz`;
}

/** The executable inside each archive. */
export function binaryName(artifact: string): string {
	return artifact.startsWith("pi-windows-") ? "pi.exe" : "pi";
}

export function isKnownArtifact(name: string): boolean {
	return RELEASE_TARGETS.some((target) => artifactName(target) === name);
}

/** Accepts `bun-linux-x64`, `linux-x64` or the artifact name `pi-linux-x64` (with or without an extension). */
export function findTarget(name: string): BuildTarget | undefined {
	const bare = name
		.replace(/^(bun|pi)-/, "")
		.replace(/\.(exe|zip|tar\.gz)$/, "")
		.replace(/^windows-x64\.exe$/, "windows-x64");
	return RELEASE_TARGETS.find((t) => t.bunTarget === `bun-${bare}`);
}

export function releaseDownloadBase(version: string): string {
	return `https://github.com/${RELEASE_REPO}/releases/download/v${version}`;
}

/**
 * The artifact for the running machine, decided as install.sh decides it: musl when the system's C library is
 * musl (Alpine), the baseline build on an x64 CPU without AVX2. Used when no install record names the artifact.
 */
export function hostArtifact(
	probe: { platform: string; arch: string; isMusl: () => boolean; hasAvx2: () => boolean } = hostProbe(),
): string | undefined {
	const arch = probe.arch === "x64" || probe.arch === "arm64" ? probe.arch : undefined;
	if (!arch) return undefined;
	if (probe.platform === "win32") return arch === "x64" ? "pi-windows-x64" : undefined;
	if (probe.platform === "darwin") return `pi-darwin-${arch}`;
	if (probe.platform !== "linux") return undefined;
	if (probe.isMusl()) return arch === "x64" ? "pi-linux-x64-musl" : undefined;
	if (arch === "x64" && !probe.hasAvx2()) return "pi-linux-x64-baseline";
	return `pi-linux-${arch}`;
}

function hostProbe() {
	return {
		platform: process.platform,
		arch: process.arch,
		isMusl: () =>
			existsSync("/etc/alpine-release") ||
			(existsSync("/lib/ld-musl-x86_64.so.1") && !existsSync("/lib64/ld-linux-x86-64.so.2")),
		hasAvx2: () => {
			try {
				return /\bavx2\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
			} catch {
				return true;
			}
		},
	};
}
