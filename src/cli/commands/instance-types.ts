/**
 * `flow instance-types`: the catalog the compiler resolves against, as a table or JSON. With
 * `--live`, the API's catalog joined with its spot availability: one row per instance type and
 * region, with the free capacity and the current (last clearing) price per instance-hour.
 */
import {
  type AuctionModel,
  type Catalog,
  catalogToJson,
  compareEntries,
  formatCatalogTable,
  shorthandOf,
} from "../../backends/fcp/catalog/index.ts";
import { loadCatalogOption } from "../catalog-option.ts";
import { type CliIo, EXIT } from "../io.ts";
import type { RemoteFlags } from "./remote.ts";

export async function instanceTypesCommand(
  io: CliIo,
  flags: RemoteFlags & { json?: boolean; catalog?: string; live?: boolean },
): Promise<number> {
  if (flags.live) return liveInstanceTypes(io, flags);
  const catalog = await loadCatalogOption(io, flags.catalog);
  io.stdout(
    flags.json ? `${JSON.stringify(catalogToJson(catalog), null, 2)}\n` : formatCatalogTable(catalog),
  );
  return EXIT.ok;
}

interface LiveRow {
  shorthand: string | null;
  name: string;
  fid: string;
  num_gpus: number;
  gpu_memory_gb: number;
  num_cpus: number;
  ram_gb: number;
  region: string;
  capacity: number;
  price: string;
}

/** Catalog × availability, in the catalog's display order, then by region. */
function liveRows(catalog: Catalog, auctions: readonly AuctionModel[]): LiveRow[] {
  const rows: LiveRow[] = [];
  for (const e of [...catalog.instanceTypes].sort(compareEntries)) {
    const offers = auctions
      .filter((a) => a.instance_type === e.fid)
      .sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    for (const a of offers) {
      rows.push({
        shorthand: shorthandOf(e) ?? null,
        name: e.name,
        fid: e.fid,
        num_gpus: e.num_gpus,
        gpu_memory_gb: e.gpu_memory_gb,
        num_cpus: e.num_cpus,
        ram_gb: e.ram_gb,
        region: a.region,
        capacity: a.capacity,
        price: a.last_instance_price,
      });
    }
  }
  return rows;
}

async function liveInstanceTypes(io: CliIo, flags: RemoteFlags & { json?: boolean }): Promise<number> {
  // loaded only for --live: `flow compile` imports this file and must not load the client
  const { liveCatalog, table, withRemote } = await import("./remote.ts");
  return withRemote(io, flags, async ({ client }) => {
    const { catalog, auctions } = await liveCatalog(client);
    const rows = liveRows(catalog, auctions);
    if (flags.json) {
      io.stdout(`${JSON.stringify({ source: catalog.source, offers: rows }, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout(
      table(
        ["TYPE", "NAME", "FID", "GPUS", "GPU GB", "VCPUS", "RAM GB", "REGION", "FREE", "PRICE/H"],
        rows.map((r) => [
          r.shorthand ?? "-",
          r.name,
          r.fid,
          String(r.num_gpus),
          String(r.gpu_memory_gb),
          String(r.num_cpus),
          String(r.ram_gb),
          r.region,
          String(r.capacity),
          r.price,
        ]),
        // numbers right-aligned, as in the built-in catalog's table
        [false, false, false, true, true, true, true, false, true, true],
      ),
    );
    return EXIT.ok;
  });
}
