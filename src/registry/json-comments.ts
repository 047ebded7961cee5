/** models.json is JSON with `//` comments and trailing commas, which pi accepts; this makes it plain JSON. */

/**
 * Copy `input`, letting `outside` handle every position outside string literals: it returns how many characters
 * it consumed and what to emit for them.
 */
function rewriteOutsideStrings(input: string, outside: (at: number) => { skip: number; emit: string }): string {
	let out = "";
	let i = 0;
	while (i < input.length) {
		if (input[i] === '"') {
			const start = i++;
			while (i < input.length && input[i] !== '"') i += input[i] === "\\" ? 2 : 1;
			i++;
			out += input.slice(start, i);
			continue;
		}
		const { skip, emit } = outside(i);
		out += emit;
		i += skip;
	}
	return out;
}

/** models.json may contain `//` line comments and trailing commas (pi accepts both); strings are left alone. */
export function stripJsonComments(input: string): string {
	const withoutComments = rewriteOutsideStrings(input, (at) => {
		if (input[at] !== "/" || input[at + 1] !== "/") return { skip: 1, emit: input[at] ?? "" };
		const newline = input.indexOf("\n", at);
		return { skip: (newline === -1 ? input.length : newline) - at, emit: "" };
	});
	return rewriteOutsideStrings(withoutComments, (at) => {
		const ch = withoutComments[at] ?? "";
		if (ch !== ",") return { skip: 1, emit: ch };
		let next = at + 1;
		while (/\s/.test(withoutComments[next] ?? "")) next++;
		const closes = withoutComments[next] === "}" || withoutComments[next] === "]";
		return { skip: 1, emit: closes ? "" : ch };
	});
}
