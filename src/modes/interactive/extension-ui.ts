/**
 * Extensions in interactive mode, through the narrow InteractiveUi (ui-host.ts): their `ctx.ui` (dialogs, notices,
 * footer statuses, widgets, the title, the editor text, and their own components — extension-components.ts), their
 * slash commands (with argument completion) and key shortcuts, and their errors shown in the chat. Whenever the
 * extensions are replaced (/reload, a new session) what they showed is taken down and their commands and shortcuts
 * are registered again.
 */
import * as v from "valibot";
import { keyHint, keyText } from "../../extensions/agent-ui.ts";
import type { ExtensionHost } from "../../extensions/host.ts";
import type { ResolvedCommand } from "../../extensions/registrations.ts";
import { extensionTheme } from "../../extensions/theme.ts";
import { uiContext } from "../../extensions/ui-context.ts";
import { Theme } from "../../tui/theme.ts";
import { availableThemeNames, setTheme, themePalette } from "../../tui/themes/manager.ts";
import type { RendererFunction, ToolRenderers } from "./components/custom-tool-rendering.ts";
import type { SpinnerIndicator } from "./components/spinner.ts";
import type { DialogOptions } from "./dialog-host.ts";
import { ExtensionComponents } from "./extension-components.ts";
import type { ExtensionRendererSource } from "./session-event-renderer.ts";
import type { InteractiveUi, WidgetPlacement } from "./ui-host.ts";

const DialogOptionsSchema = v.optional(
	v.looseObject({ signal: v.optional(v.instance(AbortSignal)), timeout: v.optional(v.number()) }),
);

const CompletionSchema = v.nullish(
	v.array(v.looseObject({ value: v.string(), label: v.optional(v.string()), description: v.optional(v.string()) })),
);

function dialogOptions(value: unknown): DialogOptions {
	const parsed = v.safeParse(DialogOptionsSchema, value);
	return parsed.success && parsed.output ? { signal: parsed.output.signal, timeout: parsed.output.timeout } : {};
}

function text(value: unknown): string {
	return typeof value === "string" ? value : String(value ?? "");
}

function placementOf(options: unknown): WidgetPlacement {
	const placement = typeof options === "object" && options !== null && "placement" in options ? options.placement : "";
	return placement === "belowEditor" ? "belowEditor" : "aboveEditor";
}

const ToolRenderersSchema = v.looseObject({
	renderCall: v.optional(v.function()),
	renderResult: v.optional(v.function()),
	renderShell: v.optional(v.picklist(["default", "self"])),
});

type RendererSet = Pick<ToolRenderers, "renderCall" | "renderResult" | "renderShell">;

function rendererSet(value: unknown): RendererSet | undefined {
	const parsed = v.safeParse(ToolRenderersSchema, value);
	if (!parsed.success) return undefined;
	const { renderCall, renderResult, renderShell } = parsed.output;
	if (!renderCall && !renderResult) return undefined;
	const call: RendererFunction | undefined = renderCall && ((...args) => renderCall(...args));
	const result: RendererFunction | undefined = renderResult && ((...args) => renderResult(...args));
	return { renderCall: call, renderResult: result, renderShell: renderShell ?? "default" };
}

/**
 * The extensions' renderers for the chat, read from the current instances every time (a /reload replaces them):
 * a tool's own renderCall/renderResult, overridden by `pi.registerToolRenderer` resolvers in load order, and
 * `pi.registerMessageRenderer` renderers.
 */
