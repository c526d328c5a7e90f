/** printInstanceType / canonicalInstanceType: one canonical spelling per spec. */
import { describe, expect, test } from "vitest";
import {
  canonicalInstanceType,
  type InstanceTypeSpec,
  printInstanceType,
} from "../../../../src/ir/instance-type/index.ts";

describe("printInstanceType", () => {
  test.each<[InstanceTypeSpec, string]>([
    [{ kind: "shorthand", gpu: "a100", count: 1 }, "1xa100"],
    [{ kind: "shorthand", gpu: "h100", count: 8 }, "8xh100"],
    [{ kind: "name", gpu: "a100", memoryGb: 80, socket: "sxm", count: 4 }, "a100-80gb.sxm.4x"],
    [{ kind: "name", gpu: "h100", memoryGb: 80, socket: "pcie", count: 1 }, "h100-80gb.pcie.1x"],
    [{ kind: "name", gpu: "b200", memoryGb: 192, count: 8 }, "b200-192gb.8x"],
    [{ kind: "fid", fid: "it_MsIRhxj3ccyVWGfP" }, "it_MsIRhxj3ccyVWGfP"],
  ])("%j prints as %s", (spec, text) => {
    expect(printInstanceType(spec)).toBe(text);
  });
});

describe("canonicalInstanceType", () => {
  test.each([
    ["a100", "1xa100"],
    ["1xa100", "1xa100"],
    ["8xh100", "8xh100"],
    ["a100-80gb.sxm.4x", "a100-80gb.sxm.4x"],
    ["it_MsIRhxj3ccyVWGfP", "it_MsIRhxj3ccyVWGfP"],
  ])("%s → %s", (text, canonical) => {
    expect(canonicalInstanceType(text)).toBe(canonical);
  });

  test("rejected spellings have no canonical form", () => {
    expect(canonicalInstanceType("A100")).toBeUndefined();
    expect(canonicalInstanceType("")).toBeUndefined();
  });
});
