/**
 * Git packages on disk: cloning one (at its ref, with its dependencies installed) and bringing a checkout up to
 * date. A marker file beside the checkout says an update was interrupted, so the next run finishes it instead of
 * trusting a half-reset tree.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { captureCommand, dependencyInstallArgs, type PackageManagerCommand } from "./commands.ts";
import { gitUpdateMarker } from "./layout.ts";
import { NETWORK_TIMEOUT_MS } from "./npm-versions.ts";
import type { GitSource } from "./source.ts";

export interface GitCheckoutTools {
	/** Runs git or the package manager, its output going where the caller wants it. */
	run(command: PackageManagerCommand | "git", args: string[], cwd?: string): Promise<void>;
	manager: PackageManagerCommand;
}

async function installDependencies(target: string, tools: GitCheckoutTools): Promise<void> {
	if (existsSync(join(target, "package.json"))) {
		await tools.run(tools.manager, dependencyInstallArgs(tools.manager), target);
	}
}

/** Clones `source` into `target`; a failed clone leaves nothing that looks installed. */
export async function cloneGitPackage(source: GitSource, target: string, tools: GitCheckoutTools): Promise<void> {
	mkdirSync(dirname(target), { recursive: true });
	rmSync(gitUpdateMarker(target), { force: true });
	try {
		await tools.run("git", ["clone", source.repo, target]);
		if (source.ref) await tools.run("git", ["checkout", source.ref], target);
		await installDependencies(target, tools);
	} catch (error) {
		rmSync(target, { recursive: true, force: true });
		throw error;
	}
}

/** Fetch only what is needed, reset to the ref (or the remote branch), clean, reinstall dependencies. */
export async function updateGitCheckout(source: GitSource, target: string, tools: GitCheckoutTools): Promise<void> {
	let ref: string;
	if (source.ref) {
		await tools.run("git", ["fetch", "origin", source.ref], target);
		ref = "FETCH_HEAD";
	} else {
		const upstream = await captureCommand("git", ["rev-parse", "--abbrev-ref", "@{upstream}"], {
			cwd: target,
			timeoutMs: NETWORK_TIMEOUT_MS,
		}).catch(() => "");
		const branch = upstream.startsWith("origin/") ? upstream.slice("origin/".length) : "";
		await tools.run(
			"git",
			branch
				? ["fetch", "--prune", "--no-tags", "origin", `+refs/heads/${branch}:refs/remotes/origin/${branch}`]
				: ["fetch", "--prune", "--no-tags", "origin", "+HEAD:refs/remotes/origin/HEAD"],
			target,
		);
		ref = branch ? "@{upstream}" : "origin/HEAD";
	}
	const head = await gitHead(target);
	const wanted = await captureCommand("git", ["rev-parse", `${ref}^{commit}`], { cwd: target });
	const marker = gitUpdateMarker(target);
	if (head === wanted && !existsSync(marker)) return;
	writeFileSync(marker, "");
	await tools.run("git", ["reset", "--hard", `${ref}^{commit}`], target);
	await tools.run("git", ["clean", "-fdx"], target);
	await installDependencies(target, tools);
	rmSync(marker, { force: true });
}

/** The checked-out commit; undefined when `dir` is not a git checkout. */
export async function gitHead(dir: string): Promise<string | undefined> {
	if (!existsSync(dir)) return undefined;
	return captureCommand("git", ["rev-parse", "HEAD"], { cwd: dir, timeoutMs: NETWORK_TIMEOUT_MS }).catch(
		() => undefined,
	);
}
