/**
 * The whole output of a command as programmatic callers (codemode scripts) get it: up to 1 MiB as it is, longer
 * output keeps its first and last 512 KiB around an omission marker. Only the two ends are held in memory.
 */
const HALF = 512 * 1024;

export class HeadTailCapture {
	private head: Buffer[] = [];
	private headBytes = 0;
	private tail: Buffer[] = [];
	private tailBytes = 0;
	private total = 0;

	append(chunk: Uint8Array): void {
		let data = Buffer.from(chunk);
		this.total += data.length;
		if (this.headBytes < HALF) {
			const take = data.subarray(0, HALF - this.headBytes);
			this.head.push(take);
			this.headBytes += take.length;
			data = data.subarray(take.length);
		}
		if (data.length === 0) return;
		this.tail.push(data);
		this.tailBytes += data.length;
		// Drop whole chunks from the front while the rest still covers the kept tail.
		while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= HALF) {
			this.tailBytes -= this.tail.shift()?.length ?? 0;
		}
	}

	/** The output, and whether its middle was left out. */
	result(): { content: string; truncated: boolean } {
		const head = Buffer.concat(this.head).toString("utf8");
		if (this.total <= 2 * HALF) return { content: head + Buffer.concat(this.tail).toString("utf8"), truncated: false };
		const tailBuffer = Buffer.concat(this.tail);
		const tail = tailBuffer.subarray(tailBuffer.length - HALF).toString("utf8");
		const omitted = this.total - HALF - HALF;
		return { content: `${head}\n…[${omitted} bytes omitted]…\n${tail}`, truncated: true };
	}
}
