/** parseInstanceType: every accepted spelling and its spec; every documented near miss with its message and suggestions. */
import { describe, expect, test } from "vitest";
import { parseInstanceType } from "../../../../src/ir/instance-type/index.ts";

describe("accepted spellings", () => {
  test.each([
    ["a100", { kind: "shorthand", gpu: "a100", count: 1 }],
    ["1xa100", { kind: "shorthand", gpu: "a100", count: 1 }],
    ["4xa100", { kind: "shorthand", gpu: "a100", count: 4 }],
    ["8xh100", { kind: "shorthand", gpu: "h100", count: 8 }],
    ["3xl40s", { kind: "shorthand", gpu: "l40s", count: 3 }],
    ["rtx8000", { kind: "shorthand", gpu: "rtx8000", count: 1 }],
    ["2xmi300x", { kind: "shorthand", gpu: "mi300x", count: 2 }],
    ["t4", { kind: "shorthand", gpu: "t4", count: 1 }],
    ["a100-80gb.sxm.4x", { kind: "name", gpu: "a100", memoryGb: 80, socket: "sxm", count: 4 }],
    ["h100-80gb.pcie.1x", { kind: "name", gpu: "h100", memoryGb: 80, socket: "pcie", count: 1 }],
    ["b200-192gb.8x", { kind: "name", gpu: "b200", memoryGb: 192, count: 8 }],
    ["it_MsIRhxj3ccyVWGfP", { kind: "fid", fid: "it_MsIRhxj3ccyVWGfP" }],
    ["it_a", { kind: "fid", fid: "it_a" }],
    ["it_abc123456", { kind: "fid", fid: "it_abc123456" }],
  ])("%s", (text, spec) => {
    expect(parseInstanceType(text)).toEqual({ ok: true, spec });
  });

  test("a name without a socket has no socket key at all", () => {
    const parsed = parseInstanceType("b200-192gb.8x");
    expect(parsed.ok && "socket" in parsed.spec).toBe(false);
  });
});

/** [input, suggestions, a fragment the message must contain]. */
const REJECTED: readonly [string, string[], string][] = [
  ["A100", ["a100"], "instance types are lowercase"],
  ["H100", ["h100"], "instance types are lowercase"],
  ["8XA100", ["8xa100"], "instance types are lowercase"],
  ["a100x8", ["8xa100"], "the count comes first"],
  ["a100*8", ["8xa100"], "the count comes first"],
  ["a100:8", ["8xa100"], "the count comes first"],
  ["8*a100", ["8xa100"], "the count is joined to the model by `x`"],
  ["8a100", ["8xa100"], "the count is joined to the model by `x`"],
  ["8×a100", ["8xa100"], "the letter `x`"],
  ["nvidia-a100", ["a100"], "without `nvidia`"],
  ["gpu.nvidia.a100", ["a100"], "without `gpu` or `nvidia`"],
  ["NVIDIA A100", ["a100"], "instance types are lowercase"],
  ["a100-80gb", ["a100-80gb.sxm.1x"], "a name ends with the socket and the GPU count"],
  ["a100-80gb.sxm", ["a100-80gb.sxm.1x"], "a name ends with the GPU count"],
  ["a100.80gb.sxm", ["a100-80gb.sxm.1x"], "joins the GPU model and memory with `-`"],
  ["a40.48gb.pcie", ["a40-48gb.pcie.1x"], "joins the GPU model and memory with `-`"],
  ["a100.2x.SXM4.IB", ["2xa100"], "legacy names"],
  ["a100-80gb.sxm4.4x", ["a100-80gb.sxm.4x"], "without a generation"],
  ["a100-80gb.sxm.4", ["a100-80gb.sxm.4x"], "written `4x`"],
  ["a100-80gb.sxm.x4", ["a100-80gb.sxm.4x"], "written `4x`"],
  ["a100-80g.sxm.1x", ["a100-80gb.sxm.1x"], "written in `gb`"],
  ["a100-80gb-sxm-4x", ["a100-80gb.sxm.4x"], "names are written"],
  ["a100-80gb.sxm.4x.ib", ["a100-80gb.sxm.4x"], "the network (`ib`)"],
  ["h100-80GB.SXM.8X", ["h100-80gb.sxm.8x"], "instance types are lowercase"],
  ["8x a100", ["8xa100"], "instance types contain no spaces"],
  ["a100 x 8", ["8xa100"], "the count comes first"],
  [" a100 ", ["a100"], "remove the whitespace around"],
  ["8xh100\n", ["8xh100"], "remove the whitespace around"],
  ["08xa100", ["8xa100"], "without leading zeros"],
  ["16xa100", ["8xa100"], "`num_instances: 2`"],
  ["a100x16", ["8xa100"], "at most 8 GPUs"],
  ["9xa100", ["8xa100"], "several instances"],
  ["a100-80gb.sxm.16x", ["a100-80gb.sxm.8x"], "at most 8 GPUs"],
  ["IT_MsIRhxj3ccyVWGfP", ["it_MsIRhxj3ccyVWGfP"], "lowercase `it_`"],
  ["it-MsIRhxj3ccyVWGfP", ["it_MsIRhxj3ccyVWGfP"], "with an underscore"],
];

