/**
 * Resolution: which catalog entry, FID and region a user's instance requirement means. Pure and
 * deterministic — the same spec, catalog and options give the same answer — and it never throws.
 *
 * Matching: a shorthand (`4xa100`) matches every entry whose GPU model (the model token of
 * `gpu_type`, case-insensitive) and GPU count agree; a name matches the API `name` exactly; an FID
 * matches `fid`. With a region only entries offered there match; without one the compiler picks
 * and says so (`regionChosen`). Among several matches the preference is: more GPU memory, `SXM*`
 * before `PCIe`, then name, then the alphabetically first region, then FID — so when one name
 * exists under several FIDs (one per region, as the API does), the FID of the first region wins.
 * Failures say whether the type does not exist ("no-match") or is not offered in the region
 * ("not-in-region"), with the nearest spellings or the regions that do offer it.
 */
import { closest, editDistance } from "../../../diagnostics/did-you-mean.ts";
import { type InstanceTypeSpec, printInstanceType } from "../../../ir/instance-type/index.ts";
import { compareCodeUnits } from "../../../source/code-units.ts";
import { type Catalog, type CatalogEntry, compareEntries, modelOf, shorthandOf } from "./catalog.ts";

/** Where to resolve: a region the bid must be placed in, or none to let the resolver choose. */
export interface ResolveOptions {
  readonly region?: string;
}

/** Another (FID, region) that would also satisfy the requirement, in preference order. */
export interface ResolvedAlternative {
  readonly fid: string;
  readonly name: string;
  readonly region: string;
  readonly lastInstancePrice?: string;
}

/** The resolver's answer. On success `region` is the given region or the one it chose. */
export type Resolution =
  | {
      readonly ok: true;
      readonly entry: CatalogEntry;
      readonly fid: string;
      readonly region: string;
      /** True when no region was given and the resolver picked `region`. */
      readonly regionChosen: boolean;
      /** The entry's last clearing price in `region`, when the catalog knows it. */
      readonly lastInstancePrice?: string;
      readonly alternatives: readonly ResolvedAlternative[];
    }
  | {
      readonly ok: false;
      readonly reason: "no-match" | "not-in-region";
      readonly message: string;
      /** Valid instance-type spellings (for "no-match") or region names (for "not-in-region"). */
      readonly suggestions: string[];
    };

interface Offer {
  readonly entry: CatalogEntry;
  readonly region: string;
}

const uniqueSorted = (values: Iterable<string>) => [...new Set(values)].sort(compareCodeUnits);
const quoted = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(", ");

function socketRank(entry: CatalogEntry): number {
  const socket = entry.gpu_socket.toLowerCase();
  return socket.startsWith("sxm") ? 0 : socket.startsWith("pci") ? 1 : 2;
}

/** Preference among offers for an instance type: more GPU memory, SXM, name, region, FID. */
function compareForType(a: Offer, b: Offer): number {
  return (
    b.entry.gpu_memory_gb - a.entry.gpu_memory_gb ||
    socketRank(a.entry) - socketRank(b.entry) ||
    compareCodeUnits(a.entry.name, b.entry.name) ||
    compareCodeUnits(a.region, b.region) ||
    compareCodeUnits(a.entry.fid, b.entry.fid)
  );
}

/** Preference among offers for a GPU-memory requirement: fewest GPUs, least memory, name, region, FID. */
function compareForMemory(a: Offer, b: Offer): number {
  return (
    a.entry.num_gpus - b.entry.num_gpus ||
    a.entry.gpu_memory_gb - b.entry.gpu_memory_gb ||
    compareCodeUnits(a.entry.name, b.entry.name) ||
    compareCodeUnits(a.region, b.region) ||
    compareCodeUnits(a.entry.fid, b.entry.fid)
  );
}

function allRegions(catalog: Catalog): string[] {
  return uniqueSorted(catalog.instanceTypes.flatMap((e) => e.regions));
}

