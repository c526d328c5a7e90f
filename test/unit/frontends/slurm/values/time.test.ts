import { describe, expect, test } from "vitest";
import { parseTime, parseTimeSeconds } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const minutes = (text: string) => accepted(parseTime(text)).minutes;

describe("--time (spec §8.2)", () => {
  test.each([
    ["90", 90],
    ["1:30", 2],
    ["0:30", 1],
    ["1:30:00", 90],
    ["48:00:00", 2880],
    ["2-0", 2880],
    ["1-00:00:00", 1440],
    ["1-12", 2160],
    ["1-12:30", 2190],
    ["0", "unlimited"],
    ["UNLIMITED", "unlimited"],
    ["infinite", "unlimited"],
    ["-1", "unlimited"],
  ] as const)("the spec's table: %s → %s", (text, expected) => {
    expect(minutes(text)).toBe(expected);
  });

  test.each(["1.5", "1h", "90m", "1:30:00:00", "1-2-3", ":30"])("the spec's rejections: %s", (text) => {
    rejected(parseTime(text));
  });

  test("every form, fields not range-checked", () => {
    expect(minutes("0:90")).toBe(2);
    expect(minutes("1-30")).toBe(3240);
    expect(minutes("100:00:00")).toBe(6000);
    expect(minutes("1-2:3:4")).toBe(1564);
    expect(minutes("007")).toBe(7);
    expect(minutes("Unlimited")).toBe("unlimited");
    expect(minutes("INFINITE")).toBe("unlimited");
  });

  test("0 minutes after rounding means unlimited, with a note", () => {
    for (const text of ["0", "0:0", "00:00:00", "0-0", "0-00:00:00"]) expect(minutes(text)).toBe("unlimited");
    expect(notesOf(parseTime("0"))).toEqual([
      "a limit of 0 minutes means no time limit in sbatch (--time=0)",
    ]);
    expect(notesOf(parseTime("0", { option: "--time-min" }))).toEqual([
      "a limit of 0 minutes means no time limit in sbatch (--time-min=0)",
    ]);
  });

  test("seconds round up to whole minutes, and M:S says how it is read", () => {
    expect(notesOf(parseTime("1:30"))).toEqual([
      "`1:30` is minutes:seconds (1 min 30 s); for 1 h 30 min write `1:30:00`",
      "sbatch rounds the limit up to whole minutes: 90 s becomes 2 min",
    ]);
    expect(minutes("0:01")).toBe(1);
    expect(minutes("1:00:01")).toBe(61);
    expect(notesOf(parseTime("1:30:00"))).toEqual([]);
    expect(notesOf(parseTime("30:00"))).toEqual(["`30:00` is minutes:seconds (30 min 0 s)"]);
  });

  test("days-hours is noted (tricky case 5)", () => {
    expect(notesOf(parseTime("1-12"))).toEqual(["`1-12` is days-hours: 1 day(s) and 12 hour(s)"]);
  });

  test("quirks kept: a trailing dash is one day; -0 is 0", () => {
    expect(minutes("1-")).toBe(1440);
    expect(notesOf(parseTime("1-"))).toContain(
      "`1-` (trailing `-`) is read by sbatch as 1 day(s) and 0 hours",
    );
    expect(minutes("-0")).toBe("unlimited");
  });

  test("exact messages of the common mistakes", () => {
    expect(rejected(parseTime("1.5"))).toEqual({
      ok: false,
      message:
        "`1.5` is not a duration: minutes are whole numbers; write `1:30` for 1 min 30 s, or `1:30:00` for 1.5 hours",
      suggestions: ["1:30", "1:30:00"],
    });
    expect(rejected(parseTime("1h"))).toEqual({
      ok: false,
      message: "`1h` is not a duration: sbatch takes no unit letters; write `1:00:00` (H:M:S)",
      suggestions: ["1:00:00"],
    });
    expect(rejected(parseTime("90m")).suggestions).toEqual(["90"]);
    expect(rejected(parseTime("2d")).suggestions).toEqual(["2-00:00:00"]);
    expect(rejected(parseTime("1h30m")).suggestions).toEqual(["1:30:00"]);
    expect(rejected(parseTime("1:30:00:00"))).toEqual({
      ok: false,
      message: "`1:30:00:00` has more than two `:`: the longest form is `D-H:M:S`, with a `-` after the days",
      suggestions: ["1-30:00:00"],
    });
    expect(rejected(parseTime(":30"))).toEqual({
      ok: false,
      message: "`:30` has an empty field: every field of `D-H:M:S` needs digits",
      suggestions: ["0:30"],
    });
    expect(rejected(parseTime("1-2-3")).message).toBe(
      "`1-2-3` has more than one `-`: the only `-` separates days from hours (`D-H:M:S`)",
    );
    expect(rejected(parseTime("1:2-3")).message).toBe(
      "`1:2-3` has a `-` after a `:`: the days come first, as in `D-H:M:S`",
    );
  });

  test("empty fields anywhere are rejected", () => {
    for (const text of ["30:", "1::2", "1-:30", "1-2:", "-", ":", "::", "1-2::3"]) rejected(parseTime(text));
  });

  test("negative values other than -1 are rejected (spec recommendation)", () => {
    expect(rejected(parseTime("-5"))).toEqual({
      ok: false,
      message: "`-5` is negative: a time limit cannot be below zero (only `-1` has a meaning: unlimited)",
      suggestions: ["UNLIMITED"],
    });
    rejected(parseTime("-01"));
  });

  test("values sbatch's 32-bit arithmetic cannot hold are rejected", () => {
    expect(minutes("35791393")).toBe(35791393);
    expect(rejected(parseTime("35791394")).message).toContain("too large");
    rejected(parseTime("99999999999999999999999"));
    expect(minutes("24855-00:00:00")).toBe(35791200);
    rejected(parseTime("24856-00:00:00"));
  });

  test("empty, whitespace, placeholders and unicode", () => {
    expect(rejected(parseTime("")).message).toBe(
      "the time limit is empty: write minutes (`90`), `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, or `UNLIMITED`",
    );
    expect(rejected(parseTime(" 10"))).toEqual({
      ok: false,
      message: "` 10` contains a space: a duration has no spaces",
      suggestions: ["10"],
    });
    expect(rejected(parseTime("$TIME")).message).toContain("sbatch does not expand variables");
    expect(rejected(parseTime("1\u201312"))).toEqual({
      ok: false,
      message:
        "`1–12` contains `–` (U+2013), a look-alike of `-`: sbatch reads only ASCII here; write `1-12`",
      suggestions: ["1-12"],
    });
    expect(rejected(parseTime("\uff11\uff10")).suggestions).toEqual(["10"]);
    rejected(parseTime("1\u00a0"));
  });

  test("--delay-boot form: exact seconds, no rounding, 0 stays 0", () => {
    expect(accepted(parseTimeSeconds("1:30"))).toEqual({ seconds: 90 });
    expect(accepted(parseTimeSeconds("0"))).toEqual({ seconds: 0 });
    expect(accepted(parseTimeSeconds("UNLIMITED"))).toEqual({ seconds: "unlimited" });
    rejected(parseTimeSeconds("1.5"));
  });

  test("a non-string is rejected, not thrown on", () => {
    expect(rejected(parseTime(42 as unknown as string)).message).toBe("the value must be a string");
  });
});
