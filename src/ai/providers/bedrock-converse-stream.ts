/**
 * bedrock-converse-stream: Amazon Bedrock's ConverseStream API through the official AWS SDK, which owns SigV4
 * signing, the credential chain and the binary event-stream framing. Loaded only when a Bedrock model is used.
 *
 * Credentials, as pi 1.6.0 resolves them: a bearer token (AWS_BEARER_TOKEN_BEDROCK or a stored key) skips SigV4;
 * a profile stored with the credential wins over access keys in the environment; AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN are used as given; otherwise the SDK's default chain (AWS_PROFILE with
 * the shared config and credentials files, SSO cache, web identity, ECS, instance metadata). AWS_BEDROCK_SKIP_AUTH=1
 * sends dummy credentials to a proxy that needs none.
 *
 * Region: an inference-profile ARN's own region, else AWS_REGION / AWS_DEFAULT_REGION, else the region of the
 * model's endpoint, else us-east-1 (or the profile's region when AWS_PROFILE is set). A base URL that is not a
 * standard bedrock-runtime endpoint (a VPC endpoint, a gateway) is always used as the endpoint.
 *
 * Requests go through fetch (the SDK's FetchHttpHandler with our fetch), so proxies, the idle timeout and abort
 * work as for every other provider.
 */
import type { ConverseStreamCommandOutput, ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { debugLog } from "../../util/debug-log.ts";
import { BEDROCK_SDK, importIsland } from "../../util/embedded-asset.ts";
import { providerEnv } from "../../util/env.ts";
import { AMBIENT_CREDENTIALS, type Context, type Model, type StopReason, type StreamOptions } from "../types.ts";
import { buildConverseRequest } from "./bedrock-request.ts";
import { mergeHeaders } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { type ProviderBody, ProviderProtocolError, type ProviderRun } from "./run-stream.ts";
import { observeProviderEvents } from "./stream-observer.ts";
import {
	hasExceededStrictToolLimits,
	isStrictToolLimitError,
	markStrictToolLimitsExceeded,
} from "./strict-tool-limits.ts";

/** Human prefixes for Bedrock's exception names, as pi words them (the retry rule reads "service unavailable"…). */
const ERROR_PREFIXES: Readonly<Record<string, string>> = {
	InternalServerException: "Internal server error",
	ModelStreamErrorException: "Model stream error",
	ValidationException: "Validation error",
	ThrottlingException: "Throttling error",
	ServiceUnavailableException: "Service unavailable",
};
/** SDK log lines go to the debug log (PI_DEBUG), never to the terminal. */
const sdkLogger = {
	debug: () => {},
	info: () => {},
	warn: (...message: unknown[]) => debugLog("bedrock-sdk", { level: "warn", message: message.map(String).join(" ") }),
	error: (...message: unknown[]) => debugLog("bedrock-sdk", { level: "error", message: message.map(String).join(" ") }),
};

/** Headers SigV4 or the bearer scheme own; caller headers never replace them. */
const RESERVED_HEADER = /^(x-amz-|authorization$|host$)/i;

type Env = Readonly<Record<string, string>> | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null;
}

function standardEndpointRegion(baseUrl: string): string | undefined {
	try {
		const host = new URL(baseUrl).hostname.toLowerCase();
		return /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
	} catch {
		return undefined;
	}
}

interface ClientSettings {
	region: string | undefined;
	endpoint: string | undefined;
	profile: string | undefined;
	credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
	bearerToken: string | undefined;
}

/** Where to send and how to authenticate, from the model, the stored settings and the environment. */
export function bedrockClientSettings(model: Model, options: StreamOptions | undefined): ClientSettings {
	const env: Env = options?.env;
	const storedProfile = env?.AWS_PROFILE;
	const profile = providerEnv("AWS_PROFILE", env);
	const configuredRegion = providerEnv("AWS_REGION", env) ?? providerEnv("AWS_DEFAULT_REGION", env);
	const endpointRegion = standardEndpointRegion(model.baseUrl);
	// A standard endpoint is the catalog's default (us-east-1): it must not override a region the user chose.
	const explicitEndpoint = !endpointRegion || (!configuredRegion && !profile);
	const arnRegion = /^arn:aws(?:-[a-z0-9-]+)?:bedrock:([a-z0-9-]+):/.exec(model.id)?.[1];
	const region =
		arnRegion ??
		configuredRegion ??
		(endpointRegion && explicitEndpoint ? endpointRegion : undefined) ??
		(profile ? undefined : "us-east-1");

	const skipAuth = providerEnv("AWS_BEDROCK_SKIP_AUTH", env) === "1";
	const key = options?.apiKey && options.apiKey !== AMBIENT_CREDENTIALS ? options.apiKey : undefined;
	const bearerToken = skipAuth ? undefined : (key ?? providerEnv("AWS_BEARER_TOKEN_BEDROCK", env));
	let credentials: ClientSettings["credentials"];
	if (skipAuth) credentials = { accessKeyId: "dummy-access-key", secretAccessKey: "dummy-secret-key" };
	else if (!storedProfile) {
		const accessKeyId = providerEnv("AWS_ACCESS_KEY_ID", env);
		const secretAccessKey = providerEnv("AWS_SECRET_ACCESS_KEY", env);
		const sessionToken = providerEnv("AWS_SESSION_TOKEN", env);
		if (accessKeyId && secretAccessKey) {
			credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
		}
	}
	return {
		region,
		endpoint: explicitEndpoint && model.baseUrl ? model.baseUrl : undefined,
		profile,
		credentials,
		bearerToken,
	};
}

