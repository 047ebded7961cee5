/**
 * A session: an append-only tree of entries in a JSONL file (pi-spec §3). Appending creates a child of the
 * current leaf and moves the leaf to it; `branch()` moves the leaf back without touching the file. The file is
 * created only once the session holds a user or assistant message (pi 1.6.0: setup entries alone — model, thinking
 * level, the system message — leave no file behind), then every entry is appended as one line.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { AgentMessage, CustomMessage } from "../agent/types.ts";
import { getCurrentSystemMessage } from "../ai/transcript.ts";
import type { ThinkingLevel, Usage } from "../ai/types.ts";
import { agentPaths } from "../config/paths.ts";
import { errorMessage, FileError, PiError } from "../util/errors.ts";
import { branchedEntries } from "./branch-path.ts";
import { buildSessionContext, buildSessionProjection, latestOnPath, pathToRoot } from "./context.ts";
import { writeForkedSession } from "./fork.ts";
import { createEntryId, createSessionId, encodeCwdForDir, sessionFileName } from "./ids.ts";
import { type LoadedSession, loadSessionFile } from "./load.ts";
import { backupFile, SessionFileWriter } from "./session-file.ts";
import {
	listSessionsInDir,
	listSessionsUnder,
	readSessionInfoSync,
	sessionFilesByMtime,
	sortByModifiedDesc,
	subdirectories,
} from "./session-list.ts";
import {
	type ContextEditEntry,
	CURRENT_SESSION_VERSION,
	type SessionContext,
	type SessionEntry,
	type SessionHeader,
	type SessionInfo,
	type SessionProjection,
	type SessionTreeNode,
	type UsageEntry,
} from "./types.ts";

/** `~/.pi/agent/sessions/--<encoded cwd>--` (not created here). */
export function defaultSessionDir(cwd: string): string {
	return join(agentPaths.sessions(), encodeCwdForDir(cwd));
}

/** How a new session starts: the session it came from, and its id when one is asked for (--session-id). */
export interface NewSessionOptions {
	parentSession?: string;
	id?: string;
}

function newHeader(cwd: string, options: NewSessionOptions = {}): SessionHeader {
	const { parentSession } = options;
	const header: SessionHeader = {
		type: "session",
		version: CURRENT_SESSION_VERSION,
		id: options.id ?? createSessionId(),
		timestamp: new Date().toISOString(),
		cwd,
	};
	if (parentSession !== undefined) header.parentSession = parentSession;
	return header;
}

/** The writer of a new session's file, named after its header; nothing is written yet. */
function newFileWriter(dir: string, header: SessionHeader): SessionFileWriter {
	return new SessionFileWriter(join(dir, sessionFileName(header.timestamp, header.id)));
}

interface ManagerState {
	cwd: string;
	sessionDir: string;
	header: SessionHeader;
	entries: SessionEntry[];
	/** undefined: in memory only. */
	writer: SessionFileWriter | undefined;
	warnings: string[];
}

export class SessionManager {
	readonly warnings: string[];
	private readonly cwd: string;
	private readonly sessionDir: string;
	private readonly header: SessionHeader;
	private readonly entries: SessionEntry[];
	private readonly writer: SessionFileWriter | undefined;
	private readonly byId = new Map<string, SessionEntry>();
	private readonly labels = new Map<string, { label: string; timestamp: string }>();
	private leafId: string | null = null;
	/** The last session_info entry in file order (the footer asks for the name every frame). */
	private latestInfo: Extract<SessionEntry, { type: "session_info" }> | undefined;
	private hasConversation = false;
	private saveFailure: FileError | undefined;
	private readonly saveFailureListeners = new Set<(failure: FileError) => void>();

	private constructor(state: ManagerState) {
		this.cwd = state.cwd;
		this.sessionDir = state.sessionDir;
		this.header = state.header;
		this.entries = state.entries;
		this.writer = state.writer;
		this.warnings = state.warnings;
		for (const entry of this.entries) this.index(entry);
	}

