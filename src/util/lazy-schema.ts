import * as v from "valibot";
import { noteLazySchemaBuilt } from "./startup-report.ts";

/**
 * A valibot schema built on its first use. Building schemas is not free: the hundreds that modules loaded at startup
 * used to build at their top level made valibot's constructor hot enough for JSC's optimizing compiler before the
 * first key press (~3 MB of resident memory for the compiler alone), while most of them (session entries, MCP
 * configuration, auth.json, themes) are not needed by a run that reads no such file. Parsing through it gives the
 * same output and issues as the schema itself.
 */
export function lazySchema<T extends v.GenericSchema>(build: () => T): v.LazySchema<T> {
	let schema: T | undefined;
	return v.lazy(() => {
		if (schema === undefined) {
			schema = build();
			noteLazySchemaBuilt();
		}
		return schema;
	});
}

/** Schemas built together on first use (they share parts), e.g. `const schemas = lazyGroup(() => ({ A, B }))`. */
export function lazyGroup<T>(build: () => T): () => T {
	let built: T | undefined;
	return () => {
		if (built === undefined) {
			built = build();
			noteLazySchemaBuilt();
		}
		return built;
	};
}
