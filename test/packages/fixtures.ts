/**
 * Hermetic package sources for tests: a fixture npm registry on 127.0.0.1 (packuments and tarballs built from
 * files, so `bun install` / `npm install` with NPM_CONFIG_REGISTRY really download and unpack them) and a git
 * repository served over git's "dumb" HTTP protocol. No test reaches the internet.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";

/** Writes `files` (relative path → content) under `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), content);
	}
}

export function skillMd(name: string, description: string): string {
	return `---\nname: ${name}\ndescription: ${description}\n---\nUse ${name}.\n`;
}

/** A package folder: package.json from `manifest` plus `files`. */
export function makePackage(manifest: Record<string, unknown>, files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), "pi-pkg-"));
	writeFiles(root, { "package.json": JSON.stringify(manifest, null, 2), ...files });
	return root;
}

interface Published {
	version: string;
	tarball: Buffer;
}

export interface FixtureRegistry {
	url: string;
	/** Publishes name@version with these files (package.json is generated). */
	publish(name: string, version: string, files: Record<string, string>, extra?: Record<string, unknown>): void;
	close(): Promise<void>;
}

export function startFixtureRegistry(): FixtureRegistry {
	const packages = new Map<string, Published[]>();
	const server: Bun.Server<undefined> = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		fetch(request): Response {
			const path = decodeURIComponent(new URL(request.url).pathname).slice(1);
			const tarball = /^(.+)\/-\/[^/]+-(\d+\.\d+\.\d+)\.tgz$/.exec(path);
			if (tarball?.[1] && tarball[2]) {
				const found = packages.get(tarball[1])?.find((p) => p.version === tarball[2]);
				return found ? new Response(new Uint8Array(found.tarball)) : new Response("not found", { status: 404 });
			}
			const versions = packages.get(path);
			if (!versions) return Response.json({ error: "Not found" }, { status: 404 });
			const latest = versions.at(-1)?.version ?? "";
			const base = path.includes("/") ? (path.split("/")[1] ?? path) : path;
			return Response.json({
				name: path,
				"dist-tags": { latest },
				versions: Object.fromEntries(
					versions.map((p) => [
						p.version,
						{
							name: path,
							version: p.version,
							dist: {
								tarball: `${server.url.href}${path}/-/${base}-${p.version}.tgz`,
								shasum: createHash("sha1").update(p.tarball).digest("hex"),
							},
						},
					]),
				),
			});
		},
	});
	return {
		url: server.url.href,
		publish(name, version, files, extra = {}) {
			const dir = mkdtempSync(join(tmpdir(), "pi-npm-pack-"));
			writeFiles(join(dir, "package"), {
				"package.json": JSON.stringify({ name, version, keywords: ["pi-package"], ...extra }),
				...files,
			});
			execFileSync("tar", ["-czf", join(dir, "package.tgz"), "-C", dir, "package"]);
			const list = packages.get(name) ?? [];
			list.push({ version, tarball: readFileSync(join(dir, "package.tgz")) });
			packages.set(name, list);
		},
		close: () => server.stop(true),
	};
}

export interface FixtureGitServer {
	/** `http://127.0.0.1:<port>/<owner>/<repo>.git` */
	url(owner: string, repo: string): string;
	/** Creates or updates the repository with `files` as a new commit; returns the commit id. */
	commit(owner: string, repo: string, files: Record<string, string>): string;
	close(): Promise<void>;
}

function git(cwd: string, ...args: string[]): string {
	return execFileSync("git", args, {
		cwd,
		encoding: "utf8",
		env: {
			...process.env,
			GIT_AUTHOR_NAME: "t",
			GIT_AUTHOR_EMAIL: "t@example.com",
			GIT_COMMITTER_NAME: "t",
			GIT_COMMITTER_EMAIL: "t@example.com",
		},
	}).trim();
}

/** Bare repositories under a temp folder, served as static files (git's dumb HTTP transport). */
export function startFixtureGitServer(): FixtureGitServer {
	const root = mkdtempSync(join(tmpdir(), "pi-git-srv-"));
	const work = mkdtempSync(join(tmpdir(), "pi-git-work-"));
	const server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		async fetch(request) {
			const path = normalize(decodeURIComponent(new URL(request.url).pathname));
			if (path.includes("..")) return new Response("no", { status: 403 });
			const file = Bun.file(join(root, path));
			return (await file.exists()) ? new Response(file) : new Response("not found", { status: 404 });
		},
	});
	return {
		url: (owner, repo) => `${server.url.href}${owner}/${repo}.git`,
		commit(owner, repo, files) {
			const checkout = join(work, owner, repo);
			const bare = join(root, owner, `${repo}.git`);
			if (!existsSync(join(bare, "HEAD"))) {
				mkdirSync(bare, { recursive: true });
				git(bare, "init", "--bare", "-q", "-b", "main");
				mkdirSync(checkout, { recursive: true });
				git(checkout, "init", "-q", "-b", "main");
				git(checkout, "remote", "add", "origin", bare);
			}
			writeFiles(checkout, files);
			git(checkout, "add", "-A");
			git(checkout, "commit", "-q", "-m", "update");
			git(checkout, "push", "-q", "origin", "main");
			git(bare, "update-server-info");
			return git(checkout, "rev-parse", "HEAD");
		},
		close: () => server.stop(true),
	};
}
