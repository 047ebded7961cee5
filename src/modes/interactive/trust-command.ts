/** `/trust` (pi 1.6.0): save a trust decision for this folder; it takes effect when pi starts again. */
import { agentDir } from "../../config/paths.ts";
import { TrustStore, trustOptions } from "../../config/project-trust.ts";
import { errorMessage } from "../../util/errors.ts";
import { trustSettingsDialog } from "./components/trust-dialog.ts";
import type { InteractiveUi } from "./ui-host.ts";

export function openTrustDialog(ui: InteractiveUi): void {
	const cwd = ui.session.cwd;
	const store = new TrustStore(agentDir());
	let saved: ReturnType<TrustStore["getEntry"]>;
	try {
		saved = store.getEntry(cwd);
	} catch (error) {
		ui.showError(errorMessage(error));
		return;
	}
	const close = ui.dialogs.show(
		trustSettingsDialog({
			cwd,
			saved,
			sessionTrusted: ui.session.settings.isProjectTrusted(),
			choices: trustOptions(cwd),
			onSelect: (option) => {
				close();
				try {
					store.setMany(option.updates);
				} catch (error) {
					ui.showError(`Could not save the trust decision: ${errorMessage(error)}`);
					return;
				}
				ui.showStatus(
					`Saved trust decision: ${option.trusted ? "trusted" : "untrusted"}. Restart pi for this to take effect.`,
				);
			},
			onCancel: () => close(),
		}),
	);
}
