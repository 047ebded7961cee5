/**
 * The page skeleton. It lives in code rather than an .html file because the formatter rewrites `{{…}}`
 * slots inside <script> elements; every value passed in here is already escaped or encoded by the caller.
 */
export interface PageParts {
	/** Escaped text. */
	title: string;
	css: string;
	/** Rendered, escaped HTML. */
	header: string;
	/** Rendered, escaped HTML. */
	entries: string;
	/** JSON with `<`, `>` and `&` written as \u escapes (jsonForScript). */
	treeDataJson: string;
	/** Base64. */
	sessionDataBase64: string;
	script: string;
}

// No network: everything is inline, and the policy forbids fetching anything (images are data: URLs).
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

const FILTERS: [string, string, string][] = [
	["default", "Default", "Hide settings entries"],
	["no-tools", "No-tools", "Default minus tool results"],
	["user-only", "User", "Only user messages"],
	["labeled-only", "Labeled", "Only labeled entries"],
	["all", "All", "Show everything"],
];

export function renderPage(parts: PageParts): string {
	const filters = FILTERS.map(
		([filter, label, title], index) =>
			`<button type="button" class="filter-btn${index === 0 ? " active" : ""}" data-filter="${filter}" title="${title}">${label}</button>`,
	).join("\n");
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${parts.title}</title>
<style>
${parts.css}
</style>
</head>
<body>
<div id="app">
<aside id="sidebar">
<div class="sidebar-header">
<input type="search" id="tree-search" placeholder="Search…" aria-label="Search entries">
<div class="sidebar-filters" role="group" aria-label="Tree filter">
${filters}
</div>
</div>
<div id="tree-container"><noscript>The session tree needs JavaScript; the current branch is shown.</noscript></div>
<div id="tree-status"></div>
</aside>
<main id="content">
<div id="header-container">${parts.header}</div>
<div id="messages">
${parts.entries}
</div>
</main>
</div>
<div id="image-modal" hidden><img id="modal-image" alt=""></div>
<script id="tree-data" type="application/json">${parts.treeDataJson}</script>
<script id="session-data" type="application/json">${parts.sessionDataBase64}</script>
<script>
${parts.script}
</script>
</body>
</html>
`;
}
