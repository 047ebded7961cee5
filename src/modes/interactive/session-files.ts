/** Deleting a session file as pi does: the `trash` command when installed (recoverable), otherwise unlink. */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { errorMessage } from "../../util/errors.ts";

export async function deleteSessionFile(
	path: string,
): Promise<{ ok: boolean; method: "trash" | "unlink"; error?: string }> {
	const trash = spawnSync("trash", path.startsWith("-") ? ["--", path] : [path], { encoding: "utf8" });
	if (trash.status === 0 || !existsSync(path)) return { ok: true, method: "trash" };
	try {
		await unlink(path);
		return { ok: true, method: "unlink" };
	} catch (error) {
		return { ok: false, method: "unlink", error: errorMessage(error) };
	}
}
