import { describe, expect, test } from "vitest";
import { parseInteger, parsePositiveInt } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("plain integers (spec §8.1, parse_int)", () => {
  test("decimal digits with optional leading whitespace and sign", () => {
    expect(accepted(parsePositiveInt("16"))).toBe(16);
    expect(accepted(parsePositiveInt("+4"))).toBe(4);
    expect(accepted(parsePositiveInt("007"))).toBe(7);
    expect(accepted(parsePositiveInt(" 4"))).toBe(4);
    expect(notesOf(parsePositiveInt(" 4"))).toEqual([
      "leading whitespace is ignored, as sbatch's `strtol()` does",
    ]);
  });

  test("the spec's rejections: 4x, 0x10, 1.0", () => {
    expect(rejected(parsePositiveInt("4x", "--ntasks"))).toEqual({
      ok: false,
      message: "`4x` is not a whole number: `--ntasks` takes decimal digits only, but `x` follows `4`",
    });
    expect(rejected(parsePositiveInt("0x10", "--cpus-per-task"))).toEqual({
      ok: false,
      message: "`0x10` is hexadecimal: `--cpus-per-task` takes decimal digits only; write `16`",
      suggestions: ["16"],
    });
    expect(rejected(parsePositiveInt("1.0", "--ntasks"))).toEqual({
      ok: false,
      message: "`1.0` is not a whole number: `--ntasks` takes no decimals",
      suggestions: ["1"],
    });
    expect(rejected(parsePositiveInt("1.5")).suggestions).toBeUndefined();
  });

  test("positive counts reject 0; every count rejects negatives", () => {
    expect(rejected(parsePositiveInt("0", "--ntasks"))).toEqual({
      ok: false,
      message: "`0` is not allowed: `--ntasks` must be at least 1",
      suggestions: ["1"],
    });
    expect(accepted(parseInteger("0"))).toBe(0);
    expect(rejected(parseInteger("-1", { option: "--core-spec" })).message).toBe(
      "`-1` is not allowed: `--core-spec` must be 0 or more",
    );
    rejected(parsePositiveInt("-0"));
    expect(accepted(parseInteger("-0"))).toBe(0);
  });

  test("values ≥ 2147483647 are rejected", () => {
    expect(accepted(parsePositiveInt("2147483646"))).toBe(2147483646);
    expect(rejected(parsePositiveInt("2147483647", "--ntasks")).message).toBe(
      "`2147483647` is too large: sbatch accepts at most 2147483646 for `--ntasks`",
    );
    rejected(parsePositiveInt("99999999999999999999999999"));
  });

  test("empty: 0 for plain integers (strtol quirk), an error for counts", () => {
    expect(accepted(parseInteger(""))).toBe(0);
    expect(notesOf(parseInteger(""))).toEqual([
      "an empty value is read as 0 by sbatch (`strtol()` of an empty string)",
    ]);
    expect(rejected(parsePositiveInt("", "--ntasks")).message).toBe(
      "`--ntasks` is empty: it needs a whole number of at least 1",
    );
  });

  test("trailing whitespace, placeholders, unicode", () => {
    expect(rejected(parsePositiveInt("4 "))).toEqual({
      ok: false,
      message: "`4 ` ends with whitespace, which sbatch rejects after a number",
      suggestions: ["4"],
    });
    rejected(parsePositiveInt("   "));
    expect(rejected(parsePositiveInt("$SLURM_NTASKS")).message).toContain("template placeholder");
    expect(rejected(parsePositiveInt("{{ntasks}}")).message).toContain("template placeholder");
    expect(rejected(parsePositiveInt("\uff18")).suggestions).toEqual(["8"]);
    rejected(parsePositiveInt("٨"));
  });
});
