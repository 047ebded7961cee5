/**
 * State shared by all extensions of one load: flag values, the event bus, and the actions their `pi` objects call
 * (send a message, change tools, …). Actions exist once the extensions are bound to a session; a call before that
 * (from a factory) fails with pi's message, except provider registrations, which are queued and applied on bind.
 * After a reload or session replacement the runtime is stale: every call through an old `pi` or `ctx` fails with a
 * message that says why, instead of acting on a session that is gone.
 */
import type { ImageContent, Model, TextContent, ThinkingLevel } from "../ai/types.ts";
import { McpServerRegistry } from "../mcp/registrations.ts";
import { ExtensionEventBus } from "./event-bus.ts";
import type { ExtensionError } from "./types.ts";

export interface ToolInfo {
	name: string;
	description: string;
	parameters: unknown;
	promptGuidelines?: string[];
	exposure: string;
	sourceInfo: { path: string; source: string; scope: string; origin: string; baseDir?: string };
}

export interface CommandInfo {
	name: string;
	description?: string;
	source: "extension" | "prompt" | "skill";
	sourceInfo: { path: string; source: string; scope: string; origin: string; baseDir?: string };
}

export interface CustomMessageInput {
	customType: string;
	content: string | (TextContent | ImageContent)[];
	display: boolean;
	details?: unknown;
}

/** What the `pi` object does to the session; provided by the session binding. */
export interface ExtensionActions {
	sendMessage(
		message: CustomMessageInput,
		options: { triggerTurn?: boolean; deliverAs?: "steer" | "followUp" | "nextTurn" },
	): void;
	sendUserMessage(
		content: string | (TextContent | ImageContent)[],
		options: { deliverAs?: "steer" | "followUp"; expandPromptTemplates?: boolean },
	): void;
	appendEntry(customType: string, data: unknown): void;
	setSessionName(name: string): void;
	getSessionName(): string | undefined;
	setLabel(entryId: string, label: string | undefined): void;
	getActiveTools(): string[];
	getAllTools(): ToolInfo[];
	setActiveTools(names: string[]): void;
	/** A tool was registered after binding: make it known (and active, as pi does). */
	refreshTools(): void;
	getCommands(): CommandInfo[];
	/** The model is named by provider and id (the object an extension holds may be a copy). */
	setModel(model: Pick<Model, "provider" | "id">): Promise<boolean>;
	getThinkingLevel(): ThinkingLevel;
	setThinkingLevel(level: ThinkingLevel): void;
	getSettings(): Record<string, unknown>;
	registerProvider(name: string, config: Record<string, unknown>, extensionPath: string): void;
	unregisterProvider(name: string): void;
}

export interface PendingProvider {
	name: string;
	config: Record<string, unknown>;
	extensionPath: string;
}

const NOT_INITIALIZED = "Extension runtime not initialized. Action methods cannot be called during extension loading.";
export const STALE_MESSAGE =
	"This extension ctx is stale after session replacement or reload. Do not use a captured pi or command ctx after ctx.newSession(), ctx.fork(), ctx.switchSession(), or ctx.reload(). For newSession, fork, and switchSession, move post-replacement work into withSession and use the ctx passed to withSession. For reload, do not use the old ctx after await ctx.reload().";

export class ExtensionRuntime {
	readonly flagValues = new Map<string, boolean | string>();
	readonly bus: ExtensionEventBus;
	pendingProviders: PendingProvider[] = [];
	/** `pi.registerMcpServer()`: connected by the built-in MCP support (src/mcp/setup.ts). */
	readonly mcpServers = new McpServerRegistry();
	private boundActions: ExtensionActions | undefined;
	private staleMessage: string | undefined;
	/** Replaced by the runner once it exists; until then failures have nowhere to go but the load result. */
	reportError: (error: ExtensionError) => void = () => {};

	constructor() {
		this.bus = new ExtensionEventBus((channel, error) =>
			this.reportError({
				extensionPath: "<event bus>",
				event: `events:${channel}`,
				error: error instanceof Error ? error.message : String(error),
			}),
		);
	}

	bind(actions: ExtensionActions): void {
		this.boundActions = actions;
		const pending = this.pendingProviders;
		this.pendingProviders = [];
		for (const { name, config, extensionPath } of pending) {
			try {
				actions.registerProvider(name, config, extensionPath);
			} catch (error) {
				this.reportError({
					extensionPath,
					event: "register_provider",
					error: error instanceof Error ? error.message : String(error),
				});
			}
		}
	}

	get isBound(): boolean {
		return this.boundActions !== undefined;
	}

	/** The session actions; throws pi's messages before binding and after invalidation. */
	get actions(): ExtensionActions {
		this.assertActive();
		if (!this.boundActions) throw new Error(NOT_INITIALIZED);
		return this.boundActions;
	}

	assertActive(): void {
		if (this.staleMessage) throw new Error(this.staleMessage);
	}

	get isStale(): boolean {
		return this.staleMessage !== undefined;
	}

	invalidate(message = STALE_MESSAGE): void {
		if (this.staleMessage) return;
		this.staleMessage = message;
		this.bus.clear();
	}

	registerProvider(provider: PendingProvider): void {
		this.assertActive();
		if (this.boundActions) this.boundActions.registerProvider(provider.name, provider.config, provider.extensionPath);
		else this.pendingProviders.push(provider);
	}

	unregisterProvider(name: string): void {
		this.assertActive();
		if (this.boundActions) this.boundActions.unregisterProvider(name);
		else this.pendingProviders = this.pendingProviders.filter((provider) => provider.name !== name);
	}
}
