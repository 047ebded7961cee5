/**
 * A tolerant parser for JSON that may be cut off anywhere, used to show tool-call arguments while they stream.
 * Whatever has arrived is returned: unterminated strings keep their text so far, unfinished containers are closed,
 * a key without a value yet is left out, and half-written literals (`tru`) are completed.
 */

const INCOMPLETE = Symbol("incomplete");
type Parsed = unknown | typeof INCOMPLETE;

class PartialJsonParser {
	private pos = 0;

	constructor(private readonly text: string) {}

	parse(): unknown {
		this.skipWhitespace();
		const value = this.parseValue();
		return value === INCOMPLETE ? undefined : value;
	}

	private skipWhitespace(): void {
		const text = this.text;
		while (this.pos < text.length) {
			const c = text.charCodeAt(this.pos);
			if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
			this.pos++;
		}
	}

	private parseValue(): Parsed {
		this.skipWhitespace();
		const c = this.text[this.pos];
		if (c === undefined) return INCOMPLETE;
		if (c === "{") return this.parseObject();
		if (c === "[") return this.parseArray();
		if (c === '"') return this.parseString().value;
		if (c === "-" || (c >= "0" && c <= "9")) return this.parseNumber();
		return this.parseLiteral();
	}

	private parseObject(): Parsed {
		const result: Record<string, unknown> = {};
		this.pos++; // {
		while (true) {
			this.skipWhitespace();
			const c = this.text[this.pos];
			if (c === undefined) return result;
			if (c === "}") {
				this.pos++;
				return result;
			}
			if (c === ",") {
				this.pos++;
				continue;
			}
			if (c !== '"') throw new SyntaxError(`Unexpected ${c} in object at ${this.pos}`);
			const key = this.parseString();
			if (!key.complete) return result;
			this.skipWhitespace();
			if (this.text[this.pos] === undefined) return result;
			if (this.text[this.pos] !== ":") throw new SyntaxError(`Expected : at ${this.pos}`);
			this.pos++;
			const value = this.parseValue();
			if (value === INCOMPLETE) return result;
			result[key.value] = value;
		}
	}

	private parseArray(): Parsed {
		const result: unknown[] = [];
		this.pos++; // [
		while (true) {
			this.skipWhitespace();
			const c = this.text[this.pos];
			if (c === undefined) return result;
			if (c === "]") {
				this.pos++;
				return result;
			}
			if (c === ",") {
				this.pos++;
				continue;
			}
			const value = this.parseValue();
			if (value === INCOMPLETE) return result;
			result.push(value);
		}
	}

	private parseString(): { value: string; complete: boolean } {
		const text = this.text;
		const start = ++this.pos; // opening quote
		// Fast path: no escapes before the closing quote.
		const close = text.indexOf('"', start);
		const backslash = text.indexOf("\\", start);
		if (close !== -1 && (backslash === -1 || backslash > close)) {
			this.pos = close + 1;
			return { value: text.slice(start, close), complete: true };
		}
		// Runs of plain text are sliced whole between escapes (never char by char: a 10 MB string would become
		// millions of tiny string pieces).
		const parts: string[] = [];
		while (this.pos < text.length) {
			const quote = text.indexOf('"', this.pos);
			const nextEscape = text.indexOf("\\", this.pos);
			const next = Math.min(quote === -1 ? text.length : quote, nextEscape === -1 ? text.length : nextEscape);
			if (next > this.pos) parts.push(text.slice(this.pos, next));
			this.pos = next;
			if (next === text.length) break;
			if (next === quote) {
				this.pos++;
				return { value: parts.join(""), complete: true };
			}
			const escaped = text[this.pos + 1];
			if (escaped === undefined) break;
			if (escaped === "u") {
				const hex = text.slice(this.pos + 2, this.pos + 6);
				if (hex.length < 4) break;
				parts.push(String.fromCharCode(Number.parseInt(hex, 16)));
				this.pos += 6;
				continue;
			}
			parts.push(ESCAPES[escaped] ?? escaped);
			this.pos += 2;
		}
		this.pos = text.length;
		return { value: parts.join(""), complete: false };
	}

	private parseNumber(): Parsed {
		const match = /^-?\d*(?:\.\d*)?(?:[eE][+-]?\d*)?/.exec(this.text.slice(this.pos));
		const token = match?.[0] ?? "";
		this.pos += token.length;
		// Trim a dangling sign, dot or exponent so "12." or "1e" still yields a number.
		const usable = token.replace(/[eE][+-]?$/, "").replace(/\.$/, "");
		if (usable === "" || usable === "-") return INCOMPLETE;
		return Number(usable);
	}