	// ------------------------------------------------------------------ construction

	/** A new session; its file is written once the first user or assistant message is appended. */
	static create(cwd: string, sessionDir?: string, options: NewSessionOptions = {}): SessionManager {
		const dir = sessionDir ?? defaultSessionDir(cwd);
		ensureSessionDir(dir);
		const header = newHeader(cwd, options);
		return new SessionManager({
			cwd,
			sessionDir: dir,
			header,
			entries: [],
			writer: newFileWriter(dir, header),
			warnings: [],
		});
	}

	/**
	 * Opens a session file. A missing file becomes a new session at that path (written lazily); an empty or
	 * header-less file is replaced by a fresh header as pi does, after copying any content aside.
	 */
	static open(path: string, sessionDir?: string, cwdOverride?: string): SessionManager {
		const file = resolve(path);
		const loaded = loadSessionFile(file);
		// `cwdOverride`: run the session in another folder this time (its own is gone), leaving the file as it is.
		const cwd = cwdOverride ?? (loaded.header?.cwd || process.cwd());
		const dir = sessionDir ?? dirname(file);
		if (!existsSync(dir)) ensureSessionDir(dir);
		return SessionManager.fromLoaded(file, loaded, cwd, dir);
	}

	private static fromLoaded(file: string, loaded: LoadedSession, cwd: string, dir: string): SessionManager {
		const warnings = [...loaded.warnings];
		if (!existsSync(file)) {
			const header = newHeader(cwd);
			const writer = new SessionFileWriter(file);
			return new SessionManager({ cwd, sessionDir: dir, header, entries: [], writer, warnings });
		}
		if (!loaded.header) {
			// pi truncates such a file and starts over; keep a copy of anything that was in it.
			if (loaded.hasContent) {
				const backup = backupFile(file, "invalid");
				warnings.push(`${file}: not a valid session file; a copy was saved as ${backup} and a new session started`);
			}
			const header = newHeader(cwd);
			const writer = new SessionFileWriter(file);
			writer.rewrite(header, []);
			return new SessionManager({ cwd, sessionDir: dir, header, entries: [], writer, warnings });
		}
		const writer = new SessionFileWriter(file, {
			created: true,
			written: loaded.entries.length,
			needsNewline: loaded.endsWithoutNewline,
		});
		if (loaded.originalVersion < CURRENT_SESSION_VERSION) {
			// pi rewrites migrated files in place; if some lines could not be read, keep the original too.
			if (loaded.skippedLines > 0) {
				const backup = backupFile(file, `v${loaded.originalVersion}`);
				warnings.push(`${file}: migrated to version 3; the original was saved as ${backup}`);
			}
			writer.rewrite(loaded.header, loaded.entries);
		}
		return new SessionManager({
			cwd,
			sessionDir: dir,
			header: loaded.header,
			entries: loaded.entries,
			writer,
			warnings,
		});
	}

	/** The most recently modified (file mtime) session of this project, else a new one. */
	static continueRecent(cwd: string, sessionDir?: string): SessionManager {
		const dir = sessionDir ?? defaultSessionDir(cwd);
		ensureSessionDir(dir);
		const newest = sessionFilesByMtime(dir)[0];
		if (!newest) return SessionManager.create(cwd, dir);
		const loaded = loadSessionFile(newest.path);
		return SessionManager.fromLoaded(newest.path, loaded, cwd, dir);
	}

	/** `--no-session`: nothing is ever written. */
	static inMemory(cwd: string = process.cwd(), options: NewSessionOptions = {}): SessionManager {
		return new SessionManager({
			cwd,
			sessionDir: "",
			header: newHeader(cwd, options),
			entries: [],
			writer: undefined,
			warnings: [],
		});
	}

