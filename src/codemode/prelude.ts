/**
 * JavaScript evaluated inside the QuickJS VM before the script. It evaluates to a function that takes the host
 * bridge (a function only this closure can reach) and the JSON of the tool list, the globals and the stored values,
 * defines the script's globals (`tools`, `ALL_TOOLS`, `text`, `image`, `console`, `exit`, `store`, `load`, the
 * host globals such as `searchTools`), and returns `{ run, settle, stalled }` for the VM driver (vm.ts).
 *
 * Everything crosses the bridge as strings (JSON or plain text), so no object of the script ever reaches the host.
 * The limits below are pi 1.6.0's (docs/codemode.md).
 */

export const MAX_OUTPUT_CHARS = 16_777_216;
export const MAX_OUTPUT_ITEMS = 100_000;
export const MAX_STORE_VALUE_CHARS = 262_144;
export const MAX_STORE_TOTAL_CHARS = 1_048_576;

export const PRELUDE = `(function (bridge, toolsJson, globalsJson, storeJson) {
"use strict";
const stringify = JSON.stringify, parse = JSON.parse, then = Promise.prototype.then;
const ErrorType = Error, TypeErrorType = TypeError, RangeErrorType = RangeError;
const pending = new Map();
let nextId = 1;
let finished = false;
const EXIT = Object.freeze({ exit: true });

function done(ok, payload, writes) {
	if (finished) return;
	finished = true;
	bridge("done", ok, payload, writes);
}

function errorText(error) {
	const head = error.message ? error.name + ": " + error.message : String(error.name);
	const frames = typeof error.stack === "string"
		? error.stack.split("\\n").filter((line) => line.trim() && !line.includes("codemode-prelude"))
		: [];
	return [head, ...frames].join("\\n");
}

function show(value) {
	if (typeof value === "string") return value;
	if (value instanceof ErrorType) return errorText(value);
	if (typeof value === "number") return String(value);
	try {
		const json = stringify(value);
		return json === undefined ? String(value) : json;
	} catch {
		return String(value);
	}
}

function describeError(error) {
	try {
		if (error === EXIT) return stringify({ message: "exit" });
		if (error instanceof ErrorType) {
			return stringify({ name: String(error.name), message: String(error.message), stack: errorText(error) });
		}
		return stringify({ message: String(show(error)) });
	} catch {
		return stringify({ message: "The script threw a value that cannot be described" });
	}
}

function caller(kind, name, spread) {
	return (...args) => new Promise((resolve, reject) => {
		let json;
		try {
			const value = spread ? args : args[0];
			json = value === undefined ? undefined : stringify(value);
		} catch (error) {
			reject(error);
			return;
		}
		const id = nextId++;
		pending.set(id, { resolve, reject });
		bridge(kind, id, name, json);
	});
}

// Reading a member that does not exist names the close matches instead of a later "is not a function".
function guarded(target, label, names, hint) {
	const squash = (name) => name.toLowerCase().replace(/[^a-z0-9]/g, "");
	return new Proxy(target, {
		get(object, property, receiver) {
			if (typeof property !== "string" || property in object || property === "then" || property === "toJSON") {
				return Reflect.get(object, property, receiver);
			}
			const wanted = squash(property);
			const exact = names.filter((name) => squash(name) === wanted);
			const close = exact.length > 0 ? exact
				: names.filter((name) => wanted && (squash(name).includes(wanted) || wanted.includes(squash(name))));
			let message = label + "." + property + " does not exist.";
			if (close.length > 0) message += " Did you mean " + close.slice(0, 5).map((name) => label + "." + name).join(", ") + "?";
			else if (names.length <= 20) message += " Available: " + names.join(", ") + ".";
			if (hint) message += " " + hint;
			throw new TypeErrorType(message);
		},
	});
}

const toolTable = Object.create(null);
const allTools = [];
for (const { name, jsName, description } of parse(toolsJson)) {
	const call = caller("call", name, false);
	if (!(jsName in toolTable)) {
		toolTable[jsName] = call;
		allTools.push(Object.freeze({ name: jsName, description }));
	}
	if (!(name in toolTable)) toolTable[name] = call;
}
Object.freeze(toolTable);
Object.freeze(allTools);
const tools = guarded(toolTable, "tools", allTools.map((tool) => tool.name),
	"ALL_TOOLS lists every tool; searchTools(query) finds tools by topic.");

const groups = new Map();
for (const { name, spread } of parse(globalsJson)) {
	const call = caller("global", name, spread);
	const dot = name.indexOf(".");
	if (dot === -1) {
		Object.defineProperty(globalThis, name, { value: call, enumerable: true });
		continue;
	}
	const group = name.slice(0, dot);
	if (!groups.has(group)) groups.set(group, Object.create(null));
	groups.get(group)[name.slice(dot + 1)] = call;
}
for (const [group, members] of groups) {
	Object.freeze(members);
	Object.defineProperty(globalThis, group, { value: guarded(members, group, Object.keys(members)), enumerable: true });
}

// store()/load(): JSON text per key; sizes count key and JSON characters.
const stored = new Map(Object.entries(parse(storeJson)));
const writes = new Map();
let storedChars = 0;
for (const [key, json] of stored) storedChars += key.length + json.length;
const STORE_HINT = "store() is for small state such as IDs or summaries. Show images with image(), keep large data in variables, or write it to a file with a tool.";

function store(key, value) {
	if (typeof key !== "string") throw new TypeErrorType("store() key must be a string");
	const before = stored.has(key) ? key.length + stored.get(key).length : 0;
	if (value === undefined) {
		stored.delete(key);
		storedChars -= before;
		writes.set(key, undefined);
		return;
	}
	let json;
	try {
		json = stringify(value);
	} catch (error) {
		throw new TypeErrorType("store(" + stringify(key) + ") value is not JSON-serializable: " + show(error));
	}
	if (json === undefined) throw new TypeErrorType("store(" + stringify(key) + ") value is not JSON-serializable");
	if (json.length > ${MAX_STORE_VALUE_CHARS}) {
		throw new RangeErrorType("store(" + stringify(key) + ") value has " + json.length +
			" characters of JSON, more than the limit of ${MAX_STORE_VALUE_CHARS}. " + STORE_HINT);
	}
	const after = storedChars - before + key.length + json.length;
	if (after > ${MAX_STORE_TOTAL_CHARS}) {
		throw new RangeErrorType("store is full: stored values would exceed ${MAX_STORE_TOTAL_CHARS} characters of JSON. Delete keys with store(key, undefined). " + STORE_HINT);
	}
	stored.set(key, json);
	storedChars = after;
	writes.set(key, json);
}

function load(key) {
	if (typeof key !== "string") throw new TypeErrorType("load() key must be a string");
	const json = stored.get(key);
	return json === undefined ? undefined : parse(json);
}

function writesJson() {
	const entries = [];
	for (const [key, json] of writes) entries.push(json === undefined ? [key] : [key, json]);
	return stringify(entries);
}

let outputChars = 0;
let outputItems = 0;
function output(kind, data, mimeType) {
	if (finished) return;
	outputChars += data.length;
	outputItems++;
	if (outputChars > ${MAX_OUTPUT_CHARS} || outputItems > ${MAX_OUTPUT_ITEMS}) {
		const error = new RangeErrorType("script output exceeded the limit of ${MAX_OUTPUT_CHARS} characters or ${MAX_OUTPUT_ITEMS} text(), image(), and console calls. Print a summary instead, or write large data to a file with a tool.");
		done(false, describeError(error));
		throw error;
	}
	bridge("output", kind, data, mimeType);
}

function text(value) {
	let rendered;
	try {
		rendered = value === null || (typeof value !== "object" && typeof value !== "function")
			? String(value) : (stringify(value) ?? String(value));
	} catch (error) {
		throw new TypeErrorType(error instanceof ErrorType ? error.message : String(error));
	}
	output("text", rendered);
}

const IMAGE_EXPECTS = "image expects a base64 data: URL, an { image_url } object, or an image block { type: \\"image\\", data, mimeType }";
const SIGNATURES = [
	["image/png", /^iVBORw0KGg/],
	["image/jpeg", /^[/]9j[/](?!9)/],
	["image/gif", /^R0lGOD[dl]h/],
	["image/webp", /^UklG.{8}RUJQ/],
];

function imageUrl(value) {
	if (typeof value === "string") return value;
	if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeErrorType(IMAGE_EXPECTS);
	if (value.image_url !== undefined) {
		if (typeof value.image_url !== "string") throw new TypeErrorType(IMAGE_EXPECTS);
		return value.image_url;
	}
	if (value.type !== "image") {
		throw new TypeErrorType(typeof value.type === "string" ? 'image only accepts image blocks, got "' + value.type + '"' : IMAGE_EXPECTS);
	}
	if (typeof value.data !== "string" || value.data === "") throw new TypeErrorType("image expected image block data");
	return value.data.toLowerCase().startsWith("data:") ? value.data : "data:;base64," + value.data;
}

function image(value) {
	const url = imageUrl(value);
	const colon = url.indexOf(":");
	const scheme = colon === -1 ? "" : url.slice(0, colon).toLowerCase();
	if (scheme === "http" || scheme === "https") {
		throw new TypeErrorType("remote image URLs are not supported in tool outputs. Pass a base64 data URI instead");
	}
	const comma = url.indexOf(",");
	const header = comma === -1 ? [] : url.slice(colon + 1, comma).split(";");
	if (scheme !== "data" || comma === -1 || !header.slice(1).some((part) => part.toLowerCase() === "base64")) {
		throw new TypeErrorType("invalid image output. Pass a base64 data URI instead");
	}
	const data = url.slice(comma + 1).replace(/\\s+/g, "");
	if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) {
		throw new TypeErrorType("invalid image output. The image data is not valid base64 (truncated or corrupted?)");
	}
	const signature = SIGNATURES.find(([, pattern]) => pattern.test(data.slice(0, 16)));
	if (!signature) throw new TypeErrorType("invalid image output. The image data is not a PNG, JPEG, GIF, or WebP image");
	output("image", data, signature[0]);
}

function exit() {
	done(true, undefined, writesJson());
	throw EXIT;
}

const consoleObject = {};
for (const level of ["log", "info", "warn", "error", "debug"]) {
	consoleObject[level] = (...args) => output("console", args.map(show).join(" "));
}
Object.freeze(consoleObject);

for (const [name, value] of [["tools", tools], ["ALL_TOOLS", allTools], ["console", consoleObject], ["text", text],
	["image", image], ["exit", exit], ["store", store], ["load", load]]) {
	Object.defineProperty(globalThis, name, { value, enumerable: true });
}

return {
	run(fn) {
		let promise;
		try {
			promise = fn(tools, consoleObject);
		} catch (error) {
			if (error !== EXIT) done(false, describeError(error));
			return;
		}
		then.call(promise, (value) => {
			let json;
			try {
				json = value === undefined ? undefined : stringify(value);
			} catch (error) {
				done(false, describeError(error));
				return;
			}
			done(true, json, writesJson());
		}, (error) => {
			if (error !== EXIT) done(false, describeError(error));
		});
	},
	settle(id, ok, payload) {
		const entry = pending.get(id);
		if (!entry) return;
		pending.delete(id);
		if (!ok) {
			entry.reject(new ErrorType(payload));
			return;
		}
		let value;
		try {
			value = payload === undefined ? undefined : parse(payload);
		} catch (error) {
			entry.reject(error);
			return;
		}
		entry.resolve(value);
	},
	stalled() {
		if (finished || pending.size > 0) return false;
		done(false, stringify({ name: "Error", message: "The script is waiting on a promise that can never settle: no tool call is pending, and timers do not exist here." }));
		return true;
	},
};
})`;
