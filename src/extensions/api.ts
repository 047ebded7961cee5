/**
 * The `pi` object an extension's factory receives (pi's ExtensionAPI, 1.6.0 with 0.73.1's names kept).
 * Registration methods record into the extension; action methods go through the shared runtime. Everything an
 * extension passes is parsed here (valibot): a wrong argument throws a clear error at the call, inside the
 * extension, where its author can see it.
 */
import * as v from "valibot";
import { THINKING_LEVELS, type ThinkingLevel } from "../ai/types.ts";
import { type ExecOptions, execCommand } from "./exec.ts";
import type { ExtensionActions, ExtensionRuntime } from "./runtime.ts";
import {
	CommandOptionsSchema,
	CustomMessageInputSchema,
	FlagOptionsSchema,
	firstIssue,
	SendMessageOptionsSchema,
	SendUserMessageOptionsSchema,
	ShortcutOptionsSchema,
	ToolDefinitionSchema,
} from "./schemas.ts";
import type { Extension, ExtensionHandler, RegisteredToolDefinition, RendererFunction } from "./types.ts";

/** The registration half that exists only while the factory runs: committed when it returns, dropped if it throws. */
export interface ExtensionApiHandle {
	api: Record<string, unknown>;
	commit(): void;
	discard(): void;
}

const ExecOptionsSchema = v.optional(
	v.looseObject({
		signal: v.optional(v.instance(AbortSignal)),
		timeout: v.optional(v.number()),
		cwd: v.optional(v.string()),
		maxBuffer: v.optional(v.number()),
	}),
);