export function extensionRenderers(
	host: ExtensionHost,
	cwd: string,
	requestRender: () => void,
): ExtensionRendererSource {
	const common = { theme: extensionTheme, keyText, keyHint };
	return {
		tool: (name) => {
			const runner = host.currentRunner;
			const definition = runner.getTools().find((tool) => tool.definition.name === name)?.definition;
			const own = definition ? rendererSet(definition) : undefined;
			const resolvers = runner.extensions.flatMap((extension) => extension.toolRenderers);
			const resolve = (index: number): RendererSet | undefined => {
				const resolver = resolvers[index];
				if (!resolver) return own;
				try {
					return rendererSet(resolver(name, () => resolve(index + 1)));
				} catch {
					return resolve(index + 1);
				}
			};
			const picked = resolve(0);
			return picked && { ...picked, ...common, cwd, requestRender };
		},
		message: (customType) => {
			const renderer = host.currentRunner.getMessageRenderer(customType);
			return renderer && { renderer, ...common };
		},
		entry: (customType) => {
			const renderer = host.currentRunner.getEntryRenderer(customType);
			return renderer && { renderer, ...common };
		},
	};
}

function optionalText(value: unknown): string | undefined {
	return typeof value === "string" ? value : undefined;
}

const IndicatorSchema = v.looseObject({
	frames: v.optional(v.array(v.string())),
	intervalMs: v.optional(v.number()),
});

/** pi's setWorkingIndicator options; undefined (or no frames) brings pi's spinner back. */
function indicatorOf(options: unknown): SpinnerIndicator | undefined {
	const parsed = v.safeParse(IndicatorSchema, options);
	if (!parsed.success || parsed.output.frames === undefined) return undefined;
	return { frames: parsed.output.frames, intervalMs: parsed.output.intervalMs };
}

/** ctx.ui.getAllThemes / getTheme / setTheme over the theme manager; setTheme(name) is saved as /settings does. */
function themeMethods(ui: InteractiveUi): Record<string, unknown> {
	const nameOf = (value: unknown): string | undefined => {
		if (typeof value === "string") return value;
		if (typeof value === "object" && value !== null && "name" in value && typeof value.name === "string") {
			return value.name;
		}
		return undefined;
	};
	return {
		getAllThemes: () => availableThemeNames().map((name) => ({ name, path: themePalette(name)?.sourcePath })),
		getTheme: (name: unknown) => {
			const found = typeof name === "string" ? themePalette(name) : undefined;
			return found && extensionTheme(new Theme(found.palette, { name: String(name), sourcePath: found.sourcePath }));
		},
		setTheme: (themeOrName: unknown) => {
			const name = nameOf(themeOrName);
			if (!name) return { success: false, error: "setTheme() needs a theme name or a theme from getTheme()" };
			const result = setTheme(name, { watch: true });
			if (result.success) {
				if (typeof themeOrName === "string" && ui.session.settings.settings.theme !== name) {
					ui.session.settings.set("theme", name);
				}
				ui.redraw();
			}
			return result;
		},
	};
}

