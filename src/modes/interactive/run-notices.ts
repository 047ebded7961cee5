/**
 * The notices a run shows once, in pi's order and wording: the startup warnings (models.json problems, a model that
 * could not be restored or none at all, skipped project resources), tmux's keyboard setup, a newer release, and
 * pi's Anthropic subscription warning (at start and after a model switch, once per run).
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { AuthStorage } from "../../auth/auth-storage.ts";
import { hasProtectedProjectResources, UNTRUSTED_PROJECT_WARNING } from "../../config/project-trust.ts";
import { isCompiledBinary } from "../../docs/readme.ts";
import { VERSION } from "../../version.ts";
import { noModelsAvailableMessage } from "./auth-guidance.ts";
import { fg } from "./style.ts";
import { ANTHROPIC_SUBSCRIPTION_AUTH_WARNING, anthropicSubscriptionInUse } from "./subscription-notice.ts";
import { tmuxKeyboardWarning } from "./tmux-check.ts";

/** Where the notices go (the controller's chat notices). */
export interface NoticeSink {
	showWarning(message: string): void;
	showError(message: string): void;
	showInfo(text: string): void;
}

export interface RunNoticeOptions {
	modelFallbackMessage?: string;
	/** Warnings from before the screen started that the screen would hide (fullscreen). */
	startupWarnings?: readonly string[];
}

export class RunNotices {
	private subscriptionWarned = false;

	constructor(
		private readonly sink: NoticeSink,
		private readonly session: AgentSession,
		private readonly auth: AuthStorage,
		private readonly options: RunNoticeOptions,
	) {}

	/** models.json problems, a model that could not be restored, or no model at all (first run). */
	showStartupWarnings(): void {
		for (const warning of this.options.startupWarnings ?? []) this.sink.showWarning(warning);
		// pi 1.6.0: skipped project resources are said right after the transcript.
		if (!this.session.settings.isProjectTrusted() && hasProtectedProjectResources(this.session.cwd)) {
			this.sink.showInfo(fg("warning", UNTRUSTED_PROJECT_WARNING));
		}
		const modelsError = this.session.modelRegistry.loadError;
		if (modelsError) this.sink.showError(`models.json error: ${modelsError}`);
		if (this.options.modelFallbackMessage) this.sink.showWarning(this.options.modelFallbackMessage);
		else if (!this.session.model) this.sink.showWarning(noModelsAvailableMessage());
	}

	/** The checks that answer later: subscription use, tmux's keyboard setup, a newer release. */
	startBackgroundChecks(): void {
		void this.warnAboutSubscriptionUse();
		void tmuxKeyboardWarning(process.env).then((warning) => {
			if (warning) this.sink.showWarning(warning);
		});
		// A newer release: one line, as pi shows it. Lazily imported, cached for a day, off with PI_SKIP_VERSION_CHECK
		// or offline mode, never for a pi running from source.
		if (isCompiledBinary()) {
			void import("../../update/check.ts")
				.then(({ updateNotice }) => updateNotice(VERSION))
				.then((notice) => {
					if (notice) this.sink.showWarning(notice);
				});
		}
	}

	/** Once per run, as pi: Anthropic subscription auth bills third-party use as extra usage (off in /settings). */
	async warnAboutSubscriptionUse(): Promise<void> {
		if (this.subscriptionWarned || !this.session.settings.getWarnings().anthropicExtraUsage) return;
		const model = this.session.model;
		const registry = this.session.modelRegistry;
		if (
			!(await anthropicSubscriptionInUse(this.auth, model?.provider, () => registry.getApiKeyForProvider("anthropic")))
		) {
			return;
		}
		if (this.subscriptionWarned) return;
		this.subscriptionWarned = true;
		this.sink.showWarning(ANTHROPIC_SUBSCRIPTION_AUTH_WARNING);
	}
}
