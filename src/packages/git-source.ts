/**
 * Git package sources as pi 1.6.0 reads them, down to where they are cloned: `<root>/git/<host>/<path>` must be
 * the folder pi uses, so packages pi installed are found.
 *
 *   git:github.com/user/repo[@ref]   git:user/repo (GitHub)   git:git@github.com:user/repo[@ref]
 *   https://github.com/user/repo[@ref|#ref]   ssh://git@host/user/repo   git://host/user/repo
 *
 * Without the `git:` prefix only URLs with a protocol are git sources (anything else is a local path).
 */

export interface GitSource {
	type: "git";
	/** What `git clone` gets (no ref). */
	repo: string;
	/** e.g. "github.com" */
	host: string;
	/** e.g. "user/repo" (no ".git") */
	path: string;
	ref?: string;
	/** A ref was given: updates reconcile the checkout to it but never move it. */
	pinned: boolean;
}

const SHORTCUT_HOSTS: Record<string, string> = {
	github: "github.com",
	gitlab: "gitlab.com",
	bitbucket: "bitbucket.org",
	gist: "gist.github.com",
};

/** Splits `…@ref` (after the repository path) or `…#ref`. */
function splitRef(text: string, pathStart: number): { repo: string; ref?: string } {
	const hash = text.indexOf("#", pathStart);
	if (hash >= 0) {
		const ref = text.slice(hash + 1);
		return ref ? { repo: text.slice(0, hash), ref } : { repo: text.slice(0, hash) };
	}
	const at = text.indexOf("@", pathStart);
	if (at < 0) return { repo: text };
	const repo = text.slice(0, at);
	const ref = text.slice(at + 1);
	return repo && ref ? { repo, ref } : { repo: text };
}

/** Rejects paths that could escape the install folder once joined (`..`, backslashes, NUL, absolute). */
function unsafe(part: string, allowSlash: boolean): boolean {
	let decoded: string;
	try {
		decoded = decodeURIComponent(part);
	} catch {
		return true;
	}
	return [part, decoded].some(
		(candidate) =>
			candidate.includes("\0") ||
			candidate.includes("\\") ||
			candidate.startsWith("/") ||
			(!allowSlash && candidate.includes("/")) ||
			candidate.split("/").includes(".."),
	);
}

function build(repo: string, host: string, rawPath: string, ref: string | undefined): GitSource | null {
	const path = rawPath
		.replace(/^\/+/, "")
		.replace(/\/+$/, "")
		.replace(/\.git$/, "");
	if (!host || path.split("/").length < 2 || path.split("/").some((segment) => segment === "")) return null;
	if (unsafe(host, false) || unsafe(path, true)) return null;
	return { type: "git", repo, host: host.toLowerCase(), path, ...(ref ? { ref } : {}), pinned: Boolean(ref) };
}

function fromUrl(text: string): GitSource | null {
	const schemeEnd = text.indexOf("://");
	// The path starts after the host; a user@ before the host is not a ref.
	const hostStart = schemeEnd + 3;
	const slash = text.indexOf("/", hostStart);
	if (slash < 0) return null;
	const { repo, ref } = splitRef(text, slash);
	let url: URL;
	try {
		url = new URL(repo);
	} catch {
		return null;
	}
	return build(repo.replace(/\/+$/, ""), url.hostname, url.pathname, ref);
}

/** `git@host:user/repo[@ref]` */
function fromScp(text: string): GitSource | null {
	const match = /^([^@/]+@)?([^:/]+):(.+)$/.exec(text);
	if (!match?.[2] || !match[3]) return null;
	const prefix = `${match[1] ?? ""}${match[2]}:`;
	const { repo, ref } = splitRef(text, prefix.length);
	return build(repo, match[2], repo.slice(prefix.length), ref);
}

/** `host/user/repo[@ref]`, `user/repo` (GitHub), `github:user/repo`. */
function fromShorthand(text: string): GitSource | null {
	const shortcut = /^(github|gitlab|bitbucket|gist):(.+)$/.exec(text);
	if (shortcut?.[1] && shortcut[2]) {
		const host = SHORTCUT_HOSTS[shortcut[1]] ?? shortcut[1];
		const { repo, ref } = splitRef(shortcut[2], 0);
		return build(`https://${host}/${repo.replace(/\.git$/, "")}`, host, repo, ref);
	}
	const { repo, ref } = splitRef(text, text.indexOf("/") + 1);
	const parts = repo.split("/");
	const first = parts[0] ?? "";
	if (parts.length === 2 && !first.includes(".") && first !== "localhost") {
		return build(`https://github.com/${repo.replace(/\.git$/, "")}`, "github.com", repo, ref);
	}
	if (!first.includes(".") && first !== "localhost" && !first.includes(":")) return null;
	return build(`https://${repo}`, first.replace(/:\d+$/, ""), parts.slice(1).join("/"), ref);
}

export function parseGitSource(source: string): GitSource | null {
	const trimmed = source.trim();
	const prefixed = trimmed.startsWith("git:");
	const text = prefixed ? trimmed.slice(4).trim() : trimmed;
	if (/^(https?|ssh|git|git\+ssh|git\+https):\/\//i.test(text)) return fromUrl(text);
	if (!prefixed) return null;
	if (/^[^@/:]+@[^:/]+:/.test(text)) return fromScp(text);
	return fromShorthand(text);
}
