/**
 * Extensions' own components on the interactive screen, as pi 1.6.0 hosts them: `ctx.ui.custom()` in the editor's
 * place (focus moves to the component; `done()` brings the editor back with its text) or as an overlay composited
 * over the transcript (`{ overlay: true, overlayOptions, onHandle }`), component widgets, header and footer
 * factories, a replacement prompt editor (`setEditorComponent`), and raw terminal input (`onTerminalInput`). Factories
 * receive `tui` (the handle below), the theme and the keybindings, as in pi.
 *
 * Everything an extension instance put on screen is taken down by `reset()` when the extensions are replaced
 * (/reload, a new session): overlays and dialogs close (their promises stay pending, as in pi), listeners go, and
 * pi's header, footer and editor come back.
 */
import * as v from "valibot";
import { getEditorTheme } from "../../extensions/agent-ui.ts";
import { getKeybindings } from "../../extensions/pi-tui/keys.ts";
import { extensionTheme } from "../../extensions/theme.ts";
import type { Component } from "../../tui/component.ts";
import { Editor } from "../../tui/components/editor.ts";
import type { AutocompleteProvider, AutocompleteSuggestions } from "../../tui/components/editor-autocomplete.ts";
import type { OverlayAnchor, OverlayHandle, OverlayOptions, SizeValue } from "../../tui/overlays.ts";
import type { TUI } from "../../tui/tui.ts";
import type { InteractiveUi } from "./ui-host.ts";

interface Disposable {
	dispose?(): void;
}

export function isComponent(value: unknown): value is Component & Disposable {
	return typeof value === "object" && value !== null && "render" in value && typeof value.render === "function";
}

function disposeQuietly(component: Disposable | undefined): void {
	try {
		component?.dispose?.();
	} catch {
		// An extension's failing dispose must not break the screen.
	}
}

const SizeSchema = v.union([
	v.number(),
	v.pipe(
		v.string(),
		v.regex(/^\d+(?:\.\d+)?%$/),
		v.transform((text): SizeValue => `${Number.parseFloat(text)}%` as const),
	),
]);
const ANCHORS = [
	"center",
	"top-left",
	"top-right",
	"bottom-left",
	"bottom-right",
	"top-center",
	"bottom-center",
	"left-center",
	"right-center",
] as const satisfies readonly OverlayAnchor[];
const OverlayOptionsSchema = v.looseObject({
	width: v.optional(SizeSchema),
	minWidth: v.optional(v.number()),
	maxHeight: v.optional(SizeSchema),
	anchor: v.optional(v.picklist(ANCHORS)),
	offsetX: v.optional(v.number()),
	offsetY: v.optional(v.number()),
	row: v.optional(SizeSchema),
	col: v.optional(SizeSchema),
	margin: v.optional(
		v.union([
			v.number(),
			v.looseObject({
				top: v.optional(v.number()),
				right: v.optional(v.number()),
				bottom: v.optional(v.number()),
				left: v.optional(v.number()),
			}),
		]),
	),
	visible: v.optional(v.function()),
	nonCapturing: v.optional(v.boolean()),
});

/** An extension's overlay options (pi-tui's OverlayOptions), or {} where they are not that. */
function parseOverlayOptions(value: unknown): OverlayOptions {
	const parsed = v.safeParse(OverlayOptionsSchema, value);
	if (!parsed.success) return {};
	const { visible, ...rest } = parsed.output;
	return {
		...rest,
		...(visible ? { visible: (columns: number, rows: number) => visible(columns, rows) === true } : {}),
	};
}

/**
 * Options read on every frame when the extension gave a function (pi re-evaluates it for dynamic positioning):
 * each option is a getter over the function's latest answer.
 */
