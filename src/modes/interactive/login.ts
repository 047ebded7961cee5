/**
 * /login and /logout (pi 0.73.1's menus): choose subscription (OAuth) or API key, then the provider; OAuth runs the
 * provider's flow in a dialog, an API-key login asks the provider's questions (src/auth/login: a masked key for most,
 * pi 1.6.0's profile / project / account questions for the cloud providers) and stores the answer in auth.json.
 * `/login <provider>` goes to that provider's login directly (pi 1.6.0). /logout removes what /login stored.
 */
import { isApiKeyLoginProvider, providerDisplayName } from "../../ai/providers-info.ts";
import type { AuthStorage } from "../../auth/auth-storage.ts";
import { apiKeyLoginFor } from "../../auth/login/api-key-logins.ts";
import { agentPaths } from "../../config/paths.ts";
import { errorMessage } from "../../util/errors.ts";
import { openInBrowser } from "../../util/open-browser.ts";
import { type ListItem, ListSelector } from "./components/list-selector.ts";
import { LoginCancelledError, LoginDialog } from "./components/login-dialog.ts";
import { dialogLoginInteraction } from "./login-interaction.ts";
import { fg } from "./style.ts";
import type { InteractiveUi } from "./ui-host.ts";

export interface ProviderOption {
	id: string;
	name: string;
	authType: "oauth" | "api_key";
}

interface OAuthModule {
	listOAuthProviders(): { id: string; name: string }[];
	loginWithOAuth(
		providerId: string,
		callbacks: {
			onAuthUrl(url: string, instructions?: string): void;
			onPrompt(message: string): Promise<string>;
			onProgress?(message: string): void;
			onSelect?(message: string, options: readonly { id: string; label: string }[]): Promise<string>;
			signal?: AbortSignal;
		},
		auth: AuthStorage,
	): Promise<void>;
}

/** Loaded on first use: most sessions never log in. */
async function oauthModule(): Promise<OAuthModule> {
	return await import("../../auth/oauth/index.ts");
}

export class LoginFlow {
	constructor(
		private readonly ui: InteractiveUi,
		private readonly auth: AuthStorage,
	) {}

	private get registry() {
		return this.ui.session.modelRegistry;
	}

	/** Closes the dialog shown last by this flow. */
	private close: () => void = () => {};

	private async loginOptions(authType: "oauth" | "api_key"): Promise<ProviderOption[]> {
		const oauth = (await oauthModule()).listOAuthProviders();
		if (authType === "oauth") {
			return oauth
				.map((p): ProviderOption => ({ ...p, authType: "oauth" }))
				.sort((a, b) => a.name.localeCompare(b.name));
		}
		const oauthIds = new Set(oauth.map((p) => p.id));
		const providers = [...new Set(this.registry.getAll().map((model) => model.provider))];
		return providers
			.filter((id) => isApiKeyLoginProvider(id, oauthIds))
			.map((id): ProviderOption => ({ id, name: providerDisplayName(id), authType: "api_key" }))
			.sort((a, b) => a.name.localeCompare(b.name));
	}

	/** "✓ configured" and friends after each provider, as pi's selector shows them. */
	private authStatus(providerId: string): string {
		const stored = this.auth.get(providerId);
		if (stored) return fg("success", stored.type === "oauth" ? " ✓ logged in" : " ✓ configured");
		if (this.auth.hasAuth(providerId)) return fg("success", " ✓ env: API key");
		return "";
	}

	/** `/login`, or `/login <provider>` (an id or name, any case): that provider's login at once, as pi 1.6.0. */
	async start(providerRef = ""): Promise<void> {
		const ref = providerRef.trim().toLowerCase();
		if (ref) {
			const options = [...(await this.loginOptions("oauth")), ...(await this.loginOptions("api_key"))];
			const matches = options.filter((option) => option.id.toLowerCase() === ref || option.name.toLowerCase() === ref);
			const [only] = matches;
			if (only && matches.length === 1) {
				this.startLogin(only);
				return;
			}
			// A provider with a subscription and an API key: the method is asked for that provider only.
			if (only && matches.every((option) => option.id === only.id)) {
				this.chooseMethod((method) => {
					const chosen = matches.find((option) => option.authType === method);
					if (chosen) this.startLogin(chosen);
				});
				return;
			}
			// Unknown: the API-key providers, searched for what was typed.
			void this.chooseProvider("api_key", providerRef.trim());
			return;
		}
		this.chooseMethod((method) => void this.chooseProvider(method));
	}

	private chooseMethod(then: (method: "oauth" | "api_key") => void): void {
		type Method = "oauth" | "api_key";
		const items: ListItem<Method>[] = [
			{ value: "oauth", label: "Use a subscription", searchText: "use a subscription" },
			{ value: "api_key", label: "Use an API key", searchText: "use an api key" },
		];
		this.close = this.ui.dialogs.show(
			new ListSelector({
				title: "Select authentication method:",
				items,
				onSelect: (method) => {
					this.close();
					then(method);
				},
				onCancel: () => this.close(),
			}),
		);
	}

