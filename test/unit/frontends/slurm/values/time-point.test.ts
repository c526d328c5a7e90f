import { describe, expect, test } from "vitest";
import { parseTimePoint } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const point = (text: string) => accepted(parseTimePoint(text));

describe("--begin / --deadline (spec §8.12)", () => {
  test("now±N with units spelled out (tricky case 39)", () => {
    expect(point("now+1hour")).toEqual({ kind: "relative", seconds: 3600 });
    expect(point("now+2hours")).toEqual({ kind: "relative", seconds: 7200 });
    expect(point("now+90")).toEqual({ kind: "relative", seconds: 90 });
    expect(point("now+30minutes")).toEqual({ kind: "relative", seconds: 1800 });
    expect(point("now+1day")).toEqual({ kind: "relative", seconds: 86400 });
    expect(point("now+2weeks")).toEqual({ kind: "relative", seconds: 1209600 });
    expect(point("now-1day")).toEqual({ kind: "relative", seconds: -86400 });
    expect(point("NOW+10SECONDS")).toEqual({ kind: "relative", seconds: 10 });
    expect(point("now")).toEqual({ kind: "relative", seconds: 0 });
    expect(point("now + 1 hours")).toEqual({ kind: "relative", seconds: 3600 });
  });

  test("abbreviated units are invalid, with the spelled-out suggestion", () => {
    expect(rejected(parseTimePoint("now+1h"))).toEqual({
      ok: false,
      message:
        "`now+1h` is not a point in time: units after `now+N` are spelled out: `seconds`, `minutes`, `hours`, `days` or `weeks`; write e.g. `now+1hour`, `16:00`, `2025-03-15T10:00:00`, `tomorrow` or `teatime`",
      suggestions: ["now+1hour"],
    });
    expect(rejected(parseTimePoint("now+5min")).suggestions).toEqual(["now+5minutes"]);
    expect(rejected(parseTimePoint("now+30s")).suggestions).toEqual(["now+30seconds"]);
    rejected(parseTimePoint("now+"));
    rejected(parseTimePoint("now+hour"));
    rejected(parseTimePoint("now1"));
  });

  test("times of day: the next occurrence", () => {
    expect(point("16:00")).toEqual({ kind: "named", name: "next 16:00:00" });
    expect(point("9:05:30")).toEqual({ kind: "named", name: "next 09:05:30" });
    expect(point("4:30PM")).toEqual({ kind: "named", name: "next 16:30:00" });
    expect(point("4:30 pm")).toEqual({ kind: "named", name: "next 16:30:00" });
    expect(point("12:00am")).toEqual({ kind: "named", name: "next 00:00:00" });
    expect(point("12:00pm")).toEqual({ kind: "named", name: "next 12:00:00" });
    expect(point("0:15pm")).toEqual({ kind: "named", name: "next 12:15:00" });
  });

  test("keywords", () => {
    expect(point("midnight")).toEqual({ kind: "named", name: "next 00:00:00" });
    expect(point("noon")).toEqual({ kind: "named", name: "next 12:00:00" });
    expect(point("elevenses")).toEqual({ kind: "named", name: "next 11:00:00" });
    expect(point("fika")).toEqual({ kind: "named", name: "next 15:00:00" });
    expect(point("teatime")).toEqual({ kind: "named", name: "next 16:00:00" });
    expect(point("today")).toEqual({ kind: "named", name: "today 00:00:00" });
    expect(point("tomorrow")).toEqual({ kind: "named", name: "tomorrow 00:00:00" });
    expect(point("tomorrow16:00")).toEqual({ kind: "named", name: "tomorrow 16:00:00" });
    expect(point("tomorrow noon")).toEqual({ kind: "named", name: "tomorrow 12:00:00" });
    expect(point("NOON")).toEqual({ kind: "named", name: "next 12:00:00" });
  });

  test("a capital T is a separator to sbatch, so Today fails there too", () => {
    expect(rejected(parseTimePoint("Today")).suggestions).toEqual(["today"]);
    expect(rejected(parseTimePoint("TOMORROW")).suggestions).toEqual(["tomorrow"]);
  });

  test("dates with a year are absolute; without one, the next such date", () => {
    expect(point("2025-03-15")).toEqual({ kind: "absolute", iso: "2025-03-15T00:00:00" });
    expect(point("2025-03-15T10:00")).toEqual({ kind: "absolute", iso: "2025-03-15T10:00:00" });
    expect(point("2025-03-15T10:00:30")).toEqual({ kind: "absolute", iso: "2025-03-15T10:00:30" });
    expect(point("031525")).toEqual({ kind: "absolute", iso: "2025-03-15T00:00:00" });
    expect(point("03/15/25")).toEqual({ kind: "absolute", iso: "2025-03-15T00:00:00" });
    expect(point("03.15.25")).toEqual({ kind: "absolute", iso: "2025-03-15T00:00:00" });
    expect(point("03/15/25-10:00")).toEqual({ kind: "absolute", iso: "2025-03-15T10:00:00" });
    expect(point("3/5")).toEqual({ kind: "named", name: "next 03-05 00:00:00" });
    expect(point("0315")).toEqual({ kind: "named", name: "next 03-15 00:00:00" });
    expect(point("03/15 16:00")).toEqual({ kind: "named", name: "next 03-15 16:00:00" });
  });

  test("impossible dates normalise like mktime(); year 00 means no year", () => {
    expect(point("2025-02-30")).toEqual({ kind: "absolute", iso: "2025-03-02T00:00:00" });
    expect(notesOf(parseTimePoint("2025-02-30"))).toEqual([
      "`2025-02-30T00:00:00` does not exist: like sbatch (`mktime()`), it is read as `2025-03-02T00:00:00`",
    ]);
    expect(point("12/31/00")).toEqual({ kind: "named", name: "next 12-31 00:00:00" });
  });

  test("uts epochs are UTC", () => {
    expect(point("uts1700000000")).toEqual({ kind: "absolute", iso: "2023-11-14T22:13:20Z" });
    rejected(parseTimePoint("uts12"));
    rejected(parseTimePoint("uts1700000000x"));
  });

  test("later parts win", () => {
    expect(point("noon16:00")).toEqual({ kind: "named", name: "next 16:00:00" });
    expect(point("today tomorrow")).toEqual({ kind: "named", name: "tomorrow 00:00:00" });
  });

  test("errors with exact messages", () => {
    expect(rejected(parseTimePoint("24:00")).message).toBe(
      "`24:00` is not a point in time: the hour 24 is above 23; write e.g. `now+1hour`, `16:00`, `2025-03-15T10:00:00`, `tomorrow` or `teatime`",
    );
    expect(rejected(parseTimePoint("10:60")).message).toContain("the minute 60 is above 59");
    expect(rejected(parseTimePoint("10:5")).message).toContain("the minute must be written with two digits");
    expect(rejected(parseTimePoint("13:00pm")).message).toContain(
      "with PM the hour must be 12 or less, not 13",
    );
    expect(rejected(parseTimePoint("4pm")).suggestions).toEqual(["16:00"]);
    expect(rejected(parseTimePoint("1200")).suggestions).toEqual(["12:00"]);
    expect(rejected(parseTimePoint("2025-3-15")).suggestions).toEqual(["2025-03-15"]);
    expect(rejected(parseTimePoint("13/01")).message).toContain("the month 13 is not 1 to 12");
    expect(rejected(parseTimePoint("now+1hour16:00")).message).toContain("nothing may follow `now+3600`");
    expect(rejected(parseTimePoint("tomorrow now")).message).toContain("`now` must start the value");
  });

  test("empty, blank, placeholders, unicode", () => {
    expect(rejected(parseTimePoint("")).message).toBe(
      "an empty value is not a point in time: it is empty; write e.g. `now+1hour`, `16:00`, `2025-03-15T10:00:00`, `tomorrow` or `teatime`",
    );
    rejected(parseTimePoint("  "));
    rejected(parseTimePoint("-T-"));
    expect(rejected(parseTimePoint("$BEGIN")).message).toContain("template placeholder");
    expect(rejected(parseTimePoint("16\uff1a00")).suggestions).toEqual(["16:00"]);
  });
});
