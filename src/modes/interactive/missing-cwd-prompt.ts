/**
 * pi 1.6.0's question when a resumed session's folder is gone, asked before the interactive screen starts:
 * continue in the current folder this once (asked again next time), fork the session into it, or cancel.
 */
import type { Terminal } from "../../tui/terminal.ts";
import { ListSelector } from "./components/list-selector.ts";
import { runStartupDialog } from "./startup-dialog.ts";

export type MissingCwdChoice = "continue" | "fork";

export function promptMissingSessionCwd(
	sessionCwd: string,
	currentCwd: string,
	terminal?: Terminal,
): Promise<MissingCwdChoice | undefined> {
	const choices: { label: string; value: MissingCwdChoice | undefined }[] = [
		{ label: `Continue in ${currentCwd} (asks again next time)`, value: "continue" },
		{ label: `Fork into ${currentCwd} (new session ID, original kept)`, value: "fork" },
		{ label: "Cancel", value: undefined },
	];
	return runStartupDialog<MissingCwdChoice | undefined>(
		(finish) =>
			new ListSelector<MissingCwdChoice | undefined>({
				title: `Session cwd does not exist: ${sessionCwd}`,
				items: choices.map((choice) => ({ value: choice.value, label: choice.label, searchText: choice.label })),
				onSelect: finish,
				onCancel: () => finish(undefined),
			}),
		{ terminal, erase: true },
	);
}
