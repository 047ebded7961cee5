/**
 * OAuth for HTTP servers (docs/mcp.md "Authenticate with OAuth"): what a connection needs from it.
 */
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";

export interface McpAuth {
	/** Handed to the SDK's streamable HTTP transport, which refreshes tokens and retries with them. */
	provider: OAuthClientProvider;
	/** Whether an error means the user must sign in (no usable token, refresh refused). */
	isSignInError(error: unknown): boolean;
	/** The stored tokens as text, to notice a sign-in made elsewhere (`pi mcp login` in another terminal). */
	storedTokens(): string;
}
