// The MCP SDK pieces pi uses (with zod and ajv under them), in one module: the binary carries it as an island,
// JavaScript outside the bytecode, imported when the first MCP module loads (src/util/embedded-asset.ts, MCP_SDK).
// One module, so classes the SDK throws and the ones pi tests with instanceof are the same.
export { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
export { Client } from "@modelcontextprotocol/sdk/client/index.js";
export { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
export {
	CallToolResultSchema,
	ErrorCode,
	JSONRPCMessageSchema,
	ListRootsRequestSchema,
	LoggingMessageNotificationSchema,
	McpError,
	ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
