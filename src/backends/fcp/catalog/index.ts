/**
 * The FCP instance-type catalog: the built-in snapshot, loading an override file, resolving an
 * instance requirement to an FID and region, and showing the catalog. Lowering code reaches FIDs
 * only through this module.
 */
export {
  type AuctionModel,
  type Catalog,
  type CatalogEntry,
  catalogFromData,
  compareEntries,
  createCatalog,
  type InstanceTypeModel,
  type LoadCatalogResult,
  loadCatalogFile,
  modelOf,
  shorthandOf,
} from "./catalog.ts";
export { type CatalogJson, type CatalogJsonEntry, catalogToJson, formatCatalogTable } from "./format.ts";
export {
  type Resolution,
  type ResolvedAlternative,
  type ResolveOptions,
  resolveByGpuMemory,
  resolveInstanceType,
} from "./resolve.ts";
export { builtinCatalog } from "./snapshot.ts";