	private parseLiteral(): Parsed {
		const rest = this.text.slice(this.pos, this.pos + 5);
		for (const [word, value] of LITERALS) {
			if (rest.startsWith(word)) {
				this.pos += word.length;
				return value;
			}
			if (word.startsWith(rest) && this.pos + rest.length === this.text.length) {
				this.pos = this.text.length;
				return value;
			}
		}
		throw new SyntaxError(`Unexpected token at ${this.pos}`);
	}
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "/": "/", "\\": "\\", '"': '"' };
const LITERALS: readonly [string, unknown][] = [
	["true", true],
	["false", false],
	["null", null],
];

/** Parses possibly-incomplete JSON; `undefined` when nothing usable has arrived or the text is not JSON at all. */
export function parsePartialJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		try {
			return new PartialJsonParser(text).parse();
		} catch {
			return undefined;
		}
	}
}

/** Up to this length the partial arguments are parsed on every delta, as pi does. */
const PARSE_EVERY_DELTA_UP_TO = 16 * 1024;
/** Beyond it, only when the text has grown by this factor since the last parse: the total work stays linear. */
const REPARSE_GROWTH = 1.25;

/**
 * A tool call's argument text as it streams, with the arguments parsed so far for display. Re-parsing the whole
 * text on every delta is quadratic: 1 MB of `write` content in 256-byte deltas took a minute of CPU and 833 MB, and
 * 10 MB of arguments peaked at 3.9 GB. Small arguments are still parsed on every delta (what pi's consumers see);
 * large ones each time the text has grown by a quarter, so the parsing adds up to a few times the text's length.
 * `complete()` parses the final text whole.
 */
export class StreamingArguments {
	private chunks: string[] = [];
	private length = 0;
	private parsedLength = 0;
	/** Characters handed to the parser so far, summed over every parse: linear in the text's length. */
	parsedChars = 0;
	value: Record<string, unknown>;

	constructor(initial: Record<string, unknown> = {}) {
		this.value = initial;
	}

	/** Adds a delta; returns true when `value` was parsed again. */
	append(delta: string): boolean {
		if (delta === "") return false;
		this.chunks.push(delta);
		this.length += delta.length;
		if (this.length > PARSE_EVERY_DELTA_UP_TO && this.length < this.parsedLength * REPARSE_GROWTH) return false;
		this.value = this.parse(this.text);
		return true;
	}

	get text(): string {
		if (this.chunks.length > 1) this.chunks = [this.chunks.join("")];
		return this.chunks[0] ?? "";
	}

	/**
	 * The final arguments: `finalText` (when the provider sends the whole text at the end) or what streamed, parsed
	 * strictly — a cut-off or malformed text is an error, never the partial value shown while streaming.
	 */
	complete(finalText?: string): FinalArguments {
		const text = finalText ?? this.text;
		this.chunks = [];
		this.parsedChars += text.length;
		const final = parseToolCallArguments(text);
		this.value = final.arguments;
		return final;
	}

	private parse(text: string): Record<string, unknown> {
		this.parsedLength = text.length;
		this.parsedChars += text.length;
		return parseStreamingArguments(text);
	}
}

export interface FinalArguments {
	arguments: Record<string, unknown>;
	/** Why the text is not a JSON object, with the text received (pi 1.6.0's ToolCall.argumentsError). */
	argumentsError?: string;
}

/**
 * A finished tool call's arguments, as pi 1.6.0 parses them: strict JSON after repairing what models commonly get
 * wrong inside strings (raw control characters, invalid escapes); anything else is an error the model is told.
 */
export function parseToolCallArguments(text: string): FinalArguments {
	if (text.trim() === "") return { arguments: {} };
	try {
		const parsed = parseJsonWithRepair(text);
		if (!isRecord(parsed)) throw new Error("Tool arguments must be a JSON object");
		return { arguments: parsed };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return { arguments: {}, argumentsError: `${reason}\n\nReceived arguments:\n${text}` };
	}
}

function parseJsonWithRepair(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		const repaired = repairJsonStrings(text);
		if (repaired === text) throw error;
		return JSON.parse(repaired);
	}
}

const VALID_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const CONTROL_ESCAPES: Record<string, string> = { "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Inside strings: raw control characters escaped, a backslash before an invalid escape doubled. */
function repairJsonStrings(text: string): string {
	const out: string[] = [];
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i] ?? "";
		if (!inString) {
			out.push(char);
			if (char === '"') inString = true;
			continue;
		}
		if (char === '"') {
			out.push(char);
			inString = false;
		} else if (char === "\\") {
			const next = text[i + 1];
			if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
				out.push(text.slice(i, i + 6));
				i += 5;
			} else if (next !== undefined && VALID_ESCAPES.has(next)) {
				out.push(char, next);
				i++;
			} else out.push("\\\\");
		} else if (char.charCodeAt(0) < 0x20) {
			out.push(CONTROL_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
		} else out.push(char);
	}
	return out.join("");
}

/** Tool-call arguments as far as they have streamed: always an object. */
export function parseStreamingArguments(text: string): Record<string, unknown> {
	if (text.trim() === "") return {};
	const value = parsePartialJson(text);
	return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
