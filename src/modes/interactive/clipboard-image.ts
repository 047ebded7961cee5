/**
 * Reading an image from the system clipboard with the platform's command-line tools (pi's Ctrl+V / Alt+V):
 * wl-paste on Wayland (and WSL), xclip on X11, osascript on macOS. pi also uses a native clipboard module on X11
 * and macOS; a compiled binary has none, so the command-line tools are the only route here.
 */
import { readFileSync } from "node:fs";

const SUPPORTED_IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;

export interface ClipboardImage {
	bytes: Uint8Array;
	mimeType: string;
}

export type ClipboardResult =
	| { ok: true; image: ClipboardImage }
	/** "no-tool": none of the platform's tools is installed; "no-image": the clipboard holds no image. */
	| { ok: false; reason: "no-tool" | "no-image" | "unsupported"; tools: string[] };

export interface ClipboardEnvironment {
	env: Record<string, string | undefined>;
	platform: NodeJS.Platform;
	/** Runs a tool and returns its stdout, or undefined when it failed or timed out. */
	run?: (command: string, args: string[], timeoutMs: number) => Promise<Uint8Array | undefined>;
	/** Whether a tool is on PATH. */
	which?: (command: string) => boolean;
}

const LIST_TIMEOUT_MS = 1000;
const READ_TIMEOUT_MS = 3000;

async function runTool(
	path: string,
	args: string[],
	timeoutMs: number,
	env: ClipboardEnvironment["env"],
): Promise<Uint8Array | undefined> {
	try {
		const proc = Bun.spawn([path, ...args], { stdout: "pipe", stderr: "ignore", stdin: "ignore", env });
		const timer = setTimeout(() => proc.kill(), timeoutMs);
		const [bytes, code] = await Promise.all([new Response(proc.stdout).bytes(), proc.exited]);
		clearTimeout(timer);
		return code === 0 ? bytes : undefined;
	} catch {
		return undefined;
	}
}

function baseType(mimeType: string): string {
	return (mimeType.split(";")[0] ?? mimeType).trim().toLowerCase();
}

export function extensionForImageType(mimeType: string): string | undefined {
	switch (baseType(mimeType)) {
		case "image/png":
			return "png";
		case "image/jpeg":
			return "jpg";
		case "image/webp":
			return "webp";
		case "image/gif":
			return "gif";
		default:
			return undefined;
	}
}

/** The best type the clipboard offers: pi's preference order, then any image type. */
function preferredType(offered: readonly string[]): string | undefined {
	const types = offered.map((type) => type.trim()).filter(Boolean);
	for (const wanted of SUPPORTED_IMAGE_TYPES) {
		const match = types.find((type) => baseType(type) === wanted);
		if (match) return match;
	}
	return types.find((type) => baseType(type).startsWith("image/"));
}

function lines(bytes: Uint8Array): string[] {
	return new TextDecoder().decode(bytes).split(/\r?\n/);
}

type Run = NonNullable<ClipboardEnvironment["run"]>;

async function viaWlPaste(run: Run): Promise<ClipboardImage | undefined> {
	const list = await run("wl-paste", ["--list-types"], LIST_TIMEOUT_MS);
	const type = list ? preferredType(lines(list)) : undefined;
	if (!type) return undefined;
	const data = await run("wl-paste", ["--type", type, "--no-newline"], READ_TIMEOUT_MS);
	return data && data.length > 0 ? { bytes: data, mimeType: baseType(type) } : undefined;
}

async function viaXclip(run: Run): Promise<ClipboardImage | undefined> {
	const targets = await run("xclip", ["-selection", "clipboard", "-t", "TARGETS", "-o"], LIST_TIMEOUT_MS);
	const preferred = targets ? preferredType(lines(targets)) : undefined;
	const candidates = preferred ? [preferred, ...SUPPORTED_IMAGE_TYPES] : [...SUPPORTED_IMAGE_TYPES];
	for (const type of candidates) {
		const data = await run("xclip", ["-selection", "clipboard", "-t", type, "-o"], READ_TIMEOUT_MS);
		if (data && data.length > 0) return { bytes: data, mimeType: baseType(type) };
	}
	return undefined;
}

/** AppleScript prints PNG data as `«data PNGf89504E47…»`. */
async function viaOsascript(run: Run): Promise<ClipboardImage | undefined> {
	const out = await run("osascript", ["-e", "the clipboard as «class PNGf»"], READ_TIMEOUT_MS);
	if (!out) return undefined;
	const match = /«data PNGf([0-9A-Fa-f]+)»/.exec(new TextDecoder().decode(out));
	if (!match?.[1]) return undefined;
	return { bytes: Uint8Array.from(Buffer.from(match[1], "hex")), mimeType: "image/png" };
}

function isWsl(env: ClipboardEnvironment["env"]): boolean {
	if (env.WSL_DISTRO_NAME || env.WSLENV) return true;
	try {
		return /microsoft|wsl/i.test(readFileSync("/proc/version", "utf8"));
	} catch {
		return false;
	}
}

/** The tools tried on this platform, in order. */
function clipboardTools(environment: ClipboardEnvironment): string[] {
	const { env, platform } = environment;
	if (platform === "darwin") return ["osascript"];
	if (platform !== "linux") return [];
	const wayland = Boolean(env.WAYLAND_DISPLAY) || env.XDG_SESSION_TYPE === "wayland";
	return wayland || isWsl(env) ? ["wl-paste", "xclip"] : ["xclip"];
}

export async function readClipboardImage(environment: ClipboardEnvironment): Promise<ClipboardResult> {
	const tools = clipboardTools(environment);
	// Termux has no clipboard image access (pi returns nothing there too).
	if (environment.env.TERMUX_VERSION || tools.length === 0) return { ok: false, reason: "unsupported", tools };
	const locate = (command: string) => Bun.which(command, { PATH: environment.env.PATH ?? "" }) ?? undefined;
	const which = environment.which ?? ((command: string) => locate(command) !== undefined);
	const installed = tools.filter(which);
	if (installed.length === 0) return { ok: false, reason: "no-tool", tools };
	const run: Run =
		environment.run ??
		((command, args, timeoutMs) => runTool(locate(command) ?? command, args, timeoutMs, environment.env));
	for (const tool of installed) {
		const image =
			tool === "wl-paste" ? await viaWlPaste(run) : tool === "xclip" ? await viaXclip(run) : await viaOsascript(run);
		if (image) return { ok: true, image };
	}
	return { ok: false, reason: "no-image", tools };
}
