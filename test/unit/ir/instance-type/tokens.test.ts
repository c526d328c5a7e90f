/** The lexical rules shared by the parser and the catalog. */
import { describe, expect, test } from "vitest";
import { gpuModelOf, isGpuCount, isGpuModel, isMemoryGb } from "../../../../src/ir/instance-type/index.ts";

describe("isGpuModel", () => {
  test.each([
    "a100",
    "h100",
    "h200",
    "b200",
    "a40",
    "a10",
    "l40s",
    "a5000",
    "rtx8000",
    "v100",
    "t4",
    "mi300x",
  ])("%s is a model", (token) => expect(isGpuModel(token)).toBe(true));
  test.each(["", "a", "gpu", "100", "A100", "a100x8", "a-100", "a100 "])("%j is not a model", (token) =>
    expect(isGpuModel(token)).toBe(false),
  );
});

describe("gpuModelOf (catalog gpu_type → model token)", () => {
  test.each([
    ["A100", "a100"],
    ["H100", "h100"],
    ["NVIDIA A100", "a100"],
    ["NVIDIA H100 80GB HBM3", "h100"],
    ["A100-SXM4-80GB", "a100"],
    ["nvidia", undefined],
    ["", undefined],
  ])("%j → %j", (gpuType, model) => expect(gpuModelOf(gpuType)).toBe(model));
});

describe("ranges", () => {
  test("counts are 1 to 8", () => {
    expect([0, 1, 8, 9, 1.5].map(isGpuCount)).toEqual([false, true, true, false, false]);
  });
  test("memory is 1 to 9999 GB", () => {
    expect([0, 1, 9999, 10000, 80.5].map(isMemoryGb)).toEqual([false, true, true, false, false]);
  });
});
