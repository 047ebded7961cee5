/**
 * The tools against hostile files and commands: things that never end (/dev/zero, a FIFO without a writer),
 * paths that cannot exist, huge files and huge output. Each must finish promptly with bounded memory and a
 * message the model can act on.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBashTool } from "../../src/tools/bash.ts";
import { createEditTool } from "../../src/tools/edit.ts";
import { diffLines } from "../../src/tools/line-diff.ts";
import { createReadTool } from "../../src/tools/read.ts";
import { createWriteTool } from "../../src/tools/write.ts";
import { errorOf, run, tempDir, textOf } from "../tools/helpers.ts";
import { isAlive, waitUntil } from "./helpers.ts";

/** Samples the process RSS while `work` runs; returns the growth of the peak over the start, in MB. */
async function peakRssGrowthMb(work: () => Promise<unknown>): Promise<number> {
	const start = process.memoryUsage().rss;
	let peak = start;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 10);
	try {
		await work();
	} finally {
		clearInterval(timer);
	}
	peak = Math.max(peak, process.memoryUsage().rss);
	return (peak - start) / 1e6;
}

describe("read and edit refuse files that never end", () => {
	test("read of /dev/zero fails at once instead of filling memory", async () => {
		const dir = tempDir();
		const started = Date.now();
		const message = await errorOf(run(createReadTool(dir), { path: "/dev/zero" }));
		expect(message).toBe("Cannot read /dev/zero: it is a character device, not a regular file.");
		expect(Date.now() - started).toBeLessThan(1000);
	});

	test("read of a FIFO without a writer fails instead of hanging", async () => {
		const dir = tempDir();
		expect(Bun.spawnSync(["mkfifo", join(dir, "pipe")]).exitCode).toBe(0);
		const message = await errorOf(run(createReadTool(dir), { path: "pipe" }));
		expect(message).toContain("named pipe (FIFO)");
	});

	test("read through a symlink to a device is refused too", async () => {
		const dir = tempDir();
		Bun.spawnSync(["ln", "-s", "/dev/urandom", join(dir, "random.txt")]);
		expect(await errorOf(run(createReadTool(dir), { path: "random.txt" }))).toContain("character device");
	});

	test("edit of a FIFO fails instead of hanging", async () => {
		const dir = tempDir();
		Bun.spawnSync(["mkfifo", join(dir, "pipe")]);
		const message = await errorOf(run(createEditTool(dir), { path: "pipe", edits: [{ oldText: "a", newText: "b" }] }));
		expect(message).toContain("named pipe (FIFO)");
	});
});

describe("write", () => {
	test("a parent that is a file: the error names the problem", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "afile"), "x");
		const message = await errorOf(run(createWriteTool(dir), { path: "afile/sub/x.txt", content: "hi" }));
		expect(message).toContain("not a directory");
	});
});

describe("large files", () => {
	test("editing 100 lines at the top of a 7 MB file: the diff stays small in memory", async () => {
		const lines = Array.from({ length: 400_000 }, (_, i) => `line ${i} of text\n`);
		const before = lines.join("");
		const after = lines.map((line, i) => (i < 100 ? `changed ${i}\n` : line)).join("");
		let parts: ReturnType<typeof diffLines> = [];
		const growth = await peakRssGrowthMb(async () => {
			parts = diffLines(before, after);
		});
		expect(parts.map((part) => [part.removed, part.added, part.count])).toEqual([
			[true, false, 100],
			[false, true, 100],
			[false, false, 399_900],
		]);
		// Saving the whole frontier per step used ~1.8 GB here.
		expect(growth).toBeLessThan(400);
	});

	test("edit of a 50 MB file completes with a compact diff", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "big.txt"), `${"line of text that is here\n".repeat(2_000_000)}NEEDLE\n`);
		const result = await run(createEditTool(dir), {
			path: "big.txt",
			edits: [{ oldText: "NEEDLE", newText: "FOUND" }],
		});
		expect(textOf(result)).toBe("Successfully replaced 1 block(s) in big.txt.");
		expect(result.details?.diff).toContain("+2000001 FOUND");
		expect(result.details?.diff.length ?? 0).toBeLessThan(1000);
	});
});

