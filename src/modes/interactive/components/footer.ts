/**
 * The footer (pi-spec §9.1 item 9): cwd with `~`, git branch and session name; token totals over the whole
 * session file, cost, context use and the model with its thinking level.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AgentSession, ContextUsage, SessionStats } from "../../../agent/agent-session.ts";
import { computeContextUsage, SessionTotals } from "../../../agent/session/session-stats.ts";
import type { SessionEntry } from "../../../session/types.ts";
import { truncateToWidth, visibleWidth } from "../../../tui/text-utils.ts";
import { getColorMode, theme } from "../../../tui/theme.ts";
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

/** The session's figures the footer shows, and the state they were computed for. */
interface FooterFigures {
	key: string;
	totals: SessionStats["tokens"];
	cost: number;
	cacheHit: number | undefined;
	usage: ContextUsage | undefined;
}

export class FooterView implements UiComponent {
	private gitBranch: string | undefined;
	providerCount = 1;
	/** Extension statuses (setStatus), shown on a third line sorted by key. */
	private readonly statuses = new Map<string, string>();

	private cached: FooterFigures | undefined;

	constructor(
		private readonly session: AgentSession,
		/** Whether the provider is used through a subscription login: `(sub)` after the cost. */
		private readonly usesSubscription: (provider: string) => boolean = () => false,
	) {
		this.gitBranch = readGitBranch(session.cwd);
	}

	/** Counts setStatus calls: the drawn lines are kept until the statuses change. */
	private statusVersion = 0;

	setStatus(key: string, text: string | undefined): void {
		this.statusVersion++;
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

	/** Totals of the session's entries so far: the count, the last entry counted and the session they belong to. */
	private totals:
		| { manager: object; sessionId: string; counted: number; last: SessionEntry | undefined; sums: SessionTotals }
		| undefined;

	/** The session's figures, recomputed only when the session, its leaf or the model changed (pi caches them too). */
	private stats(): FooterFigures {
		const session = this.session;
		const manager = session.sessionManager;
		const key = `${manager.getSessionId()}\0${manager.getLeafId()}\0${session.model?.provider}/${session.model?.id}\0${session.messages.length}`;
		if (this.cached?.key === key) return this.cached;
		const sums = this.countEntries();
		const { input, cacheRead, cacheWrite } = sums.lastAnswerUsage ?? { input: 0, cacheRead: 0, cacheWrite: 0 };
		const prompt = input + cacheRead + cacheWrite;
		// The cache hit rate of the newest answer, as pi's CH figure.
		const cacheHit = sums.lastAnswerUsage && prompt > 0 ? (cacheRead / prompt) * 100 : undefined;
		// The branch only matters after a compaction; walking it to the root each time costs as the session grows.
		const branch = sums.compactions > 0 ? manager.getBranch() : [];
		const usage = computeContextUsage(branch, session.messages, session.model?.contextWindow ?? 0);
		this.cached = { key, totals: sums.tokenTotals(), cost: sums.cost, cacheHit, usage };
		return this.cached;
	}

	/** The totals with the entries added since the last count; counted afresh when the session was replaced. */
	private countEntries(): SessionTotals {
		const manager = this.session.sessionManager;
		const sessionId = manager.getSessionId();
		let totals = this.totals;
		if (totals) {
			const stillThere = totals.counted === 0 || manager.getEntriesFrom(totals.counted - 1)[0] === totals.last;
			if (totals.manager !== manager || totals.sessionId !== sessionId || !stillThere) totals = undefined;
		}
		totals ??= { manager, sessionId, counted: 0, last: undefined, sums: new SessionTotals() };
		const added = manager.getEntriesFrom(totals.counted);
		for (const entry of added) totals.sums.add(entry);
		totals.counted += added.length;
		totals.last = added[added.length - 1] ?? totals.last;
		this.totals = totals;
		return totals.sums;
	}

	/** The lines drawn last and what they were drawn from: most frames (a key press, a token) change none of it. */
	private drawn: { colors: object; key: string; lines: string[] } | undefined;

	render(width: number): string[] {
		const session = this.session;
		const model = session.model;
		const subscription = model ? this.usesSubscription(model.provider) : false;
		// The figures are recounted after every message, mostly to the same text.
		const figures = this.figuresText(this.stats(), subscription);
		const key = [
			figures.parts.join(" "),
			figures.contextText,
			figures.contextTone,
			width,
			session.cwd,
			this.gitBranch,
			session.sessionName,
			model?.provider,
			model?.id,
			model?.reasoning,
			session.thinkingLevel,
			this.providerCount,
			this.statusVersion,
			getColorMode(),
		]
			.map(String)
			.join("\0");
		const drawn = this.drawn;
		// A theme switch replaces the palette object.
		if (drawn?.colors === theme.colors && drawn.key === key) return drawn.lines;
		const lines = this.draw(width, figures);
		this.drawn = { colors: theme.colors, key, lines };
		return lines;
	}

	/** The figures as the stats line shows them: token totals, cache hits, cost, and the context use with its tone. */
	private figuresText(
		figures: FooterFigures,
		subscription: boolean,
	): { parts: string[]; contextText: string; contextTone: "error" | "warning" | undefined } {
		const session = this.session;
		const { totals, cost } = figures;
		const parts: string[] = [];
		if (totals.input) parts.push(`↑${formatTokens(totals.input)}`);
		if (totals.output) parts.push(`↓${formatTokens(totals.output)}`);
		if (totals.cacheRead) parts.push(`R${formatTokens(totals.cacheRead)}`);
		if (totals.cacheWrite) parts.push(`W${formatTokens(totals.cacheWrite)}`);
		if ((totals.cacheRead > 0 || totals.cacheWrite > 0) && figures.cacheHit !== undefined) {
			parts.push(`CH${figures.cacheHit.toFixed(1)}%`);
		}
		if (cost || subscription) parts.push(`$${cost.toFixed(3)}${subscription ? " (sub)" : ""}`);
		const usage = figures.usage;
		const window = usage?.contextWindow ?? session.model?.contextWindow ?? 0;
		// Right after a compaction the size is unknown until the next answer: "?".
		const percent = usage ? usage.percent : 0;
		const auto = session.autoCompactionEnabled ? " (auto)" : "";
		const contextText =
			percent === null ? `?/${formatTokens(window)}${auto}` : `${percent.toFixed(1)}%/${formatTokens(window)}${auto}`;
		const contextTone =
			percent !== null && percent > 90 ? "error" : percent !== null && percent > 70 ? "warning" : undefined;
		return { parts, contextText, contextTone };
	}

	private draw(width: number, { parts, contextText, contextTone }: ReturnType<FooterView["figuresText"]>): string[] {
		const session = this.session;
		let location = shortenHome(session.cwd);
		if (this.gitBranch) location += ` (${this.gitBranch})`;
		const name = session.sessionName;
		if (name) location += ` • ${name}`;
		const model = session.model;
		const contextStyled = contextTone ? fg(contextTone, contextText) : contextText;

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
