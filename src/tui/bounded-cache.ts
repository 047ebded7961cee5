/** Stores `value` under `key`, first dropping the oldest entry when the map already holds `limit` entries. */
export function setBounded<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): void {
	if (cache.size >= limit) {
		const oldest = cache.keys().next();
		if (!oldest.done) cache.delete(oldest.value);
	}
	cache.set(key, value);
}
