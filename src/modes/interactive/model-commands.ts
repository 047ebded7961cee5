/**
 * Choosing the model: /model (selector, or a direct `/model provider/id`), Ctrl+P / Shift+Ctrl+P cycling,
 * /scoped-models, and the credentials behind models, /login and /logout.
 */
import type { Model } from "../../ai/types.ts";
import type { AuthStorage } from "../../auth/auth-storage.ts";
import { fuzzyFilter } from "../../tui/fuzzy.ts";
import { errorMessage } from "../../util/errors.ts";
import type { CommandSuggestion } from "./command-registry.ts";
import { ModelSelector } from "./components/model-selector.ts";
import { LoginFlow } from "./login.ts";
import { openScopedModels } from "./scoped-models.ts";
import type { InteractiveUi } from "./ui-host.ts";

export class ModelCommands {
	private readonly login: LoginFlow;

	constructor(
		private readonly ui: InteractiveUi,
		auth: AuthStorage,
	) {
		this.login = new LoginFlow(ui, auth);
	}

	private get session() {
		return this.ui.session;
	}

	/** /model [search]: an exact `provider/id` (or a unique id) switches at once; otherwise the selector opens. */
	async openModelSelector(search?: string): Promise<void> {
		const available = await this.session.modelRegistry.getAvailable();
		if (available.length === 0) {
			this.ui.showStatus("No models available");
			return;
		}
		if (search) {
			const exact =
				available.find((m) => `${m.provider}/${m.id}` === search) ??
				(available.filter((m) => m.id === search).length === 1 ? available.find((m) => m.id === search) : undefined);
			if (exact) {
				await this.switchModel(exact);
				return;
			}
		}
		const settings = this.session.settings.settings;
		const close = this.ui.dialogs.show(
			new ModelSelector({
				current: this.session.model,
				available,
				scoped: this.session.getScopedModels().map((entry) => entry.model),
				defaultModel:
					settings.defaultProvider && settings.defaultModel
						? { provider: settings.defaultProvider, id: settings.defaultModel }
						: undefined,
				initialSearch: search,
				onSelect: (model) => {
					close();
					void this.switchModel(model);
				},
				onSelectAsDefault: (model) => {
					close();
					void this.switchModel(model, true);
				},
				onCancel: () => close(),
			}),
		);
	}

	/**
	 * `/model <prefix>` completion, as pi 1.6.0: the scoped models (else all with credentials) as `provider/id`,
	 * fuzzy-matched on pi's model search text, best first.
	 */
	async completeModel(prefix: string): Promise<CommandSuggestion[]> {
		const scoped = this.session.getScopedModels().map((entry) => entry.model);
		const models = scoped.length > 0 ? scoped : await this.session.modelRegistry.getAvailable();
		const searchText = ({ id, provider, name }: Model) =>
			`${id} ${provider} ${provider}/${id} ${provider} ${id}${name ? ` ${name}` : ""}`;
		return fuzzyFilter(models, prefix, searchText).map((model) => ({
			value: `${model.provider}/${model.id}`,
			label: model.id,
			description: model.provider,
		}));
	}

	/** Ctrl+P / Shift+Ctrl+P: the next model in scope (or of all available ones). */
	async cycleModel(direction: "forward" | "backward"): Promise<void> {
		try {
			// pi 1.6.0: cycling changes this session only; the saved default stays.
			const result = await this.session.cycleModel(direction);
			if (!result) {
				const scoped = this.session.getScopedModels().length > 0;
				this.ui.showStatus(scoped ? "Only one model in scope" : "Only one model available");
				return;
			}
			const thinking = result.model.reasoning ? ` (thinking: ${result.thinkingLevel})` : "";
			this.ui.showStatus(`Switched to ${result.model.name || result.model.id}${thinking}`);
			this.ui.modelChanged();
		} catch (error) {
			this.ui.showError(errorMessage(error));
		}
	}

	openScopedModels(): Promise<void> {
		return openScopedModels(this.ui);
	}

	startLogin(providerRef?: string): Promise<void> {
		return this.login.start(providerRef);
	}

	logout(): void {
		this.login.logout();
	}

	/**
	 * /model <name> and the selector's Enter change this session's model only (pi 1.6.0); its "save as default" key
	 * persists it.
	 */
	private async switchModel(model: Model, persist = false): Promise<void> {
		try {
			await this.session.setModel(model, { persist });
			this.ui.modelChanged();
			this.ui.showStatus(persist ? `Default model: ${model.provider}/${model.id}` : `Model: ${model.id}`);
		} catch (error) {
			this.ui.showError(errorMessage(error));
		}
	}
}