function liveOverlayOptions(source: () => unknown): OverlayOptions {
	let last: { raw: unknown; options: OverlayOptions } | undefined;
	const current = (): OverlayOptions => {
		const raw = source();
		if (last && last.raw === raw) return last.options;
		const options = parseOverlayOptions(raw);
		last = { raw, options };
		return options;
	};
	const live: OverlayOptions = {};
	for (const key of Object.keys(OverlayOptionsSchema.entries)) {
		Object.defineProperty(live, key, { enumerable: true, get: () => Reflect.get(current(), key) });
	}
	return live;
}

const CustomOptionsSchema = v.optional(
	v.looseObject({
		overlay: v.optional(v.boolean()),
		overlayOptions: v.optional(v.unknown()),
		onHandle: v.optional(v.function()),
	}),
);

const InputResultSchema = v.nullish(v.looseObject({ consume: v.optional(v.boolean()), data: v.optional(v.string()) }));

/** pi-tui's OverlayHandle over ours; `unfocus({ target })` hands focus to that component (or to none). */
function extensionOverlayHandle(handle: OverlayHandle, tui: TUI): Record<string, unknown> {
	return {
		hide: () => handle.hide(),
		setHidden: (hidden: unknown) => handle.setHidden(hidden === true),
		isHidden: () => handle.isHidden(),
		focus: () => handle.focus(),
		unfocus: (options?: unknown) => {
			const wasFocused = handle.isFocused();
			handle.unfocus();
			if (typeof options === "object" && options !== null && "target" in options && wasFocused) {
				tui.setFocus(isComponent(options.target) ? options.target : null);
			}
		},
		isFocused: () => handle.isFocused(),
		getBounds: () => handle.getBounds(),
	};
}

const SuggestionsSchema = v.nullish(
	v.looseObject({
		prefix: v.string(),
		items: v.array(
			v.looseObject({ value: v.string(), label: v.optional(v.string()), description: v.optional(v.string()) }),
		),
	}),
);
const CompletionSchema = v.looseObject({ lines: v.array(v.string()), cursorLine: v.number(), cursorCol: v.number() });
const ProviderSchema = v.looseObject({
	getSuggestions: v.function(),
	applyCompletion: v.function(),
	shouldTriggerFileCompletion: v.optional(v.function()),
	triggerCharacters: v.optional(v.array(v.string())),
});

/** An extension's autocomplete provider, its answers checked (a malformed one is `current`'s instead). */
function checkedProvider(made: unknown, current: AutocompleteProvider): AutocompleteProvider {
	const parsed = v.safeParse(ProviderSchema, made);
	if (!parsed.success) {
		throw new TypeError("addAutocompleteProvider(): the factory must return { getSuggestions, applyCompletion }");
	}
	const provider = parsed.output;
	const suggestions = (value: unknown): AutocompleteSuggestions | null => {
		const checked = v.safeParse(SuggestionsSchema, value);
		if (!checked.success || !checked.output) return null;
		const items = checked.output.items.map((item) => ({ ...item, label: item.label ?? item.value }));
		return { prefix: checked.output.prefix, items };
	};
	return {
		triggerCharacters: provider.triggerCharacters,
		getSuggestions: (lines, line, col, options) => {
			const answer: unknown = provider.getSuggestions(lines, line, col, options);
			return answer instanceof Promise ? answer.then(suggestions, () => null) : suggestions(answer);
		},
		applyCompletion: (lines, line, col, item, prefix) => {
			const checked = v.safeParse(CompletionSchema, provider.applyCompletion(lines, line, col, item, prefix));
			return checked.success ? checked.output : current.applyCompletion(lines, line, col, item, prefix);
		},
		shouldTriggerFileCompletion: (lines, line, col) => {
			const answer: unknown = provider.shouldTriggerFileCompletion?.(lines, line, col);
			return typeof answer === "boolean" ? answer : (current.shouldTriggerFileCompletion?.(lines, line, col) ?? true);
		},
	};
}

