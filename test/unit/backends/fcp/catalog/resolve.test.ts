/** Resolution of instance requirements against a catalog: matching, regions, preferences, failures. */
import { describe, expect, test } from "vitest";
import {
  builtinCatalog,
  type Catalog,
  type CatalogEntry,
  type ResolveOptions,
  resolveByGpuMemory,
  resolveInstanceType,
} from "../../../../../src/backends/fcp/catalog/index.ts";
import { parseInstanceType } from "../../../../../src/ir/instance-type/index.ts";

const builtin = builtinCatalog();

function resolve(text: string, options: ResolveOptions = {}, catalog: Catalog = builtin) {
  const parsed = parseInstanceType(text);
  if (!parsed.ok) throw new Error(`test input ${text} does not parse: ${parsed.message}`);
  return resolveInstanceType(parsed.spec, catalog, options);
}

function entry(over: Partial<CatalogEntry> & Pick<CatalogEntry, "fid" | "name">): CatalogEntry {
  return {
    num_cpus: 8,
    cpu_type: "x",
    ram_gb: 64,
    num_gpus: 1,
    gpu_type: "A100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM4",
    local_storage_gb: 100,
    network_type: null,
    regions: ["r1"],
    ...over,
  };
}

describe("built-in catalog", () => {
  test.each([
    ["a100", "it_MsIRhxj3ccyVWGfP", "eu-central1-a"],
    ["1xa100", "it_MsIRhxj3ccyVWGfP", "eu-central1-a"],
    ["2xa100", "it_5M6aGxGovNeX5ltT", "eu-central1-a"],
    ["4xa100", "it_fK7Cx6TVhOK5ZfXT", "eu-central1-a"],
    ["8xa100", "it_J7OyNf9idfImLIFo", "eu-central1-a"],
    ["a100-80gb.sxm.4x", "it_fK7Cx6TVhOK5ZfXT", "eu-central1-a"],
    ["8xh100", "it_XqgKWbhZ5gznAYsG", "us-central1-a"],
    ["h100-80gb.sxm.8x", "it_XqgKWbhZ5gznAYsG", "us-central1-a"],
    ["it_5ECSoHQjLBzrp5YM", "it_5ECSoHQjLBzrp5YM", "us-central1-b"],
    ["it_MsIRhxj3ccyVWGfP", "it_MsIRhxj3ccyVWGfP", "eu-central1-a"],
  ])("%s → %s in %s (region chosen)", (text, fid, region) => {
    const r = resolve(text);
    expect(r).toMatchObject({ ok: true, fid, region, regionChosen: true });
    if (r.ok) expect(r.entry.fid).toBe(fid);
  });

  test("the chosen offer carries its last price and the other offers as alternatives", () => {
    expect(resolve("8xh100")).toEqual({
      ok: true,
      entry: builtin.instanceTypes.find((e) => e.fid === "it_XqgKWbhZ5gznAYsG"),
      fid: "it_XqgKWbhZ5gznAYsG",
      region: "us-central1-a",
      regionChosen: true,
      lastInstancePrice: "$10.00",
      alternatives: [
        {
          fid: "it_5ECSoHQjLBzrp5YM",
          name: "h100-80gb.sxm.8x",
          region: "us-central1-b",
          lastInstancePrice: "$8.00",
        },
      ],
    });
  });

  test("a region selects among FIDs that share a name", () => {
    expect(resolve("8xh100", { region: "us-central1-b" })).toMatchObject({
      ok: true,
      fid: "it_5ECSoHQjLBzrp5YM",
      region: "us-central1-b",
      regionChosen: false,
      alternatives: [],
    });
    expect(resolve("h100-80gb.sxm.8x", { region: "us-central1-a" })).toMatchObject({
      fid: "it_XqgKWbhZ5gznAYsG",
    });
  });

  test("not offered in the region: the regions that offer it are the suggestions", () => {
    expect(resolve("8xh100", { region: "eu-central1-a" })).toEqual({
      ok: false,
      reason: "not-in-region",
      message:
        "`8xh100` is not offered in `eu-central1-a`; it is offered in `us-central1-a`, `us-central1-b`",
      suggestions: ["us-central1-a", "us-central1-b"],
    });
    expect(resolve("it_MsIRhxj3ccyVWGfP", { region: "us-central1-a" })).toMatchObject({
      reason: "not-in-region",
      suggestions: ["eu-central1-a"],
    });
  });

  test("an unknown region is named as such", () => {
    const r = resolve("a100", { region: "us-east-1" });
    expect(r).toMatchObject({ ok: false, reason: "not-in-region", suggestions: ["eu-central1-a"] });
    if (!r.ok) expect(r.message).toContain("`us-east-1` is not a region of the catalog");
  });

  test("a count the model is not offered in: the offered counts, nearest first", () => {
    expect(resolve("2xh100")).toEqual({
      ok: false,
      reason: "no-match",
      message: "no instance type has 2 H100 GPUs; H100 is offered as `8xh100`",
      suggestions: ["8xh100"],
    });
    expect(resolve("h100")).toMatchObject({ reason: "no-match", suggestions: ["8xh100"] });
    expect(resolve("3xa100")).toMatchObject({
      reason: "no-match",
      suggestions: ["2xa100", "4xa100", "1xa100", "8xa100"],
    });
  });

  test("an unknown model: the models the catalog offers, nearest spelling first", () => {
    expect(resolve("a10")).toEqual({
      ok: false,
      reason: "no-match",
      message: "no instance type has `a10` GPUs; the catalog offers `a100`, `h100`",
      suggestions: ["1xa100", "8xh100"],
    });
    expect(resolve("h200")).toMatchObject({ suggestions: ["8xh100", "1xa100"] });
    expect(resolve("b200-192gb.8x")).toMatchObject({ reason: "no-match", suggestions: ["1xa100", "8xh100"] });
  });

  test("an unknown name of a known model: that model's names, nearest first", () => {
    expect(resolve("h100-80gb.pcie.1x")).toEqual({
      ok: false,
      reason: "no-match",
      message: "no instance type is named `h100-80gb.pcie.1x`; H100 names are `h100-80gb.sxm.8x`",
      suggestions: ["h100-80gb.sxm.8x"],
    });
    expect(resolve("a100-40gb.sxm.4x")).toMatchObject({
      suggestions: expect.arrayContaining(["a100-80gb.sxm.4x"]),
    });
  });

  test("an unknown FID: a near FID when there is one", () => {
    expect(resolve("it_XqgKWbhZ5gznAYsX")).toMatchObject({
      reason: "no-match",
      suggestions: ["it_XqgKWbhZ5gznAYsG"],
    });
    const far = resolve("it_zzzz");
    expect(far).toMatchObject({ reason: "no-match", suggestions: [] });
    if (!far.ok) expect(far.message).toContain("catalog: built-in snapshot (2025-07)");
  });
});

