/** `flow instance-types` output: the aligned table and the JSON form, both in a stable order. */
import { describe, expect, test } from "vitest";
import {
  builtinCatalog,
  type Catalog,
  catalogToJson,
  formatCatalogTable,
} from "../../../../../src/backends/fcp/catalog/index.ts";

describe("formatCatalogTable", () => {
  test("the built-in catalog", () => {
    expect(formatCatalogTable(builtinCatalog())).toBe(
      [
        "TYPE    NAME              FID                  GPUS  GPU GB  VCPUS  RAM GB  REGIONS",
        "1xa100  a100-80gb.sxm.1x  it_MsIRhxj3ccyVWGfP     1      80     24     225  eu-central1-a",
        "2xa100  a100-80gb.sxm.2x  it_5M6aGxGovNeX5ltT     2      80     48     450  eu-central1-a",
        "4xa100  a100-80gb.sxm.4x  it_fK7Cx6TVhOK5ZfXT     4      80     96     900  eu-central1-a",
        "8xa100  a100-80gb.sxm.8x  it_J7OyNf9idfImLIFo     8      80    192    1800  eu-central1-a",
        "8xh100  h100-80gb.sxm.8x  it_5ECSoHQjLBzrp5YM     8      80    192    1800  us-central1-b",
        "8xh100  h100-80gb.sxm.8x  it_XqgKWbhZ5gznAYsG     8      80    192    1800  us-central1-a",
        "",
      ].join("\n"),
    );
  });

  test("entries without a shorthand or regions show `-`; no trailing spaces", () => {
    const catalog: Catalog = {
      source: "t",
      instanceTypes: [
        {
          fid: "it_x",
          name: "weird",
          num_cpus: 4,
          cpu_type: "c",
          ram_gb: 16,
          num_gpus: 16,
          gpu_type: "Mystery",
          gpu_memory_gb: 24,
          gpu_socket: "PCIe",
          local_storage_gb: 0,
          regions: [],
        },
      ],
    };
    const lines = formatCatalogTable(catalog).split("\n");
    expect(lines[1]).toBe("-     weird  it_x    16      24      4      16  -");
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });
});

describe("catalogToJson", () => {
  test("plain data in display order, prices only for offered regions", () => {
    const json = catalogToJson(builtinCatalog());
    expect(json.source).toBe("built-in snapshot (2025-07)");
    expect(json.instance_types.map((t) => t.fid)).toEqual([
      "it_MsIRhxj3ccyVWGfP",
      "it_5M6aGxGovNeX5ltT",
      "it_fK7Cx6TVhOK5ZfXT",
      "it_J7OyNf9idfImLIFo",
      "it_5ECSoHQjLBzrp5YM",
      "it_XqgKWbhZ5gznAYsG",
    ]);
    expect(json.instance_types[4]).toEqual({
      shorthand: "8xh100",
      name: "h100-80gb.sxm.8x",
      fid: "it_5ECSoHQjLBzrp5YM",
      num_gpus: 8,
      gpu_type: "H100",
      gpu_memory_gb: 80,
      gpu_socket: "SXM5",
      num_cpus: 192,
      cpu_type: "Intel",
      ram_gb: 1800,
      local_storage_gb: 7800,
      network_type: "InfiniBand",
      regions: ["us-central1-b"],
      last_instance_price: { "us-central1-b": "$8.00" },
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test("is the same whatever order the catalog lists its types in", () => {
    const catalog = builtinCatalog();
    const reversed: Catalog = { ...catalog, instanceTypes: [...catalog.instanceTypes].reverse() };
    expect(JSON.stringify(catalogToJson(reversed))).toBe(JSON.stringify(catalogToJson(catalog)));
    expect(formatCatalogTable(reversed)).toBe(formatCatalogTable(catalog));
  });
});
