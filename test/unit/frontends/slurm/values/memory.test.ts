import { describe, expect, test } from "vitest";
import { parseMemory } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const mb = (text: string) => accepted(parseMemory(text)).mb;

describe("memory sizes (spec §8.3, str_to_mbytes)", () => {
  test("tricky case 15: 16G, 16GB, 16g, 16gb and 16384 are all 16384 MB", () => {
    for (const text of [
      "16G",
      "16GB",
      "16g",
      "16gb",
      "16Gb",
      "16gB",
      "16384",
      "16384M",
      "16384MB",
      "16384m",
    ]) {
      expect(mb(text)).toBe(16384);
    }
  });

  test("units are binary; K rounds up", () => {
    expect(mb("1K")).toBe(1);
    expect(mb("1500K")).toBe(2);
    expect(mb("1024K")).toBe(1);
    expect(mb("1025kb")).toBe(2);
    expect(mb("0K")).toBe(0);
    expect(mb("1T")).toBe(1048576);
    expect(mb("5tb")).toBe(5242880);
    expect(notesOf(parseMemory("1500K"))).toEqual(["sbatch rounds 1500K up to whole MB: 2 MB"]);
  });

  test("--mem=0 is the whole node; other options get no such note", () => {
    expect(mb("0")).toBe(0);
    expect(notesOf(parseMemory("0"))).toEqual(["`--mem=0` asks for all memory of each node"]);
    expect(notesOf(parseMemory("0", { option: "--mem-per-cpu" }))).toEqual([]);
  });

  test("strtoll leniency: leading whitespace and + pass", () => {
    expect(mb(" 16G")).toBe(16384);
    expect(mb("+16G")).toBe(16384);
    expect(mb("-0")).toBe(0);
  });

  test("tricky case 16 and the other rejections, with exact messages", () => {
    expect(rejected(parseMemory("1.5G"))).toEqual({
      ok: false,
      message: "`1.5G` has a decimal point: sbatch sizes are whole numbers; write `1536M`",
      suggestions: ["1536M"],
    });
    expect(rejected(parseMemory("16GiB"))).toEqual({
      ok: false,
      message: "`16GiB`: sbatch does not accept `GiB`; its units are already binary, so write `16G`",
      suggestions: ["16G"],
    });
    expect(rejected(parseMemory("16 G"))).toEqual({
      ok: false,
      message: "`16 G` has a space before the unit; write `16G`",
      suggestions: ["16G"],
    });
    expect(rejected(parseMemory("16P"))).toEqual({
      ok: false,
      message: "`16P`: sbatch has no `P` unit (the largest is `T`); write `16384T`",
      suggestions: ["16384T"],
    });
    expect(rejected(parseMemory("16B")).message).toBe(
      "`16B`: a bare `B` is not a unit; sbatch sizes are MB unless they end in `K`, `M`, `G` or `T` (e.g. `16M`)",
    );
    expect(rejected(parseMemory("16G ")).suggestions).toEqual(["16G"]);
    expect(rejected(parseMemory("-1G")).message).toBe("`-1G` is negative: a memory size must be 0 or more");
    expect(rejected(parseMemory("16GBB")).message).toContain("unknown unit");
    expect(rejected(parseMemory("16X")).message).toBe(
      "`16X` has an unknown unit `X`: use `K`, `M`, `G` or `T` (optionally followed by `B`), or no unit for MB",
    );
    rejected(parseMemory("16Mn"));
    rejected(parseMemory("G"));
    expect(rejected(parseMemory("1.3G")).suggestions).toEqual(["1332M"]);
  });

  test("empty, huge, placeholders, unicode", () => {
    expect(rejected(parseMemory("")).message).toBe(
      "the size is empty: write a number of MB such as `16000`, or add a unit: `16G`",
    );
    expect(mb("9007199254740991")).toBe(9007199254740991);
    rejected(parseMemory("9007199254740992"));
    rejected(parseMemory("99999999999999999999999G"));
    expect(rejected(parseMemory("{{mem}}")).message).toContain("template placeholder");
    expect(rejected(parseMemory("\uff11\uff16G")).suggestions).toEqual(["16G"]);
  });
});
