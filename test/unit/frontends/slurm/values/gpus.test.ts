import { describe, expect, test } from "vitest";
import { parseGpus } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const entries = (text: string) => accepted(parseGpus(text)).entries;

describe("--gpus, --gpus-per-node, --gpus-per-task, --gpus-per-socket (spec §8.6)", () => {
  test("[type:]count and comma lists", () => {
    expect(entries("1")).toEqual([{ count: 1 }]);
    expect(entries("8")).toEqual([{ count: 8 }]);
    expect(entries("a100:4")).toEqual([{ type: "a100", count: 4 }]);
    expect(entries("A100:1")).toEqual([{ type: "A100", count: 1 }]);
    expect(entries("a100:2,v100:1")).toEqual([
      { type: "a100", count: 2 },
      { type: "v100", count: 1 },
    ]);
    expect(entries("mi250:8")).toEqual([{ type: "mi250", count: 8 }]);
    expect(entries("a100=2")).toEqual([{ type: "a100", count: 2 }]);
  });

  test("a type alone is one GPU; tricky case 53: `$N` is a type", () => {
    expect(entries("a100")).toEqual([{ type: "a100", count: 1 }]);
    expect(notesOf(parseGpus("a100"))).toEqual(["`a100` has no count: it is read as 1 GPU of type `a100`"]);
    expect(entries("$N")).toEqual([{ type: "$N", count: 1 }]);
    expect(notesOf(parseGpus("$N"))[0]).toContain("template placeholder");
  });

  test("`gpu:2` names a type called gpu", () => {
    expect(entries("gpu:2")).toEqual([{ type: "gpu", count: 2 }]);
    expect(notesOf(parseGpus("gpu:2"))).toEqual([
      "`gpu:2` names a GPU type called `gpu`; for 2 GPU(s) of any type write `2`",
    ]);
  });

  test("0 drops the item; empty requests none", () => {
    expect(entries("0")).toEqual([]);
    expect(entries("")).toEqual([]);
    expect(entries("2,,a100:1")).toEqual([{ count: 2 }, { type: "a100", count: 1 }]);
  });

  test("--gpus-per-task cannot mix typed and untyped items", () => {
    expect(rejected(parseGpus("a100:1,2", { option: "--gpus-per-task" })).message).toBe(
      "`a100:1,2`: `--gpus-per-task` cannot mix typed and untyped items; give every item a type, or none",
    );
    expect(accepted(parseGpus("a100:1,2", { option: "--gpus-per-node" })).entries).toHaveLength(2);
  });

  test("errors", () => {
    expect(rejected(parseGpus("a100:")).message).toBe(
      "`a100:` ends with `:`: write a count after it, as in `a100:1`",
    );
    rejected(parseGpus("a100:b:c"));
    rejected(parseGpus("4(S:0)"));
  });
});
