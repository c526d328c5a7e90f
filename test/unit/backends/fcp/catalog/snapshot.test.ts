/** The built-in snapshot is self-consistent, agrees with the instance-type grammar, and is the only home of FIDs. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  builtinCatalog,
  catalogFromData,
  shorthandOf,
} from "../../../../../src/backends/fcp/catalog/index.ts";
import { gpuModelOf, parseInstanceType } from "../../../../../src/ir/instance-type/index.ts";

const catalog = builtinCatalog();
const entries = catalog.instanceTypes;

describe("built-in snapshot", () => {
  test("holds the 2025-07 FID set and nothing the spec says not to use", () => {
    expect(entries.map((e) => e.fid).sort()).toEqual(
      [
        "it_MsIRhxj3ccyVWGfP",
        "it_5M6aGxGovNeX5ltT",
        "it_fK7Cx6TVhOK5ZfXT",
        "it_J7OyNf9idfImLIFo",
        "it_5ECSoHQjLBzrp5YM",
        "it_XqgKWbhZ5gznAYsG",
      ].sort(),
    );
    for (const banned of ["it_zMPE5XskFP9x2hTb", "it_8l9p3CnK5ZQM7xJd"]) {
      expect(entries.some((e) => e.fid === banned)).toBe(false);
    }
  });

  test("FIDs are unique", () => {
    expect(new Set(entries.map((e) => e.fid)).size).toBe(entries.length);
  });

  test.each(entries.map((e) => [e.fid, e] as const))("%s: its name parses and matches its fields", (_, e) => {
    const parsed = parseInstanceType(e.name);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.spec.kind !== "name") throw new Error(`${e.name} is not a name`);
    expect(parsed.spec.count).toBe(e.num_gpus);
    expect(parsed.spec.memoryGb).toBe(e.gpu_memory_gb);
    expect(parsed.spec.gpu).toBe(gpuModelOf(e.gpu_type));
    expect(e.gpu_socket.toLowerCase().startsWith(parsed.spec.socket ?? "")).toBe(true);
  });

  test.each(entries.map((e) => [e.fid, e] as const))("%s: regions are sorted, unique and priced", (_, e) => {
    expect(e.regions.length).toBeGreaterThan(0);
    expect([...e.regions].sort()).toEqual(e.regions);
    expect(new Set(e.regions).size).toBe(e.regions.length);
    expect(Object.keys(e.last_instance_price ?? {}).sort()).toEqual(e.regions);
    for (const price of Object.values(e.last_instance_price ?? {}))
      expect(price).toMatch(/^\$[0-9]+\.[0-9]{2}$/);
  });

  test("gpu_type is the model token (fcp-api.md §11 #15) and every entry has a shorthand", () => {
    for (const e of entries) {
      expect(["A100", "H100"]).toContain(e.gpu_type);
      expect(shorthandOf(e)).toBeDefined();
    }
  });

  test("the disputed FID is treated as 8×H100 in us-central1-a (§11 #13)", () => {
    const e = entries.find((x) => x.fid === "it_XqgKWbhZ5gznAYsG");
    expect(e).toMatchObject({
      name: "h100-80gb.sxm.8x",
      num_gpus: 8,
      gpu_type: "H100",
      regions: ["us-central1-a"],
    });
    expect(entries.find((x) => x.fid === "it_5ECSoHQjLBzrp5YM")?.regions).toEqual(["us-central1-b"]);
  });

  test("is valid as an override file would be (schema and join)", () => {
    const instanceTypes = entries.map(({ regions: _r, last_instance_price: _p, ...model }) => model);
    const availability = entries.flatMap((e) =>
      e.regions.map((region, i) => ({
        fid: `auc_test${i}`,
        instance_type: e.fid,
        region,
        capacity: 1,
        last_instance_price: e.last_instance_price?.[region] ?? "$1.00",
      })),
    );
    const loaded = catalogFromData({ instance_types: instanceTypes, availability }, "round-trip");
    expect(loaded.ok && loaded.warnings).toEqual([]);
    if (loaded.ok) expect(loaded.catalog.instanceTypes).toEqual(entries);
  });

  test("is frozen and the same object on every call", () => {
    expect(builtinCatalog()).toBe(catalog);
    expect(Object.isFrozen(catalog.instanceTypes[0])).toBe(true);
    expect(Object.isFrozen(catalog.instanceTypes[0]?.regions)).toBe(true);
  });
});

describe("only snapshot.ts contains instance-type FIDs", () => {
  const srcRoot = join(import.meta.dirname, "../../../../../src");
  const files = (readdirSync(srcRoot, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.split("\\").join("/"));

  test("no other source file spells a 16-character FID", () => {
    const offenders = files
      .filter((f) => f !== "backends/fcp/catalog/snapshot.ts")
      .filter((f) => /\bit_[A-Za-z0-9]{16}\b/.test(readFileSync(join(srcRoot, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
