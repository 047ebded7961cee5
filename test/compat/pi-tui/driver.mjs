// Runs pi 1.6.0's own pi-tui (from the npm install in PI_REF_160_DIR) on cases read from stdin (JSON) and prints
// the results as JSON: key parsing, printable decoding, key matching, and editor sessions. Run with pi's Node 22.
import { readFileSync } from "node:fs";

const prefix = process.argv[2];
const tui = await import(`${prefix}/node_modules/@earendil-works/pi-tui/dist/index.js`);
const input = JSON.parse(readFileSync(0, "utf8"));
const identity = (text) => text;
const editorTheme = {
	borderColor: identity,
	selectList: {
		selectedPrefix: identity,
		selectedText: identity,
		description: identity,
		scrollInfo: identity,
		noMatch: identity,
	},
};

function keys(cases) {
	return cases.map(({ data, kitty }) => {
		tui.setKittyProtocolActive(kitty);
		return { id: tui.parseKey(data) ?? null, printable: tui.decodeKittyPrintable(data) ?? null };
	});
}

/** For each case, the specs of `input.specs` that the data matches. */
function matches(cases, specs) {
	return cases.map(({ data, kitty }) => {
		tui.setKittyProtocolActive(kitty);
		return specs.filter((spec) => tui.matchesKey(data, spec));
	});
}

function editors(cases) {
	tui.setKittyProtocolActive(false);
	return cases.map(({ steps, width }) => {
		const fakeTui = { requestRender() {}, terminal: { rows: 24, columns: width } };
		const editor = new tui.Editor(fakeTui, editorTheme);
		editor.focused = true;
		const submitted = [];
		editor.onSubmit = (text) => submitted.push(text);
		for (const step of steps) {
			if (step.key !== undefined) editor.handleInput(step.key);
			else if (step.history !== undefined) editor.addToHistory(step.history);
			else if (step.setText !== undefined) editor.setText(step.setText);
		}
		return { text: editor.getText(), cursor: editor.getCursor(), submitted, lines: editor.render(width) };
	});
}

/**
 * pi's editor with its CombinedAutocompleteProvider over the case's commands (an argument completion offers the
 * command's `args` whose value starts with what was typed) and folder; after every key the autocomplete settles.
 */
async function autocompletes(cases) {
	tui.setKittyProtocolActive(false);
	const settle = () => new Promise((resolve) => setTimeout(resolve, 40));
	const results = [];
	for (const { steps, width, commands, cwd } of cases) {
		const fakeTui = { requestRender() {}, terminal: { rows: 24, columns: width } };
		const editor = new tui.Editor(fakeTui, editorTheme);
		editor.focused = true;
		const submitted = [];
		editor.onSubmit = (text) => submitted.push(text);
		const specs = commands.map((command) => ({
			name: command.name,
			description: command.description,
			...(command.argumentHint ? { argumentHint: command.argumentHint } : {}),
			...(command.args
				? {
						getArgumentCompletions: (prefix) => {
							const items = command.args.filter((item) => item.value.startsWith(prefix));
							return items.length > 0 ? items : null;
						},
					}
				: {}),
		}));
		editor.setAutocompleteProvider(new tui.CombinedAutocompleteProvider(specs, cwd, null));
		const frames = [];
		for (const key of steps) {
			editor.handleInput(key);
			await settle();
			frames.push({ text: editor.getText(), cursor: editor.getCursor(), lines: editor.render(width) });
		}
		results.push({ frames, submitted });
	}
	return results;
}

/** pi-coding-agent's dist folder, with its dark theme and its keybindings active (its components need both). */
async function codingAgent() {
	const base = `${prefix}/node_modules/@earendil-works/pi-coding-agent/dist`;
	const { KeybindingsManager } = await import(`${base}/core/keybindings.js`);
	const themes = await import(`${base}/modes/interactive/theme/theme.js`);
	themes.initTheme("dark");
	tui.setKeybindings(new KeybindingsManager());
	tui.setKittyProtocolActive(false);
	return base;
}

/** pi 1.6.0's /model selector over the case's models (a catalog refresh that finds nothing new). */
async function modelSelectors(cases) {
	if (cases.length === 0) return [];
	const base = await codingAgent();
	const { ModelSelectorComponent } = await import(`${base}/modes/interactive/components/model-selector.js`);
	const results = [];
	for (const { models, current, scoped, defaultModel, search, steps, width } of cases) {
		const find = (ref) => models.find((m) => m.provider === ref?.provider && m.id === ref?.id);
		const runtime = {
			getAvailableSnapshot: () => models,
			getModel: (provider, id) => find({ provider, id }),
			getError: () => undefined,
			refresh: async () => ({ errors: new Map(), aborted: false }),
		};
		const events = [];
		const selector = new ModelSelectorComponent(
			{ requestRender() {}, terminal: { rows: 40, columns: width } },
			find(current),
			runtime,
			scoped.map((ref) => ({ model: find(ref) })),
			(model) => events.push(`select ${model.provider}/${model.id}`),
			() => events.push("cancel"),
			search,
			(model) => events.push(`default ${model.provider}/${model.id}`),
			defaultModel,
		);
		selector.focused = true;
		await new Promise((resolve) => setTimeout(resolve, 20));
		const frames = [selector.render(width)];
		for (const key of steps) {
			selector.handleInput(key);
			frames.push(selector.render(width));
		}
		selector.dispose();
		results.push({ frames, events });
	}
	return results;
}

/** pi 1.6.0's /tree selector on each case: the rows after the steps, and what it reported. */
async function trees(cases) {
	if (cases.length === 0) return [];
	const base = await codingAgent();
	const { TreeSelectorComponent } = await import(`${base}/modes/interactive/components/tree-selector.js`);
	return cases.map(({ tree, leafId, height, width, steps, filter }) => {
		const events = [];
		const selector = new TreeSelectorComponent(
			structuredClone(tree),
			leafId,
			height,
			(id) => events.push(`select ${id}`),
			() => events.push("cancel"),
			(id, label) => events.push(`label ${id} ${label ?? "-"}`),
			undefined,
			filter,
		);
		selector.onCopy = (text) => events.push(`copy ${text ?? "-"}`);
		selector.focused = true;
		const frames = [];
		for (const key of steps) {
			selector.handleInput(key);
			frames.push(selector.render(width));
		}
		if (steps.length === 0) frames.push(selector.render(width));
		return { frames, events };
	});
}

process.stdout.write(
	JSON.stringify({
		keys: keys(input.keys ?? []),
		matches: matches(input.matches ?? [], input.specs ?? []),
		editors: editors(input.editors ?? []),
		trees: await trees(input.trees ?? []),
		autocompletes: await autocompletes(input.autocompletes ?? []),
		modelSelectors: await modelSelectors(input.modelSelectors ?? []),
	}),
);
