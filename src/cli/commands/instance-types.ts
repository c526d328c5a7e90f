/** `flow instance-types`: the catalog the compiler resolves against, as a table or JSON. */
import { catalogToJson, formatCatalogTable } from "../../backends/fcp/catalog/index.ts";
import { loadCatalogOption } from "../catalog-option.ts";
import { type CliIo, EXIT } from "../io.ts";

export async function instanceTypesCommand(
  io: CliIo,
  flags: { json?: boolean; catalog?: string },
): Promise<number> {
  const catalog = await loadCatalogOption(io, flags.catalog);
  io.stdout(
    flags.json ? `${JSON.stringify(catalogToJson(catalog), null, 2)}\n` : formatCatalogTable(catalog),
  );
  return EXIT.ok;
}
