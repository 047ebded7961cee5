/**
 * `@earendil-works/pi-agent-core`: pi's agent loop as a library. Extensions import its types; its runtime classes and
 * loop functions belong to pi's own program and are stubs here (stubs.ts).
 */
import { completeModule } from "./stubs.ts";

export function buildAgentCoreModule(): Record<string, unknown> {
	return completeModule("pi-agent-core", {});
}
