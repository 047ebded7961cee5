/**
 * pi 1.6.0's `onProviderStreamEvent`: each parsed provider event (an SDK chunk, an SSE event object) is shown to the
 * caller before we turn it into our events; extensions' `provider_stream_event`. Nobody observing costs nothing: the
 * providers iterate the very same stream.
 */
import type { Model, StreamOptions } from "../types.ts";

export function observeProviderEvents<T>(
	events: AsyncIterable<T>,
	model: Model,
	options: StreamOptions | undefined,
): AsyncIterable<T> {
	const observe = options?.onProviderStreamEvent;
	return observe ? observed(events, (event) => observe(event, model)) : events;
}

/** Awaits the observer before handing each event on, so observers see events in stream order. */
async function* observed<T>(events: AsyncIterable<T>, observe: (event: T) => unknown): AsyncGenerator<T> {
	for await (const event of events) {
		await observe(event);
		yield event;
	}
}
