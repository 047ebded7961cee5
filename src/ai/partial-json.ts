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
		let value = "";
		while (this.pos < text.length) {
			const c = text[this.pos];
			if (c === '"') {
				this.pos++;
				return { value, complete: true };
			}
			if (c !== "\\") {
				value += c;
				this.pos++;
				continue;
			}
			const escaped = text[this.pos + 1];
			if (escaped === undefined) break;
			if (escaped === "u") {
				const hex = text.slice(this.pos + 2, this.pos + 6);
				if (hex.length < 4) break;
				value += String.fromCharCode(Number.parseInt(hex, 16));
				this.pos += 6;
				continue;
			}
			value += ESCAPES[escaped] ?? escaped;
			this.pos += 2;
		}
		this.pos = text.length;
		return { value, complete: false };
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

/** Tool-call arguments as far as they have streamed: always an object. */
export function parseStreamingArguments(text: string): Record<string, unknown> {
	if (text.trim() === "") return {};
	const value = parsePartialJson(text);
	return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
