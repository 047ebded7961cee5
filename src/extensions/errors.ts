/**
 * Turning whatever an extension threw into one line a user can act on: the message and, when we can tell, the
 * `file:line` inside the extension where it happened. Bun reports a syntax error as a BuildMessage and an unresolved
 * import as a ResolveMessage (neither is an Error; both carry `position`); a runtime error names its place in the
 * stack.
 */
import * as v from "valibot";

const PositionSchema = v.looseObject({
	file: v.string(),
	line: v.number(),
	column: v.optional(v.number()),
});
const BunMessageSchema = v.looseObject({ message: v.string(), position: v.optional(v.nullable(PositionSchema)) });
/** Bun's "N errors building <file>": the syntax errors are in `errors`. */
const AggregateSchema = v.looseObject({ errors: v.pipe(v.array(v.unknown()), v.minLength(1)) });

export interface DescribedError {
	message: string;
	/** `file:line[:column]`, when known. */
	location?: string;
	stack?: string;
	/** How many more errors came with this one (a file with several syntax errors). */
	more?: number;
}

/**
 * The first stack frame inside `files` (absolute paths of extension code), else the first frame that is not ours
 * (`/$bunfs/` is the compiled binary, `src/` our sources).
 */
function locationFromStack(stack: string, files: readonly string[]): string | undefined {
	const frames = [...stack.matchAll(/\(?((?:\/|[A-Za-z]:\\)[^():\n]+):(\d+):(\d+)\)?/g)].map((match) => ({
		file: match[1] ?? "",
		line: match[2] ?? "",
		column: match[3] ?? "",
	}));
	const format = (frame: { file: string; line: string; column: string }) =>
		`${frame.file}:${frame.line}:${frame.column}`;
	const inExtension = frames.find((frame) => files.some((file) => frame.file.startsWith(file)));
	if (inExtension) return format(inExtension);
	const foreign = frames.find((frame) => !frame.file.includes("/$bunfs/") && !frame.file.includes("/src/"));
	return foreign ? format(foreign) : undefined;
}

/** `roots`: files or folders of the extension, to pick the right stack frame. */
export function describeError(error: unknown, roots: readonly string[] = []): DescribedError {
	// Several syntax errors arrive together; the first one, with its place, is what the user fixes first.
	const aggregate = v.safeParse(AggregateSchema, error);
	if (aggregate.success) {
		const [first, ...rest] = aggregate.output.errors;
		const described = describeError(first, roots);
		return rest.length > 0 ? { ...described, more: rest.length } : described;
	}
	// Bun's build messages first: depending on the realm they may also pass `instanceof Error`.
	const bunMessage = v.safeParse(BunMessageSchema, error);
	const position = bunMessage.success ? bunMessage.output.position : undefined;
	if (bunMessage.success && position) {
		const column = position.column !== undefined ? `:${position.column}` : "";
		return { message: bunMessage.output.message, location: `${position.file}:${position.line}${column}` };
	}
	if (error instanceof Error) {
		const stack = error.stack;
		const location = stack ? locationFromStack(stack, roots) : undefined;
		return { message: error.message, location, stack };
	}
	if (bunMessage.success) return { message: bunMessage.output.message };
	return { message: String(error) };
}

/** "message (at file:line)", or the message alone when the place is unknown or already named in it. */
export function formatDescribedError(described: DescribedError): string {
	const more = described.more ? `${described.more} more error${described.more === 1 ? "" : "s"}` : undefined;
	const place = described.location && !described.message.includes(described.location) ? described.location : undefined;
	const notes = [place ? `at ${place}` : undefined, more].filter((note) => note !== undefined);
	return notes.length > 0 ? `${described.message} (${notes.join("; ")})` : described.message;
}
