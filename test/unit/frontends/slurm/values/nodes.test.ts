import { describe, expect, test } from "vitest";
import { parseNodeList, parseNodes } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("--nodes (spec §8.4, verify_node_count)", () => {
  test("a single count is min = max", () => {
    expect(accepted(parseNodes("4"))).toEqual({ min: 4, max: 4 });
    expect(accepted(parseNodes("1"))).toEqual({ min: 1, max: 1 });
    expect(accepted(parseNodes("0"))).toEqual({ min: 0, max: 0 });
  });

  test("ranges: min-max, empty min means 1; tricky case 48", () => {
    expect(accepted(parseNodes("2-4"))).toEqual({ min: 2, max: 4 });
    expect(accepted(parseNodes("-4"))).toEqual({ min: 1, max: 4 });
    expect(notesOf(parseNodes("-4"))).toEqual(["`-4` has no minimum before the `-`: sbatch reads it as 1-4"]);
    expect(accepted(parseNodes("4-4"))).toEqual({ min: 4, max: 4 });
  });

  test("max < min and an empty max are fatal", () => {
    expect(rejected(parseNodes("4-2"))).toEqual({
      ok: false,
      message: "`4-2`: the maximum node count 2 is less than the minimum 4",
      suggestions: ["2-4"],
    });
    expect(rejected(parseNodes("2-"))).toEqual({
      ok: false,
      message: "`2-` has no maximum after the `-`: write `2` for exactly 2 node(s), or `2-N` for a range",
      suggestions: ["2"],
    });
  });

  test("a maximum of 0 switches the check off: at least min", () => {
    expect(accepted(parseNodes("4-0"))).toEqual({ min: 4 });
  });

  test("k and m suffixes, surrounding whitespace", () => {
    expect(accepted(parseNodes("1k"))).toEqual({ min: 1024, max: 1024 });
    expect(accepted(parseNodes("2K"))).toEqual({ min: 2048, max: 2048 });
    expect(accepted(parseNodes("1-1k"))).toEqual({ min: 1, max: 1024 });
    expect(accepted(parseNodes(" 4 "))).toEqual({ min: 4, max: 4 });
    expect(accepted(parseNodes("3m"))).toEqual({ min: 3145728, max: 3145728 });
    rejected(parseNodes("3000m"));
  });

  test("size lists: sizes and their extremes", () => {
    expect(accepted(parseNodes("1,2,4"))).toEqual({ min: 1, max: 4, sizes: [1, 2, 4] });
    expect(accepted(parseNodes("1-15:4"))).toEqual({ min: 1, max: 13, sizes: [1, 5, 9, 13] });
    expect(accepted(parseNodes("8,2,2"))).toEqual({ min: 2, max: 8, sizes: [2, 8] });
    expect(rejected(parseNodes("1,16384")).message).toContain("below 16384");
    rejected(parseNodes("1,,2"));
    expect(rejected(parseNodes("3:2")).message).toBe(
      "`3:2`: a step (`:N`) needs a range before it, as in `1-15:4`",
    );
  });

  test("node lists and words are not counts", () => {
    expect(rejected(parseNodes("gpu[01-04]")).message).toBe(
      "`gpu[01-04]` is a node list, not a node count: name nodes with `--nodelist` (`-w`); `--nodes` takes a number such as `4` or a range such as `2-4`",
    );
    expect(rejected(parseNodes("node01")).message).toContain("is a node list");
    expect(rejected(parseNodes("two")).message).toBe(
      "`two` is not a node count: write a number such as `4` or a range such as `2-4`",
    );
    expect(rejected(parseNodes("<my_node_count>")).message).toContain("template placeholder");
  });

  test("empty, huge, unicode", () => {
    expect(rejected(parseNodes("")).message).toBe(
      "the node count is empty: write a number such as `4`, or a range such as `2-4`",
    );
    rejected(parseNodes("   "));
    expect(rejected(parseNodes("99999999999")).message).toBe(
      "`99999999999` is too large: sbatch stores node counts in a 32-bit integer",
    );
    rejected(parseNodes("2097152k"));
    expect(rejected(parseNodes("2\u20134")).suggestions).toEqual(["2-4"]);
  });
});

describe("--nodelist / --exclude host lists (spec §8.4)", () => {
  test("ranges expand with zero padding; duplicates drop", () => {
    expect(accepted(parseNodeList("gpu[01-04]"))).toEqual({
      kind: "hosts",
      hosts: ["gpu01", "gpu02", "gpu03", "gpu04"],
    });
    expect(accepted(parseNodeList("n[8-10],n9,a1"))).toEqual({
      kind: "hosts",
      hosts: ["n8", "n9", "n10", "a1"],
    });
    expect(accepted(parseNodeList("gpu[1-2,7]x"))).toEqual({
      kind: "hosts",
      hosts: ["gpu1x", "gpu2x", "gpu7x"],
    });
    expect(accepted(parseNodeList("r[1-2]n[1-2]"))).toEqual({
      kind: "hosts",
      hosts: ["r1n1", "r1n2", "r2n1", "r2n2"],
    });
  });

  test("a value with / is a host file", () => {
    expect(accepted(parseNodeList("./hosts.txt"))).toEqual({ kind: "file", path: "./hosts.txt" });
  });

  test("errors", () => {
    expect(rejected(parseNodeList("n[1-3")).message).toBe("`n[1-3` has a `[` that is never closed");
    expect(rejected(parseNodeList("n[5-3]")).message).toBe(
      "`5-3` in `n[5-3]`: the range ends before it starts",
    );
    rejected(parseNodeList("n[a-b]"));
    rejected(parseNodeList("n[[1]]"));
    rejected(parseNodeList(""));
    expect(rejected(parseNodeList("n[0-99999999]")).message).toBe(
      "`n[0-99999999]` names more than 65536 hosts; check the ranges",
    );
  });
});
