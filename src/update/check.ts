/**
 * The startup check for a newer pi release (interactive mode only, after the first frame, never blocking).
 * Off with PI_SKIP_VERSION_CHECK (pi's opt-out) or offline mode (PI_OFFLINE / --offline: no network at all).
 * The answer is cached for a day in <agentDir>/update-check.json, so a busy user asks the release host at most
 * once a day (GitHub allows 60 unauthenticated API requests an hour per address).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { agentDir } from "../config/paths.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { fetchRelease, isNewerVersion } from "./release.ts";

const CACHE_FILE = "update-check.json";
const CACHE_MS = 24 * 60 * 60 * 1000;
const CHECK_TIMEOUT_MS = 10_000;

function enabled(value: string | undefined): boolean {
	return value !== undefined && value !== "" && !["0", "false", "no"].includes(value.toLowerCase());
}

export function updateCheckDisabled(env: Record<string, string | undefined> = process.env): boolean {
	return enabled(env.PI_OFFLINE) || enabled(env.PI_SKIP_VERSION_CHECK);
}

const CachedCheckSchema = v.object({ checkedAt: v.number(), latest: v.string() });
type CachedCheck = v.InferOutput<typeof CachedCheckSchema>;

/** The cached answer; undefined when there is none or the file is damaged (then the check runs again). */
function readCache(path: string): CachedCheck | undefined {
	try {
		const parsed = v.safeParse(CachedCheckSchema, JSON.parse(readFileSync(path, "utf8")));
		return parsed.success ? parsed.output : undefined;
	} catch {
		return undefined;
	}
}

/** The newer release's version, or undefined (up to date, disabled, or the check failed: never an error). */
export async function newerRelease(
	currentVersion: string,
	options: { now?: number; dir?: string; env?: Record<string, string | undefined> } = {},
): Promise<string | undefined> {
	if (updateCheckDisabled(options.env)) return undefined;
	const now = options.now ?? Date.now();
	const path = join(options.dir ?? agentDir(), CACHE_FILE);
	let latest = readCache(path);
	if (!latest || now - latest.checkedAt > CACHE_MS || now < latest.checkedAt) {
		try {
			const release = await fetchRelease(undefined, AbortSignal.timeout(CHECK_TIMEOUT_MS));
			latest = { checkedAt: now, latest: release.version };
		} catch {
			return undefined;
		}
		try {
			writeFileAtomicSync(path, `${JSON.stringify(latest)}\n`);
		} catch {
			// A read-only or missing agent folder only costs asking again next time.
		}
	}
	return isNewerVersion(latest.latest, currentVersion) ? latest.latest : undefined;
}

/** pi's wording for the startup notice. */
export async function updateNotice(currentVersion: string): Promise<string | undefined> {
	const version = await newerRelease(currentVersion);
	return version ? `New version ${version} is available. Run pi update` : undefined;
}
