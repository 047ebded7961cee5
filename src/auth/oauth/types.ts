/** What a provider's token endpoint gave us; stored in auth.json as `{ type: "oauth", ...tokens }` (pi-spec §2.3). */
export interface OAuthTokens {
	refresh: string;
	access: string;
	/** ms since epoch, already reduced by a 5-minute safety margin as pi stores it */
	expires: number;
	/** provider-specific extras, e.g. GitHub Copilot's `enterpriseUrl` */
	[extra: string]: unknown;
}

export interface OAuthProviderInfo {
	id: string;
	name: string;
}

export interface OAuthLoginCallbacks {
	/** Show the user a URL to open (and optional instructions, e.g. a device code). */
	onAuthUrl(url: string, instructions?: string): void;
	/**
	 * Ask the user for a line of text. The answer may never be needed: when a browser redirect reaches the local
	 * callback server first, login finishes without it and the caller should close its prompt.
	 */
	onPrompt(message: string): Promise<string>;
	onProgress?(message: string): void;
	/** Ask the user to choose (e.g. Radius's browser or device code); the chosen option's id. Absent: the first. */
	onSelect?(message: string, options: readonly { id: string; label: string }[]): Promise<string>;
	signal?: AbortSignal;
}

export interface OAuthProviderDefinition extends OAuthProviderInfo {
	login(callbacks: OAuthLoginCallbacks): Promise<OAuthTokens>;
	refresh(tokens: OAuthTokens): Promise<OAuthTokens>;
}
