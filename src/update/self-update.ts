/**
 * `pi update` for pi itself, and `pi update --rollback`.
 *
 * An update is staged, verified and switched in this order, and stops with nothing changed at any failure:
 *   1. take the install root's lock (a second concurrent update stops with a message);
 *   2. ask the release host for the latest release; nothing to do when it is not newer (unless --force);
 *   3. download SHA256SUMS and this platform's archive (stall timeout, progress on a terminal);
 *   4. the archive's SHA-256 must equal SHA256SUMS' line and the release host's digest of the asset;
 *   5. unpack `pi` into a staging folder and run its `--version`: it must run and print the release's version;
 *   6. rename the staging folder to versions/<version> — no file a running pi was started from is written;
 *   7. switch: Unix replaces the `pi` symlink by rename (atomic); Windows renames the running pi.exe aside and
 *      moves the new copy in; then install.json records current and previous, and older versions are removed.
 * A standalone binary (the first installer's plain file, or one put on PATH by hand) becomes a managed install on
 * its first update, keeping itself as the previous version.
 */
import { spawn, spawnSync } from "node:child_process";
import {
	accessSync,
	chmodSync,
	constants,
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	renameSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { readArchive } from "./archive.ts";
import {
	binaryFileName,
	defaultInstallRoot,
	defaultLayout,
	detectInstallMethod,
	hostPlatform,
	INSTALL_KIND,
	type InstallMethod,
	type InstallRecord,
	type Platform,
	readInstallRecord,
	VERSION_PATTERN,
	versionDir,
	writeInstallRecord,
} from "./install-layout.ts";
import {
	checksumFor,
	downloadAsset,
	errorText,
	fetchRelease,
	findAsset,
	isNewerVersion,
	type ReleaseInfo,
	sha256Hex,
} from "./release.ts";
import { archiveName, binaryName, hostArtifact, isKnownArtifact } from "./targets.ts";
import { acquireUpdateLock } from "./update-lock.ts";

export interface SelfUpdateOptions {
	/** The running executable (process.execPath). */
	executable: string;
	/** False when pi runs from source under Bun. */
	compiled: boolean;
	currentVersion: string;
	force?: boolean;
	platform?: Platform;
	/** The artifact to install when no install record names it (default: detected for this machine). */
	artifact?: string;
	/** Where a standalone binary's versions go when it becomes managed (default: defaultInstallRoot()). */
	installRoot?: string;
	/** PI_SELF_UPDATE_COMMAND / selfUpdateCommand, already split into argv. */
	configuredCommand?: string[];
	stallTimeoutMs?: number;
	verifyTimeoutMs?: number;
	out: (line: string) => void;
	err: (line: string) => void;
	/** Progress text for a terminal (overwritten in place); absent when not a terminal. */
	progress?: (text: string) => void;
}

class UpdateError extends Error {}

export async function runSelfUpdate(options: SelfUpdateOptions): Promise<number> {
	try {
		return await selfUpdate(options);
	} catch (error) {
		options.err(`Error: ${errorText(error)}`);
		return 1;
	}
}

export async function runRollback(options: SelfUpdateOptions): Promise<number> {
	try {
		return rollback(options);
	} catch (error) {
		options.err(`Error: ${errorText(error)}`);
		return 1;
	}
}

async function selfUpdate(options: SelfUpdateOptions): Promise<number> {
	if (options.configuredCommand?.length) return runConfiguredCommand(options, options.configuredCommand);
	const method = detectInstallMethod(options.executable, options.compiled);
	const refusal = cannotSelfUpdate(method);
	if (refusal) {
		options.err(refusal);
		return 1;
	}
	const platform = options.platform ?? hostPlatform();
	const target = managedTarget(method, options, platform);
	const release = await fetchRelease();
	if (!options.force && !isNewerVersion(release.version, options.currentVersion)) {
		options.out(`pi is already up to date (v${options.currentVersion})`);
		return 0;
	}
	if (!VERSION_PATTERN.test(release.version))
		throw new UpdateError(`the release has an invalid version: ${release.version}`);
	const releaseLock = acquireUpdateLock(target.root);
	try {
		removeAbandonedStaging(target.root);
		options.out(`Updating pi ${options.currentVersion} → ${release.version} (${archiveName(target.artifact)})`);
		const staged = await stageRelease(release, target, options);
		adoptStandalone(method, target, options.currentVersion);
		installVersion(target, release.version, staged, platform);
		options.out(`Updated pi ${options.currentVersion} → ${release.version} at ${livePath(target, platform)}`);
		return 0;
	} finally {
		releaseLock();
	}
}

function rollback(options: SelfUpdateOptions): number {
	const method = detectInstallMethod(options.executable, options.compiled);
	const refusal = cannotSelfUpdate(method);
	if (refusal) {
		options.err(refusal);
		return 1;
	}
	if (method.kind !== "managed" || !method.record.previous) {
		throw new UpdateError("there is no previous version to roll back to (it is kept after a `pi update`)");
	}
	const platform = options.platform ?? hostPlatform();
	const target = managedTarget(method, options, platform);
	const previous = method.record.previous;
	const releaseLock = acquireUpdateLock(target.root);
	try {
		const binary = join(versionDir(target.root, previous), binaryName(target.artifact));
		if (!existsSync(binary)) throw new UpdateError(`the previous version ${previous} is missing (${binary})`);
		verifyBinary(binary, previous, options.verifyTimeoutMs);
		switchTo(target, previous, platform);
		writeInstallRecord(target.root, { ...target.record, current: previous, previous: target.record.current });
		options.out(`Rolled back pi ${target.record.current} → ${previous} at ${livePath(target, platform)}`);
		return 0;
	} finally {
		releaseLock();
	}
}

/** The message for installs `pi update` must not touch; undefined when it may update. */
function cannotSelfUpdate(method: InstallMethod): string | undefined {
	if (method.kind === "package-manager") {
		return `pi was installed with ${method.manager}; update it with: ${method.command}`;
	}
	if (method.kind === "source") {
		return "pi is running from source (bun src/main.ts); update it with: git pull && npm ci && npm run build";
	}
	return undefined;
}

interface ManagedTarget {
	root: string;
	binDir: string;
	/** File name of the command in binDir: pi or pi.exe (a standalone binary keeps its own name). */
	liveName: string;
	artifact: string;
	layout: "link" | "copy";
	record: InstallRecord;
}

function managedTarget(method: InstallMethod, options: SelfUpdateOptions, platform: Platform): ManagedTarget {
	if (method.kind === "managed") {
		const { record } = method;
		if (!isKnownArtifact(record.artifact))
			throw new UpdateError(`install.json names an unknown build: ${record.artifact}`);
		return {
			root: method.root,
			binDir: record.binDir,
			liveName: binaryFileName(platform),
			artifact: record.artifact,
			layout: record.layout ?? defaultLayout(platform),
			record,
		};
	}
	if (method.kind !== "standalone") throw new UpdateError("this installation cannot update itself");
	const artifact = options.artifact ?? hostArtifact();
	if (!artifact) throw new UpdateError(`there is no pi build for ${process.platform}-${process.arch}`);
	const binDir = dirname(method.executable);
	try {
		accessSync(binDir, constants.W_OK);
	} catch {
		throw new UpdateError(
			`cannot write to ${binDir}, where pi is; run the installer again (it installs into your home folder) or update with the rights to write there`,
		);
	}
	const record: InstallRecord = {
		kind: INSTALL_KIND,
		schemaVersion: 1,
		installedBy: "pi update",
		artifact,
		binDir,
		current: options.currentVersion,
		previous: "",
	};
	const root = options.installRoot ?? defaultInstallRoot(platform);
	const existing = readInstallRecord(root);
	if (existing && existing.binDir !== binDir) {
		throw new UpdateError(
			`${root} already manages the pi in ${existing.binDir}; run that one's pi update, or set PI_INSTALL_ROOT to keep this pi's versions elsewhere`,
		);
	}
	return {
		root,
		binDir,
		liveName: basename(method.executable),
		artifact,
		layout: defaultLayout(platform),
		record,
	};
}

function livePath(target: ManagedTarget, _platform: Platform): string {
	return join(target.binDir, target.liveName);
}

/** Steps 3–5: download, verify, unpack and run. Returns the staging folder holding the verified binary. */
async function stageRelease(release: ReleaseInfo, target: ManagedTarget, options: SelfUpdateOptions): Promise<string> {
	const archive = archiveName(target.artifact);
	const sumsAsset = findAsset(release, "SHA256SUMS");
	const archiveAsset = findAsset(release, archive);
	const download = { stallTimeoutMs: options.stallTimeoutMs };
	const sumsBytes = await downloadAsset(sumsAsset, download);
	if (sumsAsset.sha256 && sha256Hex(sumsBytes) !== sumsAsset.sha256) {
		throw new UpdateError("SHA256SUMS does not match the release's digest of it; nothing was changed");
	}
	const expected = checksumFor(new TextDecoder().decode(sumsBytes), archive);
	if (!expected) throw new UpdateError(`SHA256SUMS of ${release.version} has no entry for ${archive}`);
	const progress = options.progress;
	const bytes = await downloadAsset(archiveAsset, {
		...download,
		onProgress: progress
			? (received, total) =>
					progress(`Downloading ${archive}  ${megabytes(received)}${total ? ` / ${megabytes(total)}` : ""}`)
			: undefined,
	});
	const actual = sha256Hex(bytes);
	if (actual !== expected) {
		throw new UpdateError(
			`checksum mismatch for ${archive}: SHA256SUMS says ${expected}, the download is ${actual}; nothing was changed`,
		);
	}
	if (archiveAsset.sha256 && actual !== archiveAsset.sha256) {
		throw new UpdateError(
			`checksum mismatch for ${archive}: the release host's digest is ${archiveAsset.sha256}, the download is ${actual}; nothing was changed`,
		);
	}
	const entry = readArchive(archive, bytes).find((e) => e.name.replace(/^\.\//, "") === binaryName(target.artifact));
	if (!entry) throw new UpdateError(`${archive} does not contain ${binaryName(target.artifact)}; nothing was changed`);

	mkdirSync(join(target.root, "versions"), { recursive: true });
	const staging = mkdtempSync(join(target.root, "versions", ".staging-"));
	try {
		const binary = join(staging, binaryName(target.artifact));
		writeFileSync(binary, entry.data);
		if (process.platform !== "win32") chmodSync(binary, 0o755);
		verifyBinary(binary, release.version, options.verifyTimeoutMs);
		return staging;
	} catch (error) {
		rmSync(staging, { recursive: true, force: true });
		throw error;
	}
}

/** Runs `<binary> --version`; it must exit 0 and print `version`. */
function verifyBinary(binary: string, version: string, timeoutMs = 60_000): void {
	const result = spawnSync(binary, ["--version"], {
		encoding: "utf8",
		timeout: timeoutMs,
		stdio: ["ignore", "pipe", "pipe"],
		env: { ...process.env, PI_OFFLINE: "1", PI_SKIP_VERSION_CHECK: "1" },
	});
	if (result.error || result.status !== 0) {
		const reason =
			result.error?.message || result.stderr.trim().split("\n")[0] || `exit code ${result.status ?? result.signal}`;
		throw new UpdateError(`the new pi ${version} does not run on this machine (${reason}); nothing was changed`);
	}
	const printed = result.stdout.trim();
	if (printed !== version) {
		throw new UpdateError(`the new pi reports version ${printed || "(nothing)"}, not ${version}; nothing was changed`);
	}
}

/** A standalone binary keeps itself as a version folder, so that a rollback can return to it. */
function adoptStandalone(method: InstallMethod, target: ManagedTarget, currentVersion: string): void {
	if (method.kind !== "standalone" || !VERSION_PATTERN.test(currentVersion)) return;
	const dir = versionDir(target.root, currentVersion);
	if (existsSync(dir)) return;
	mkdirSync(dir, { recursive: true });
	copyFileSync(method.executable, join(dir, binaryName(target.artifact)));
	if (process.platform !== "win32") chmodSync(join(dir, binaryName(target.artifact)), 0o755);
	target.record = { ...target.record, current: currentVersion };
}

/** Steps 6–7. */
function installVersion(target: ManagedTarget, version: string, staging: string, platform: Platform): void {
	const dir = versionDir(target.root, version);
	try {
		if (existsSync(dir)) {
			// --force of the installed version: move the old folder aside instead of writing into running files.
			renameSync(dir, join(staging, "replaced"));
			renameSync(join(staging, binaryName(target.artifact)), join(staging, "new"));
			mkdirSync(dir);
			renameSync(join(staging, "new"), join(dir, binaryName(target.artifact)));
		} else {
			renameSync(staging, dir);
		}
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
	switchTo(target, version, platform);
	const previous = target.record.current !== version ? target.record.current : target.record.previous;
	writeInstallRecord(target.root, { ...target.record, current: version, previous });
	pruneVersions(target.root, [version, previous]);
}

/** Points the command in binDir at versions/<version>. */
function switchTo(target: ManagedTarget, version: string, platform: Platform): void {
	const binary = join(versionDir(target.root, version), binaryName(target.artifact));
	const live = livePath(target, platform);
	mkdirSync(target.binDir, { recursive: true });
	if (target.layout === "link") {
		const temporary = join(target.binDir, `.pi-link-${process.pid}`);
		rmSync(temporary, { force: true });
		symlinkSync(binary, temporary);
		try {
			renameSync(temporary, live);
		} catch (error) {
			rmSync(temporary, { force: true });
			throw new UpdateError(`cannot replace ${live}: ${errorText(error)}`);
		}
		return;
	}
	// Windows cannot overwrite or delete a running .exe, but it can rename it: the old one moves aside and is
	// deleted by a later update once no process runs it.
	const incoming = join(target.binDir, `.pi-new-${process.pid}.exe`);
	copyFileSync(binary, incoming);
	const aside = join(target.binDir, `.pi-old-${Date.now()}-${process.pid}.exe`);
	const hadLive = existsSync(live);
	if (hadLive) renameSync(live, aside);
	try {
		renameSync(incoming, live);
	} catch (error) {
		if (hadLive) renameSync(aside, live);
		rmSync(incoming, { force: true });
		throw new UpdateError(`cannot replace ${live}: ${errorText(error)}`);
	}
	for (const name of readdirSync(target.binDir)) {
		if (!name.startsWith(".pi-old-")) continue;
		try {
			rmSync(join(target.binDir, name), { force: true });
		} catch {
			// Still running: removed by a later update.
		}
	}
}

/**
 * Staging folders of an install or update that was killed (Ctrl+C, a closed terminal): with the lock held, no one
 * else is staging, so every one left is abandoned. install.sh names them `.staging.*`, pi update `.staging-*`.
 */
function removeAbandonedStaging(root: string): void {
	let names: string[] = [];
	try {
		names = readdirSync(join(root, "versions"));
	} catch {
		return;
	}
	for (const name of names) {
		if (name.startsWith(".staging")) rmSync(join(root, "versions", name), { recursive: true, force: true });
	}
}

function pruneVersions(root: string, keep: readonly string[]): void {
	for (const name of readdirSync(join(root, "versions"))) {
		if (name.startsWith(".") || keep.includes(name)) continue;
		try {
			rmSync(join(root, "versions", name), { recursive: true, force: true });
		} catch {
			// In use on Windows: removed by a later update.
		}
	}
}

/** PI_SELF_UPDATE_COMMAND / selfUpdateCommand, run as pi 1.6.0 does: only when a newer release exists. */
async function runConfiguredCommand(options: SelfUpdateOptions, argv: string[]): Promise<number> {
	const release = await fetchRelease();
	if (!options.force && !isNewerVersion(release.version, options.currentVersion)) {
		options.out(`pi is already up to date (v${options.currentVersion})`);
		return 0;
	}
	const values: Record<string, string> = {
		packageName: "pi-binary",
		version: release.version,
		installSpec: `pi-binary@${release.version}`,
	};
	const [command = "", ...args] = argv.map((arg) =>
		arg.replace(/\{(packageName|version|installSpec)\}/g, (_, name: string) => values[name] ?? ""),
	);
	const display = [command, ...args].join(" ");
	options.out(`Updating pi with ${display}...`);
	const code = await new Promise<number>((resolve) => {
		const child = spawn(command, args, { stdio: "inherit" });
		child.on("error", (error) => {
			options.err(`Error: cannot run ${command}: ${error.message}`);
			resolve(1);
		});
		child.on("close", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
	});
	if (code !== 0) {
		options.err(`Error: ${display} exited with code ${code}`);
		return 1;
	}
	options.out(`Ran ${display} for pi ${release.version}`);
	return 0;
}

/** `PI_SELF_UPDATE_COMMAND` (split on whitespace) wins over the `selfUpdateCommand` setting, as in pi 1.6.0. */
export function configuredSelfUpdateCommand(setting: readonly string[] | undefined): string[] | undefined {
	const fromEnv = process.env.PI_SELF_UPDATE_COMMAND?.trim().split(/\s+/).filter(Boolean);
	if (fromEnv?.length) return fromEnv;
	return setting?.length ? [...setting] : undefined;
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
