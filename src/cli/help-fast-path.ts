/**
 * Whether `pi --help` must load the extensions before answering: pi 1.6.0 lists the flags they register. A cheap
 * over-approximation decides it, so that without any extension `pi --help` stays as light as a bare Bun binary
 * (src/main.ts): an extensions folder with anything in it (the user's or the project's), or a settings file that
 * names extensions or packages. Only Bun's own file API is used here: importing node:fs costs about 5 MB.
 */

/** A folder's size is 0 when it is missing, and (on every common file system) when it is empty. */
function mayHoldFiles(path: string): boolean {
	return Bun.file(path).size > 0;
}

async function mentionsExtensions(file: Bun.BunFile): Promise<boolean> {
	if (file.size === 0) return false;
	try {
		const text = await file.text();
		return text.includes("extensions") || text.includes("packages");
	} catch {
		return true; // unreadable: let the full path report it
	}
}

function agentDirectory(env: Record<string, string | undefined>): string {
	const home = env.HOME ?? env.USERPROFILE ?? "";
	const fromEnv = env.PI_CODING_AGENT_DIR;
	if (fromEnv) return fromEnv === "~" || fromEnv.startsWith("~/") ? `${home}${fromEnv.slice(1)}` : fromEnv;
	return `${home}/.pi/agent`;
}

/**
 * Answered at once (no promise, so a lone `pi --help` runs no asynchronous code) unless a settings file exists and
 * must be read. The project's paths are relative: a deleted current folder has none of them.
 */
export function helpNeedsExtensions(env: Record<string, string | undefined> = Bun.env): boolean | Promise<boolean> {
	const agent = agentDirectory(env);
	if (mayHoldFiles(`${agent}/extensions`) || mayHoldFiles(".pi/extensions")) return true;
	// No loop nor array until a file is there: the answer for a home without settings touches as little as it can.
	const user = Bun.file(`${agent}/settings.json`);
	const userToml = Bun.file(`${agent}/settings.toml`);
	const project = Bun.file(".pi/settings.json");
	if (user.size === 0 && userToml.size === 0 && project.size === 0) return false;
	return Promise.all([user, userToml, project].map(mentionsExtensions)).then((answers) => answers.includes(true));
}
