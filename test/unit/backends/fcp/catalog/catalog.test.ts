/** Loading a catalog override file: the two API responses side by side, validated with precise messages. */
import { describe, expect, test } from "vitest";
import {
  type AuctionModel,
  catalogFromData,
  createCatalog,
  type InstanceTypeModel,
  loadCatalogFile,
  shorthandOf,
} from "../../../../../src/backends/fcp/catalog/index.ts";

const H100: InstanceTypeModel = {
  fid: "it_H100aaaaaaaaaaaa",
  name: "h100-80gb.sxm.8x",
  num_cpus: 192,
  cpu_type: "Intel",
  ram_gb: 1800,
  num_gpus: 8,
  gpu_type: "H100",
  gpu_memory_gb: 80,
  gpu_socket: "SXM5",
  local_storage_gb: 7800,
  network_type: "InfiniBand",
  ib_count: 8,
  bridge_count: 4,
};
const A100: InstanceTypeModel = {
  ...H100,
  fid: "it_A100aaaaaaaaaaaa",
  name: "a100-80gb.sxm.1x",
  num_cpus: 24,
  ram_gb: 225,
  num_gpus: 1,
  gpu_type: "NVIDIA A100",
  gpu_socket: "SXM4",
  network_type: null,
};
const auction = (instance_type: string, region: string, price: string): AuctionModel => ({
  fid: `auc_${region.replace(/-/g, "")}`,
  instance_type,
  region,
  capacity: 3,
  last_instance_price: price,
  lowest_allocated_price: null,
});

const file = (data: unknown) => JSON.stringify(data, null, 2);

describe("loadCatalogFile: good files", () => {
  test("joins availability into sorted regions and per-region prices", () => {
    const loaded = loadCatalogFile(
      file({
        instance_types: [H100, A100],
        availability: [
          auction(H100.fid, "us-central1-b", "$8.00"),
          auction(H100.fid, "us-central1-a", "$10.00"),
          auction(A100.fid, "eu-central1-a", "$0.63"),
        ],
      }),
      "mine.json",
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.warnings).toEqual([]);
    expect(loaded.catalog.source).toBe("mine.json");
    const [h100, a100] = loaded.catalog.instanceTypes;
    expect(h100?.regions).toEqual(["us-central1-a", "us-central1-b"]);
    expect(h100?.last_instance_price).toEqual({ "us-central1-a": "$10.00", "us-central1-b": "$8.00" });
    expect(a100?.regions).toEqual(["eu-central1-a"]);
    expect(a100 && shorthandOf(a100)).toBe("1xa100");
  });

  test("without availability every type has no regions", () => {
    const loaded = loadCatalogFile(file({ instance_types: [H100] }), "types-only.json");
    expect(loaded.ok && loaded.catalog.instanceTypes[0]?.regions).toEqual([]);
  });

  test("unknown fields inside records are ignored (the API grows), a BOM is tolerated", () => {
    const loaded = loadCatalogFile(
      `\uFEFF${file({ instance_types: [{ ...H100, future_field: 1 }], availability: [{ ...auction(H100.fid, "r", "$1.00"), adjustable_memory: true }] })}`,
      "f.json",
    );
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.catalog.instanceTypes[0]).not.toHaveProperty("future_field");
  });

  test("remarks that do not stop loading come back as warnings", () => {
    const loaded = loadCatalogFile(
      file({
        instance_types: [H100, { ...A100, name: "a100.80gb.sxm" }],
        availability: [
          auction("it_unknownaaaaaaaa", "us-central1-a", "$1.00"),
          auction(H100.fid, "us-central1-a", "$10.00"),
          auction(H100.fid, "us-central1-a", "$11.00"),
        ],
      }),
      "f.json",
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /^instance_types\[1\]\.name: `a100\.80gb\.sxm` is not an instance-type name .*choose it by FID$/,
      ),
      "availability[0].instance_type: `it_unknownaaaaaaaa` is not in instance_types; record ignored",
      "availability[2] repeats availability[1] (`it_H100aaaaaaaaaaaa` in us-central1-a); the later record is used",
    ]);
    expect(loaded.catalog.instanceTypes[0]?.last_instance_price).toEqual({ "us-central1-a": "$11.00" });
  });
});