	private startLogin(option: ProviderOption): void {
		if (option.authType === "oauth") void this.loginOAuth(option);
		else void this.loginApiKey(option);
	}

	private async chooseProvider(authType: "oauth" | "api_key", search?: string): Promise<void> {
		const options = await this.loginOptions(authType);
		if (options.length === 0) {
			this.ui.showStatus(
				authType === "oauth" ? "No subscription providers available." : "No API key providers available.",
			);
			return;
		}
		this.close = this.ui.dialogs.show(
			new ListSelector({
				title: "Select provider to configure:",
				hint: "type to search · enter select · esc back",
				items: options.map((option) => ({
					value: option,
					label: `${option.name}${this.authStatus(option.id)}`,
					searchText: `${option.name} ${option.id}`,
				})),
				maxVisible: 10,
				initialFilter: search,
				onSelect: (option) => {
					this.close();
					this.startLogin(option);
				},
				onCancel: () => {
					this.close();
					void this.start();
				},
			}),
		);
	}

	private showDialog(title: string): LoginDialog {
		// Escape closes the dialog at once; the flow's promise then rejects with LoginCancelledError.
		const dialog = new LoginDialog(
			title,
			() => this.ui.requestRender(),
			() => this.close(),
		);
		this.close = this.ui.dialogs.show(dialog);
		return dialog;
	}

	private async loginApiKey(option: ProviderOption): Promise<void> {
		const dialog = this.showDialog(`Login to ${option.name}`);
		try {
			// The provider's own questions (Bedrock's profile, Vertex's project, Cloudflare's account), as pi 1.6.0.
			const credential = await apiKeyLoginFor(option.id)(dialogLoginInteraction(this.ui, dialog));
			this.auth.set(option.id, credential);
			this.close();
			await this.completed(option, "api_key");
		} catch (error) {
			this.close();
			if (!(error instanceof LoginCancelledError)) {
				this.ui.showError(`Failed to save API key for ${option.name}: ${errorMessage(error)}`);
			}
		}
	}

	private async loginOAuth(option: ProviderOption): Promise<void> {
		const dialog = this.showDialog(`Login to ${option.name}`);
		const { loginWithOAuth } = await oauthModule();
		const openBrowser = this.ui.isRealTerminal;
		try {
			await loginWithOAuth(
				option.id,
				{
					onAuthUrl: (url, instructions) => {
						dialog.showAuth(url, instructions);
						if (openBrowser) openInBrowser(url);
					},
					onPrompt: (message) => dialog.ask(message),
					onProgress: (message) => dialog.showProgress(message),
					onSelect: (message, options) =>
						dialogLoginInteraction(this.ui, dialog).prompt({ type: "select", message, options }),
					signal: dialog.signal,
				},
				this.auth,
			);
			this.close();
			await this.completed(option, "oauth");
		} catch (error) {
			this.close();
			const cancelled = error instanceof LoginCancelledError || dialog.signal.aborted;
			if (!cancelled) {
				this.ui.showError(`Failed to login to ${option.name}: ${errorMessage(error)}`);
			}
		}
	}

	private async completed(option: ProviderOption, authType: "oauth" | "api_key"): Promise<void> {
		this.registry.refresh();
		const action = authType === "oauth" ? `Logged in to ${option.name}` : `Saved API key for ${option.name}`;
		// pi 1.6.0: Radius's model list comes from the account, fetched now that it can be.
		if (option.id === "radius") {
			try {
				await this.registry.refreshRadiusModels();
			} catch (error) {
				this.ui.showWarning(`${action}, but its model catalog could not be refreshed: ${errorMessage(error)}`);
			}
		}
		await this.ui.refreshProviderCount();
		this.ui.modelChanged();
		this.ui.showStatus(`${action}. Credentials saved to ${agentPaths.auth()}`);
	}

	logout(): void {
		const options: ProviderOption[] = this.auth
			.list()
			.flatMap((id): ProviderOption[] => {
				const credential = this.auth.get(id);
				return credential ? [{ id, name: providerDisplayName(id), authType: credential.type }] : [];
			})
			.sort((a, b) => a.name.localeCompare(b.name));
		if (options.length === 0) {
			this.ui.showStatus(
				"No stored credentials to remove. /logout only removes credentials saved by /login; environment variables and models.json config are unchanged.",
			);
			return;
		}
		this.close = this.ui.dialogs.show(
			new ListSelector({
				title: "Select provider to logout:",
				items: options.map((option) => ({
					value: option,
					label: `${option.name}${fg("success", option.authType === "oauth" ? " ✓ logged in" : " ✓ configured")}`,
					searchText: `${option.name} ${option.id}`,
				})),
				onSelect: (option) => {
					this.close();
					try {
						this.auth.remove(option.id);
						this.registry.refresh();
						void this.ui.refreshProviderCount();
						this.ui.showStatus(
							option.authType === "oauth"
								? `Logged out of ${option.name}`
								: `Removed stored API key for ${option.name}. Environment variables and models.json config are unchanged.`,
						);
					} catch (error) {
						this.ui.showError(`Logout failed: ${errorMessage(error)}`);
					}
				},
				onCancel: () => this.close(),
			}),
		);
	}
}
