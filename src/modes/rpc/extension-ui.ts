/**
 * Extensions' `ctx.ui` in RPC mode: pi's extension-UI sub-protocol (docs/rpc-extension-ui.md). Dialogs (select,
 * confirm, input, editor) send an `extension_ui_request` and wait for the client's `extension_ui_response` with the
 * same id; a `timeout` or an aborted `signal` resolves them with the "no answer" value. notify, setStatus, setWidget
 * (string lines only), setTitle and setEditorText are sent without expecting an answer. What needs a terminal is a
 * no-op with pi's return values.
 */
import * as v from "valibot";
import { uiContext } from "../../extensions/ui-context.ts";

type Output = (message: Record<string, unknown>) => void;

const ResponseSchema = v.looseObject({
	type: v.literal("extension_ui_response"),
	id: v.string(),
	value: v.optional(v.string()),
	confirmed: v.optional(v.boolean()),
	cancelled: v.optional(v.boolean()),
});

type Response = v.InferOutput<typeof ResponseSchema>;

const DialogOptionsSchema = v.optional(
	v.looseObject({ signal: v.optional(v.instance(AbortSignal)), timeout: v.optional(v.number()) }),
);

export class RpcExtensionUi {
	private readonly pending = new Map<string, (response: Response) => void>();

	constructor(private readonly output: Output) {}

	/** A line from stdin that answers a dialog. Returns false when it is not an extension_ui_response. */
	handleResponse(line: unknown): boolean {
		const parsed = v.safeParse(ResponseSchema, line);
		if (!parsed.success) return false;
		this.pending.get(parsed.output.id)?.(parsed.output);
		return true;
	}

	/** The client is gone (stdin closed): every open dialog resolves as cancelled. */
	cancelAll(): void {
		for (const answer of [...this.pending.values()]) answer({ type: "extension_ui_response", id: "", cancelled: true });
	}

	private dialog<T>(
		options: unknown,
		fallback: T,
		request: Record<string, unknown>,
		read: (response: Response) => T,
	): Promise<T> {
		const parsed = v.safeParse(DialogOptionsSchema, options);
		const signal = parsed.success ? parsed.output?.signal : undefined;
		const timeout = parsed.success ? parsed.output?.timeout : undefined;
		if (signal?.aborted) return Promise.resolve(fallback);
		const id = crypto.randomUUID();
		return new Promise<T>((resolve) => {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const finish = (value: T) => {
				if (timer) clearTimeout(timer);
				signal?.removeEventListener("abort", onAbort);
				this.pending.delete(id);
				resolve(value);
			};
			const onAbort = () => finish(fallback);
			signal?.addEventListener("abort", onAbort, { once: true });
			if (timeout) timer = setTimeout(() => finish(fallback), timeout);
			this.pending.set(id, (response) => finish(response.cancelled ? fallback : read(response)));
			this.output({ type: "extension_ui_request", id, ...request, ...(timeout ? { timeout } : {}) });
		});
	}

	private send(request: Record<string, unknown>): void {
		this.output({ type: "extension_ui_request", id: crypto.randomUUID(), ...request });
	}

	/** The object extensions get as `ctx.ui`. */
	context(): Record<string, unknown> {
		const text = (value: unknown) => (typeof value === "string" ? value : String(value ?? ""));
		return uiContext({
			select: (title: unknown, options: unknown, opts?: unknown) =>
				this.dialog(
					opts,
					undefined,
					{ method: "select", title: text(title), options: Array.isArray(options) ? options.map(text) : [] },
					(response) => response.value,
				),
			confirm: (title: unknown, message: unknown, opts?: unknown) =>
				this.dialog(
					opts,
					false,
					{ method: "confirm", title: text(title), message: text(message) },
					(response) => response.confirmed === true,
				),
			input: (title: unknown, placeholder?: unknown, opts?: unknown) =>
				this.dialog(
					opts,
					undefined,
					{
						method: "input",
						title: text(title),
						placeholder: typeof placeholder === "string" ? placeholder : undefined,
					},
					(response) => response.value,
				),
			editor: (title: unknown, prefill?: unknown) =>
				this.dialog(
					undefined,
					undefined,
					{ method: "editor", title: text(title), prefill: typeof prefill === "string" ? prefill : undefined },
					(response) => response.value,
				),
			notify: (message: unknown, type?: unknown) =>
				this.send({
					method: "notify",
					message: text(message),
					notifyType: type === "warning" || type === "error" || type === "info" ? type : undefined,
				}),
			setStatus: (key: unknown, statusText?: unknown) =>
				this.send({
					method: "setStatus",
					statusKey: text(key),
					statusText: typeof statusText === "string" ? statusText : undefined,
				}),
			setWidget: (key: unknown, content: unknown, options?: unknown) => {
				// Only lines of text cross the protocol; a component factory needs a terminal.
				if (content !== undefined && !Array.isArray(content)) return;
				const placement =
					typeof options === "object" && options !== null && "placement" in options ? options.placement : undefined;
				this.send({
					method: "setWidget",
					widgetKey: text(key),
					widgetLines: content?.map(text),
					widgetPlacement: placement === "aboveEditor" || placement === "belowEditor" ? placement : undefined,
				});
			},
			setTitle: (title: unknown) => this.send({ method: "setTitle", title: text(title) }),
			setEditorText: (value: unknown) => this.send({ method: "set_editor_text", text: text(value) }),
			pasteToEditor: (value: unknown) => this.send({ method: "set_editor_text", text: text(value) }),
			setTheme: () => ({ success: false, error: "Theme switching not supported in RPC mode" }),
		});
	}
}
