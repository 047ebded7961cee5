/**
 * Opens a URL in the user's browser (login flows print the URL too, so a failure is silent). No shell: the URL is
 * one argument of `open`, `xdg-open` or `cmd /c start`.
 */
import { spawn } from "node:child_process";

export function openInBrowser(url: string): void {
	const [command, args] =
		process.platform === "darwin"
			? ["open", [url]]
			: process.platform === "win32"
				? ["cmd", ["/c", "start", "", url]]
				: ["xdg-open", [url]];
	try {
		const child = spawn(command, args, { stdio: "ignore", detached: true, windowsHide: true });
		child.on("error", () => {});
		child.unref();
	} catch {
		// No browser opener on this machine: the URL is on the screen.
	}
}
