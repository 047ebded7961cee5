/**
 * The cloud providers' API-key logins against pi 1.6.0's own: `pi auth login <provider>` of the real pi (in a
 * pseudo-terminal made by util-linux `script`, answering each question when it appears) and our login flow given the
 * same answers ask the same questions and write the same auth.json entry.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiKeyLoginFor } from "../../src/auth/login/api-key-logins.ts";
import type { LoginInteraction } from "../../src/auth/login/interaction.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { makePiEnv, type PiEnv } from "../support/run-pi.ts";

/** One question: what pi prints before waiting, what is typed, and our flow's answer (an option id for a choice). */
interface Step {
	waitFor: string;
	type: string;
	ours: string;
}

/** Runs pi 1.6.0's `auth login` answering `steps` as their prompts appear; returns its auth.json and output. */
async function piLogin(
	provider: string,
	steps: Step[],
	env: PiEnv,
): Promise<{ auth: unknown; output: string; exitCode: number }> {
	const pi = referencePi160();
	if (!pi) throw new Error("pi 1.6.0 not installed");
	const command = [...pi.command, "auth", "login", provider].map((part) => `'${part}'`).join(" ");
	const child = Bun.spawn(["script", "-qec", command, "/dev/null"], {
		env: env.env,
		stdin: "pipe",
		stdout: "pipe",
		stderr: "pipe",
	});
	let output = "";
	const pending = [...steps];
	const decoder = new TextDecoder();
	const reader = child.stdout.getReader();
	const deadline = Date.now() + 60_000;
	for (;;) {
		const step = pending[0];
		if (step && output.includes(step.waitFor)) {
			pending.shift();
			// Each answer is looked for only in what comes after it.
			output = output.slice(output.indexOf(step.waitFor) + step.waitFor.length);
			child.stdin.write(`${step.type}\r`);
			child.stdin.flush();
			continue;
		}
		if (Date.now() > deadline) throw new Error(`pi did not ask ${step?.waitFor}; it printed:\n${output}`);
		const chunk = await reader.read();
		if (chunk.done) break;
		output += decoder.decode(chunk.value, { stream: true });
	}
	child.stdin.end();
	const exitCode = await child.exited;
	if (pending.length > 0) throw new Error(`pi ended before asking ${pending[0]?.waitFor}:\n${output}`);
	const authJson: unknown = JSON.parse(readFileSync(join(env.agentDir, "auth.json"), "utf-8"));
	return { auth: authJson, output, exitCode };
}

/** Our flow with the same answers; the questions it asked, for comparison with pi's prompts. */
async function ourLogin(provider: string, steps: Step[]): Promise<{ entry: unknown; asked: string[] }> {
	const answers = steps.map((step) => step.ours);
	const asked: string[] = [];
	const interaction: LoginInteraction = {
		signal: new AbortController().signal,
		prompt: async (prompt) => {
			asked.push(prompt.message);
			return answers.shift() ?? "";
		},
		notify: () => {},
	};
	return { entry: await apiKeyLoginFor(provider)(interaction), asked };
}

const CASES: { name: string; provider: string; steps: (home: string) => Step[] }[] = [
	{
		name: "Bedrock, AWS profile",
		provider: "amazon-bedrock",
		steps: () => [
			{ waitFor: "Select 1-3:", type: "2", ours: "aws-profile" },
			{ waitFor: "Enter AWS profile name", type: "team", ours: "team" },
		],
	},
	{
		name: "Bedrock, existing credential chain",
		provider: "amazon-bedrock",
		steps: () => [
			{ waitFor: "Select 1-3:", type: "3", ours: "credential-chain" },
			{ waitFor: "Configure AWS credentials, then press Enter to continue", type: "", ours: "" },
		],
	},
	{
		name: "Vertex, Application Default Credentials",
		provider: "google-vertex",
		steps: () => [
			{ waitFor: "Select 1-3:", type: "2", ours: "adc" },
			{ waitFor: "Enter Google Cloud project ID", type: "my-project", ours: "my-project" },
			{ waitFor: "Enter Google Cloud location", type: "europe-west4", ours: "europe-west4" },
		],
	},
	{
		name: "Vertex, service account file",
		provider: "google-vertex",
		steps: (home) => [
			{ waitFor: "Select 1-3:", type: "3", ours: "service-account" },
			{ waitFor: "Enter Google Cloud project ID", type: "p1", ours: "p1" },
			{ waitFor: "Enter Google Cloud location", type: "us-central1", ours: "us-central1" },
			{
				waitFor: "Enter service account credentials file path",
				type: join(home, "sa.json"),
				ours: join(home, "sa.json"),
			},
		],
	},
	{
		name: "Cloudflare Workers AI",
		provider: "cloudflare-workers-ai",
		steps: () => [
			{ waitFor: "Enter Cloudflare API key", type: "cf-token", ours: "cf-token" },
			{ waitFor: "Enter Cloudflare account ID", type: "acct-1", ours: "acct-1" },
		],
	},
	{
		name: "Cloudflare AI Gateway",
		provider: "cloudflare-ai-gateway",
		steps: () => [
			{ waitFor: "Enter Cloudflare API key", type: "cf-token", ours: "cf-token" },
			{ waitFor: "Enter Cloudflare account ID", type: "acct-1", ours: "acct-1" },
			{ waitFor: "Enter Cloudflare AI Gateway ID", type: "gw-1", ours: "gw-1" },
		],
	},
];

const pi160 = referencePi160();
const hasScript = Bun.which("script") !== null;
describe.skipIf(!pi160 || !hasScript)("cloud logins as pi 1.6.0's `pi auth login`", () => {
	for (const { name, provider, steps } of CASES) {
		test(name, async () => {
			const env = makePiEnv();
			writeFileSync(join(env.home, "sa.json"), "{}");
			const script = steps(env.home);
			const pi = await piLogin(provider, script, env);
			expect(pi.exitCode).toBe(0);
			const ours = await ourLogin(provider, script);
			expect(pi.auth).toEqual({ [provider]: ours.entry });
			// Every question pi asked (in the order answered) is one of ours, worded the same.
			expect(ours.asked.slice(script[0]?.waitFor === "Select 1-3:" ? 1 : 0)).toEqual(
				script.filter((step) => step.waitFor !== "Select 1-3:").map((step) => step.waitFor),
			);
		}, 90_000);
	}
});