	/**
	 * An in-memory copy of the active branch (header and root-to-leaf entries), never written: what-if previews such
	 * as pi 1.6.0's boundary previews, where entries an extension proposes are applied before they are committed.
	 */
	branchPreview(): SessionManager {
		return new SessionManager({
			cwd: this.cwd,
			sessionDir: "",
			header: this.header,
			entries: this.getBranch(),
			writer: undefined,
			warnings: [],
		});
	}

	/**
	 * Copies another project's session into this project: a new header (parentSession = source), then the source's
	 * lines as pi 1.6.0 copies them (fork.ts), unknown ones included.
	 */
	static forkFrom(sourcePath: string, targetCwd: string, sessionDir?: string, id?: string): SessionManager {
		const source = resolve(sourcePath);
		const dir = sessionDir ?? defaultSessionDir(targetCwd);
		const header = newHeader(targetCwd, { parentSession: source, ...(id !== undefined ? { id } : {}) });
		const file = join(dir, sessionFileName(header.timestamp, header.id));
		if (existsSync(source)) ensureSessionDir(dir);
		writeForkedSession(source, file, header);
		return SessionManager.fromLoaded(file, loadSessionFile(file), targetCwd, dir);
	}

	static async list(cwd: string, sessionDir?: string): Promise<SessionInfo[]> {
		return sortByModifiedDesc(await listSessionsInDir(sessionDir ?? defaultSessionDir(cwd)));
	}

	/** Every project's sessions under ~/.pi/agent/sessions, plus those directly in `sessionDir` when given. */
	static async listAll(sessionDir?: string): Promise<SessionInfo[]> {
		const all = await listSessionsUnder(agentPaths.sessions());
		if (sessionDir === undefined) return all;
		const seen = new Set(all.map((info) => info.path));
		const extra = (await listSessionsInDir(sessionDir)).filter((info) => !seen.has(info.path));
		return sortByModifiedDesc([...all, ...extra]);
	}

	/**
	 * This project's session with exactly this id (pi 1.6.0's findById). With a custom session folder shared by
	 * several projects, only one started in `cwd` counts.
	 */
	static findById(cwd: string, id: string, sessionDir?: string): string | undefined {
		const dir = sessionDir ?? defaultSessionDir(cwd);
		const sharedFolder = sessionDir !== undefined && resolve(sessionDir) !== resolve(defaultSessionDir(cwd));
		return sessionFilesByMtime(dir).find(
			(row) => row.header.id === id && (!sharedFolder || resolve(row.header.cwd) === resolve(cwd)),
		)?.path;
	}

	/**
	 * A session whose id starts with `prefix`: this project's sessions first, then all projects. Among several
	 * matches the most recently active one wins, as in pi (only the matching files are read in full).
	 */
	static findByIdPrefix(prefix: string, cwd: string, sessionDir?: string): { path: string; cwd: string } | undefined {
		if (!prefix) return undefined;
		const projectDir = sessionDir ?? defaultSessionDir(cwd);
		const otherDirs = subdirectories(agentPaths.sessions()).filter((dir) => dir !== projectDir);
		for (const dirs of [[projectDir], otherDirs]) {
			const matches = dirs.flatMap((dir) => sessionFilesByMtime(dir).filter((row) => row.header.id.startsWith(prefix)));
			const only = matches[0];
			if (!only) continue;
			if (matches.length === 1) return { path: only.path, cwd: only.header.cwd };
			const infos = matches.map((row) => readSessionInfoSync(row.path)).filter((info) => info !== undefined);
			const newest = sortByModifiedDesc(infos)[0];
			if (newest) return { path: newest.path, cwd: newest.cwd };
		}
		return undefined;
	}

	// ------------------------------------------------------------------ reading

	getCwd(): string {
		return this.cwd;
	}

	getSessionId(): string {
		return this.header.id;
	}

	/** The file path (it may not exist yet); undefined for in-memory sessions. */
	getSessionFile(): string | undefined {
		return this.writer?.path;
	}

	getSessionDir(): string {
		return this.sessionDir;
	}

	isPersisted(): boolean {
		return this.writer !== undefined;
	}

