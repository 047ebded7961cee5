/** RPC commands as pi 1.6.0 accepts them on stdin (docs/rpc-commands.md), parsed with valibot. */
import * as v from "valibot";

/** Any id is echoed as given: pi correlates by value, and clients send numbers as well as strings. */
const id = v.optional(v.unknown());
const image = v.object({ type: v.literal("image"), data: v.string(), mimeType: v.string() });
const images = v.optional(v.array(image));
const queueMode = v.picklist(["all", "one-at-a-time"]);

const command = <T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
	v.object({ id, type: v.literal(type), ...entries });

export const RpcCommandSchema = v.variant("type", [
	command("prompt", { message: v.string(), images, streamingBehavior: v.optional(v.picklist(["steer", "followUp"])) }),
	command("steer", { message: v.string(), images }),
	command("follow_up", { message: v.string(), images }),
	command("abort", {}),
	command("clear_queue", {}),
	command("new_session", { parentSession: v.optional(v.string()) }),
	command("get_state", {}),
	command("set_model", { provider: v.string(), modelId: v.string() }),
	command("cycle_model", {}),
	command("get_available_models", {}),
	// pi 1.6.0 takes any level and clamps it to the model (an unknown one to its lowest).
	command("set_thinking_level", { level: v.string() }),
	command("cycle_thinking_level", {}),
	command("get_available_thinking_levels", {}),
	command("set_steering_mode", { mode: queueMode }),
	command("set_follow_up_mode", { mode: queueMode }),
	command("compact", { customInstructions: v.optional(v.string()) }),
	command("set_auto_compaction", { enabled: v.boolean() }),
	command("set_auto_retry", { enabled: v.boolean() }),
	command("abort_retry", {}),
	command("bash", { command: v.string(), excludeFromContext: v.optional(v.boolean()) }),
	command("abort_bash", {}),
	command("get_session_stats", {}),
	command("export_html", { outputPath: v.optional(v.string()) }),
	command("switch_session", { sessionPath: v.string() }),
	command("fork", { entryId: v.string() }),
	command("clone", {}),
	command("get_fork_messages", {}),
	command("get_entries", { since: v.optional(v.string()) }),
	command("get_tree", {}),
	command("get_last_assistant_text", {}),
	command("set_session_name", { name: v.string() }),
	command("get_messages", {}),
	command("get_commands", {}),
]);

export type RpcCommand = v.InferOutput<typeof RpcCommandSchema>;
export type RpcCommandType = RpcCommand["type"];

/** The parts of a line we can read even when the command as a whole is invalid, to address the error. */
export const RpcEnvelopeSchema = v.looseObject({ id, type: v.string() });

export const ExtensionUiResponseSchema = v.looseObject({ type: v.literal("extension_ui_response"), id: v.string() });

export type RpcResponse =
	| { id?: unknown; type: "response"; command: string; success: true; data?: unknown }
	| { id?: unknown; type: "response"; command: string; success: false; error: string };

export function describeIssues(issues: v.BaseIssue<unknown>[]): string {
	return issues
		.map((issue) => {
			const path = issue.path?.map((item) => String(item.key)).join(".");
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join("; ");
}
