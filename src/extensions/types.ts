/**
 * What one loaded extension registered, and the shapes the host passes around. The objects an extension hands us
 * (tool definitions, handler results) are parsed with valibot where they enter (registrations.ts); these types are
 * what is left after parsing.
 */
import type { SourceInfo } from "../resources/index.ts";

/** An event handler as the extension wrote it: anything it returns is parsed by the event's own rules. */
export type ExtensionHandler = (event: unknown, ctx: unknown) => unknown;

export interface ExtensionCommand {
	name: string;
	description?: string;
	getArgumentCompletions?: (prefix: string) => unknown;
	handler: (args: string, ctx: unknown) => unknown;
	sourceInfo: SourceInfo;
	extensionPath: string;
}

export interface ExtensionShortcut {
	shortcut: string;
	description?: string;
	handler: (ctx: unknown) => unknown;
	extensionPath: string;
}

export interface ExtensionFlag {
	name: string;
	description?: string;
	type: "boolean" | "string";
	default?: boolean | string;
	extensionPath: string;
}

/** A renderer function kept as given; the interactive mode calls it and checks what comes back. */
export type RendererFunction = (...args: unknown[]) => unknown;

/** A tool as registered: the parsed definition plus the object itself (its render functions are read from it). */
export interface RegisteredToolDefinition {
	name: string;
	label: string;
	description: string;
	parameters: Record<string, unknown>;
	promptSnippet?: string;
	promptGuidelines?: string[];
	executionMode?: "parallel" | "sequential";
	/** pi 1.6: `false` registers the tool inactive. */
	defaultActive?: boolean;
	exposure?: string;
	prepareArguments?: (args: unknown) => unknown;
	execute: (...args: unknown[]) => unknown;
	renderCall?: RendererFunction;
	renderResult?: RendererFunction;
	renderShell?: "default" | "self";
	/** The object the extension passed, for the fields we keep only to hand back (getAllTools, annotations). */
	source: Record<string, unknown>;
}

export interface RegisteredTool {
	definition: RegisteredToolDefinition;
	sourceInfo: SourceInfo;
	extensionPath: string;
}

/** Everything one extension registered. Handlers keep their load order per event. */
export interface Extension {
	/** As configured (a path, possibly relative, as the user wrote it). */
	path: string;
	/** Absolute path of the file that was imported. */
	resolvedPath: string;
	sourceInfo: SourceInfo;
	handlers: Map<string, ExtensionHandler[]>;
	tools: Map<string, RegisteredTool>;
	commands: Map<string, ExtensionCommand>;
	shortcuts: Map<string, ExtensionShortcut>;
	flags: Map<string, ExtensionFlag>;
	messageRenderers: Map<string, RendererFunction>;
	entryRenderers: Map<string, RendererFunction>;
	toolRenderers: RendererFunction[];
	markdownTransformer?: { transformer: RendererFunction; messageTypes: ReadonlySet<string> };
}

/** A handler or extension failure, reported once where the user sees it (chat notice, RPC event, stderr). */
export interface ExtensionError {
	extensionPath: string;
	/** The event, or "load", "command", "shortcut", "register_provider", … */
	event: string;
	error: string;
	/** `file:line` inside the extension when the stack names one. */
	location?: string;
	stack?: string;
}

export interface ExtensionLoadFailure {
	path: string;
	error: string;
}

export type ExtensionMode = "tui" | "rpc" | "json" | "print";
