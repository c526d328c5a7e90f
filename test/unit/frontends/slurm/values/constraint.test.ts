import { describe, expect, test } from "vitest";
import {
  gpuModelFromFeatures,
  namesNoModel,
  parseConstraint,
} from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("--constraint feature expressions (spec §8.13)", () => {
  test("features and operators", () => {
    expect(accepted(parseConstraint("a100"))).toEqual({ features: ["a100"], expression: "a100" });
    expect(accepted(parseConstraint("v100-32g|a100"))).toEqual({
      features: ["v100-32g", "a100"],
      expression: "v100-32g|a100",
    });
    expect(accepted(parseConstraint("gpu&(a100|h100)")).features).toEqual(["gpu", "a100", "h100"]);
    expect(accepted(parseConstraint("haswell|broadwell|skylake|cascade")).features).toHaveLength(4);
    expect(accepted(parseConstraint("gpu_mem:32GB")).features).toEqual(["gpu_mem:32GB"]);
  });

  test("`,` is AND, stored as `&`", () => {
    expect(accepted(parseConstraint("knl,quad,cache"))).toEqual({
      features: ["knl", "quad", "cache"],
      expression: "knl&quad&cache",
    });
    expect(notesOf(parseConstraint("a100-80gb,ib"))).toEqual([
      "`,` between features means AND; sbatch stores it as `&`",
    ]);
  });

  test("counts and one bracket group", () => {
    expect(accepted(parseConstraint("[rack1*2&rack2*4]")).features).toEqual(["rack1", "rack2"]);
    expect(accepted(parseConstraint("(a|b)*2")).expression).toBe("(a|b)*2");
    expect(accepted(parseConstraint("a*3&[b|c]")).features).toEqual(["a", "b", "c"]);
    expect(accepted(parseConstraint("a&a")).features).toEqual(["a"]);
  });

  test("errors with exact messages", () => {
    expect(rejected(parseConstraint("(a|(b))")).message).toBe(
      "`(a|(b))` is not a feature expression: parentheses cannot nest",
    );
    expect(rejected(parseConstraint("[a]&[b]")).message).toBe(
      "`[a]&[b]` is not a feature expression: only one `[…]` group is allowed",
    );
    expect(rejected(parseConstraint("a*0")).message).toBe(
      "`a*0` is not a feature expression: `*` must be followed by a count of at least 1 at `0` (position 3)",
    );
    expect(rejected(parseConstraint("[a]*2")).message).toBe(
      "`[a]*2` is not a feature expression: a count `*N` cannot follow `]`",
    );
    expect(rejected(parseConstraint("a&")).message).toBe(
      "`a&` is not a feature expression: a feature name is missing at the end",
    );
    rejected(parseConstraint("&a"));
    rejected(parseConstraint("a)"));
    rejected(parseConstraint("(a"));
    rejected(parseConstraint("[[a]]"));
    rejected(parseConstraint("()"));
    rejected(parseConstraint("a*"));
    expect(rejected(parseConstraint("")).message).toBe(
      "the feature expression is empty: write a feature such as `a100`",
    );
    expect(rejected(parseConstraint("a100 & ib"))).toEqual({
      ok: false,
      message: "`a100 & ib` contains a space: features and operators are written without spaces",
      suggestions: ["a100&ib"],
    });
  });

  test("unicode features are features", () => {
    expect(accepted(parseConstraint("größe|ß")).features).toEqual(["größe", "ß"]);
  });
});

describe("gpuModelFromFeatures", () => {
  test.each([
    ["a100", { model: "a100" }],
    ["A100", { model: "a100" }],
    ["a100-80gb", { model: "a100", memoryGb: 80 }],
    ["a100_80gb", { model: "a100", memoryGb: 80 }],
    ["a100.80gb", { model: "a100", memoryGb: 80 }],
    ["nvidia_a100-sxm4-80gb", { model: "a100", memoryGb: 80 }],
    ["gpu_a100", { model: "a100" }],
    ["h100", { model: "h100" }],
    ["h100-nvl", { model: "h100" }],
    ["v100", { model: "v100" }],
    ["V100", { model: "v100" }],
    ["v100-32gb", { model: "v100", memoryGb: 32 }],
    ["v100-32g", { model: "v100", memoryGb: 32 }],
    ["v100-32", { model: "v100", memoryGb: 32 }],
    ["v100-16g", { model: "v100", memoryGb: 16 }],
    ["v100l", { model: "v100", memoryGb: 32 }],
    ["v100s", { model: "v100", memoryGb: 32 }],
    ["volta", { model: "v100" }],
    ["volta32gb", { model: "v100", memoryGb: 32 }],
    ["kepler", { model: "k80" }],
    ["pascal", { model: "p100" }],
    ["Turing", { model: "t4" }],
    ["ampere", { model: "a100" }],
    ["hopper", { model: "h100" }],
    ["tesla_v100", { model: "v100" }],
    ["gpuv100x", { model: "v100" }],
    ["rtx8000", { model: "rtx8000" }],
    ["quadro_rtx_8000", { model: "rtx8000" }],
    ["t4", { model: "t4" }],
    ["T4", { model: "t4" }],
    ["p100", { model: "p100" }],
    ["k80", { model: "k80" }],
    ["gpuk40", { model: "k40" }],
    ["l40s", { model: "l40s" }],
    ["a6000", { model: "a6000" }],
    ["rtx_a6000", { model: "a6000" }],
    ["geforce_rtx_3090", { model: "rtx3090" }],
    ["titan_rtx", { model: "titanrtx" }],
    ["TitanX", { model: "titanx" }],
    ["MI250", { model: "mi250" }],
    ["a10", { model: "a10" }],
    ["a10g", { model: "a10g" }],
  ] as const)("%s", (feature, expected) => {
    expect(gpuModelFromFeatures([feature])).toEqual(expected);
  });

  test.each([
    "gpu",
    "haswell",
    "knl",
    "ib",
    "cpu",
    "intel",
    "amd",
    "gpu_mem:32GB",
    "a1000",
    "rack-a2",
    "scratch",
    "xeon-g6",
    "mc",
  ])("%s is not a GPU model", (feature) => {
    expect(gpuModelFromFeatures([feature])).toBeUndefined();
  });

  test("several features: one model or none", () => {
    expect(gpuModelFromFeatures(["a100-80gb", "ib"])).toEqual({ model: "a100", memoryGb: 80 });
    expect(gpuModelFromFeatures(["gpu", "h100"])).toEqual({ model: "h100" });
    expect(gpuModelFromFeatures(["v100-16g", "v100-32g"])).toEqual({ model: "v100" });
    expect(gpuModelFromFeatures(["v100-32g", "v100l"])).toEqual({ model: "v100", memoryGb: 32 });
    expect(gpuModelFromFeatures(["a100", "h100"])).toBeUndefined();
    expect(gpuModelFromFeatures([])).toBeUndefined();
  });
});

describe("namesNoModel: a vendor or product line is no GPU model", () => {
  test.each([
    ["tesla", true],
    ["TESLA", true],
    ["nvidia-tesla", true],
    ["nvidia_geforce", true],
    ["tesla_v100", false],
    ["a100", false],
    ["rtx", false],
    ["", false],
    ["-", false],
  ] as const)("%s → %s", (type, expected) => {
    expect(namesNoModel(type)).toBe(expected);
  });
});
