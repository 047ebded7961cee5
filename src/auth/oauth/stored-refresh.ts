/**
 * Refreshing an expired OAuth token stored in auth.json, safely across processes: under the auth.json lock,
 * re-read the file (another pi may have refreshed already), refresh only if still expired, and merge the new
 * entry into the file as it is now, leaving every other entry alone.
 */
import { errorMessage, PiError } from "../../util/errors.ts";
import { type OAuthCredential, parseOAuthCredential, readAuthFile, writeAuthFile } from "../auth-storage.ts";
import { getOAuthProvider, refreshOAuthCredential } from "./index.ts";
import { withFileLockAsync } from "./refresh-lock.ts";

/** The refresh failed and no other process refreshed meanwhile: the user has to log in again. */
export class OAuthRefreshError extends PiError {
	override name = "OAuthRefreshError";
}

function refreshFailedMessage(providerId: string, detail: string): string {
	const name = getOAuthProvider(providerId)?.name ?? providerId;
	return `Your ${name} login expired and could not be renewed (${detail}). Run /login to log in to ${name} again.`;
}

/**
 * A usable credential for `providerId`: the stored one when another process already refreshed it, otherwise a
 * freshly refreshed one that is now also on disk (mode 600). Undefined when auth.json holds no OAuth entry for
 * it (logged out meanwhile). Throws OAuthRefreshError when the provider refuses the refresh.
 */
export async function refreshStoredOAuthCredential(
	authPath: string,
	providerId: string,
	/** Refresh also a token that expires within this many ms (`pi auth print-bearer-token --min-expiry`). */
	minValidityMs = 0,
): Promise<OAuthCredential | undefined> {
	try {
		return await withFileLockAsync(authPath, async () => {
			const stored = parseOAuthCredential(readAuthFile(authPath)[providerId]);
			if (!stored || Date.now() + minValidityMs < stored.expires) return stored;
			const refreshed = await refreshOAuthCredential(providerId, stored);
			// Re-read: a plain save by another process may have landed while the token endpoint answered.
			writeAuthFile(authPath, { ...readAuthFile(authPath), [providerId]: refreshed });
			return refreshed;
		});
	} catch (error) {
		throw new OAuthRefreshError(refreshFailedMessage(providerId, errorMessage(error)), { cause: error });
	}
}
