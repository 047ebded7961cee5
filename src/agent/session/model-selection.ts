/** Choosing models and thinking levels: the defaults and rules shared by startup, switching and Ctrl+P. */
import type { ThinkingLevel } from "../../ai/types.ts";

/** pi's thinking level when neither the session nor the settings name one. */
export const DEFAULT_THINKING_LEVEL: ThinkingLevel = "medium";