export class ExtensionComponents {
	/** Closes what is open (dialog close functions, overlay hides, listener removals); run by reset(). */
	private readonly teardown = new Set<() => void>();
	private editorFactory: unknown;
	/** The app's own autocomplete, before extensions stacked theirs on it. */
	private baseProvider: AutocompleteProvider | undefined;
	private readonly overlayHandles: OverlayHandle[] = [];
	/** The `tui` argument of every factory: what pi-tui's TUI offers extensions, over our renderer. */
	readonly tuiHandle: Record<string, unknown>;

	constructor(private readonly ui: InteractiveUi) {
		this.tuiHandle = this.createTuiHandle();
	}

	private get tui(): TUI {
		return this.ui.extensionLayout.tui;
	}

	private createTuiHandle(): Record<string, unknown> {
		const self = this;
		const terminal = {
			get columns() {
				return self.tui.terminal.columns;
			},
			get rows() {
				return self.tui.terminal.rows;
			},
			write: (data: unknown) => self.tui.terminal.write(String(data)),
		};
		return {
			terminal,
			get mode() {
				return self.tui.mode;
			},
			get fullRedraws() {
				return self.tui.fullRedraws;
			},
			requestRender: (force?: unknown) => self.tui.requestRender(force === true),
			renderNow: (force?: unknown) => self.tui.requestRender(force === true),
			invalidate: () => self.tui.invalidate(),
			setFocus: (component: unknown) => self.tui.setFocus(isComponent(component) ? component : null),
			getFocusedComponent: () => self.tui.getFocus(),
			showOverlay: (component: unknown, options?: unknown) => this.showOverlay(component, options),
			hideOverlay: () => this.overlayHandles.pop()?.hide(),
			hasOverlay: () => self.tui.hasOverlays,
			addInputListener: (listener: unknown) => this.addInputListener(listener),
			stop: () => self.tui.suspend(),
			start: () => self.tui.resume(),
			getShowHardwareCursor: () => self.tui.showHardwareCursor,
			setShowHardwareCursor: (enabled: unknown) => {
				self.tui.showHardwareCursor = enabled === true;
			},
			getClearOnShrink: () => self.tui.clearOnShrink,
			setClearOnShrink: (enabled: unknown) => {
				self.tui.clearOnShrink = enabled === true;
			},
		};
	}

	private showOverlay(component: unknown, options: unknown): Record<string, unknown> {
		if (!isComponent(component)) throw new TypeError("showOverlay() needs a component (an object with render(width))");
		const handle = this.tui.showOverlay(component, parseOverlayOptions(options));
		this.overlayHandles.push(handle);
		this.teardown.add(() => handle.hide());
		return extensionOverlayHandle(handle, this.tui);
	}

	/** ctx.ui.onTerminalInput / tui.addInputListener: raw input first; `{ consume: true }` swallows it. */
	addInputListener(listener: unknown): () => void {
		if (typeof listener !== "function") throw new TypeError("onTerminalInput() needs a function");
		const remove = this.tui.addInputListener((data) => {
			const parsed = v.safeParse(InputResultSchema, listener(data));
			return parsed.success && parsed.output ? parsed.output : undefined;
		});
		const unsubscribe = () => {
			remove();
			this.teardown.delete(unsubscribe);
		};
		this.teardown.add(unsubscribe);
		return unsubscribe;
	}

