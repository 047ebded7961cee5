// The export page's script: session tree in the sidebar, branch navigation, filters, search, toggles and the image
// viewer. Entries are already rendered in the page; this only shows or hides them. Tree text is set with
// textContent, never as HTML, because it comes from the (untrusted) session.
(() => {
	const treeData = JSON.parse(document.getElementById("tree-data").textContent);
	const nodes = treeData.nodes;
	const byId = new Map(nodes.map((node) => [node.id, node]));
	const children = new Map();
	const roots = [];
	for (const node of nodes) {
		const parent = node.parentId !== null && node.parentId !== node.id ? byId.get(node.parentId) : undefined;
		if (parent) {
			if (!children.has(parent.id)) children.set(parent.id, []);
			children.get(parent.id).push(node);
		} else roots.push(node);
	}

	const sections = new Map();
	for (const section of document.querySelectorAll("#messages > section.entry"))
		sections.set(section.dataset.id, section);

	const params = new URLSearchParams(window.location.search);
	const requestedLeaf = params.get("leafId");
	const requestedTarget = params.get("targetId");
	let currentLeaf = requestedLeaf && byId.has(requestedLeaf) ? requestedLeaf : treeData.leafId;
	let filter = "default";
	let search = "";

	function pathTo(id) {
		const path = [];
		const seen = new Set();
		for (let node = byId.get(id); node && !seen.has(node.id); node = byId.get(node.parentId)) {
			seen.add(node.id);
			path.push(node.id);
		}
		return path.reverse();
	}

	function passesFilter(node) {
		switch (filter) {
			case "all":
				return true;
			case "no-tools":
				return node.kind !== "settings" && node.kind !== "tool";
			case "user-only":
				return node.kind === "user";
			case "labeled-only":
				return Boolean(node.label);
			default:
				return node.kind !== "settings";
		}
	}

	function matchesSearch(node) {
		if (!search) return true;
		const haystack = `${node.label || ""} ${node.text}`.toLowerCase();
		return search
			.toLowerCase()
			.split(/\s+/)
			.every((word) => haystack.includes(word));
	}

	/** Visible nodes in tree order; hidden nodes pass their children up. Indent grows only at real branches. */
	function visibleRows() {
		const rows = [];
		const stack = roots
			.slice()
			.reverse()
			.map((node) => ({ node, depth: 0, branch: roots.length > 1 }));
		while (stack.length > 0) {
			const { node, depth, branch } = stack.pop();
			const shown = passesFilter(node) && matchesSearch(node);
			if (shown) rows.push({ node, depth, branch });
			const kids = children.get(node.id) || [];
			const childDepth = kids.length > 1 ? depth + 1 : depth;
			for (let i = kids.length - 1; i >= 0; i--)
				stack.push({ node: kids[i], depth: childDepth, branch: kids.length > 1 });
		}
		return rows;
	}

	function renderTree() {
		const container = document.getElementById("tree-container");
		const onPath = new Set(pathTo(currentLeaf));
		const rows = visibleRows();
		const fragment = document.createDocumentFragment();
		for (const { node, depth, branch } of rows) {
			const row = document.createElement("div");
			row.className = `tree-node kind-${node.kind}`;
			if (onPath.has(node.id)) row.classList.add("on-path");
			if (node.id === currentLeaf) row.classList.add("active");
			row.dataset.id = node.id;
			row.style.paddingLeft = `${8 + depth * 12}px`;
			row.title = node.text;
			if (branch) {
				const mark = document.createElement("span");
				mark.className = "tree-branch-mark";
				mark.textContent = "├ ";
				row.appendChild(mark);
			}
			if (node.label) {
				const label = document.createElement("span");
				label.className = "tree-label";
				label.textContent = `[${node.label}]`;
				row.appendChild(label);
			}
			const text = document.createElement("span");
			text.className = "tree-text";
			text.textContent = node.text;
			row.appendChild(text);
			fragment.appendChild(row);
		}
		container.replaceChildren(fragment);
		document.getElementById("tree-status").textContent = `${rows.length} / ${nodes.length} entries`;
	}

	function showPath(leafId) {
		const onPath = new Set(pathTo(leafId));
		for (const [id, section] of sections) section.hidden = !onPath.has(id);
	}

	/** Shows the path to `id`; scrolls to and briefly marks `scrollTarget` (a clicked node or a deep link). */
	function navigateTo(id, scrollTarget) {
		currentLeaf = id;
		showPath(id);
		renderTree();
		const section = scrollTarget ? sections.get(scrollTarget) : undefined;
		if (section && typeof section.scrollIntoView === "function") {
			section.scrollIntoView({ block: "center" });
			section.classList.add("highlight");
			setTimeout(() => section.classList.remove("highlight"), 1500);
		}
	}

	/** A link that opens this page on the current branch, scrolled to one entry (pi's leafId/targetId). */
	function entryLink(entryId) {
		const url = new URL(window.location.href);
		url.search = new URLSearchParams({ leafId: currentLeaf, targetId: entryId }).toString();
		url.hash = "";
		return url.toString();
	}

	document.getElementById("tree-container").addEventListener("click", (event) => {
		const row = event.target.closest(".tree-node");
		if (row) navigateTo(row.dataset.id, row.dataset.id);
	});

	for (const button of document.querySelectorAll(".filter-btn")) {
		button.addEventListener("click", () => {
			filter = button.dataset.filter;
			for (const other of document.querySelectorAll(".filter-btn")) other.classList.toggle("active", other === button);
			renderTree();
		});
	}

	const searchInput = document.getElementById("tree-search");
	searchInput.addEventListener("input", () => {
		search = searchInput.value.trim();
		renderTree();
	});

	function toggleThinking() {
		document.body.classList.toggle("thinking-hidden");
	}

	let toolsExpanded = false;
	function toggleTools() {
		toolsExpanded = !toolsExpanded;
		for (const details of document.querySelectorAll(".tool-execution details")) details.open = toolsExpanded;
	}

	document.getElementById("header-container").addEventListener("click", (event) => {
		const button = event.target.closest("button[data-action]");
		if (!button) return;
		if (button.dataset.action === "toggle-thinking") toggleThinking();
		else if (button.dataset.action === "toggle-tools") toggleTools();
	});

	document.addEventListener("keydown", (event) => {
		if (event.key === "Escape") {
			if (!modal.hidden) {
				modal.hidden = true;
				return;
			}
			searchInput.value = "";
			search = "";
			renderTree();
			const content = document.getElementById("content");
			content.scrollTop = content.scrollHeight;
		} else if (event.ctrlKey && (event.key === "t" || event.key === "T")) {
			event.preventDefault();
			toggleThinking();
		} else if (event.ctrlKey && (event.key === "o" || event.key === "O")) {
			event.preventDefault();
			toggleTools();
		}
	});

	const modal = document.getElementById("image-modal");
	const modalImage = document.getElementById("modal-image");
	document.getElementById("messages").addEventListener("click", (event) => {
		const linkButton = event.target.closest(".copy-link");
		if (linkButton) {
			const link = entryLink(linkButton.dataset.entryId);
			const done = () => {
				linkButton.textContent = "copied";
				setTimeout(() => {
					linkButton.textContent = "link";
				}, 1200);
			};
			if (navigator.clipboard) navigator.clipboard.writeText(link).then(done, () => window.prompt("Link", link));
			else window.prompt("Link", link);
			return;
		}
		const image = event.target.closest(".message-image");
		if (!image) return;
		modalImage.src = image.src;
		modal.hidden = false;
	});
	modal.addEventListener("click", () => {
		modal.hidden = true;
	});

	navigateTo(currentLeaf, requestedTarget && sections.has(requestedTarget) ? requestedTarget : undefined);
	if (!requestedTarget) {
		const content = document.getElementById("content");
		content.scrollTop = 0;
	}
	// Marks a page whose script ran to the end (the browser test checks it).
	document.body.dataset.ready = "true";
})();
