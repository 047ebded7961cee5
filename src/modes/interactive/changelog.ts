/**
 * Our CHANGELOG.md (embedded in the binary) as pi reads its own: `## [x.y.z]` headings, newest first. `/changelog`
 * shows every entry; the first start after an update shows the entries newer than `lastChangelogVersion` as
 * "What's New" (one line with `collapseChangelog`), and a fresh install only records the version.
 */
import changelogText from "../../../CHANGELOG.md" with { type: "text" };

export interface ChangelogEntry {
	major: number;
	minor: number;
	patch: number;
	content: string;
}

/** pi's parseChangelog over the text. */
export function parseChangelog(text: string = changelogText): ChangelogEntry[] {
	const entries: ChangelogEntry[] = [];
	let lines: string[] = [];
	let version: Omit<ChangelogEntry, "content"> | undefined;
	const flush = () => {
		if (version && lines.length > 0) entries.push({ ...version, content: lines.join("\n").trim() });
	};
	for (const line of text.split("\n")) {
		if (line.startsWith("## ")) {
			flush();
			const match = line.match(/##\s+\[?(\d+)\.(\d+)\.(\d+)\]?/);
			version = match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
			lines = version ? [line] : [];
		} else if (version) lines.push(line);
	}
	flush();
	return entries;
}

const compare = (a: Omit<ChangelogEntry, "content">, b: Omit<ChangelogEntry, "content">) =>
	a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/** Entries newer than `lastVersion` (its leading x.y.z), or undefined when it has none. */
export function newEntries(entries: readonly ChangelogEntry[], lastVersion: string): ChangelogEntry[] | undefined {
	const parts = lastVersion.trim().match(/^v?(\d+)\.(\d+)\.(\d+)/);
	if (!parts) return undefined;
	const last = { major: Number(parts[1]), minor: Number(parts[2]), patch: Number(parts[3]) };
	return entries.filter((entry) => compare(entry, last) > 0);
}

/** `/changelog`: every entry, oldest first (as pi). */
export function fullChangelog(): string {
	const entries = parseChangelog();
	if (entries.length === 0) return "No changelog entries found.";
	return [...entries]
		.reverse()
		.map((entry) => entry.content)
		.join("\n\n");
}

/**
 * What to show at startup, recording the version seen: undefined for a resumed session (it has messages), a fresh
 * install (no version recorded yet) or no newer entries.
 */
export function whatsNew(
	settings: { get(): string | undefined; set(version: string): void },
	version: string,
	resumed: boolean,
): string | undefined {
	if (resumed) return undefined;
	const last = settings.get();
	if (!last) {
		settings.set(version);
		return undefined;
	}
	const fresh = newEntries(parseChangelog(), last);
	if (!fresh || fresh.length > 0) settings.set(version);
	if (!fresh || fresh.length === 0) return undefined;
	return fresh.map((entry) => entry.content).join("\n\n");
}