	getHeader(): SessionHeader | undefined {
		return this.header;
	}

	/** The latest session_info name in file order; an empty name clears it. */
	getName(): string | undefined {
		return this.latestInfo?.name?.trim() || undefined;
	}

	/** All entries in file order (a copy). */
	getEntries(): SessionEntry[] {
		return this.entries.slice();
	}

	/** The entries from index `start` on (the ones added since a reader last looked, when it kept the count). */
	getEntriesFrom(start: number): SessionEntry[] {
		return this.entries.slice(start);
	}

	getEntry(id: string): SessionEntry | undefined {
		return this.byId.get(id);
	}

	getLeafId(): string | null {
		return this.leafId;
	}

	getLeafEntry(): SessionEntry | undefined {
		return this.leafId === null ? undefined : this.byId.get(this.leafId);
	}

	/** Root-first path to `fromId` (default: the current leaf). */
	getBranch(fromId?: string): SessionEntry[] {
		const start = fromId ?? this.leafId;
		return start === null ? [] : pathToRoot(start, this.byId);
	}

	/** The newest entry of `type` on the current branch (what getBranch().findLast would find, without the path). */
	latestOnBranch<T extends SessionEntry["type"]>(type: T): Extract<SessionEntry, { type: T }> | undefined {
		return this.leafId === null ? undefined : latestOnPath(this.leafId, this.byId, type);
	}

	getChildren(id: string): SessionEntry[] {
		return this.entries.filter((entry) => entry.parentId === id);
	}

	getLabel(id: string): string | undefined {
		return this.labels.get(id)?.label;
	}

	/** Roots are entries without a (known) parent; children are sorted oldest first. */
	getTree(): SessionTreeNode[] {
		const nodes = new Map<string, SessionTreeNode>();
		for (const entry of this.entries) {
			const node: SessionTreeNode = { entry, children: [] };
			const label = this.labels.get(entry.id);
			if (label) {
				node.label = label.label;
				node.labelTimestamp = label.timestamp;
			}
			nodes.set(entry.id, node);
		}
		const roots: SessionTreeNode[] = [];
		for (const entry of this.entries) {
			const node = nodes.get(entry.id);
			if (!node) continue;
			const parent = entry.parentId === null || entry.parentId === entry.id ? undefined : nodes.get(entry.parentId);
			if (parent) parent.children.push(node);
			else roots.push(node);
		}
		const time = (node: SessionTreeNode): number => new Date(node.entry.timestamp).getTime();
		const stack = [...roots];
		for (let node = stack.pop(); node; node = stack.pop()) {
			node.children.sort((a, b) => time(a) - time(b));
			stack.push(...node.children);
		}
		return roots;
	}

	buildSessionContext(): SessionContext {
		return buildSessionContext(this.entries, this.leafId, this.byId);
	}

	/** The context with each message's source entry (for usage accounting after context edits). */
	buildSessionProjection(): SessionProjection {
		return buildSessionProjection(this.entries, this.leafId, this.byId);
	}

	// ------------------------------------------------------------------ appending

	/**
	 * system / user / assistant / toolResult / bashExecution; a `custom` message is stored as a custom_message entry.
	 */
	appendMessage(message: AgentMessage): string {
		if (message.role === "custom") {
			return this.appendCustomMessage(message.customType, message.content, message.display, message.details);
		}
		if (message.role === "compactionSummary" || message.role === "branchSummary") {
			throw new PiError(`${message.role} messages are stored with appendCompaction / appendBranchSummary`);
		}
		return this.append({ type: "message", ...this.entryBase(), message });
	}

	appendThinkingLevelChange(thinkingLevel: ThinkingLevel): string {
		return this.append({ type: "thinking_level_change", ...this.entryBase(), thinkingLevel });
	}

	appendModelChange(provider: string, modelId: string): string {
		return this.append({ type: "model_change", ...this.entryBase(), provider, modelId });
	}

