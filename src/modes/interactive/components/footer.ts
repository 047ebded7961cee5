/**
 * The footer (pi-spec §9.1 item 9): cwd with `~`, git branch and session name; token totals over the whole
 * session file, cost, context use and the model with its thinking level.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AgentSession } from "../../../agent/agent-session.ts";
import type { AgentMessage } from "../../../agent/types.ts";
import type { AssistantMessage } from "../../../ai/types.ts";
import { calculateContextTokens } from "../../../session/compaction/tokens.ts";
import { truncateToWidth, visibleWidth } from "../../../tui/text-utils.ts";
import { formatTokens, shortenHome } from "../format.ts";
import { fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

/** The branch named in `.git/HEAD` of cwd or a parent folder; "detached" for a bare commit id. */
function readGitBranch(cwd: string): string | undefined {
	let dir = cwd;
	for (;;) {
		const gitPath = join(dir, ".git");
		if (existsSync(gitPath)) {
			try {
				let headPath = join(gitPath, "HEAD");
				if (statSync(gitPath).isFile()) {
					// Worktrees and submodules: `.git` is a file pointing at the real git dir.
					const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitPath, "utf8"))?.[1]?.trim();
					if (!pointer) return undefined;
					headPath = join(pointer.startsWith("/") ? pointer : join(dir, pointer), "HEAD");
				}
				const head = readFileSync(headPath, "utf8").trim();
				const ref = /^ref: refs\/heads\/(.+)$/.exec(head)?.[1];
				return ref ?? "detached";
			} catch {
				return undefined;
			}
		}
		const parent = dirname(dir);
		if (parent === dir) return undefined;
		dir = parent;
	}
}

/** Tokens of the last successful answer, or undefined right after a compaction (pi shows `?`). */
export function contextTokens(messages: readonly AgentMessage[]): number | undefined {
	for (let i = messages.length - 1; i >= 0; i--) {
		const message = messages[i];
		if (!message) continue;
		if (message.role === "compactionSummary") return undefined;
		if (message.role !== "assistant") continue;
		const assistant: AssistantMessage = message;
		if (assistant.stopReason === "aborted" || assistant.stopReason === "error") continue;
		return calculateContextTokens(assistant.usage);
	}
	return 0;
}

export class FooterView implements UiComponent {
	private gitBranch: string | undefined;
	providerCount = 1;
	/** Extension statuses (setStatus), shown on a third line sorted by key. */
	private readonly statuses = new Map<string, string>();

	constructor(private readonly session: AgentSession) {
		this.gitBranch = readGitBranch(session.cwd);
	}

	setStatus(key: string, text: string | undefined): void {
		if (text === undefined) this.statuses.delete(key);
		else
			this.statuses.set(
				key,
				text
					.replace(/[\r\n\t]/g, " ")
					.replace(/ +/g, " ")
					.trim(),
			);
	}

	/** The git branch shown (pi's footerData.getGitBranch()), undefined outside a repository. */
	get branch(): string | undefined {
		return this.gitBranch;
	}

	/** Extension statuses by key (pi's footerData.getExtensionStatuses()). */
	get extensionStatuses(): ReadonlyMap<string, string> {
		return this.statuses;
	}

	refreshGitBranch(): void {
		this.gitBranch = readGitBranch(this.session.cwd);
	}

	render(width: number): string[] {
		const session = this.session;
		let input = 0;
		let output = 0;
		let cacheRead = 0;
		let cacheWrite = 0;
		let cost = 0;
		for (const entry of session.sessionManager.getEntries()) {
			if (entry.type !== "message" || entry.message.role !== "assistant") continue;
			const usage = entry.message.usage;
			input += usage.input;
			output += usage.output;
			cacheRead += usage.cacheRead;
			cacheWrite += usage.cacheWrite;
			cost += usage.cost.total;
		}
		let location = shortenHome(session.cwd);
		if (this.gitBranch) location += ` (${this.gitBranch})`;
		const name = session.sessionName;
		if (name) location += ` • ${name}`;

		const parts: string[] = [];
		if (input) parts.push(`↑${formatTokens(input)}`);
		if (output) parts.push(`↓${formatTokens(output)}`);
		if (cacheRead) parts.push(`R${formatTokens(cacheRead)}`);
		if (cacheWrite) parts.push(`W${formatTokens(cacheWrite)}`);
		if (cost) parts.push(`$${cost.toFixed(3)}`);
		const model = session.model;
		const window = model?.contextWindow ?? 0;
		const used = contextTokens(session.messages);
		const percent = used === undefined ? undefined : window > 0 ? (used / window) * 100 : 0;
		const auto = session.autoCompactionEnabled ? " (auto)" : "";
		const contextText =
			percent === undefined
				? `?/${formatTokens(window)}${auto}`
				: `${percent.toFixed(1)}%/${formatTokens(window)}${auto}`;
		const contextStyled =
			percent !== undefined && percent > 90
				? fg("error", contextText)
				: percent !== undefined && percent > 70
					? fg("warning", contextText)
					: contextText;

		let left = [...parts, contextText].join(" ");
		if (visibleWidth(left) > width) left = truncateToWidth(left, width, "...");
		const modelId = model?.id ?? "no-model";
		let right = modelId;
		if (model?.reasoning) {
			const level = session.thinkingLevel;
			right = level === "off" ? `${modelId} • thinking off` : `${modelId} • ${level}`;
		}
		if (this.providerCount > 1 && model) {
			const withProvider = `(${model.provider}) ${right}`;
			if (visibleWidth(left) + 2 + visibleWidth(withProvider) <= width) right = withProvider;
		}
		const leftWidth = visibleWidth(left);
		let statsLine = left;
		if (leftWidth + 2 + visibleWidth(right) <= width) {
			statsLine = left + " ".repeat(width - leftWidth - visibleWidth(right)) + right;
		} else if (width - leftWidth - 2 > 0) {
			const cut = truncateToWidth(right, width - leftWidth - 2, "");
			statsLine = left + " ".repeat(Math.max(0, width - leftWidth - visibleWidth(cut))) + cut;
		}
		// Colour the context part separately so its own colour is not swallowed by the dim wrapper.
		const contextStart = statsLine.indexOf(contextText);
		const styledStats =
			contextStart >= 0 && contextStyled !== contextText
				? fg("dim", statsLine.slice(0, contextStart)) +
					contextStyled +
					fg("dim", statsLine.slice(contextStart + contextText.length))
				: fg("dim", statsLine);
		const lines = [truncateToWidth(fg("dim", location), width, fg("dim", "...")), styledStats];
		if (this.statuses.size > 0) {
			const statusLine = [...this.statuses.entries()]
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([, text]) => text)
				.join(" ");
			lines.push(truncateToWidth(statusLine, width, fg("dim", "...")));
		}
		return lines;
	}
}
