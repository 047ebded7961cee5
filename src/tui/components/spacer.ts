import type { Component } from "../component.ts";

/** Blank lines. */
export class Spacer implements Component {
	constructor(private lines = 1) {}

	setLines(lines: number): void {
		this.lines = lines;
	}

	render(_width: number): string[] {
		return Array.from({ length: this.lines }, () => "");
	}
}