	/** Model-attributed usage outside the conversation (pi 1.6.0): counted in totals, never in the context. */
	appendUsage(kind: string, provider: string, model: string, usage: Usage, note?: string): UsageEntry {
		const entry: UsageEntry = {
			type: "usage",
			...this.entryBase(),
			kind,
			provider,
			model,
			usage,
			...(note ? { note } : {}),
		};
		this.append(entry);
		return entry;
	}

	/**
	 * `fromHook` defaults to false: pi's session layer always writes it (true only for extension summaries).
	 * `firstKeptEntryId` null keeps nothing (the entry names itself, as pi 1.6.0). The entry records the replayed
	 * prompt and tools at this point as its `systemMessage` checkpoint.
	 */
	appendCompaction(
		summary: string,
		firstKeptEntryId: string | null,
		tokensBefore: number,
		details?: unknown,
		fromHook = false,
		usage?: Usage,
	): string {
		const base = this.entryBase();
		const systemMessage = getCurrentSystemMessage(this.buildSessionProjection().messages);
		return this.append({
			type: "compaction",
			...base,
			summary,
			firstKeptEntryId: firstKeptEntryId ?? base.id,
			tokensBefore,
			details,
			usage,
			fromHook,
			...(systemMessage ? { systemMessage: { ...systemMessage, timestamp: new Date(base.timestamp).getTime() } } : {}),
		});
	}

	/**
	 * A branch-relative edit of an earlier entry's contribution to the context (pi 1.6.0): null omits it, otherwise
	 * its content is replaced (a string for an assistant or tool result becomes one text block).
	 */
	appendContextEdit(targetId: string, replacement: ContextEditEntry["replacement"]): string {
		const target = this.byId.get(targetId);
		if (!target) throw new PiError(`Entry ${targetId} not found`);
		if (!this.getBranch().some((entry) => entry.id === targetId)) {
			throw new PiError(`Entry ${targetId} is not on the active branch`);
		}
		const role = target.type === "message" ? target.message.role : target.type === "custom_message" ? "custom" : "";
		if (!["user", "assistant", "toolResult", "custom"].includes(role)) {
			throw new PiError(`Entry ${targetId} does not contribute editable model content`);
		}
		const normalized =
			replacement !== null && (role === "assistant" || role === "toolResult") && typeof replacement.content === "string"
				? { content: [{ type: "text" as const, text: replacement.content }] }
				: replacement;
		return this.append({ type: "context_edit", ...this.entryBase(), targetId, replacement: normalized });
	}

	/**
	 * pi's branchWithSummary: moves the leaf to `branchFromId` (null = before the first entry) and appends the
	 * summary there; the entry's `fromId` is the leaf it left (pi 1.6.0; "root" when there was none).
	 */
	appendBranchSummary(
		branchFromId: string | null,
		summary: string,
		details?: unknown,
		fromHook = false,
		usage?: Usage,
	): string {
		if (branchFromId !== null && !this.byId.has(branchFromId)) throw new PiError(`Entry ${branchFromId} not found`);
		const fromId = this.leafId ?? "root";
		this.leafId = branchFromId;
		return this.append({
			type: "branch_summary",
			...this.entryBase(),
			fromId,
			summary,
			details,
			usage,
			fromHook,
		});
	}

	appendCustomEntry(customType: string, data?: unknown): string {
		return this.append({ type: "custom", customType, data, ...this.entryBase() });
	}

	appendCustomMessage(
		customType: string,
		content: CustomMessage["content"],
		display: boolean,
		details?: unknown,
	): string {
		return this.append({ type: "custom_message", customType, content, display, details, ...this.entryBase() });
	}

	appendSessionInfo(name: string): string {
		return this.append({ type: "session_info", ...this.entryBase(), name: name.trim() });
	}

	/** Sets (or with undefined/"" clears) the label of an existing entry. */
	appendLabel(targetId: string, label: string | undefined): string {
		if (!this.byId.has(targetId)) throw new PiError(`Entry ${targetId} not found`);
		return this.append({ type: "label", ...this.entryBase(), targetId, label });
	}

