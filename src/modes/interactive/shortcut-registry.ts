/**
 * Key shortcuts added at run time (extensions). While the editor has focus they are looked up before the app's own
 * keys, as pi does; a handler that throws or rejects is reported in the transcript.
 */
import { matchesKey } from "../../tui/keys.ts";

/** What the registry needs of the UI (the controller's InteractiveUi). */
interface ShortcutErrors {
	showError(message: string): void;
}

export interface Shortcut<Ui extends ShortcutErrors = ShortcutErrors> {
	/** Key spec as in keybindings.json: `ctrl+shift+k`, `alt+x`, `f5`. */
	key: string;
	description?: string;
	handler(ui: Ui): void | Promise<void>;
}

export class ShortcutRegistry<Ui extends ShortcutErrors = ShortcutErrors> {
	private readonly shortcuts = new Map<string, Shortcut<Ui>>();

	/** Adds (or replaces) the shortcut for its key; returns the function that removes it. */
	register(shortcut: Shortcut<Ui>): () => void {
		this.shortcuts.set(shortcut.key, shortcut);
		return () => {
			if (this.shortcuts.get(shortcut.key) === shortcut) this.shortcuts.delete(shortcut.key);
		};
	}

	list(): Shortcut<Ui>[] {
		return [...this.shortcuts.values()];
	}

	/** Runs the shortcut bound to `data`; true when there was one. */
	handle(data: string, ui: Ui): boolean {
		for (const shortcut of this.shortcuts.values()) {
			if (!matchesKey(data, shortcut.key)) continue;
			Promise.resolve()
				.then(() => shortcut.handler(ui))
				.catch((error: unknown) => {
					ui.showError(`Shortcut handler error: ${error instanceof Error ? error.message : String(error)}`);
				});
			return true;
		}
		return false;
	}
}
