/**
 * A .gitignore matcher for the built-in grep/find fallback (used when rg/fd are not installed).
 * Semantics follow git: rules of a .gitignore apply below its folder, later rules win, `!` re-includes,
 * a trailing `/` matches folders only, a `/` elsewhere anchors the pattern to the .gitignore's folder,
 * `*` and `?` stay within one path segment and `**` spans segments.
 */

export interface IgnoreRule {
	regex: RegExp;
	negated: boolean;
	directoryOnly: boolean;
}

function escapeRegex(char: string): string {
	return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

/** Translate the glob part of a pattern into a regex body matching a whole relative path. */
export function globToRegexSource(glob: string): string {
	let out = "";
	let i = 0;
	while (i < glob.length) {
		const char = glob[i] ?? "";
		if (char === "*") {
			if (glob[i + 1] === "*") {
				const atStart = i === 0 || glob[i - 1] === "/";
				const atEnd = i + 2 === glob.length || glob[i + 2] === "/";
				if (atStart && atEnd) {
					// "**/" matches zero or more folders; a trailing "**" matches everything inside.
					if (i + 2 === glob.length) out += ".*";
					else {
						out += "(?:.*/)?";
						i++;
					}
					i += 2;
					continue;
				}
			}
			out += "[^/]*";
			while (glob[i + 1] === "*") i++;
		} else if (char === "?") {
			out += "[^/]";
		} else if (char === "[") {
			const close = glob.indexOf("]", i + 2);
			if (close === -1) out += "\\[";
			else {
				let body = glob.slice(i + 1, close);
				if (body.startsWith("!")) body = `^${body.slice(1)}`;
				out += `[${body.replace(/\\/g, "\\\\")}]`;
				i = close;
			}
		} else if (char === "\\" && i + 1 < glob.length) {
			out += escapeRegex(glob[i + 1] ?? "");
			i++;
		} else {
			out += escapeRegex(char);
		}
		i++;
	}
	return out;
}

/** Parse one line of a .gitignore; undefined for blanks and comments. */
export function parseIgnoreLine(line: string): IgnoreRule | undefined {
	let pattern = line.replace(/\r$/, "");
	// Trailing spaces are ignored unless escaped.
	pattern = pattern.replace(/(?<!\\)\s+$/, "");
	if (pattern === "" || pattern.startsWith("#")) return undefined;
	let negated = false;
	if (pattern.startsWith("!")) {
		negated = true;
		pattern = pattern.slice(1);
	} else if (pattern.startsWith("\\!") || pattern.startsWith("\\#")) {
		pattern = pattern.slice(1);
	}
	let directoryOnly = false;
	if (pattern.endsWith("/")) {
		directoryOnly = true;
		pattern = pattern.slice(0, -1);
	}
	if (pattern === "") return undefined;
	const anchored = pattern.includes("/");
	if (pattern.startsWith("/")) pattern = pattern.slice(1);
	const body = globToRegexSource(pattern);
	const source = anchored ? `^${body}$` : `^(?:.*/)?${body}$`;
	return { regex: new RegExp(source), negated, directoryOnly };
}

export function parseIgnoreFile(content: string): IgnoreRule[] {
	return content.split("\n").flatMap((line) => {
		const rule = parseIgnoreLine(line);
		return rule ? [rule] : [];
	});
}

/**
 * Rules of one .gitignore. `decide` returns true (ignored), false (re-included) or undefined (no rule
 * matched) for a path relative to the .gitignore's folder.
 */
export class IgnoreFile {
	constructor(private readonly rules: readonly IgnoreRule[]) {}

	get empty(): boolean {
		return this.rules.length === 0;
	}

	decide(relativePath: string, isDirectory: boolean): boolean | undefined {
		for (let i = this.rules.length - 1; i >= 0; i--) {
			const rule = this.rules[i];
			if (!rule || (rule.directoryOnly && !isDirectory)) continue;
			if (rule.regex.test(relativePath)) return !rule.negated;
		}
		return undefined;
	}
}

interface IgnoreLayer {
	/** Turns a path relative to the walk root into one relative to the .gitignore's folder. */
	toLocal: (path: string) => string;
	file: IgnoreFile;
}

/** The .gitignore files that apply at one folder, innermost last; deeper files override shallower ones. */
export class IgnoreStack {
	constructor(private readonly layers: readonly IgnoreLayer[] = []) {}

	/** Add the rules of a folder inside the walk: `base` is its path relative to the walk root ("" = root). */
	push(base: string, file: IgnoreFile): IgnoreStack {
		if (file.empty) return this;
		const toLocal = base === "" ? (path: string) => path : (path: string) => path.slice(base.length + 1);
		return new IgnoreStack([...this.layers, { toLocal, file }]);
	}

	/** Add the rules of a folder above the walk root: `prefix` is the walk root relative to that folder. */
	pushAncestor(prefix: string, file: IgnoreFile): IgnoreStack {
		if (file.empty) return this;
		return new IgnoreStack([...this.layers, { toLocal: (path: string) => `${prefix}/${path}`, file }]);
	}

	/** `path` is relative to the walk root, POSIX separators. */
	ignores(path: string, isDirectory: boolean): boolean {
		for (let i = this.layers.length - 1; i >= 0; i--) {
			const layer = this.layers[i];
			if (!layer) continue;
			const decision = layer.file.decide(layer.toLocal(path), isDirectory);
			if (decision !== undefined) return decision;
		}
		return false;
	}
}