/** Picks the preferred offer among `candidates`, or explains why none is offered where asked. */
function choose(
  candidates: readonly CatalogEntry[],
  what: string,
  catalog: Catalog,
  options: ResolveOptions,
  compare: (a: Offer, b: Offer) => number,
): Resolution {
  const { region } = options;
  const offers: Offer[] = candidates
    .flatMap((entry) =>
      (region === undefined ? entry.regions : entry.regions.filter((r) => r === region)).map((r) => ({
        entry,
        region: r,
      })),
    )
    .sort(compare);
  const [best, ...rest] = offers;
  if (best === undefined) {
    const regions = uniqueSorted(candidates.flatMap((e) => e.regions));
    if (region === undefined || regions.length === 0) {
      return {
        ok: false,
        reason: "not-in-region",
        message: `${what} is in the catalog but not offered in any region (no availability is known for it)`,
        suggestions: [],
      };
    }
    const known = allRegions(catalog);
    const unknown = known.includes(region)
      ? ""
      : ` (\`${region}\` is not a region of the catalog: ${quoted(known)})`;
    return {
      ok: false,
      reason: "not-in-region",
      message: `${what} is not offered in \`${region}\`${unknown}; it is offered in ${quoted(regions)}`,
      suggestions: regions,
    };
  }
  const price = (o: Offer) => o.entry.last_instance_price?.[o.region];
  const bestPrice = price(best);
  return {
    ok: true,
    entry: best.entry,
    fid: best.entry.fid,
    region: best.region,
    regionChosen: region === undefined,
    ...(bestPrice !== undefined ? { lastInstancePrice: bestPrice } : {}),
    alternatives: rest.map((o) => {
      const p = price(o);
      return {
        fid: o.entry.fid,
        name: o.entry.name,
        region: o.region,
        ...(p !== undefined ? { lastInstancePrice: p } : {}),
      };
    }),
  };
}

/** A catalog's entries by GPU model, built once per catalog (every compile resolves a model). */
const byModelCache = new WeakMap<Catalog, Map<string, CatalogEntry[]>>();

/** The entries of `model`, in catalog order (empty when the catalog has none). */
function entriesOfModel(catalog: Catalog, model: string): readonly CatalogEntry[] {
  let index = byModelCache.get(catalog);
  if (index === undefined) {
    index = new Map();
    for (const entry of catalog.instanceTypes) {
      const list = index.get(modelOf(entry));
      if (list) list.push(entry);
      else index.set(modelOf(entry), [entry]);
    }
    byModelCache.set(catalog, index);
  }
  return index.get(model) ?? [];
}

/** Canonical shorthands offered for each GPU model of the catalog, in count order. */
function shorthandsByModel(catalog: Catalog): Map<string, string[]> {
  const byModel = new Map<string, string[]>();
  for (const entry of [...catalog.instanceTypes].sort(compareEntries)) {
    const shorthand = shorthandOf(entry);
    if (shorthand === undefined) continue;
    const list = byModel.get(modelOf(entry)) ?? [];
    if (!list.includes(shorthand)) list.push(shorthand);
    byModel.set(modelOf(entry), list);
  }
  return byModel;
}

/** The smallest offered shorthand of each model, nearest model (by spelling) first. */
function otherModels(gpu: string, catalog: Catalog): { models: string[]; suggestions: string[] } {
  const byModel = shorthandsByModel(catalog);
  const models = [...byModel.keys()].sort(
    (a, b) => editDistance(gpu, a) - editDistance(gpu, b) || compareCodeUnits(a, b),
  );
  return { models, suggestions: models.map((m) => byModel.get(m)?.[0]).filter((s) => s !== undefined) };
}

function gpuLabel(entries: readonly CatalogEntry[], gpu: string): string {
  return entries[0]?.gpu_type ?? gpu.toUpperCase();
}

function noMatch(message: string, suggestions: string[]): Resolution {
  return { ok: false, reason: "no-match", message, suggestions };
}

function noSuchModel(gpu: string, catalog: Catalog): Resolution {
  const { models, suggestions } = otherModels(gpu, catalog);
  const offered = models.length > 0 ? `; the catalog offers ${quoted(models)}` : "; the catalog is empty";
  return noMatch(`no instance type has \`${gpu}\` GPUs${offered}`, suggestions);
}

/**
 * Resolves an instance-type spec against a catalog, in `options.region` when given. See the file
 * comment for matching and preference rules.
 */
