/**
 * The instance-type catalog the backend resolves against: what `GET /v2/instance-types` returns,
 * joined with `GET /v2/spot/availability` so each type knows the regions that offer it (and the
 * last clearing price there). A catalog comes from the built-in snapshot (`snapshot.ts`) or from a
 * JSON file holding both API responses, `{ "instance_types": [...], "availability": [...] }`.
 *
 * Loading validates with zod and never throws: a bad file yields one precise message (JSON syntax
 * errors with line and column, schema errors with the path of the wrong field). Checked
 * guarantees of a loaded catalog: FIDs are unique, regions per type are sorted and unique.
 */
import * as z from "zod/mini";
import { zodIssueText } from "../../../diagnostics/zod-issue.ts";
import { FID_PATTERN, gpuModelOf, isGpuCount, parseInstanceType } from "../../../ir/instance-type/index.ts";
import { compareCodeUnits } from "../../../source/code-units.ts";
import { type JsonCodes, readJson } from "../../../source/json.ts";
import { createSourceFile, positionOf } from "../../../source/source-file.ts";

/** A catalog file's JSON problems: FCP007 (its duplicate keys are not looked for: JSON.parse read it). */
const CATALOG_JSON: JsonCodes = { syntax: "FCP007", duplicate: "FCP007" };

const PRICE_PATTERN = /^\$[0-9]+(\.[0-9]+)?$/;
const count = () => z.int().check(z.nonnegative());
const price = () => z.string().check(z.regex(PRICE_PATTERN, { error: 'expected a price such as "$10.00"' }));

/** One record of `GET /v2/instance-types` (fcp-api.md §5.3). Unknown fields are ignored. */
const InstanceTypeModelSchema = z.object({
  fid: z
    .string()
    .check(z.regex(FID_PATTERN, { error: "expected an instance-type FID: `it_` then letters and digits" })),
  name: z.string().check(z.minLength(1)),
  num_cpus: count(),
  cpu_type: z.string(),
  ram_gb: count(),
  num_gpus: count(),
  gpu_type: z.string(),
  gpu_memory_gb: count(),
  gpu_socket: z.string(),
  local_storage_gb: count(),
  network_type: z.optional(z.nullable(z.string())),
  ib_count: z.optional(count()),
  bridge_count: z.optional(count()),
});

/** One record of `GET /v2/spot/availability` (fcp-api.md §5.4). Unknown fields are ignored. */
const AuctionModelSchema = z.object({
  fid: z.string(),
  instance_type: z.string(),
  region: z.string().check(z.minLength(1)),
  capacity: count(),
  last_instance_price: price(),
  lowest_allocated_price: z.optional(z.nullable(price())),
  adjustable_memory: z.optional(z.boolean()),
  default_image_version: z.optional(z.nullable(z.string())),
});

/** A catalog file: both API responses saved side by side. No other top-level keys. */
const CatalogFileSchema = z.strictObject({
  instance_types: z.array(InstanceTypeModelSchema),
  availability: z.optional(z.array(AuctionModelSchema)),
});

/** An instance type as the API describes it. */
export type InstanceTypeModel = z.infer<typeof InstanceTypeModelSchema>;

/** A spot auction (one instance type in one region) as the API describes it. */
export type AuctionModel = z.infer<typeof AuctionModelSchema>;

/** An instance type plus where it is offered: the API record joined with its auctions. */
export interface CatalogEntry extends Readonly<InstanceTypeModel> {
  /** Regions with an auction for this FID, sorted; empty when none is known. */
  readonly regions: readonly string[];
  /** Last clearing price per region (`"$10.00"` per instance-hour), where known. */
  readonly last_instance_price?: Readonly<Record<string, string>>;
}

/** A set of instance types and where it came from (`built-in snapshot (2025-07)`, a file name, …). */
export interface Catalog {
  readonly source: string;
  readonly instanceTypes: readonly CatalogEntry[];
}

/** The outcome of loading a catalog: the catalog and non-fatal remarks, or why it was rejected. */
export type LoadCatalogResult =
  | { readonly ok: true; readonly catalog: Catalog; readonly warnings: string[] }
  | { readonly ok: false; readonly message: string };

/** `1xa100`, `8xh100`: the canonical shorthand of an entry, or undefined when the grammar cannot say it. */
export function shorthandOf(entry: Pick<InstanceTypeModel, "gpu_type" | "num_gpus">): string | undefined {
  const model = gpuModelOf(entry.gpu_type);
  return model !== undefined && isGpuCount(entry.num_gpus) ? `${entry.num_gpus}x${model}` : undefined;
}

/** Models by `gpu_type`: resolution asks for every entry of the catalog on every compile. */
const modelCache = new Map<string, string>();

