// The AWS SDK pieces the Bedrock provider uses, in one module: the binary carries it as an island, JavaScript
// outside the bytecode, imported on the first Bedrock request (src/util/embedded-asset.ts, BEDROCK_SDK).
export { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
export { FetchHttpHandler } from "@smithy/fetch-http-handler";
