/** AgentSession applies the loaded skills and templates: expansion in prompt, steer and followUp. */
import { afterEach, describe, expect, test } from "bun:test";
import { createSession } from "../interactive/harness.ts";
import { load, makeLayout, skillMd, writeTree } from "./helpers.ts";

const originalHome = process.env.HOME;
afterEach(() => {
	process.env.HOME = originalHome;
});

function resources() {
	const layout = makeLayout();
	writeTree(layout.agentDir, {
		"prompts/greet.md": "Say hello to $1.",
		"skills/tidy/SKILL.md": skillMd({ description: "Tidy up" }, "Remove clutter."),
	});
	return load(layout);
}

describe("AgentSession with resources", () => {
	test("prompt() sends and saves the expanded template", async () => {
		const { session, contexts } = createSession({ turns: [{ chunks: ["hi"] }] });
		session.setResources(resources());
		await session.prompt("/greet Ada");
		const sent = JSON.stringify(contexts.at(-1)?.messages.at(-1));
		expect(sent).toContain("Say hello to Ada.");
		expect(sent).not.toContain("/greet");
		const saved = JSON.stringify(session.sessionManager.buildSessionContext().messages.find((m) => m.role === "user"));
		expect(saved).toContain("Say hello to Ada.");
	});

	test("steer and followUp queue the expanded text", () => {
		const { session } = createSession({ turns: [] });
		session.setResources(resources());
		const updates: { steering: readonly string[]; followUp: readonly string[] }[] = [];
		session.subscribe((event) => {
			if (event.type === "queue_update") updates.push({ steering: event.steering, followUp: event.followUp });
		});
		session.steer("/greet Bob");
		session.followUp("/skill:tidy now");
		const last = updates.at(-1);
		expect(last?.steering).toEqual(["Say hello to Bob."]);
		expect(last?.followUp[0]).toStartWith('<skill name="tidy" location="');
		expect(last?.followUp[0]).toEndWith("Remove clutter.\n</skill>\n\nnow");
	});

	test("without resources nothing is expanded; setResources replaces what the session exposes", () => {
		const { session } = createSession({ turns: [] });
		expect(session.resources.skills).toEqual([]);
		session.followUp("/greet Cy");
		session.setResources(resources());
		expect(session.resources.skills.map((s) => s.name)).toEqual(["tidy"]);
		expect(session.clearQueue().followUp).toEqual(["/greet Cy"]);
	});
});