	// ------------------------------------------------------------------ branching

	branch(entryId: string): void {
		if (!this.byId.has(entryId)) throw new PiError(`Entry ${entryId} not found`);
		this.leafId = entryId;
	}

	resetLeaf(): void {
		this.leafId = null;
	}

	/**
	 * A new session holding the root→`leafId` path (labels on that path re-created after it), whose header names
	 * this session as its parent. Written at once if it holds a user or assistant message, else lazily.
	 */
	createBranchedSession(leafId: string): SessionManager {
		const path = this.getBranch(leafId);
		if (path.length === 0) throw new PiError(`Entry ${leafId} not found`);
		const entries = branchedEntries(path, this.labels);
		const header = newHeader(this.cwd, { parentSession: this.writer?.path });
		const writer = this.writer ? newFileWriter(this.sessionDir, header) : undefined;
		const branched = new SessionManager({
			cwd: this.cwd,
			sessionDir: this.sessionDir,
			header,
			entries,
			writer,
			warnings: [],
		});
		branched.persist();
		return branched;
	}

	// ------------------------------------------------------------------ internals

	private entryBase(): { id: string; parentId: string | null; timestamp: string } {
		return { id: createEntryId(this.byId), parentId: this.leafId, timestamp: new Date().toISOString() };
	}

	/** Registers an entry in the indexes; the leaf follows file order (pi-spec §3.4). */
	private index(entry: SessionEntry): void {
		this.byId.set(entry.id, entry);
		this.leafId = entry.id;
		if (entry.type === "message" && (entry.message.role === "user" || entry.message.role === "assistant")) {
			this.hasConversation = true;
		}
		if (entry.type === "session_info") this.latestInfo = entry;
		if (entry.type === "label") {
			if (entry.label) this.labels.set(entry.targetId, { label: entry.label, timestamp: entry.timestamp });
			else this.labels.delete(entry.targetId);
		}
	}

	private append(entry: SessionEntry): string {
		this.entries.push(dropUndefined(entry));
		this.index(entry);
		this.persist();
		return entry.id;
	}

	/**
	 * Nothing reaches disk before the first user or assistant message; then everything pending does.
	 * A failed write (full disk, read-only file) must not end the conversation: the entries stay in memory,
	 * the next append writes them all again, and listeners are told once so the user learns it is unsaved.
	 */
	private persist(): void {
		if (!this.writer || !this.hasConversation) return;
		try {
			this.writer.flush(this.header, this.entries);
			this.saveFailure = undefined;
		} catch (error) {
			const isNew = this.saveFailure === undefined;
			this.saveFailure = new FileError(`Cannot save the session to ${this.writer.path}: ${errorMessage(error)}`, {
				cause: error,
			});
			if (isNew) for (const listener of this.saveFailureListeners) listener(this.saveFailure);
		}
	}

	/** The write failure that left entries unsaved, until a later write succeeds. */
	getSaveFailure(): FileError | undefined {
		return this.saveFailure;
	}

	/** Called when saving starts failing (once per run of failures). Returns the unsubscribe function. */
	onSaveFailure(listener: (failure: FileError) => void): () => void {
		this.saveFailureListeners.add(listener);
		return () => this.saveFailureListeners.delete(listener);
	}
}

/** The folder sessions are written to; a failure (a file in the way, no permission) is the user's to fix. */
function ensureSessionDir(dir: string): void {
	try {
		mkdirSync(dir, { recursive: true });
	} catch (error) {
		throw new FileError(`Cannot create the session folder ${dir}: ${errorMessage(error)}`, { cause: error });
	}
}

/** Entries are kept as they will be read back: keys with undefined values are omitted like JSON does. */
function dropUndefined<T extends object>(entry: T): T {
	for (const key of Object.keys(entry)) {
		if (Reflect.get(entry, key) === undefined) Reflect.deleteProperty(entry, key);
	}
	return entry;
}