export function resolveInstanceType(
  spec: InstanceTypeSpec,
  catalog: Catalog,
  options: ResolveOptions = {},
): Resolution {
  const printed = printInstanceType(spec);
  // Every compile resolves its type, and a migration meets the same few types thousands of times:
  // a successful answer is kept per catalog (catalogs are immutable; answers are never mutated).
  const key = `${spec.kind}\n${printed}\n${options.region ?? ""}`;
  let known = resolutions.get(catalog);
  const cached = known?.get(key);
  if (cached !== undefined) return cached;
  const resolution = resolveUncached(spec, printed, catalog, options);
  if (resolution.ok) {
    if (known === undefined) {
      known = new Map();
      resolutions.set(catalog, known);
    }
    if (known.size < MAX_RESOLUTIONS) known.set(key, resolution);
  }
  return resolution;
}

/** Successful resolutions by catalog, then spec and region. */
const resolutions = new WeakMap<Catalog, Map<string, Resolution>>();

/** At most this many answers are kept per catalog (specs come from user input). */
const MAX_RESOLUTIONS = 1024;

function resolveUncached(
  spec: InstanceTypeSpec,
  printed: string,
  catalog: Catalog,
  options: ResolveOptions,
): Resolution {
  const what = `\`${printed}\``;
  const entries = catalog.instanceTypes;
  if (spec.kind === "fid") {
    const match = entries.filter((e) => e.fid === spec.fid);
    if (match.length > 0) {
      return choose(match, `${what} (${match[0]?.name})`, catalog, options, compareForType);
    }
    const near = closest(
      spec.fid,
      entries.map((e) => e.fid),
    );
    return noMatch(
      `no instance type has the FID ${what} (catalog: ${catalog.source}); FIDs change over time and differ by region, so prefer a spelling such as \`8xh100\` (see \`flow instance-types\`)`,
      near !== undefined ? [near] : [],
    );
  }
  const sameModel = entriesOfModel(catalog, spec.gpu);
  if (spec.kind === "shorthand") {
    const match = sameModel.filter((e) => e.num_gpus === spec.count);
    if (match.length > 0) return choose(match, what, catalog, options, compareForType);
    if (sameModel.length === 0) return noSuchModel(spec.gpu, catalog);
    const offered = shorthandsByModel(catalog).get(spec.gpu) ?? [];
    const label = gpuLabel(sameModel, spec.gpu);
    const nearest = [...offered].sort(
      (a, b) =>
        Math.abs(Number.parseInt(a, 10) - spec.count) - Math.abs(Number.parseInt(b, 10) - spec.count) ||
        Number.parseInt(a, 10) - Number.parseInt(b, 10),
    );
    return noMatch(
      `no instance type has ${spec.count} ${label} GPU${spec.count === 1 ? "" : "s"}; ${label} is offered as ${quoted(offered)}`,
      nearest,
    );
  }
  const match = entries.filter((e) => e.name === printed);
  if (match.length > 0) return choose(match, what, catalog, options, compareForType);
  if (sameModel.length === 0) return noSuchModel(spec.gpu, catalog);
  const names = uniqueSorted(sameModel.map((e) => e.name))
    .sort((a, b) => editDistance(printed, a) - editDistance(printed, b) || compareCodeUnits(a, b))
    .slice(0, 4);
  return noMatch(
    `no instance type is named ${what}; ${gpuLabel(sameModel, spec.gpu)} names are ${quoted(names)}`,
    names,
  );
}

/**
 * Resolves `min_gpu_memory_gb`: the entry whose GPUs each have at least that much memory, with the
 * fewest GPUs, then the least GPU memory, then by name — deterministic.
 */
export function resolveByGpuMemory(
  minGpuMemoryGb: number,
  catalog: Catalog,
  options: ResolveOptions = {},
): Resolution {
  const entries = catalog.instanceTypes;
  if (!Number.isFinite(minGpuMemoryGb)) return noMatch("the minimum GPU memory must be a number of GB", []);
  const match = entries.filter((e) => e.gpu_memory_gb >= minGpuMemoryGb);
  const what = `an instance type with at least ${minGpuMemoryGb} GB per GPU`;
  if (match.length > 0) return choose(match, what, catalog, options, compareForMemory);
  const most = Math.max(0, ...entries.map((e) => e.gpu_memory_gb));
  const largest = uniqueSorted(
    [...entries]
      .filter((e) => e.gpu_memory_gb === most)
      .sort(compareEntries)
      .map((e) => shorthandOf(e) ?? e.name),
  );
  return noMatch(
    entries.length === 0
      ? "the catalog is empty"
      : `no instance type has ${minGpuMemoryGb} GB or more per GPU; the most is ${most} GB (${quoted(largest)})`,
    largest,
  );
}