/** `ctx.ui` in interactive mode. */
export function interactiveExtensionUi(ui: InteractiveUi, components: ExtensionComponents): Record<string, unknown> {
	return uiContext({
		select: (title: unknown, options: unknown, opts?: unknown) =>
			ui.dialogs.select(text(title), Array.isArray(options) ? options.map(text) : [], dialogOptions(opts)),
		confirm: (title: unknown, message: unknown, opts?: unknown) =>
			ui.dialogs.confirm(text(title), text(message), dialogOptions(opts)),
		input: (title: unknown, placeholder?: unknown, opts?: unknown) =>
			ui.dialogs.input(text(title), typeof placeholder === "string" ? placeholder : "", dialogOptions(opts)),
		editor: (title: unknown, prefill?: unknown) =>
			ui.dialogs.editor(text(title), typeof prefill === "string" ? prefill : ""),
		notify: (message: unknown, type?: unknown) =>
			ui.notify(text(message), type === "warning" || type === "error" ? type : "info"),
		setStatus: (key: unknown, status?: unknown) =>
			ui.setStatus(text(key), typeof status === "string" ? status : undefined),
		setWidget: (key: unknown, content: unknown, options?: unknown) => {
			const placement = placementOf(options);
			if (content === undefined) ui.setWidget(text(key), undefined, placement);
			else if (Array.isArray(content)) ui.setWidget(text(key), content.map(text), placement);
			// A factory (tui, theme) => component: the component draws in our renderer like any other.
			else if (typeof content === "function") ui.setWidget(text(key), components.widget(content), placement);
		},
		custom: (factory: unknown, options?: unknown) => components.custom(factory, options),
		setHeader: (factory: unknown) => components.setHeader(factory),
		setFooter: (factory: unknown) => components.setFooter(factory),
		setEditorComponent: (factory: unknown) => components.setEditorComponent(factory),
		getEditorComponent: () => components.getEditorComponent(),
		onTerminalInput: (handler: unknown) => components.addInputListener(handler),
		addAutocompleteProvider: (factory: unknown) => components.addAutocompleteProvider(factory),
		setTitle: (title: unknown) => ui.setTitle(text(title)),
		setEditorText: (value: unknown) => ui.editor.setText(text(value)),
		getEditorText: () => ui.editor.getText(),
		// As a paste (pi): a large one collapses into a marker.
		pasteToEditor: (value: unknown) => ui.editor.insertText(`\x1b[200~${text(value)}\x1b[201~`),
		getToolsExpanded: () => ui.toolsExpanded,
		setToolsExpanded: (expanded: unknown) => ui.setToolsExpanded(expanded === true),
		setWorkingMessage: (message?: unknown) => ui.working.setWorkingMessage(optionalText(message)),
		setWorkingVisible: (visible: unknown) => ui.working.setWorkingVisible(visible !== false),
		setWorkingIndicator: (options?: unknown) => ui.working.setWorkingIndicator(indicatorOf(options)),
		setHiddenThinkingLabel: (label?: unknown) => ui.setHiddenThinkingLabel(optionalText(label)),
		...themeMethods(ui),
	});
}

/** An extension command as a slash command of the interactive registry. */
function slashCommand(host: ExtensionHost, command: ResolvedCommand) {
	const complete = command.getArgumentCompletions;
	return {
		name: command.invocationName,
		description: command.description ?? "",
		completeArgument: complete
			? async (prefix: string) => {
					const parsed = v.safeParse(CompletionSchema, await complete(prefix));
					return parsed.success && parsed.output
						? parsed.output.map((item) => ({
								value: item.value,
								label: item.label ?? item.value,
								description: item.description,
							}))
						: [];
				}
			: undefined,
		run: (args: string) => host.currentRunner.runCommand(command, args),
	};
}

/**
 * Binds the host to the interactive screen and starts the extensions (`session_start`). Returns the function that
 * unbinds (before the screen goes away).
 */
export async function startInteractiveExtensions(host: ExtensionHost, ui: InteractiveUi): Promise<() => void> {
	let registered: (() => void)[] = [];
	const components = new ExtensionComponents(ui);
	const register = (replaced: boolean) => {
		for (const undo of registered) undo();
		registered = [];
		// The new instances start from pi's screen: nothing the old ones showed stays.
		if (replaced) components.reset();
		const runner = host.currentRunner;
		for (const command of runner.getCommands()) {
			// pi's built-in commands win over an extension's command of the same name.
			if (!ui.commands.register(slashCommand(host, command))) continue;
			registered.push(() => ui.commands.unregister(command.invocationName));
		}
		for (const [key, shortcut] of runner.getShortcuts()) {
			registered.push(
				ui.shortcuts.register({
					key,
					description: shortcut.description,
					handler: async () => {
						await shortcut.handler(runner.createContext());
					},
				}),
			);
		}
	};
	// ctx.shutdown(): once the agent is idle (queued messages done), as pi does in interactive mode.
	const shutdown = () => void ui.session.waitForIdle().then(() => ui.quit(0));
	host.attachMode({ ui: interactiveExtensionUi(ui, components), hasUI: true, shutdown });
	const offError = host.onError((error) => {
		const where = error.location && !error.error.includes(error.location) ? ` (at ${error.location})` : "";
		ui.showError(`Extension "${error.extensionPath}" error: ${error.error}${where}`);
	});
	const offChange = host.onRuntimeChange(() => register(true));
	register(false);
	await host.start("startup");
	return () => {
		offError();
		offChange();
		for (const undo of registered) undo();
		components.reset();
	};
}