describe("preferences among several matches", () => {
  const catalog: Catalog = {
    source: "test",
    instanceTypes: [
      entry({ fid: "it_pcie80", name: "a100-80gb.pcie.1x", gpu_socket: "PCIe", regions: ["a"] }),
      entry({ fid: "it_sxm40", name: "a100-40gb.sxm.1x", gpu_memory_gb: 40, regions: ["a"] }),
      entry({ fid: "it_sxm80z", name: "a100-80gb.sxm.1x", regions: ["z"] }),
      entry({ fid: "it_sxm80b", name: "a100-80gb.sxm.1x", regions: ["c", "b"] }),
      entry({ fid: "it_sxm80a", name: "a100-80gb.sxm.1x", regions: ["b"] }),
      entry({ fid: "it_none", name: "a100-80gb.sxm.2x", num_gpus: 2, regions: [] }),
    ],
  };

  test("shorthand: most GPU memory, then SXM, then name, then first region, then FID", () => {
    const r = resolve("a100", {}, catalog);
    expect(r).toMatchObject({ ok: true, fid: "it_sxm80a", region: "b" });
    if (r.ok) {
      expect(r.alternatives.map((a) => `${a.fid}@${a.region}`)).toEqual([
        "it_sxm80b@b",
        "it_sxm80b@c",
        "it_sxm80z@z",
        "it_pcie80@a",
        "it_sxm40@a",
      ]);
    }
  });

  test("in a region, only what is offered there", () => {
    expect(resolve("a100", { region: "a" }, catalog)).toMatchObject({
      fid: "it_pcie80",
      regionChosen: false,
    });
    expect(resolve("a100-80gb.sxm.1x", { region: "z" }, catalog)).toMatchObject({ fid: "it_sxm80z" });
  });

  test("a type with no availability anywhere is reported as not offered", () => {
    expect(resolve("2xa100", {}, catalog)).toMatchObject({
      ok: false,
      reason: "not-in-region",
      suggestions: [],
    });
    expect(resolve("2xa100", { region: "a" }, catalog)).toMatchObject({ ok: false, reason: "not-in-region" });
  });

  test("the answer does not depend on the order of the catalog", () => {
    const reversed: Catalog = { ...catalog, instanceTypes: [...catalog.instanceTypes].reverse() };
    for (const text of ["a100", "a100-80gb.sxm.1x", "it_sxm40"]) {
      for (const options of [{}, { region: "a" }, { region: "b" }]) {
        expect(resolve(text, options, reversed)).toEqual(resolve(text, options, catalog));
      }
    }
  });

  test("gpu_type is matched on its model token, case-insensitively", () => {
    const seedStyle: Catalog = {
      source: "seed",
      instanceTypes: [
        entry({ fid: "it_seed", name: "a100-80gb.sxm.2x", num_gpus: 2, gpu_type: "NVIDIA A100" }),
      ],
    };
    expect(resolve("2xa100", {}, seedStyle)).toMatchObject({ ok: true, fid: "it_seed" });
  });
});

