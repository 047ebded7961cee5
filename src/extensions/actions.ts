/**
 * What the `pi` object's actions do to a running AgentSession (pi's bindCore). Failures of fire-and-forget actions
 * (sendMessage, sendUserMessage) are reported as the extension's errors, never thrown into the agent.
 */
import type { AgentSession } from "../agent/agent-session.ts";
import type { CustomMessage } from "../agent/types.ts";
import type { ImageContent, TextContent } from "../ai/types.ts";
import { slashCommandsFor } from "../resources/index.ts";
import type { ExtensionRunner } from "./runner.ts";
import type { CommandInfo, ExtensionActions, ToolInfo } from "./runtime.ts";

export interface ActionServices {
	session: AgentSession;
	runner(): ExtensionRunner;
	/** A tool was registered after binding. */
	refreshTools(): void;
	registerProvider(name: string, config: Record<string, unknown>, extensionPath: string): void;
	unregisterProvider(name: string): void;
	report(event: string, error: unknown): void;
}

function splitContent(content: string | (TextContent | ImageContent)[]): { text: string; images?: ImageContent[] } {
	if (typeof content === "string") return { text: content };
	const text = content
		.filter((part): part is TextContent => part.type === "text")
		.map((part) => part.text)
		.join("\n");
	const images = content.filter((part): part is ImageContent => part.type === "image");
	return images.length > 0 ? { text, images } : { text };
}

export function createActions(services: ActionServices): ExtensionActions {
	const { session } = services;
	return {
		sendMessage(message, options) {
			const custom: CustomMessage = { role: "custom", ...message, timestamp: Date.now() };
			session.sendCustomMessage(custom, options).catch((error: unknown) => services.report("send_message", error));
		},
		sendUserMessage(content, options) {
			const { text, images } = splitContent(content);
			session
				.prompt(text, {
					images,
					streamingBehavior: options.deliverAs,
					source: "extension",
					expandPromptTemplates: options.expandPromptTemplates ?? false,
				})
				.catch((error: unknown) => services.report("send_user_message", error));
		},
		appendEntry(customType, data) {
			session.appendCustomEntry(customType, data);
		},
		setSessionName(name) {
			session.setSessionName(name);
		},
		getSessionName() {
			return session.sessionName;
		},
		setLabel(entryId, label) {
			session.sessionManager.appendLabel(entryId, label);
		},
		getActiveTools() {
			return session.getActiveToolNames();
		},
		getAllTools(): ToolInfo[] {
			const registered = new Map(
				services
					.runner()
					.getTools()
					.map((tool) => [tool.definition.name, tool]),
			);
			return session.getAllTools().map((tool) => {
				const fromExtension = registered.get(tool.name);
				return {
					name: tool.name,
					description: tool.description,
					parameters: tool.parameters,
					promptGuidelines: tool.promptGuidelines ? [...tool.promptGuidelines] : undefined,
					exposure: tool.exposure ?? "direct",
					sourceInfo: fromExtension?.sourceInfo ?? {
						path: `builtin:${tool.name}`,
						source: "builtin",
						scope: "temporary",
						origin: "top-level",
					},
				};
			});
		},
		setActiveTools(names) {
			session.setActiveTools(names);
		},
		refreshTools() {
			services.refreshTools();
		},
		getCommands(): CommandInfo[] {
			const extensionCommands = services
				.runner()
				.getCommands()
				.map(
					(command): CommandInfo => ({
						name: command.invocationName,
						description: command.description,
						source: "extension",
						sourceInfo: command.sourceInfo,
					}),
				);
			const resources = slashCommandsFor(session.resources).map(
				({ name, description, source, sourceInfo }): CommandInfo => ({ name, description, source, sourceInfo }),
			);
			return [...extensionCommands, ...resources];
		},
		async setModel(model) {
			const found = session.modelRegistry.find(model.provider, model.id);
			if (!found || !(await session.modelRegistry.getApiKey(found))) return false;
			await session.setModel(found);
			return true;
		},
		getThinkingLevel() {
			return session.thinkingLevel;
		},
		setThinkingLevel(level) {
			session.setThinkingLevel(level);
		},
		getSettings() {
			return structuredClone({ ...session.settings.settings });
		},
		registerProvider(name, config, extensionPath) {
			services.registerProvider(name, config, extensionPath);
		},
		unregisterProvider(name) {
			services.unregisterProvider(name);
		},
	};
}
