/** `--catalog <file>` / FLOW_CATALOG: an instance-type catalog that replaces the built-in snapshot. */
import { builtinCatalog, type Catalog, loadCatalogFile } from "../backends/fcp/catalog/index.ts";
import { readInput } from "./files.ts";
import { type CliIo, UsageError } from "./io.ts";

export async function loadCatalogOption(io: CliIo, path: string | undefined): Promise<Catalog> {
  const file = path ?? io.env.FLOW_CATALOG;
  if (file === undefined || file === "") return builtinCatalog();
  const loaded = loadCatalogFile(await readInput(io, file), file);
  if (!loaded.ok) throw new UsageError(`catalog \`${file}\`: ${loaded.message}`);
  return loaded.catalog;
}
