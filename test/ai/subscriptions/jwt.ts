/** A JWT shaped like ChatGPT's access tokens (unsigned: nothing here verifies signatures). */
export function fakeChatGptToken(accountId: string, extraClaims: Record<string, unknown> = {}): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
	const claims = {
		exp: Math.floor(Date.now() / 1000) + 3600,
		"https://api.openai.com/auth": { chatgpt_account_id: accountId, chatgpt_plan_type: "plus" },
		...extraClaims,
	};
	return `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}.c2lnbmF0dXJl`;
}
