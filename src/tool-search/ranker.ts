/**
 * Ranks tools for a query, for `tool_search` and codemode's `searchTools()`: Okapi BM25 over a tool's description and
 * schema text, with its name and its namespace (an MCP server's name, description and instructions) as separate,
 * differently weighted fields. Ordering, as in pi 1.6.0:
 *  1. a query that is exactly a tool's name (or its part after a `__`) puts that tool first;
 *  2. tools matching more of the query's terms, in any field, come before tools matching fewer;
 *  3. then by score: a term in the name counts 3× its IDF, in the namespace 0.5×, in the text the BM25 weight; a tool
 *     whose whole local name appears in the query gets a bonus worth one more match of every term.
 * Ties keep the input order.
 */
import type { AgentTool, ToolNamespace } from "../agent/types.ts";

export const DEFAULT_SEARCH_LIMIT = 8;

const STOP_WORDS = new Set("a an and are as at be by for from in is it of on or that the this to with".split(" "));
const NAME_WEIGHT = 3;
const NAMESPACE_WEIGHT = 0.5;
const K1 = 1.2;
const B = 0.75;

/** Built on first use: a word segmenter loads ICU's break rules, and this module is loaded at startup. */
let segmenter: Intl.Segmenter | undefined;
function wordSegmenter(): Intl.Segmenter {
	segmenter ??= new Intl.Segmenter(undefined, { granularity: "word" });
	return segmenter;
}

/** Singular forms, roughly: `issues` → `issue`, `searches` → `search`. */
function stem(term: string): string {
	if (term.length > 4 && term.endsWith("ies")) return `${term.slice(0, -3)}y`;
	if (term.length > 4 && /(ches|shes|sses|xes|zes)$/.test(term)) return term.slice(0, -2);
	if (term.length > 3 && term.endsWith("s") && !term.endsWith("ss")) return term.slice(0, -1);
	return term;
}

/** Words of a text: camelCase and snake_case split, lower case, stop words dropped, plurals folded. */
export function tokenize(text: string): string[] {
	const normalized = text
		.normalize("NFC")
		.replace(/([a-z0-9])([A-Z])/g, "$1 $2")
		.replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}]+/gu, " ");
	// Plain ASCII splits at spaces; other scripts (Chinese has no spaces) need the segmenter.
	const words = /^[a-z0-9 ]*$/.test(normalized)
		? normalized.split(" ")
		: Array.from(wordSegmenter().segment(normalized), (part) => (part.isWordLike ? part.segment : ""));
	return words
		.filter((word) => word && !STOP_WORDS.has(word))
		.map((word) => (/^[a-z0-9]+$/.test(word) ? stem(word) : word));
}