describe("rejected spellings carry a message and the valid spelling", () => {
  test.each(REJECTED)("%j", (text, suggestions, fragment) => {
    const parsed = parseInstanceType(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.suggestions).toEqual(suggestions);
    expect(parsed.message).toContain(fragment);
    expect(parsed.message).toContain(`write \`${suggestions[0]}\``);
  });

  test("the documented messages read as sentences", () => {
    const message = (text: string) => {
      const parsed = parseInstanceType(text);
      return parsed.ok ? "" : parsed.message;
    };
    expect(message("A100")).toBe("instance types are lowercase: write `a100`");
    expect(message("a100x8")).toBe("the count comes first: write `8xa100`");
    expect(message("8x a100")).toBe("instance types contain no spaces: write `8xa100`");
    expect(message("a100-80gb")).toBe(
      "a name ends with the socket and the GPU count, as in `.sxm.1x`: write `a100-80gb.sxm.1x`",
    );
  });
});

describe("rejected spellings without a safe repair", () => {
  test.each([
    ["", "the instance type is empty"],
    ["   ", "the instance type is only whitespace"],
    ["0xa100", "an instance has 1 to 8 GPUs, not 0"],
    ["a100-80gb.sxm.0x", "an instance has 1 to 8 GPUs, not 0"],
    ["a100-0gb.sxm.1x", "the GPU memory must be at least 1 GB"],
    ["a100-080gb.sxm.1x", "has a leading zero"],
    ["a100-12345gb.sxm.1x", "more than 9999 GB"],
    ["8x", "expected a GPU model after `8x`"],
    ["gpu", "`gpu` is not an instance type"],
    ["NVIDIA", "`nvidia` is not an instance type"],
    ["it_", "an FID continues after `it_`"],
    ["it_ab-cd", "unexpected `-` after `it_ab`"],
    ["it_ab cd", "instance types contain no spaces"],
    ["auc_rECU5s87CABp37aB", "the FID of a spot auction"],
    ["bid_AY5L98ZeUfzGcDc7", "the FID of a spot bid"],
    ["a100-80gb.nvlink.8x", "`nvlink` is not part of any instance-type spelling"],
    ["a100-80gb.sxm.pcie.1x", "it states the socket twice"],
    ["a100-h100", "unexpected `h` after `a100-`"],
    ["😀", "unexpected `😀` at the start"],
    ["a100\u0000", "unexpected U+0000 after `a100`"],
  ])("%j", (text, fragment) => {
    const parsed = parseInstanceType(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain(fragment);
    for (const s of parsed.suggestions) expect(parseInstanceType(s).ok).toBe(true);
  });

  test("no repair is offered where the intent is unclear", () => {
    for (const text of ["0xa100", "gpu", "it_ab-cd", "a100-80gb.nvlink.8x", "a100-h100", "8x"]) {
      const parsed = parseInstanceType(text);
      expect(parsed.ok ? ["accepted"] : parsed.suggestions).toEqual([]);
    }
  });

  test.each([
    ["letters", "%".repeat(1_000_000)],
    ["a count", `${"8".repeat(1_000_000)}xa100`],
    ["a memory size", `a100-${"9".repeat(1_000_000)}gb.sxm.1x`],
    ["an FID", `it_${"a".repeat(1_000_000)}-`],
    ["a model", `a100${"x".repeat(1_000_000)}-`],
  ])("a huge input (%s) is answered without echoing it", (_, text) => {
    const parsed = parseInstanceType(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message.length).toBeLessThan(300);
  });

  test("a huge FID is still an FID: no length is assumed", () => {
    const fid = `it_${"A1".repeat(50_000)}`;
    expect(parseInstanceType(fid)).toEqual({ ok: true, spec: { kind: "fid", fid } });
  });

  test("a non-string (from untyped JavaScript) is rejected, not thrown on", () => {
    expect(parseInstanceType(42 as unknown as string)).toEqual({
      ok: false,
      message: "the instance type must be a string",
      suggestions: [],
    });
  });
});
