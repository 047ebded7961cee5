/**
 * Dialogs in place of the editor, and overlays over the screen. A dialog is any component; `show` puts it where the
 * editor is and gives it focus, and the returned function closes it. Dialogs stack: one opened while another is
 * shown covers it, and closing the top one shows the one below again (an extension asking something while a
 * selector is open). The promise helpers (`select`, `confirm`, `input`, `editor`) resolve with the answer, or with
 * `undefined` / `false` when cancelled, aborted through `signal`, or when `timeout` ms passed (counted down in the
 * title).
 */
import type { Component } from "../../tui/component.ts";
import type { OverlayHandle, OverlayOptions } from "../../tui/overlays.ts";
import { EditorDialog, InputDialog } from "./components/dialogs.ts";
import { ListSelector } from "./components/list-selector.ts";

export interface DialogOptions {
	/** Aborting it closes the dialog as if cancelled. */
	signal?: AbortSignal;
	/** Milliseconds until the dialog closes as if cancelled; the seconds left show after the title. */
	timeout?: number;
}

/** Where dialogs go: the editor's slot, and the renderer's overlay stack. */
export interface DialogSurface {
	/** Shows `component` in the editor's place with focus; undefined shows the editor again. */
	place(component: Component | undefined): void;
	showOverlay(component: Component, options?: OverlayOptions): OverlayHandle;
	requestRender(): void;
	readonly terminalRows: number;
}

export class DialogHost {
	private readonly stack: Component[] = [];

	constructor(private readonly surface: DialogSurface) {}

	/** True while a dialog covers the editor. */
	get isOpen(): boolean {
		return this.stack.length > 0;
	}

	/** Shows `component` in the editor's place; returns the function that closes it (safe to call twice). */
	show(component: Component): () => void {
		this.stack.push(component);
		this.surface.place(component);
		return () => this.close(component);
	}

	/** Closes every dialog (the session was replaced, the app quits). */
	closeAll(): void {
		this.stack.length = 0;
		this.surface.place(undefined);
	}

	/** Draws `component` over the screen; see OverlayOptions. */
	overlay(component: Component, options?: OverlayOptions): OverlayHandle {
		return this.surface.showOverlay(component, options);
	}

	select(title: string, options: readonly string[], opts: DialogOptions = {}): Promise<string | undefined> {
		return this.ask<string | undefined>(undefined, opts, (finish) => {
			const list = new ListSelector<string>({
				title,
				items: options.map((option) => ({ value: option, label: option, searchText: option })),
				maxVisible: Math.max(5, Math.floor(this.surface.terminalRows / 2)),
				onSelect: (value) => finish(value),
				onCancel: () => finish(undefined),
			});
			return { component: list, setSuffix: (suffix) => list.setTitleSuffix(suffix) };
		});
	}

	confirm(title: string, message: string, opts: DialogOptions = {}): Promise<boolean> {
		return this.ask<boolean>(false, opts, (finish) => {
			const list = new ListSelector<boolean>({
				title,
				hint: message,
				items: [
					{ value: true, label: "Yes", searchText: "yes" },
					{ value: false, label: "No", searchText: "no" },
				],
				onSelect: (value) => finish(value),
				onCancel: () => finish(false),
			});
			return { component: list, setSuffix: (suffix) => list.setTitleSuffix(suffix) };
		});
	}

	input(title: string, placeholder = "", opts: DialogOptions = {}): Promise<string | undefined> {
		return this.ask<string | undefined>(undefined, opts, (finish) => {
			const dialog = new InputDialog(
				title,
				"enter submit · esc cancel",
				(value) => finish(value),
				() => finish(undefined),
				placeholder,
			);
			return {
				component: dialog,
				setSuffix: (suffix) => {
					dialog.titleSuffix = suffix;
				},
			};
		});
	}

	editor(title: string, prefill = "", opts: DialogOptions = {}): Promise<string | undefined> {
		return this.ask<string | undefined>(undefined, opts, (finish) => {
			const dialog = new EditorDialog(
				title,
				prefill,
				(value) => finish(value),
				() => finish(undefined),
				() => this.surface.terminalRows,
			);
			return {
				component: dialog,
				setSuffix: (suffix) => {
					dialog.titleSuffix = suffix;
				},
			};
		});
	}

	private close(component: Component): void {
		const index = this.stack.lastIndexOf(component);
		if (index === -1) return;
		this.stack.splice(index, 1);
		this.surface.place(this.stack.at(-1));
	}

	/** Shows the dialog `build` makes and resolves with what it finishes with (or `cancelled`). */
	private ask<T>(
		cancelled: T,
		opts: DialogOptions,
		build: (finish: (value: T) => void) => { component: Component; setSuffix: (suffix: string) => void },
	): Promise<T> {
		return new Promise<T>((resolve) => {
			if (opts.signal?.aborted) {
				resolve(cancelled);
				return;
			}
			let done = false;
			let timer: ReturnType<typeof setInterval> | undefined;
			let close = () => {};
			const onAbort = () => finish(cancelled);
			const finish = (value: T) => {
				if (done) return;
				done = true;
				if (timer) clearInterval(timer);
				opts.signal?.removeEventListener("abort", onAbort);
				close();
				resolve(value);
			};
			const dialog = build(finish);
			close = this.show(dialog.component);
			opts.signal?.addEventListener("abort", onAbort, { once: true });
			if (opts.timeout !== undefined && opts.timeout > 0) {
				const deadline = Date.now() + opts.timeout;
				const tick = () => {
					const left = deadline - Date.now();
					if (left <= 0) {
						finish(cancelled);
						return;
					}
					dialog.setSuffix(` (${Math.ceil(left / 1000)}s)`);
					this.surface.requestRender();
				};
				tick();
				timer = setInterval(tick, 1000);
			}
		});
	}
}
