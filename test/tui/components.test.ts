import { describe, expect, test } from "bun:test";
import { CURSOR_MARKER } from "../../src/tui/component.ts";
import { Input } from "../../src/tui/components/input.ts";
import { Loader } from "../../src/tui/components/loader.ts";
import { SelectList } from "../../src/tui/components/select-list.ts";
import { Spacer } from "../../src/tui/components/spacer.ts";
import { Text } from "../../src/tui/components/text.ts";
import { splitInput } from "../../src/tui/input-split.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

const items = [
	{ value: "model", label: "/model", description: "Select model" },
	{ value: "mode", label: "/mode" },
	{ value: "new", label: "/new", description: "New session" },
	{ value: "name", label: "/name" },
	{ value: "quit", label: "/quit" },
];

describe("SelectList", () => {
	test("filter by prefix, navigate with wrap-around, select and cancel", () => {
		const list = new SelectList(items, 3);
		const selected: string[] = [];
		let cancelled = 0;
		list.onSelect = (item) => selected.push(item.value);
		list.onCancel = () => cancelled++;
		list.setFilter("mo");
		expect(list.getVisibleItems().map((i) => i.value)).toEqual(["model", "mode"]);
		list.handleInput("\x1b[B");
		list.handleInput("\r");
		expect(selected).toEqual(["mode"]);
		list.handleInput("\x1b[B");
		expect(list.getSelectedItem()?.value).toBe("model");
		list.handleInput("\x1b[A");
		expect(list.getSelectedItem()?.value).toBe("mode");
		list.handleInput("\x1b");
		expect(cancelled).toBe(1);
		list.setFilter("zzz");
		expect(stripAnsi(list.render(40)[0] ?? "")).toContain("No matching");
	});

	test("render shows a window around the selection, the arrow, descriptions and a position hint", () => {
		const list = new SelectList(items, 3);
		for (let i = 0; i < 3; i++) list.handleInput("\x1b[B");
		const lines = list.render(50).map(stripAnsi);
		expect(lines.length).toBe(4);
		expect(lines.some((line) => line.startsWith("→ /name"))).toBe(true);
		expect(lines.at(-1)).toContain("(4/5)");
		const first = new SelectList(items, 5).render(50).map(stripAnsi);
		expect(first[0]).toMatch(/^→ \/model\s+Select model$/);
	});
});

describe("Input", () => {
	test("editing keys and submit", () => {
		const input = new Input();
		input.focused = true;
		const submitted: string[] = [];
		input.onSubmit = (value) => submitted.push(value);
		for (const key of splitInput("helo\x1b[Dl\x01>\x05 w\x17x\r")) input.handleInput(key);
		expect(submitted).toEqual([">hello x"]);
		const line = input.render(20)[0] ?? "";
		expect(line).toContain(CURSOR_MARKER);
		expect(stripAnsi(line.replace(CURSOR_MARKER, ""))).toBe("> >hello x ");
	});

	test("long values scroll so the cursor stays visible", () => {
		const input = new Input();
		input.setValue("x".repeat(50));
		const line = stripAnsi(input.render(20)[0] ?? "");
		expect(line.length).toBeLessThanOrEqual(20);
	});
});

describe("Text, Spacer, Loader", () => {
	test("Text wraps with padding and renders nothing when blank", () => {
		expect(new Text("hello world", 1, 1).render(8)).toEqual(["", " hello", " world", ""]);
		expect(new Text("   ").render(10)).toEqual([]);
		expect(new Spacer(2).render(10)).toEqual(["", ""]);
	});

	test("Loader animates through spinner frames and stops", async () => {
		const tui = new TUI(new VirtualTerminal(20, 5));
		const loader = new Loader(tui, "Working...");
		const first = stripAnsi(loader.render(20)[1] ?? "");
		expect(first).toBe(" ⠋ Working...");
		await new Promise((resolve) => setTimeout(resolve, 200));
		loader.stop();
		const later = stripAnsi(loader.render(20)[1] ?? "");
		expect(later).not.toBe(first);
		loader.setMessage("Retrying");
		expect(stripAnsi(loader.render(20)[1] ?? "")).toContain("Retrying");
	});
});
