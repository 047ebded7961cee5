// BM25 tool ranking for tool_search and searchTools().
import { expect, test } from "bun:test";
import { rankTools, type SearchDocument, searchDocument, tokenize } from "../../src/tool-search/ranker.ts";

function doc(name: string, text: string, namespaceText = ""): SearchDocument {
	return { name, text, namespaceText };
}

test("tokenize splits identifiers, folds plurals, drops stop words", () => {
	expect(tokenize("getIssues for the search_files")).toEqual(["get", "issue", "search", "file"]);
});

test("the exact name wins, then coverage of the query, then the name weight", () => {
	const docs = [
		doc("mcp__gh__list_issues", "List issues in a repository"),
		doc("mcp__gh__create_issue", "Create a new issue"),
		doc("mcp__app__thread_read", "Read a thread"),
		doc("mcp__screen__window", "Manage windows"),
		doc("mcp__screen__capture", "Take a screenshot of a window"),
	];
	expect(rankTools("thread_read", docs, 1)).toEqual(["mcp__app__thread_read"]);
	expect(rankTools("create issue", docs, 2)).toEqual(["mcp__gh__create_issue", "mcp__gh__list_issues"]);
	expect(rankTools("screenshot window", docs, 1)).toEqual(["mcp__screen__capture"]);
	expect(rankTools("the", docs, 5)).toEqual([]);
});

test("documents include schema descriptions and property names; namespaces help find a server", () => {
	const tool = {
		name: "mcp__db__query",
		description: "Run it",
		parameters: { type: "object", properties: { sql: { type: "string", description: "statement to execute" } } },
	};
	const made = searchDocument(tool, { name: "mcp__db", description: "PostgreSQL database" });
	expect(made.text).toContain("sql");
	expect(rankTools("postgresql statement", [made, doc("other", "something else")], 5)).toEqual(["mcp__db__query"]);
});