/** The GPU model token of an entry (`a100`), falling back to its lowercased `gpu_type`. */
export function modelOf(entry: Pick<InstanceTypeModel, "gpu_type">): string {
  let model = modelCache.get(entry.gpu_type);
  if (model === undefined) {
    model = gpuModelOf(entry.gpu_type) ?? entry.gpu_type.toLowerCase();
    if (modelCache.size < 1024) modelCache.set(entry.gpu_type, model);
  }
  return model;
}

/** Display order: GPU model, then GPU count, then name, then FID (code-unit order, locale-free). */
export function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  return (
    compareCodeUnits(modelOf(a), modelOf(b)) ||
    a.num_gpus - b.num_gpus ||
    compareCodeUnits(a.name, b.name) ||
    compareCodeUnits(a.fid, b.fid)
  );
}

/**
 * Joins instance types with availability records into a catalog. Pure; assumes the records are
 * schema-valid. Duplicate FIDs are an error; availability for unknown FIDs and repeated
 * (FID, region) records are warnings (the later record wins).
 */
export function createCatalog(
  instanceTypes: readonly InstanceTypeModel[],
  availability: readonly AuctionModel[],
  source: string,
): LoadCatalogResult {
  if (instanceTypes.length === 0) {
    return { ok: false, message: "`instance_types` is empty: a catalog needs at least one" };
  }
  const warnings: string[] = [];
  const firstIndex = new Map<string, number>();
  for (const [i, t] of instanceTypes.entries()) {
    const seen = firstIndex.get(t.fid);
    if (seen !== undefined) {
      return { ok: false, message: `instance_types[${i}].fid: \`${t.fid}\` repeats instance_types[${seen}]` };
    }
    firstIndex.set(t.fid, i);
    const parsed = parseInstanceType(t.name);
    if (!parsed.ok || parsed.spec.kind !== "name") {
      warnings.push(
        `instance_types[${i}].name: \`${t.name}\` is not an instance-type name (${parsed.ok ? "it is not of the form `{gpu}-{mem}gb.{socket}.{count}x`" : parsed.message}); choose it by FID`,
      );
    }
  }
  const prices = new Map<string, Map<string, string>>();
  const recordOf = new Map<string, number>();
  for (const [i, a] of availability.entries()) {
    if (!firstIndex.has(a.instance_type)) {
      warnings.push(
        `availability[${i}].instance_type: \`${a.instance_type}\` is not in instance_types; record ignored`,
      );
      continue;
    }
    const key = `${a.instance_type} ${a.region}`;
    const previous = recordOf.get(key);
    if (previous !== undefined) {
      warnings.push(
        `availability[${i}] repeats availability[${previous}] (\`${a.instance_type}\` in ${a.region}); the later record is used`,
      );
    }
    recordOf.set(key, i);
    const byRegion = prices.get(a.instance_type) ?? new Map<string, string>();
    byRegion.set(a.region, a.last_instance_price);
    prices.set(a.instance_type, byRegion);
  }
  const entries = instanceTypes.map((t): CatalogEntry => {
    const byRegion = prices.get(t.fid);
    const regions = [...(byRegion?.keys() ?? [])].sort(compareCodeUnits);
    return {
      ...t,
      regions,
      ...(byRegion
        ? { last_instance_price: Object.fromEntries(regions.map((r) => [r, byRegion.get(r) ?? ""])) }
        : {}),
    };
  });
  return { ok: true, catalog: { source, instanceTypes: entries }, warnings };
}

/** Validates already-parsed data (e.g. the two API responses) and builds a catalog from it. */
export function catalogFromData(data: unknown, source: string): LoadCatalogResult {
  const parsed = z.safeParse(CatalogFileSchema, data, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 5)
      .map((issue) => zodIssueText(issue, "expected `instance_types` and `availability`"));
    const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : "";
    return { ok: false, message: `${shown.join("; ")}${more}` };
  }
  return createCatalog(parsed.data.instance_types, parsed.data.availability ?? [], source);
}

/**
 * Loads a catalog file. `fileName` becomes the catalog's `source`; messages do not repeat it (the
 * caller names the file) but give line and column for JSON syntax errors. A leading UTF-8 byte-order
 * mark is ignored.
 */
export function loadCatalogFile(text: string, fileName: string): LoadCatalogResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    // JSON.parse says that, not where: the project's positioned reader finds the place.
    // JSON.parse takes any depth, so the reader follows far deeper than a catalog's three levels
    // (to the real syntax error) and no deeper than its recursion safely can.
    const found = readJson(body, CATALOG_JSON, { maxDepth: 1000 }).syntaxError;
    if (found === undefined) return { ok: false, message: `invalid JSON: ${(e as Error).message}` };
    const { line, column } = positionOf(createSourceFile(fileName, body), found.span.start);
    return { ok: false, message: `invalid JSON at line ${line}, column ${column}: ${found.message}` };
  }
  return catalogFromData(data, fileName);
}