function describeBedrockError(error: unknown): unknown {
	if (!(error instanceof Error)) return error;
	const prefix = ERROR_PREFIXES[error.name];
	const status = Reflect.get(error, "$metadata")?.httpStatusCode;
	const hint = /data retention mode/i.test(error.message)
		? " See https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html for supported data retention modes."
		: "";
	if (prefix) return new Error(`${prefix}: ${error.message}${hint}`);
	// The SDK names unmodelled HTTP failures "Unknown"/"UnknownError": keep the status so the retry rule sees it.
	if (typeof status === "number" && !error.message.includes(String(status))) {
		return new Error(`${status} ${error.name}: ${error.message}${hint}`);
	}
	return hint ? new Error(`${error.message}${hint}`) : error;
}

function mapStopReason(
	reason: string | undefined,
): { stop: Exclude<StopReason, "aborted" | "error"> } | { error: string } {
	switch (reason) {
		case "end_turn":
		case "stop_sequence":
			return { stop: "stop" };
		case "max_tokens":
		case "model_context_window_exceeded":
			return { stop: "length" };
		case "tool_use":
			return { stop: "toolUse" };
		default:
			return { error: reason ? `Provider stopped with: ${reason}` : "An unknown error occurred" };
	}
}

/** One ConverseStream event → builder calls. Block indices are Bedrock's; content indices are ours. */
function handleEvent(
	event: ConverseStreamOutput,
	run: ProviderRun,
	open: Map<number, number>,
	redacted: Map<number, Buffer[]>,
) {
	const { builder } = run;
	if (event.messageStart) {
		builder.start();
	} else if (event.contentBlockStart) {
		const toolUse = event.contentBlockStart.start?.toolUse;
		const blockIndex = event.contentBlockStart.contentBlockIndex ?? 0;
		if (toolUse) open.set(blockIndex, builder.startToolCall(toolUse.toolUseId ?? "", toolUse.name ?? ""));
	} else if (event.contentBlockDelta) {
		const blockIndex = event.contentBlockDelta.contentBlockIndex ?? 0;
		const delta = event.contentBlockDelta.delta;
		let index = open.get(blockIndex);
		if (delta?.text !== undefined) {
			if (index === undefined) {
				index = builder.startText();
				open.set(blockIndex, index);
			}
			builder.appendText(index, delta.text);
		} else if (delta?.toolUse && index !== undefined) {
			builder.appendToolArguments(index, delta.toolUse.input ?? "");
		} else if (delta?.reasoningContent) {
			if (index === undefined) {
				index = builder.startThinking({ thinkingSignature: "" });
				open.set(blockIndex, index);
			}
			const block = builder.thinkingBlock(index);
			const reasoning = delta.reasoningContent;
			if (reasoning.text) builder.appendThinking(index, reasoning.text);
			if (block && reasoning.signature && !block.redacted) {
				block.thinkingSignature = (block.thinkingSignature ?? "") + reasoning.signature;
			}
			if (block && reasoning.redactedContent?.length) {
				// Encrypted reasoning (e.g. OpenAI models on Bedrock): kept as base64 and replayed as it came.
				if (!block.redacted) {
					block.redacted = true;
					block.thinkingSignature = "";
					builder.appendThinking(index, "[Reasoning redacted]");
				}
				const chunks = redacted.get(index) ?? [];
				chunks.push(Buffer.from(reasoning.redactedContent));
				redacted.set(index, chunks);
			}
		}
	} else if (event.contentBlockStop) {
		const blockIndex = event.contentBlockStop.contentBlockIndex ?? 0;
		const index = open.get(blockIndex);
		if (index === undefined) return;
		open.delete(blockIndex);
		flushRedacted(run, redacted, index);
		builder.end(index);
	} else if (event.metadata?.usage) {
		const usage = event.metadata.usage;
		builder.setUsage({
			input: usage.inputTokens ?? 0,
			output: usage.outputTokens ?? 0,
			cacheRead: usage.cacheReadInputTokens ?? 0,
			cacheWrite: usage.cacheWriteInputTokens ?? 0,
			totalTokens: usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0),
		});
	} else {
		const exception =
			event.internalServerException ??
			event.modelStreamErrorException ??
			event.validationException ??
			event.throttlingException ??
			event.serviceUnavailableException;
		if (exception) throw exception;
	}
}

