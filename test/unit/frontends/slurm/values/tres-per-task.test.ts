import { describe, expect, test } from "vitest";
import { parseTresPerTask } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("--tres-per-task (spec §7.2 type[/name]=count, §8.6)", () => {
  test("cpu=N and gres/gpu[:type]=N are read; other items are kept by name", () => {
    expect(accepted(parseTresPerTask("cpu=4"))).toEqual({ cpus: 4, others: [] });
    expect(accepted(parseTresPerTask("gres/gpu:a100=2"))).toEqual({
      gpus: { type: "a100", count: 2 },
      others: [],
    });
    expect(accepted(parseTresPerTask("gres/gpu=2,cpu=8"))).toEqual({
      cpus: 8,
      gpus: { count: 2 },
      others: [],
    });
    expect(accepted(parseTresPerTask("gres:gpu:h100=1"))).toEqual({
      gpus: { type: "h100", count: 1 },
      others: [],
    });
    expect(accepted(parseTresPerTask("gres/gpu:2"))).toEqual({ gpus: { count: 2 }, others: [] });
    expect(accepted(parseTresPerTask("license/ansys=1,gres/nvme=1,cpu=2"))).toEqual({
      cpus: 2,
      others: ["license/ansys=1", "gres/nvme=1"],
    });
    // the types sbatch refuses per task are the caller's rule (spec §6.1): returned, not rejected
    expect(accepted(parseTresPerTask("mem=4G")).others).toEqual(["mem=4G"]);
  });

  test("a GPU count of 0 asks for none, and an empty item is skipped, each with a note", () => {
    expect(accepted(parseTresPerTask("gres/gpu=0,cpu=1"))).toEqual({ cpus: 1, others: [] });
    expect(notesOf(parseTresPerTask("gres/gpu=0"))).toEqual([
      "`gres/gpu=0` asks for none: sbatch drops the item",
    ]);
    expect(notesOf(parseTresPerTask("cpu=1,"))).toEqual(["`cpu=1,` has an empty item, which is skipped"]);
  });

  test("errors with exact messages and applicable suggestions", () => {
    expect(rejected(parseTresPerTask(""))).toEqual({
      ok: false,
      message: "the list is empty: write e.g. `cpu=4` or `gres/gpu:a100=2`",
    });
    expect(rejected(parseTresPerTask("gres/gpu=1,cpu:4"))).toEqual({
      ok: false,
      message: "`cpu:4`: write the CPUs per task as `cpu=N`",
      suggestions: ["gres/gpu=1,cpu=4"],
    });
    expect(rejected(parseTresPerTask("cpu=0")).message).toMatch(/^`cpu=0`: /);
    expect(rejected(parseTresPerTask("cpu=1,cpu=2")).message).toBe(
      "`cpu=1,cpu=2` gives `cpu` twice: write it once",
    );
    expect(rejected(parseTresPerTask("gres/gpu:a100=1,gres/gpu:h100=1")).message).toBe(
      "`gres/gpu:a100=1,gres/gpu:h100=1` asks for GPUs twice (`gres/gpu:a100=1` and `gres/gpu:h100=1`): a cloud node has one GPU model; write one `gres/gpu` item",
    );
    expect(rejected(parseTresPerTask("gres/gpu:")).suggestions).toEqual(["gres/gpu:1"]);
    expect(rejected(parseTresPerTask("=3")).message).toBe("`=3` is not a `type[/name]=count` item");
    expect(rejected(parseTresPerTask("license/x=")).message).toBe(
      "`license/x=` is not a `type[/name]=count` item",
    );
  });

  test("every suggestion is itself accepted", () => {
    for (const text of ["cpu:4", "gres/gpu:", "cpu/2,gres/gpu=1"]) {
      for (const s of rejected(parseTresPerTask(text)).suggestions ?? []) accepted(parseTresPerTask(s));
    }
  });
});

test("a GRES item's suggestions keep its prefix", () => {
  expect(rejected(parseTresPerTask("gres/gpu::2")).suggestions).toEqual(["gres/gpu:2"]);
});