	/** ctx.ui.custom(factory, options): resolves with what the component passes to `done()`. */
	custom(factory: unknown, options?: unknown): Promise<unknown> {
		if (typeof factory !== "function") return Promise.reject(new TypeError("ctx.ui.custom() needs a factory function"));
		const parsed = v.safeParse(CustomOptionsSchema, options);
		const opts = parsed.success ? (parsed.output ?? {}) : {};
		const savedText = this.ui.editor.getText();
		return new Promise((resolve, reject) => {
			let closed = false;
			let component: (Component & Disposable) | undefined;
			let close = () => {};
			const done = (value: unknown) => {
				if (closed) return;
				closed = true;
				close();
				this.teardown.delete(close);
				if (!opts.overlay) this.ui.editor.setText(savedText);
				resolve(value);
				disposeQuietly(component);
				this.ui.requestRender();
			};
			const show = (created: unknown) => {
				if (closed) return;
				if (!isComponent(created)) {
					closed = true;
					reject(new TypeError("ctx.ui.custom(): the factory must return a component (an object with render(width))"));
					return;
				}
				component = created;
				if (opts.overlay) {
					const given = opts.overlayOptions;
					const width = "width" in created && typeof created.width === "number" ? created.width : undefined;
					const overlayOptions =
						typeof given === "function"
							? liveOverlayOptions(() => given())
							: given !== undefined
								? parseOverlayOptions(given)
								: width !== undefined
									? { width }
									: {};
					const handle = this.tui.showOverlay(created, overlayOptions);
					close = () => handle.hide();
					this.teardown.add(close);
					opts.onHandle?.(extensionOverlayHandle(handle, this.tui));
				} else {
					close = this.ui.dialogs.show(created);
					this.teardown.add(close);
				}
			};
			try {
				Promise.resolve(factory(this.tuiHandle, extensionTheme(), getKeybindings(), done)).then(show, (error) => {
					if (closed) return;
					closed = true;
					reject(error);
				});
			} catch (error) {
				closed = true;
				reject(error);
			}
		});
	}

	/** A component from `factory(tui, theme, ...extra)`, or undefined (and an error shown) when it made none. */
	private build(what: string, factory: unknown, ...extra: unknown[]): (Component & Disposable) | undefined {
		if (typeof factory !== "function") return undefined;
		const component: unknown = factory(this.tuiHandle, extensionTheme(), ...extra);
		if (isComponent(component)) return component;
		throw new TypeError(`${what}: the factory must return a component (an object with render(width))`);
	}

	widget(factory: unknown): (Component & Disposable) | undefined {
		return this.build("setWidget()", factory);
	}

	setHeader(factory: unknown): void {
		this.ui.extensionLayout.setHeader(this.build("setHeader()", factory));
	}

	setFooter(factory: unknown): void {
		const layout = this.ui.extensionLayout;
		layout.setFooter(this.build("setFooter()", factory, layout.footerData()));
	}

	setEditorComponent(factory: unknown): void {
		if (typeof factory !== "function") {
			this.editorFactory = undefined;
			this.ui.extensionLayout.setEditor(undefined);
			return;
		}
		const editor: unknown = factory(this.tuiHandle, getEditorTheme(), getKeybindings());
		if (!(editor instanceof Editor)) {
			throw new TypeError(
				"setEditorComponent(): the factory must return an editor made from CustomEditor (pi-coding-agent) or Editor (pi-tui)",
			);
		}
		this.editorFactory = factory;
		this.ui.extensionLayout.setEditor(editor);
	}

	getEditorComponent(): unknown {
		return this.editorFactory;
	}

	/**
	 * ctx.ui.addAutocompleteProvider(factory): the factory gets the provider in use (`current`) and returns its own,
	 * which usually adds suggestions and delegates the rest. What it answers is checked; a malformed answer falls
	 * back to `current`'s.
	 */
	addAutocompleteProvider(factory: unknown): void {
		if (typeof factory !== "function") throw new TypeError("addAutocompleteProvider() needs a factory function");
		const layout = this.ui.extensionLayout;
		const current = layout.autocompleteProvider;
		if (!current) return;
		this.baseProvider ??= current;
		const made: unknown = factory(current);
		layout.setAutocompleteProvider(checkedProvider(made, current));
	}

	/** Takes down everything the current extension instances showed (see the module comment). */
	reset(): void {
		for (const close of [...this.teardown].reverse()) close();
		this.teardown.clear();
		this.overlayHandles.length = 0;
		this.editorFactory = undefined;
		const layout = this.ui.extensionLayout;
		layout.setEditor(undefined);
		layout.setHeader(undefined);
		layout.setFooter(undefined);
		if (this.baseProvider) layout.setAutocompleteProvider(this.baseProvider);
		this.baseProvider = undefined;
	}
}