describe("resolveByGpuMemory", () => {
  test("built-in: at most 80 GB resolves to the single A100", () => {
    for (const gb of [1, 40, 80]) {
      expect(resolveByGpuMemory(gb, builtin)).toMatchObject({
        ok: true,
        fid: "it_MsIRhxj3ccyVWGfP",
        regionChosen: true,
      });
    }
  });

  test("built-in: in a region it takes what that region offers", () => {
    expect(resolveByGpuMemory(80, builtin, { region: "us-central1-b" })).toMatchObject({
      ok: true,
      fid: "it_5ECSoHQjLBzrp5YM",
      regionChosen: false,
    });
  });

  test("more memory than any GPU has: no-match naming the largest", () => {
    expect(resolveByGpuMemory(81, builtin)).toEqual({
      ok: false,
      reason: "no-match",
      message:
        "no instance type has 81 GB or more per GPU; the most is 80 GB (`1xa100`, `2xa100`, `4xa100`, `8xa100`, `8xh100`)",
      suggestions: ["1xa100", "2xa100", "4xa100", "8xa100", "8xh100"],
    });
  });

  test("fewest GPUs, then least memory, then name", () => {
    const catalog: Catalog = {
      source: "t",
      instanceTypes: [
        entry({ fid: "it_b", name: "h100-80gb.sxm.2x", gpu_type: "H100", num_gpus: 2 }),
        entry({ fid: "it_c", name: "h200-141gb.sxm.1x", gpu_type: "H200", gpu_memory_gb: 141 }),
        entry({ fid: "it_d", name: "a100-80gb.sxm.1x" }),
        entry({ fid: "it_a", name: "a100-40gb.sxm.1x", gpu_memory_gb: 40 }),
      ],
    };
    expect(resolveByGpuMemory(40, catalog)).toMatchObject({ fid: "it_a" });
    expect(resolveByGpuMemory(41, catalog)).toMatchObject({ fid: "it_d" });
    expect(resolveByGpuMemory(100, catalog)).toMatchObject({ fid: "it_c" });
    expect(resolveByGpuMemory(80, catalog, { region: "nowhere" })).toMatchObject({
      ok: false,
      reason: "not-in-region",
      suggestions: ["r1"],
    });
  });

  test("a non-number is a no-match, not a throw", () => {
    expect(resolveByGpuMemory(Number.NaN, builtin)).toMatchObject({ ok: false, reason: "no-match" });
  });
});

describe("answers kept per catalog", () => {
  test("a repeated question gets the answer a fresh catalog gives, whatever was asked before", () => {
    const specs = ["8xh100", "a100", "4xa100", "h100-80gb.sxm.8x", "1xh100", "2xa100"];
    const regions = [undefined, ...new Set(builtin.instanceTypes.flatMap((e) => e.regions))];
    const asked = [...specs, ...specs.slice().reverse()];
    for (const region of regions) {
      for (const text of asked) {
        const options = region === undefined ? {} : { region };
        const fresh: Catalog = { ...builtin, instanceTypes: builtin.instanceTypes.map((e) => ({ ...e })) };
        expect(resolve(text, options)).toEqual(resolve(text, options, fresh));
      }
    }
  });
});
