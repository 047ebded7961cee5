/**
 * Azure OpenAI endpoints (pi 1.6.0's azure provider): catalog models ship without a base URL, since every user
 * has their own resource. The URL comes from AZURE_OPENAI_BASE_URL, else AZURE_OPENAI_RESOURCE_NAME, else the
 * model's baseUrl (models.json); the deployment name replaces the model id (AZURE_OPENAI_DEPLOYMENT_NAME_MAP,
 * `model=deployment,…`); the api-version comes from AZURE_OPENAI_API_VERSION (default v1). A stored
 * credential's settings (options.env) win over the process environment.
 */
import { providerEnv } from "../../util/env.ts";
import type { Model, StreamOptions } from "../types.ts";

export function azureDeploymentName(model: Model, options: StreamOptions | undefined): string {
	const map = providerEnv("AZURE_OPENAI_DEPLOYMENT_NAME_MAP", options?.env) ?? "";
	for (const entry of map.split(",")) {
		const [modelId, deployment] = entry.trim().split("=", 2);
		if (modelId?.trim() === model.id && deployment?.trim()) return deployment.trim();
	}
	return model.id;
}

export function azureApiVersion(options: StreamOptions | undefined): string {
	return providerEnv("AZURE_OPENAI_API_VERSION", options?.env) ?? "v1";
}

/** Azure hosts need the /openai/v1 base path for the SDK to build deployment URLs correctly. */
function normalizeBaseUrl(baseUrl: string): string {
	let url: URL;
	try {
		url = new URL(baseUrl.trim().replace(/\/+$/, ""));
	} catch {
		throw new Error(`Invalid Azure OpenAI base URL: ${baseUrl}`);
	}
	const isAzureHost = [".openai.azure.com", ".cognitiveservices.azure.com", ".ai.azure.com"].some((suffix) =>
		url.hostname.endsWith(suffix),
	);
	const path = url.pathname.replace(/\/+$/, "");
	if (isAzureHost && (path === "" || path === "/openai" || path === "/openai/v1/responses")) {
		url.pathname = "/openai/v1";
		url.search = "";
	}
	return url.toString().replace(/\/+$/, "");
}

export function azureBaseUrl(model: Model, options: StreamOptions | undefined): string {
	const fromEnv = providerEnv("AZURE_OPENAI_BASE_URL", options?.env)?.trim();
	const resource = providerEnv("AZURE_OPENAI_RESOURCE_NAME", options?.env);
	const baseUrl = fromEnv || (resource ? `https://${resource}.openai.azure.com/openai/v1` : undefined) || model.baseUrl;
	if (!baseUrl) {
		throw new Error(
			"Azure OpenAI base URL is required. Set AZURE_OPENAI_BASE_URL or AZURE_OPENAI_RESOURCE_NAME, or set the provider's baseUrl in models.json.",
		);
	}
	return normalizeBaseUrl(baseUrl);
}
