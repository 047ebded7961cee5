import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { lazyGroup, lazySchema } from "../../src/util/lazy-schema.ts";

const build = () =>
	v.object({ name: v.pipe(v.string(), v.minLength(1, "must not be empty")), size: v.optional(v.number()) });

describe("lazySchema", () => {
	test("builds the schema on the first parse, once", () => {
		let builds = 0;
		const schema = lazySchema(() => {
			builds++;
			return build();
		});
		expect(builds).toBe(0);
		expect(v.parse(schema, { name: "a" })).toEqual({ name: "a" });
		expect(v.is(schema, { name: "b", size: 2 })).toBe(true);
		expect(builds).toBe(1);
	});

	test("gives the same output and issues as the schema itself", () => {
		const eager = build();
		const lazy = lazySchema(build);
		for (const input of [{ name: "x", size: 1, extra: true }, { name: "" }, { name: 3, size: "big" }, null]) {
			const a = v.safeParse(eager, input);
			const b = v.safeParse(lazy, input);
			expect(b.success).toBe(a.success);
			expect(b.output).toEqual(a.output);
			expect(b.issues?.map((issue) => [issue.message, issue.path?.map((item) => item.key)])).toEqual(
				a.issues?.map((issue) => [issue.message, issue.path?.map((item) => item.key)]),
			);
		}
	});
});

describe("lazyGroup", () => {
	test("builds the group on first use and hands back the same schemas after", () => {
		let builds = 0;
		const group = lazyGroup(() => {
			builds++;
			return { A: v.string(), B: v.number() };
		});
		expect(builds).toBe(0);
		const first = group();
		expect(group()).toBe(first);
		expect(v.is(first.A, "a")).toBe(true);
		expect(builds).toBe(1);
	});
});