describe("bash", () => {
	// 400 MB is enough to tell: output kept in memory would put the peak far above the 250 MB bound (1 GB takes
	// minutes of CPU on a busy 2-core machine and proves nothing more).
	test("400 MB of output: memory stays bounded, the tail is shown, the rest goes to a file", async () => {
		const script = join(import.meta.dir, "fixtures/bash-output-rss.ts");
		const proc = Bun.spawn([process.execPath, script, "400000000"], { stdout: "pipe", stderr: "inherit" });
		const report = JSON.parse(await new Response(proc.stdout).text());
		expect(await proc.exited).toBe(0);
		expect(report.tail).toContain("done");
		expect(report.tail).toContain("Full output:");
		expect(typeof report.fullOutputPath).toBe("string");
		// Measured ~115 MB for 250 MB, 1 GB and 2 GB alike: the output is streamed to the file, not kept.
		expect(report.peakRssMb).toBeLessThan(250);
	}, 120_000);

	test("the temp folder fills up while output is saved: no crash, the tail is still shown", async () => {
		// `ulimit -f` (with SIGXFSZ ignored) makes file writes past 2 MB fail with EFBIG, like a full disk.
		const script = join(import.meta.dir, "fixtures/bash-output-rss.ts");
		const command = `trap '' XFSZ; ulimit -f 2000; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} 10000000`;
		const proc = Bun.spawn(["bash", "-c", command], { stdout: "pipe", stderr: "pipe" });
		const [stdout, stderr, code] = await Promise.all([
			new Response(proc.stdout).text(),
			new Response(proc.stderr).text(),
			proc.exited,
		]);
		expect(stderr).toBe("");
		expect(code).toBe(0);
		const report = JSON.parse(stdout);
		expect(report.tail).toContain("done");
		expect(report.tail).toContain("Full output could not be saved");
		expect(report.fullOutputPath).toBeUndefined();
	}, 60_000);

	test("a command that ignores SIGTERM is killed on abort", async () => {
		const dir = tempDir();
		const pidFile = join(dir, "pid");
		const controller = new AbortController();
		const pending = errorOf(
			run(
				createBashTool(dir),
				{ command: `trap '' TERM; echo $$ > ${pidFile}; sleep 30` },
				{ signal: controller.signal },
			),
		);
		expect(await waitUntil(() => Bun.file(pidFile).size > 0)).toBe(true);
		const pid = Number(await Bun.file(pidFile).text());
		controller.abort();
		expect(await pending).toContain("aborted");
		expect(await waitUntil(() => !isAlive(pid), 10_000)).toBe(true);
	});

	test("a daemon started with setsid does not keep the tool waiting", async () => {
		const dir = tempDir();
		const started = Date.now();
		const result = await run(createBashTool(dir), { command: "setsid sleep 5 & echo $! > daemon.pid; echo spawned" });
		expect(textOf(result)).toContain("spawned");
		expect(Date.now() - started).toBeLessThan(2000);
		const pid = Number(await Bun.file(join(dir, "daemon.pid")).text());
		if (pid > 0) process.kill(pid, "SIGKILL");
	});
});

describe("files too large to read whole", () => {
	test("read of a 1.5 GB file is refused at once with advice, not read into 3 GB of memory", async () => {
		const dir = tempDir();
		const path = join(dir, "huge.log");
		expect(Bun.spawnSync(["truncate", "-s", "1500M", path]).exitCode).toBe(0);
		const started = Date.now();
		const message = await errorOf(run(createReadTool(dir), { path: "huge.log" }));
		expect(message).toBe(
			"Cannot read huge.log at once: it is 1.5 GB. Use bash (head, tail, sed -n, grep) to read parts of it.",
		);
		expect(Date.now() - started).toBeLessThan(500);
	});

	test("edit of such a file is refused the same way", async () => {
		const dir = tempDir();
		Bun.spawnSync(["truncate", "-s", "600M", join(dir, "huge.log")]);
		const message = await errorOf(
			run(createEditTool(dir), { path: "huge.log", edits: [{ oldText: "a", newText: "b" }] }),
		);
		expect(message).toContain("Cannot read huge.log at once");
	});
});
