/**
 * How `flow instance-types` shows a catalog: an aligned plain-text table for people and a JSON
 * form for machines (`--json`). Both list entries in the same stable order — GPU model, then GPU
 * count, then name, then FID — and carry no colour, clock or locale-dependent text.
 */
import { type Catalog, type CatalogEntry, compareEntries, shorthandOf } from "./catalog.ts";

/** One row of the JSON form: the canonical shorthand (null when there is none) and the API fields. */
export interface CatalogJsonEntry {
  shorthand: string | null;
  name: string;
  fid: string;
  num_gpus: number;
  gpu_type: string;
  gpu_memory_gb: number;
  gpu_socket: string;
  num_cpus: number;
  cpu_type: string;
  ram_gb: number;
  local_storage_gb: number;
  network_type: string | null;
  regions: string[];
  last_instance_price: Record<string, string>;
}

/** The JSON form of a catalog. */
export interface CatalogJson {
  source: string;
  instance_types: CatalogJsonEntry[];
}

const sorted = (catalog: Catalog): CatalogEntry[] => [...catalog.instanceTypes].sort(compareEntries);

/** The catalog as plain data, in display order, with keys in a fixed order. */
export function catalogToJson(catalog: Catalog): CatalogJson {
  return {
    source: catalog.source,
    instance_types: sorted(catalog).map((e) => ({
      shorthand: shorthandOf(e) ?? null,
      name: e.name,
      fid: e.fid,
      num_gpus: e.num_gpus,
      gpu_type: e.gpu_type,
      gpu_memory_gb: e.gpu_memory_gb,
      gpu_socket: e.gpu_socket,
      num_cpus: e.num_cpus,
      cpu_type: e.cpu_type,
      ram_gb: e.ram_gb,
      local_storage_gb: e.local_storage_gb,
      network_type: e.network_type ?? null,
      regions: [...e.regions],
      last_instance_price: Object.fromEntries(
        e.regions.flatMap((r) => {
          const price = e.last_instance_price?.[r];
          return price !== undefined ? [[r, price]] : [];
        }),
      ),
    })),
  };
}

const COLUMNS = [
  { title: "TYPE", numeric: false },
  { title: "NAME", numeric: false },
  { title: "FID", numeric: false },
  { title: "GPUS", numeric: true },
  { title: "GPU GB", numeric: true },
  { title: "VCPUS", numeric: true },
  { title: "RAM GB", numeric: true },
  { title: "REGIONS", numeric: false },
] as const;

/**
 * The catalog as an aligned table, one line per instance type, ending with a newline: text
 * left-aligned, numbers right-aligned.
 */
export function formatCatalogTable(catalog: Catalog): string {
  const rows = sorted(catalog).map((e) => [
    shorthandOf(e) ?? "-",
    e.name,
    e.fid,
    String(e.num_gpus),
    String(e.gpu_memory_gb),
    String(e.num_cpus),
    String(e.ram_gb),
    e.regions.length > 0 ? e.regions.join(", ") : "-",
  ]);
  return alignedTable(
    COLUMNS.map((c) => c.title),
    rows,
    COLUMNS.map((c) => c.numeric),
  );
}

/**
 * `header` and `rows` as an aligned table ending with a newline: columns two spaces apart, as
 * wide as their widest cell in code points, a column marked in `numeric` right-aligned, the
 * others left-aligned; no trailing spaces. Every table the CLI prints is made here.
 */
export function alignedTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): string {
  const table = [header, ...rows];
  const width = (cell: string) => [...cell].length;
  const widths = header.map((_, i) => Math.max(...table.map((row) => width(row[i] ?? ""))));
  const lines = table.map((row) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - width(cell)));
        return numeric[i] ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}
