import { describe, expect, test } from "vitest";
import { gresCount, parseGres } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const entries = (text: string) => accepted(parseGres(text)).entries;

describe("--gres (spec §8.5)", () => {
  test("the spec's table", () => {
    expect(entries("gpu")).toEqual([{ name: "gpu", count: 1 }]);
    expect(entries("gpu:4")).toEqual([{ name: "gpu", count: 4 }]);
    expect(entries("gpu:a100:4")).toEqual([{ name: "gpu", type: "a100", count: 4 }]);
    expect(entries("gpu:tesla_v100:2")).toEqual([{ name: "gpu", type: "tesla_v100", count: 2 }]);
    expect(entries("gpu:a100")).toEqual([{ name: "gpu", type: "a100", count: 1 }]);
    expect(entries("gpu:3090")).toEqual([{ name: "gpu", count: 3090 }]);
    expect(entries("gpu:3090:1")).toEqual([{ name: "gpu", type: "3090", count: 1 }]);
    expect(entries("gpu:1g.10gb:2")).toEqual([{ name: "gpu", type: "1g.10gb", count: 2 }]);
    expect(entries("gpu:2,nvme:1")).toEqual([
      { name: "gpu", count: 2 },
      { name: "nvme", count: 1 },
    ]);
    expect(entries("gpu:a100:0")).toEqual([]);
    expect(entries("none")).toEqual([]);
    expect(rejected(parseGres("help")).message).toBe(
      "`--gres=help` is not a request: sbatch prints the cluster's GRES list and exits without submitting the job",
    );
    rejected(parseGres("list"));
    rejected(parseGres("LIST"));
  });

  test("the numeric-type trap is accepted with a note", () => {
    expect(notesOf(parseGres("gpu:3090"))).toEqual([
      "`gpu:3090` asks for 3090 GPUs; if `3090` is a GPU type, write `gpu:3090:1`",
    ]);
    expect(notesOf(parseGres("gpu:4"))).toEqual([]);
  });

  test("= counts, prefixes, shards, suffixed counts", () => {
    expect(entries("gpu=2")).toEqual([{ name: "gpu", count: 2 }]);
    expect(entries("gpu:a100=2")).toEqual([{ name: "gpu", type: "a100", count: 2 }]);
    expect(entries("gres/gpu:2")).toEqual([{ name: "gpu", count: 2 }]);
    expect(entries("gres:gpu:2")).toEqual([{ name: "gpu", count: 2 }]);
    expect(entries("shard:2")).toEqual([{ name: "shard", count: 2 }]);
    expect(entries("tmpspace:10G")).toEqual([{ name: "tmpspace", count: 10737418240 }]);
    expect(entries("gpu:1k")).toEqual([{ name: "gpu", count: 1024 }]);
    expect(entries("gpu:1kb")).toEqual([{ name: "gpu", count: 1000 }]);
    expect(gresCount("2MiB")).toBe(2097152);
    expect(gresCount("2xb")).toBeUndefined();
    expect(gresCount("99999999999P")).toBe("too-large");
  });

  test("errors with exact messages", () => {
    expect(rejected(parseGres("gpu:"))).toEqual({
      ok: false,
      message: "`gpu:` ends with `:`: write a count after it, as in `gpu:1`",
      suggestions: ["gpu:1"],
    });
    expect(rejected(parseGres("gpu:a100:b200")).message).toBe(
      "`gpu:a100:b200` names two types (`a100` and `b200`): write `name:type:count`",
    );
    expect(rejected(parseGres("gpu=x")).message).toBe("`gpu=x`: `=` must be followed by a count, not `x`");
    expect(rejected(parseGres("gpu:4(S:0-1)")).message).toContain("describe node configuration");
    expect(rejected(parseGres("gpu::2")).suggestions).toEqual(["gpu:2"]);
    rejected(parseGres(":4"));
    expect(rejected(parseGres("")).message).toBe(
      "the GRES list is empty: write e.g. `gpu:4` or `gpu:a100:4`",
    );
  });

  test("empty items are skipped; placeholders are literal types with a note", () => {
    expect(entries("gpu:2,,mps:1")).toEqual([
      { name: "gpu", count: 2 },
      { name: "mps", count: 1 },
    ]);
    expect(entries("gpu:$N")).toEqual([{ name: "gpu", type: "$N", count: 1 }]);
    expect(notesOf(parseGres("gpu:$N"))[0]).toContain("template placeholder");
  });

  test("unicode", () => {
    expect(rejected(parseGres("gpu:a100:\uff14"))).toEqual({
      ok: false,
      message:
        "`gpu:a100:４` contains `４` (U+FF14), a look-alike of `4`: sbatch reads only ASCII here; write `gpu:a100:4`",
      suggestions: ["gpu:a100:4"],
    });
    expect(entries("gpu:Ä100:1")).toEqual([{ name: "gpu", type: "Ä100", count: 1 }]);
  });
});
