import { describe, expect, test } from "vitest";
import { parseArray } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const range = (a: number, b: number, step = 1) =>
  Array.from({ length: Math.floor((b - a) / step) + 1 }, (_, i) => a + i * step);

describe("--array (spec §8.7)", () => {
  test.each([
    ["0-15", range(0, 15), undefined],
    ["0,6,16-32", [0, 6, ...range(16, 32)], undefined],
    ["0-15:4", [0, 4, 8, 12], undefined],
    ["1-7:2", [1, 3, 5, 7], undefined],
    ["0-99%10", range(0, 99), 10],
    ["[1-5]", [1, 2, 3, 4, 5], undefined],
    ["1,3,5%2", [1, 3, 5], 2],
    ["5", [5], undefined],
  ] as const)("the spec's table: %s", (text, ids, limit) => {
    const value = accepted(parseArray(text));
    expect(value.taskIds).toEqual(ids);
    expect(value.maxRunning).toBe(limit);
  });

  test.each(["-1", "5-3", "3:2", "0-10:0", "0-1001"])("the spec's rejections: %s", (text) => {
    rejected(parseArray(text));
  });

  test("tricky case 26 and the step variable", () => {
    expect(accepted(parseArray("1-10:3"))).toEqual({ taskIds: [1, 4, 7, 10], step: 3 });
    expect(accepted(parseArray("0-15")).step).toBe(1);
  });

  test("duplicates merge, order does not matter, brackets anywhere", () => {
    expect(accepted(parseArray("5,1-3,2,3")).taskIds).toEqual([1, 2, 3, 5]);
    expect(accepted(parseArray("[1,3]")).taskIds).toEqual([1, 3]);
    expect(accepted(parseArray("[1-5]:2")).taskIds).toEqual([1, 3, 5]);
    expect(accepted(parseArray("[1-5:2]")).taskIds).toEqual([1, 3, 5]);
  });

  test("limits: %0 and a bare % mean none; indices after % are still read", () => {
    expect(accepted(parseArray("0-9%0")).maxRunning).toBeUndefined();
    expect(notesOf(parseArray("0-9%0"))).toEqual(["`%0` sets no limit: all tasks may run at once"]);
    expect(accepted(parseArray("0-9%")).maxRunning).toBeUndefined();
    expect(accepted(parseArray("1-5%2,7"))).toEqual({ taskIds: [1, 2, 3, 4, 5, 7], maxRunning: 2, step: 1 });
    expect(rejected(parseArray("0-9%x")).message).toBe(
      "`0-9%x`: `%` must be followed by the number of tasks that may run at once, as in `0-99%10`, but `x` follows",
    );
  });

  test("exact messages", () => {
    expect(rejected(parseArray("0-1001")).message).toBe(
      "`0-1001`: index 1001 is too large; the default MaxArraySize is 1001, so indices must be at most 1000",
    );
    expect(rejected(parseArray("3:2")).message).toBe(
      "`3:2`: a step (`:N`) is only allowed after a range, as in `3-M:2`",
    );
    expect(rejected(parseArray("5-3"))).toEqual({
      ok: false,
      message: "`5-3`: the range ends before it starts",
      suggestions: ["3-5"],
    });
    expect(rejected(parseArray("-1")).message).toBe("`-1`: array indices cannot be negative");
    expect(rejected(parseArray("0-10:0")).message).toBe("`0-10:0`: the step must be at least 1");
    expect(rejected(parseArray("1,x")).message).toBe(
      "`x` in `1,x` is not an array index: write `N`, `N-M` or `N-M:STEP` (e.g. `0-15:4`)",
    );
  });

  test("the cluster's MaxArraySize is configurable", () => {
    expect(accepted(parseArray("0-1001", { maxArraySize: 2000 })).taskIds).toHaveLength(1002);
    expect(rejected(parseArray("10", { maxArraySize: 10 })).message).toBe(
      "`10`: index 10 is too large; MaxArraySize is 10, so indices must be at most 9",
    );
  });

  test("empty, whitespace, huge, placeholders, unicode", () => {
    rejected(parseArray(""));
    expect(accepted(parseArray("1,,2")).taskIds).toEqual([1, 2]);
    expect(rejected(parseArray("1, 2")).suggestions).toEqual(["1,2"]);
    rejected(parseArray("99999999999999999999"));
    expect(rejected(parseArray("0-99%99999999999")).message).toContain("too large");
    expect(rejected(parseArray("1-$N")).message).toContain("template placeholder");
    expect(rejected(parseArray("1\u201310")).suggestions).toEqual(["1-10"]);
  });
});