function parseOrThrow<T extends v.GenericSchema>(schema: T, value: unknown, what: string): v.InferOutput<T> {
	const result = v.safeParse(schema, value);
	if (!result.success) throw new TypeError(`${what}: ${firstIssue(result.issues)}`);
	return result.output;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asFunction(value: unknown, what: string): (...args: unknown[]) => unknown {
	if (typeof value !== "function") throw new TypeError(`${what} must be a function`);
	return (...args) => Reflect.apply(value, undefined, args);
}

export function parseToolDefinition(tool: unknown, extensionPath: string): RegisteredToolDefinition {
	if (!isRecord(tool)) throw new TypeError(`registerTool() from "${extensionPath}" needs a tool definition object`);
	const name = typeof tool.name === "string" ? tool.name : "<unnamed>";
	if (!isRecord(tool.parameters)) {
		throw new TypeError(
			`Tool "${name}" registered by extension "${extensionPath}" must define an object parameter schema.`,
		);
	}
	const parsed = parseOrThrow(ToolDefinitionSchema, tool, `Tool "${name}" registered by extension "${extensionPath}"`);
	const bound = (key: string): RendererFunction | undefined => {
		const value = tool[key];
		return typeof value === "function" ? (...args) => Reflect.apply(value, tool, args) : undefined;
	};
	return {
		name: parsed.name,
		label: parsed.label ?? parsed.name,
		description: parsed.description ?? "",
		parameters: parsed.parameters,
		promptSnippet: parsed.promptSnippet,
		promptGuidelines: parsed.promptGuidelines,
		executionMode: parsed.executionMode,
		defaultActive: parsed.defaultActive,
		exposure: parsed.exposure,
		prepareArguments: bound("prepareArguments"),
		execute: (...args) => Reflect.apply(parsed.execute, tool, args),
		renderCall: bound("renderCall"),
		renderResult: bound("renderResult"),
		renderShell: parsed.renderShell,
		source: tool,
	};
}

const UserContentSchema = v.union([
	v.string(),
	v.array(
		v.union([
			v.looseObject({ type: v.literal("text"), text: v.string() }),
			v.looseObject({ type: v.literal("image"), data: v.string(), mimeType: v.string() }),
		]),
	),
]);

/** `sendMessage(message, options)` as an extension calls it, checked and passed to the session. */
export function sendMessageVia(actions: ExtensionActions, message: unknown, options: unknown): void {
	const parsed = parseOrThrow(CustomMessageInputSchema, message, "sendMessage() message");
	const parsedOptions = parseOrThrow(SendMessageOptionsSchema, options, "sendMessage() options") ?? {};
	actions.sendMessage(
		{
			customType: parsed.customType,
			content: parsed.content ?? [],
			display: parsed.display ?? true,
			details: parsed.details,
		},
		parsedOptions,
	);
}

/** `sendUserMessage(content, options)` as an extension calls it, checked and passed to the session. */
export function sendUserMessageVia(actions: ExtensionActions, content: unknown, options: unknown): void {
	const parsed = parseOrThrow(UserContentSchema, content, "sendUserMessage() content");
	const parsedOptions = parseOrThrow(SendUserMessageOptionsSchema, options, "sendUserMessage() options") ?? {};
	actions.sendUserMessage(parsed, parsedOptions);
}

export function createExtensionApi(extension: Extension, runtime: ExtensionRuntime, cwd: string): ExtensionApiHandle {
	let state: "loading" | "active" | "failed" = "loading";
	const pendingFlagDefaults = new Map<string, boolean | string>();
	const assertActive = () => {
		if (state === "failed")
			throw new Error(`Extension "${extension.path}" failed to load and its API is no longer active.`);
		runtime.assertActive();
	};
	const register = (action: () => void): void => {
		assertActive();
		action();
	};

	const api: Record<string, unknown> = {
		on(event: unknown, handler: unknown): () => void {
			assertActive();
			if (typeof event !== "string") throw new TypeError("pi.on() needs an event name");
			const call = asFunction(handler, `Handler for "${event}"`);
			const registered: ExtensionHandler = (payload, ctx) => call(payload, ctx);
			const list = extension.handlers.get(event) ?? [];
			list.push(registered);
			extension.handlers.set(event, list);
			return () => {
				const handlers = extension.handlers.get(event);
				const index = handlers?.indexOf(registered) ?? -1;
				if (handlers && index !== -1) handlers.splice(index, 1);
			};
		},

		registerTool(tool: unknown): void {
			register(() => {
				const definition = parseToolDefinition(tool, extension.path);
				extension.tools.set(definition.name, {
					definition,
					sourceInfo: extension.sourceInfo,
					extensionPath: extension.path,
				});
				if (state === "active" && runtime.isBound) runtime.actions.refreshTools();
			});
		},

		registerCommand(name: unknown, options: unknown): void {
			register(() => {
				if (typeof name !== "string" || name.length === 0) {
					throw new TypeError(
						`Command registered by extension "${extension.path}" must have a non-empty string name. Use pi.registerCommand("name", { description, handler }).`,
					);
				}
				const parsed = parseOrThrow(CommandOptionsSchema, options, `Command "/${name}" from "${extension.path}"`);
				const completions = parsed.getArgumentCompletions;
				extension.commands.set(name, {
					name,
					description: parsed.description,
					getArgumentCompletions: completions ? (prefix) => completions(prefix) : undefined,
					handler: (args, ctx) => parsed.handler(args, ctx),
					sourceInfo: extension.sourceInfo,
					extensionPath: extension.path,
				});
			});
		},

		registerShortcut(shortcut: unknown, options: unknown): void {
			register(() => {
				if (typeof shortcut !== "string") throw new TypeError('registerShortcut() needs a key such as "ctrl+shift+p"');
				const parsed = parseOrThrow(ShortcutOptionsSchema, options, `Shortcut "${shortcut}" from "${extension.path}"`);
				extension.shortcuts.set(shortcut, {
					shortcut,
					description: parsed.description,
					handler: (ctx) => parsed.handler(ctx),
					extensionPath: extension.path,
				});
			});
		},

		registerFlag(name: unknown, options: unknown): void {
			register(() => {
				if (typeof name !== "string" || name.length === 0) throw new TypeError("registerFlag() needs a flag name");
				const parsed = parseOrThrow(FlagOptionsSchema, options, `Flag "--${name}" from "${extension.path}"`);
				if (parsed.default !== undefined && typeof parsed.default !== parsed.type) {
					throw new TypeError(
						`Invalid default for flag "${name}": expected ${parsed.type}, got ${typeof parsed.default}`,
					);
				}
				extension.flags.set(name, { name, ...parsed, extensionPath: extension.path });
				if (parsed.default !== undefined && !runtime.flagValues.has(name)) {
					if (state === "loading") {
						if (!pendingFlagDefaults.has(name)) pendingFlagDefaults.set(name, parsed.default);
					} else runtime.flagValues.set(name, parsed.default);
				}
			});
		},

		getFlag(name: unknown): boolean | string | undefined {
			assertActive();
			if (typeof name !== "string" || !extension.flags.has(name)) return undefined;
			return runtime.flagValues.has(name) ? runtime.flagValues.get(name) : pendingFlagDefaults.get(name);
		},

		registerMessageRenderer(customType: unknown, renderer: unknown): void {
			register(() => {
				if (typeof customType !== "string") throw new TypeError("registerMessageRenderer() needs a customType");
				extension.messageRenderers.set(customType, asFunction(renderer, "Message renderer"));
			});
		},

		registerEntryRenderer(customType: unknown, renderer: unknown): void {
			register(() => {
				if (typeof customType !== "string") throw new TypeError("registerEntryRenderer() needs a customType");
				extension.entryRenderers.set(customType, asFunction(renderer, "Entry renderer"));
			});
		},

		registerToolRenderer(resolver: unknown): void {
			register(() => {
				extension.toolRenderers.push(asFunction(resolver, "Tool renderer resolver"));
			});
		},

		registerMarkdownTransformer(transformer: unknown, options?: unknown): void {
			register(() => {
				const types =
					isRecord(options) && Array.isArray(options.messageTypes)
						? options.messageTypes.filter((type): type is string => typeof type === "string")
						: ["user", "assistant", "assistant-thinking"];
				extension.markdownTransformer = {
					transformer: asFunction(transformer, "Markdown transformer"),
					messageTypes: new Set(types),
				};
			});
		},

		sendMessage(message: unknown, options?: unknown): void {
			assertActive();
			sendMessageVia(runtime.actions, message, options);
		},

		sendUserMessage(content: unknown, options?: unknown): void {
			assertActive();
			sendUserMessageVia(runtime.actions, content, options);
		},

		appendEntry(customType: unknown, data?: unknown): void {
			assertActive();
			if (typeof customType !== "string") throw new TypeError("appendEntry() needs a customType string");
			runtime.actions.appendEntry(customType, data);
		},

		setSessionName(name: unknown): void {
			assertActive();
			if (typeof name !== "string") throw new TypeError("setSessionName() needs a string");
			runtime.actions.setSessionName(name);
		},

		getSessionName(): string | undefined {
			assertActive();
			return runtime.actions.getSessionName();
		},

		setLabel(entryId: unknown, label: unknown): void {
			assertActive();
			if (typeof entryId !== "string") throw new TypeError("setLabel() needs an entry id");
			runtime.actions.setLabel(entryId, typeof label === "string" && label.length > 0 ? label : undefined);
		},

		exec(command: unknown, args: unknown, options?: unknown) {
			assertActive();
			if (typeof command !== "string") throw new TypeError("exec() needs a command");
			const argv = parseOrThrow(v.optional(v.array(v.string()), []), args, "exec() arguments");
			const parsed: ExecOptions = parseOrThrow(ExecOptionsSchema, options, "exec() options") ?? {};
			return execCommand(command, argv, parsed.cwd ?? cwd, parsed);
		},

		getActiveTools(): string[] {
			assertActive();
			return runtime.actions.getActiveTools();
		},

		getAllTools() {
			assertActive();
			return runtime.actions.getAllTools();
		},

		getSettings() {
			assertActive();
			return runtime.actions.getSettings();
		},

		setActiveTools(names: unknown): void {
			assertActive();
			runtime.actions.setActiveTools(parseOrThrow(v.array(v.string()), names, "setActiveTools()"));
		},

		getCommands() {
			assertActive();
			return runtime.actions.getCommands();
		},

		setModel(model: unknown): Promise<boolean> {
			assertActive();
			const parsed = parseOrThrow(v.looseObject({ provider: v.string(), id: v.string() }), model, "setModel()");
			// The model object comes from ctx.modelRegistry; the session looks it up again by provider and id.
			return runtime.actions.setModel(parsed);
		},

		getThinkingLevel(): ThinkingLevel {
			assertActive();
			return runtime.actions.getThinkingLevel();
		},

		setThinkingLevel(level: unknown): void {
			assertActive();
			// pi 1.6's "max" is our "xhigh", the highest level we know.
			const normalized = level === "max" ? "xhigh" : level;
			runtime.actions.setThinkingLevel(parseOrThrow(v.picklist(THINKING_LEVELS), normalized, "setThinkingLevel()"));
		},

		registerProvider(nameOrProvider: unknown, config?: unknown): void {
			assertActive();
			let name: string;
			let providerConfig: Record<string, unknown>;
			if (typeof nameOrProvider === "string") {
				if (!isRecord(config)) throw new TypeError("Provider config is required when registering by name");
				name = nameOrProvider;
				providerConfig = config;
			} else if (isRecord(nameOrProvider) && typeof nameOrProvider.id === "string") {
				name = nameOrProvider.id;
				providerConfig = { ...nameOrProvider, nativeProvider: true };
			} else throw new TypeError("registerProvider() needs a name and a config, or a provider object");
			runtime.registerProvider({ name, config: providerConfig, extensionPath: extension.path });
		},

		unregisterProvider(name: unknown): void {
			assertActive();
			if (typeof name !== "string") throw new TypeError("unregisterProvider() needs a provider name");
			runtime.unregisterProvider(name);
		},

		registerMcpServer(name: unknown, config: unknown): void {
			assertActive();
			if (typeof name !== "string") throw new TypeError("registerMcpServer() needs a server name");
			runtime.mcpServers.register(name, config, extension.path);
		},

		unregisterMcpServer(name: unknown): void {
			assertActive();
			if (typeof name === "string") runtime.mcpServers.unregister(name, extension.path);
		},

		getMcpServers(): unknown[] {
			assertActive();
			return runtime.mcpServers.list();
		},

		registerVirtualModel(): void {
			assertActive();
			throw new Error("registerVirtualModel() is not supported by this pi binary yet.");
		},

		unregisterVirtualModel(): void {
			assertActive();
		},

		events: {
			emit(channel: unknown, data?: unknown): void {
				assertActive();
				if (typeof channel !== "string") throw new TypeError("events.emit() needs a channel name");
				runtime.bus.emit(channel, data);
			},
			on(channel: unknown, handler: unknown): () => void {
				assertActive();
				if (typeof channel !== "string") throw new TypeError("events.on() needs a channel name");
				const call = asFunction(handler, "Event bus handler");
				return runtime.bus.on(channel, async (data) => {
					try {
						await call(data);
					} catch (error) {
						runtime.reportError({
							extensionPath: extension.path,
							event: `events:${channel}`,
							error: error instanceof Error ? error.message : String(error),
						});
					}
				});
			},
		},
	};

	return {
		api,
		commit() {
			if (state !== "loading") return;
			for (const [name, value] of pendingFlagDefaults)
				if (!runtime.flagValues.has(name)) runtime.flagValues.set(name, value);
			state = "active";
		},
		discard() {
			state = "failed";
		},
	};
}