export interface SearchDocument {
	name: string;
	/** Description, schema descriptions and property names. */
	text: string;
	/** Namespace name, description and instructions. */
	namespaceText: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveLocalRef(ref: string, root: unknown): unknown {
	if (!ref.startsWith("#")) return undefined;
	let current = root;
	for (const segment of ref.slice(2).split("/").filter(Boolean)) {
		if (!isObject(current)) return undefined;
		current = current[segment.replaceAll("~1", "/").replaceAll("~0", "~")];
	}
	return current;
}

/** Descriptions and property names of a schema, following local `$ref`s once each. */
function schemaWords(schema: unknown, root: unknown, parts: string[], seen: Set<unknown>): void {
	if (!isObject(schema)) return;
	if (typeof schema.$ref === "string") {
		const target = resolveLocalRef(schema.$ref, root);
		if (isObject(target) && !seen.has(target)) {
			seen.add(target);
			schemaWords(target, root, parts, seen);
		}
	}
	if (typeof schema.description === "string") parts.push(schema.description);
	if (isObject(schema.properties)) {
		for (const [name, property] of Object.entries(schema.properties)) {
			parts.push(name);
			schemaWords(property, root, parts, seen);
		}
	}
	schemaWords(schema.items, root, parts, seen);
	for (const key of ["anyOf", "oneOf", "allOf"]) {
		const variants = schema[key];
		if (Array.isArray(variants)) for (const variant of variants) schemaWords(variant, root, parts, seen);
	}
}

export function searchDocument(
	tool: Pick<AgentTool, "name" | "description" | "parameters">,
	namespace?: ToolNamespace,
): SearchDocument {
	const parts = [tool.description];
	schemaWords(tool.parameters, tool.parameters, parts, new Set([tool.parameters]));
	return {
		name: tool.name,
		text: parts.filter((part) => part.trim()).join(" "),
		namespaceText: namespace
			? [namespace.name, namespace.description ?? "", namespace.instructions ?? ""].join(" ")
			: "",
	};
}

/** Lower case, script-identifier characters only: `dev-radius` and `dev_radius` are one name. */
function normalizeName(name: string): string {
	return name
		.trim()
		.toLowerCase()
		.replace(/[^a-z0-9_$]/g, "_");
}

interface Indexed {
	name: string;
	nameTerms: Set<string>;
	localTerms: string[];
	counts: Map<string, number>;
	length: number;
	namespaceTerms: Set<string>;
}

function index(document: SearchDocument): Indexed {
	const counts = new Map<string, number>();
	for (const term of tokenize(document.text)) counts.set(term, (counts.get(term) ?? 0) + 1);
	const local = document.name.split("__").at(-1) ?? document.name;
	return {
		name: document.name,
		nameTerms: new Set(tokenize(document.name)),
		localTerms: [...new Set(tokenize(local))],
		counts,
		length: [...counts.values()].reduce((sum, count) => sum + count, 0),
		namespaceTerms: new Set(tokenize(document.namespaceText)),
	};
}

export function rankTools(query: string, documents: readonly SearchDocument[], limit: number): string[] {
	const terms = new Set(tokenize(query));
	if (terms.size === 0 || documents.length === 0 || limit <= 0) return [];
	const indexed = documents.map(index);
	const averageLength = indexed.reduce((sum, doc) => sum + doc.length, 0) / indexed.length || 1;
	const idf = new Map<string, number>();
	for (const term of terms) {
		const containing = indexed.filter(
			(doc) => doc.nameTerms.has(term) || doc.counts.has(term) || doc.namespaceTerms.has(term),
		).length;
		idf.set(term, Math.log(1 + (indexed.length - containing + 0.5) / (containing + 0.5)));
	}
	const wholeNameBonus = [...idf.values()].reduce((sum, value) => sum + value, 0);
	const exactQuery = normalizeName(query);
	const scored: { name: string; score: number; covered: number; exact: boolean; order: number }[] = [];
	indexed.forEach((doc, order) => {
		const norm = K1 * (1 - B + (B * doc.length) / averageLength);
		let score = 0;
		let covered = 0;
		for (const term of terms) {
			const count = doc.counts.get(term) ?? 0;
			const weight =
				(doc.nameTerms.has(term) ? NAME_WEIGHT : 0) +
				(doc.namespaceTerms.has(term) ? NAMESPACE_WEIGHT : 0) +
				(count * (K1 + 1)) / (count + norm);
			if (weight > 0) covered++;
			score += (idf.get(term) ?? 0) * weight;
		}
		if (score === 0) return;
		if (doc.localTerms.length > 0 && doc.localTerms.every((term) => terms.has(term))) score += wholeNameBonus;
		const name = normalizeName(doc.name);
		const exact = name === exactQuery || name.endsWith(`__${exactQuery}`);
		scored.push({ name: doc.name, score, covered, exact, order });
	});
	return scored
		.sort(
			(a, b) => Number(b.exact) - Number(a.exact) || b.covered - a.covered || b.score - a.score || a.order - b.order,
		)
		.slice(0, limit)
		.map((match) => match.name);
}
