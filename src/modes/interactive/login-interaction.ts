/**
 * A login flow's questions (src/auth/login) shown in the /login dialog, as pi 1.6.0 shows them: a choice replaces the
 * dialog with a list selector titled by the question until answered, text is typed into the dialog's input (secrets
 * masked), notices are added to the dialog with their links. Escape anywhere cancels the login.
 */
import type { LoginInteraction, LoginPrompt } from "../../auth/login/interaction.ts";
import { ListSelector } from "./components/list-selector.ts";
import { LoginCancelledError, type LoginDialog } from "./components/login-dialog.ts";
import type { InteractiveUi } from "./ui-host.ts";

export function dialogLoginInteraction(ui: InteractiveUi, dialog: LoginDialog): LoginInteraction {
	const choose = (prompt: Extract<LoginPrompt, { type: "select" }>): Promise<string> =>
		new Promise((resolve, reject) => {
			// Shown over the dialog: closing it shows the dialog again.
			const close = ui.dialogs.show(
				new ListSelector({
					title: prompt.message,
					items: prompt.options.map((option) => ({ value: option.id, label: option.label, searchText: option.label })),
					onSelect: (id) => {
						close();
						resolve(id);
					},
					onCancel: () => {
						close();
						dialog.cancel();
						reject(new LoginCancelledError());
					},
				}),
			);
		});
	return {
		signal: dialog.signal,
		prompt: (prompt) => {
			if (prompt.type === "select") return choose(prompt);
			return dialog.ask(prompt.message, { masked: prompt.type === "secret" });
		},
		notify: (notice) => dialog.showInfo(notice.message, notice.links),
	};
}