function flushRedacted(run: ProviderRun, redacted: Map<number, Buffer[]>, index: number): void {
	const chunks = redacted.get(index);
	const block = run.builder.thinkingBlock(index);
	if (!chunks || !block) return;
	block.thinkingSignature = Buffer.concat(chunks).toString("base64");
	redacted.delete(index);
}

export function bedrockConverseStreamBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ProviderBody {
	return async (run) => {
		const { BedrockRuntimeClient, ConverseStreamCommand, FetchHttpHandler } =
			await importIsland<typeof import("./bedrock-sdk.ts")>(BEDROCK_SDK);
		const settings = bedrockClientSettings(model, options);
		const client = new BedrockRuntimeClient({
			...(settings.region ? { region: settings.region } : {}),
			...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
			...(settings.profile ? { profile: settings.profile } : {}),
			...(settings.credentials ? { credentials: settings.credentials } : {}),
			...(settings.bearerToken
				? { token: { token: settings.bearerToken }, authSchemePreference: ["httpBearerAuth"] }
				: {}),
			...(options?.maxRetries !== undefined ? { maxAttempts: options.maxRetries + 1 } : {}),
			requestHandler: new FetchHttpHandler({ customFetch: run.fetch }),
			// The SDK's warnings (e.g. a profile and access keys both set) would land on the terminal mid-render.
			logger: sdkLogger,
		});
		const headers = Object.entries(mergeHeaders(model.headers, options?.headers)).filter(
			([name]) => !RESERVED_HEADER.test(name),
		);
		if (headers.length > 0) {
			// The build step runs before signing, so SigV4 covers these headers.
			client.middlewareStack.add(
				(next) => async (args) => {
					const target: unknown = isRecord(args.request) ? args.request.headers : undefined;
					if (isRecord(target)) for (const [name, value] of headers) target[name] = value;
					return next(args);
				},
				{ step: "build", name: "piCustomHeaders", priority: "low" },
			);
		}
		// Over Claude's strict-tool limits once, a session sends the tools that only prefer strict as ordinary ones.
		let disablePreferredStrict = hasExceededStrictToolLimits(options?.sessionId);
		let response: ConverseStreamCommandOutput;
		for (;;) {
			const built = buildConverseRequest(model, context, options, disablePreferredStrict);
			const request = await applyPayloadHook(built.request, model, options);
			try {
				response = await client.send(new ConverseStreamCommand(request), { abortSignal: run.signal });
				break;
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				const overLimits =
					Reflect.get(Object(error), "name") === "ValidationException" && isStrictToolLimitError(message);
				if (run.signal.aborted || disablePreferredStrict || !built.hasPreferredStrictTools || !overLimits) {
					throw describeBedrockError(error);
				}
				disablePreferredStrict = true;
				markStrictToolLimitsExceeded(options?.sessionId);
			}
		}
		run.touch();
		const open = new Map<number, number>();
		const redacted = new Map<number, Buffer[]>();
		let stopReason: string | undefined;
		let stopped = false;
		try {
			for await (const event of response.stream ? observeProviderEvents(response.stream, model, options) : []) {
				run.touch();
				if (event.messageStop) {
					stopped = true;
					stopReason = event.messageStop.stopReason;
				} else handleEvent(event, run, open, redacted);
			}
		} catch (error) {
			throw describeBedrockError(error);
		}
		for (const index of open.values()) flushRedacted(run, redacted, index);
		if (run.signal.aborted) throw new Error("Request was aborted");
		if (!stopped) throw new ProviderProtocolError("Bedrock stream ended without a stop reason");
		const mapped = mapStopReason(stopReason);
		if ("error" in mapped) throw new Error(mapped.error);
		run.builder.finish(mapped.stop);
	};
}
