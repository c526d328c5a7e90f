import { describe, expect, test } from "vitest";
import {
  parseDistribution,
  parseExclusive,
  parseHint,
  parseMailType,
  parseNice,
  parseOpenMode,
} from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("--mail-type (spec §8.14, parse_mail_type)", () => {
  test("lists in any case; ALL expands to six events", () => {
    expect(accepted(parseMailType("END,FAIL"))).toEqual({ events: ["END", "FAIL"] });
    expect(accepted(parseMailType("FAIL,END"))).toEqual({ events: ["END", "FAIL"] });
    expect(accepted(parseMailType("begin"))).toEqual({ events: ["BEGIN"] });
    expect(accepted(parseMailType("ALL"))).toEqual({
      events: ["INVALID_DEPEND", "BEGIN", "END", "FAIL", "REQUEUE", "STAGE_OUT"],
    });
    expect(accepted(parseMailType("TIME_LIMIT_80,ARRAY_TASKS,TIME_LIMIT"))).toEqual({
      events: ["ARRAY_TASKS", "TIME_LIMIT_80", "TIME_LIMIT"],
    });
  });

  test("NONE anywhere clears everything", () => {
    expect(accepted(parseMailType("NONE"))).toEqual({ events: [] });
    expect(accepted(parseMailType("BEGIN,NONE,END"))).toEqual({ events: [] });
    expect(notesOf(parseMailType("BEGIN,NONE"))).toEqual(["`NONE` clears the events listed before it"]);
  });

  test("tricky case 50: unknown words are skipped silently, unless nothing valid remains", () => {
    expect(accepted(parseMailType("BEGIN,FINISH"))).toEqual({ events: ["BEGIN"] });
    expect(notesOf(parseMailType("BEGIN,FINISH"))).toEqual([
      "`FINISH` is not a mail event: sbatch skips it silently (did you mean `END`?)",
    ]);
    expect(rejected(parseMailType("FINISH")).suggestions).toEqual(["END"]);
    rejected(parseMailType(""));
    rejected(parseMailType(","));
  });
});

describe("--open-mode (spec §8.14)", () => {
  test("only the first letter counts", () => {
    expect(accepted(parseOpenMode("append"))).toEqual({ mode: "append" });
    expect(accepted(parseOpenMode("truncate"))).toEqual({ mode: "truncate" });
    expect(accepted(parseOpenMode("A"))).toEqual({ mode: "append" });
    expect(accepted(parseOpenMode("apple"))).toEqual({ mode: "append" });
    expect(notesOf(parseOpenMode("apple"))).toEqual([
      "sbatch reads only the first letter: `apple` means `append`",
    ]);
    expect(rejected(parseOpenMode("overwrite"))).toEqual({
      ok: false,
      message: "`overwrite` is not an open mode: write `append` or `truncate`",
      suggestions: ["append", "truncate"],
    });
    rejected(parseOpenMode(""));
  });
});

describe("--nice (spec §8.14)", () => {
  test("no value is 100; signed integers within ±2147483645", () => {
    expect(accepted(parseNice(undefined))).toEqual({ adjustment: 100 });
    expect(accepted(parseNice("10"))).toEqual({ adjustment: 10 });
    expect(accepted(parseNice("-5"))).toEqual({ adjustment: -5 });
    expect(notesOf(parseNice("-5"))).toEqual([
      "a negative nice value raises priority and needs administrator rights",
    ]);
    expect(accepted(parseNice("2147483645"))).toEqual({ adjustment: 2147483645 });
    rejected(parseNice("2147483646"));
    rejected(parseNice("-2147483646"));
    rejected(parseNice("abc"));
    rejected(parseNice("10x"));
  });
});

describe("--exclusive (spec §7.2)", () => {
  test("modes", () => {
    expect(accepted(parseExclusive(undefined))).toEqual({ mode: "node" });
    expect(accepted(parseExclusive("user"))).toEqual({ mode: "user" });
    expect(accepted(parseExclusive("MCS"))).toEqual({ mode: "mcs" });
    expect(accepted(parseExclusive("topo"))).toEqual({ mode: "topo" });
    rejected(parseExclusive("yes"));
  });
});

describe("--hint (spec §8.14, verify_hint)", () => {
  test("the four hints, lists, errors", () => {
    expect(accepted(parseHint("nomultithread"))).toEqual({ hints: ["nomultithread"] });
    expect(accepted(parseHint("Compute_Bound,multithread"))).toEqual({
      hints: ["compute_bound", "multithread"],
    });
    expect(rejected(parseHint("help")).message).toContain("exits without submitting");
    expect(rejected(parseHint("nomultithreads")).suggestions).toEqual(["nomultithread"]);
    rejected(parseHint(""));
  });
});

describe("--distribution (spec §8.14, verify_dist_type)", () => {
  test("the values real scripts use", () => {
    expect(accepted(parseDistribution("block:block"))).toEqual({
      node: "block",
      socket: "block",
      canonical: "block:block",
    });
    expect(accepted(parseDistribution("cyclic:cyclic")).canonical).toBe("cyclic:cyclic");
    expect(accepted(parseDistribution("block:block:block")).core).toBe("block");
    expect(accepted(parseDistribution("nopack"))).toEqual({ pack: "nopack", canonical: "nopack" });
    expect(accepted(parseDistribution("cyclic"))).toEqual({ node: "cyclic", canonical: "cyclic" });
    expect(rejected(parseDistribution("abe")).message).toBe(
      "`abe` is not a distribution: `abe` is not a node method; write e.g. `block`, `cyclic`, `block:cyclic`, `plane=4` or `arbitrary`",
    );
  });

  test("*, hostfile, plane, pack flags", () => {
    expect(accepted(parseDistribution("*:*:*")).canonical).toBe("block:cyclic:cyclic");
    expect(accepted(parseDistribution("block:fcyclic:*")).canonical).toBe("block:fcyclic:fcyclic");
    expect(accepted(parseDistribution("hostfile"))).toEqual({ node: "arbitrary", canonical: "arbitrary" });
    expect(accepted(parseDistribution("plane=4"))).toEqual({
      node: "plane",
      planeSize: 4,
      canonical: "plane=4",
    });
    expect(accepted(parseDistribution("BLOCK,Pack"))).toEqual({
      node: "block",
      pack: "pack",
      canonical: "block,pack",
    });
    rejected(parseDistribution("plane"));
    rejected(parseDistribution("plane=0"));
    rejected(parseDistribution("plane=4,pack"));
    rejected(parseDistribution("fcyclic"));
    rejected(parseDistribution("arbitrary:block"));
    rejected(parseDistribution("block,foo"));
    rejected(parseDistribution("block:cyclic:cyclic:cyclic"));
    rejected(parseDistribution(",pack"));
    rejected(parseDistribution(""));
  });
});