describe("loadCatalogFile: bad JSON says where", () => {
  test.each([
    ["{x", "invalid JSON at line 1, column 2: key `x` must be in double quotes"],
    [
      '{\n  "instance_types": [\n    {"fid": tru}\n  ]\n}',
      "invalid JSON at line 3, column 13: unexpected word `tru`; expected a value",
    ],
    ['{"instance_types": [1 2]}', "invalid JSON at line 1, column 23: expected `,` or `]`, found `2`"],
    ['{"instance_types": [],}', "invalid JSON at line 1, column 22: trailing comma before `}`"],
    ["", "invalid JSON at line 1, column 1: the file is empty; expected a JSON object"],
    ['{"a": "b', "invalid JSON at line 1, column 7: unterminated string"],
    ["{} x", "invalid JSON at line 1, column 4: unexpected `x` after the end of the document"],
    ['{"a": "\\q"}', "invalid JSON at line 1, column 8: invalid escape `\\q`"],
  ])("%j", (text, message) => {
    const loaded = loadCatalogFile(text, "bad.json");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toBe(message);
  });

  test("very deep nesting is answered, not thrown", () => {
    const text = `${"[".repeat(200_000)}`;
    const loaded = loadCatalogFile(text, "deep.json");
    expect(loaded.ok).toBe(false);
  });
});

describe("loadCatalogFile: wrong fields are named by path", () => {
  test.each<[unknown, string]>([
    [[H100], "the top level: expected object, got an array"],
    [{ instance_types: {} }, "instance_types: expected array, got an object"],
    [
      { instance_types: [{ ...H100, num_gpus: "8" }] },
      'instance_types[0].num_gpus: expected number, got string "8"',
    ],
    [{ instance_types: [{ ...H100, ram_gb: 1.5 }] }, "instance_types[0].ram_gb:"],
    [{ instance_types: [{ ...H100, fid: "bid_x" }] }, "instance_types[0].fid: expected an instance-type FID"],
    [
      { instance_types: [{ ...H100, gpu_type: undefined }] },
      "instance_types[0].gpu_type: missing (expected string)",
    ],
    [
      { instance_types: [H100], availability: [{ ...auction(H100.fid, "r", "10.00") }] },
      'availability[0].last_instance_price: expected a price such as "$10.00"',
    ],
    [{ instance_types: [H100], availabilty: [] }, "the top level: unknown key `availabilty`"],
    [{ instance_types: [] }, "`instance_types` is empty"],
    [
      { instance_types: [H100, H100] },
      "instance_types[1].fid: `it_H100aaaaaaaaaaaa` repeats instance_types[0]",
    ],
  ])("%#: %s", (data, fragment) => {
    const loaded = loadCatalogFile(file(data), "f.json");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toContain(fragment);
  });

  test("many problems are summarised, not all listed", () => {
    const loaded = catalogFromData({ instance_types: [{}] }, "f");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toMatch(/; and [0-9]+ more$/);
  });
});

describe("createCatalog", () => {
  test("is the join used by both loaders, and never throws on odd input", () => {
    expect(createCatalog([], [], "x")).toEqual({
      ok: false,
      message: "`instance_types` is empty: a catalog needs at least one",
    });
    const made = createCatalog(
      [H100],
      [auction(H100.fid, "b", "$1.00"), auction(H100.fid, "a", "$2.00")],
      "x",
    );
    expect(made.ok && made.catalog.instanceTypes[0]?.regions).toEqual(["a", "b"]);
  });
});

describe("loadCatalogFile: a deeply nested file's syntax error is found (JSON.parse takes any depth)", () => {
  test("a syntax error below 100 levels is reported at its place, not as too deep", () => {
    const deep = `${"[".repeat(100)}1 2${"]".repeat(100)}`;
    const text = `{"instance_types": [], "extra": ${deep}}`;
    const loaded = loadCatalogFile(text, "deep.json");
    expect(loaded.ok).toBe(false);
    const column = text.indexOf("1 2") + 3;
    if (!loaded.ok)
      expect(loaded.message).toBe(
        `invalid JSON at line 1, column ${column}: expected \`,\` or \`]\`, found \`2\``,
      );
  });
});
