/**
 * `pi.events`: a channel-based bus shared by all extensions of a session. A throwing listener is reported (through
 * `onError`) and does not stop the others.
 */
export type BusListener = (data: unknown) => unknown;

export class ExtensionEventBus {
	private readonly channels = new Map<string, Set<BusListener>>();

	constructor(private readonly onError: (channel: string, error: unknown) => void) {}

	emit(channel: string, data: unknown): void {
		for (const listener of [...(this.channels.get(channel) ?? [])]) {
			try {
				const result = listener(data);
				if (result instanceof Promise) result.catch((error: unknown) => this.onError(channel, error));
			} catch (error) {
				this.onError(channel, error);
			}
		}
	}

	on(channel: string, listener: BusListener): () => void {
		let listeners = this.channels.get(channel);
		if (!listeners) {
			listeners = new Set();
			this.channels.set(channel, listeners);
		}
		listeners.add(listener);
		return () => {
			listeners.delete(listener);
		};
	}

	clear(): void {
		this.channels.clear();
	}
}
