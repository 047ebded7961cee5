/** A pi subprocess in RPC mode for tests: send JSON-line commands, wait for responses and events. */
import { readJsonLines } from "../../src/modes/rpc/rpc-mode.ts";
import { type PiEnv, piCommand } from "./run-pi.ts";

export type Line = Record<string, unknown> & { type: string };

export class RpcClient {
	readonly lines: Line[] = [];
	private waiters: { match: (line: Line) => boolean; resolve: (line: Line) => void }[] = [];
	private proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;
	stderr = "";
	/** Set once the process has exited (an extension's ctx.shutdown(), a crash). */
	exitCode: number | undefined;

	constructor(env: PiEnv, args: string[] = []) {
		this.proc = Bun.spawn([...piCommand(), "--mode", "rpc", ...args], {
			cwd: env.cwd,
			env: env.env,
			stdin: "pipe",
			stdout: "pipe",
			stderr: "pipe",
		});
		void this.readLines();
		void this.proc.exited.then((code) => {
			this.exitCode = code;
		});
		void new Response(this.proc.stderr).text().then((text) => {
			this.stderr = text;
		});
	}

	private async readLines(): Promise<void> {
		for await (const text of readJsonLines(this.proc.stdout)) {
			const line = JSON.parse(text) as Line;
			this.lines.push(line);
			this.waiters = this.waiters.filter((waiter) => {
				if (!waiter.match(line)) return true;
				waiter.resolve(line);
				return false;
			});
		}
	}

	send(command: object | string): void {
		this.proc.stdin.write(typeof command === "string" ? `${command}\n` : `${JSON.stringify(command)}\n`);
		this.proc.stdin.flush();
	}

	waitFor(match: (line: Line) => boolean, timeoutMs = 15_000): Promise<Line> {
		const seen = this.lines.find(match);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`timed out; saw: ${this.lines.map((l) => l.type).join(",")}\n${this.stderr}`)),
				timeoutMs,
			);
			this.waiters.push({
				match,
				resolve: (line) => {
					clearTimeout(timer);
					resolve(line);
				},
			});
		});
	}

	response(id: string | number): Promise<Line> {
		return this.waitFor((line) => line.type === "response" && line.id === id);
	}

	async request(command: { id: string; type: string } & Record<string, unknown>): Promise<Line> {
		this.send(command);
		return this.response(command.id);
	}

	async close(): Promise<number> {
		this.proc.stdin.end();
		return this.proc.exited;
	}
}
