/**
 * What an emulator starts with: projects, API keys, the instance-type catalog, one auction pool per
 * (instance type, region), preloaded SSH keys and volumes, and behaviour switches. The default
 * comes from the compiler's built-in catalog (the same FIDs, regions and last prices) with the
 * capacities of fcp-api.md §7.3; a fixtures file (JSON or YAML, `--fixtures`) replaces any part.
 *
 * Loading validates with zod and never throws: a bad file yields one message naming the field.
 */
import { parse as parseYaml } from "yaml";
import * as z from "zod/mini";
import { builtinCatalog } from "../backends/fcp/catalog/index.ts";
import { zodIssueText } from "../diagnostics/zod-issue.ts";

const PRICE = /^\$\d+(\.\d{1,2})?$/;
const price = () => z.string().check(z.regex(PRICE, { error: 'expected a price such as "$10.00"' }));
const count = () => z.int().check(z.nonnegative());
const seconds = () => z.number().check(z.nonnegative());

/** One record of `GET /v2/instance-types` as the emulator serves it (OAS26 `InstanceTypeModel`). */
const InstanceTypeFixture = z.object({
  fid: z.string().check(z.regex(/^it_[A-Za-z0-9]+$/, { error: "expected an `it_` FID" })),
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

/** One auction pool: an instance type (FID) in a region. */
const AuctionFixture = z.strictObject({
  fid: z.optional(z.string().check(z.regex(/^auc_[A-Za-z0-9]+$/, { error: "expected an `auc_` FID" }))),
  instance_type: z.string(),
  region: z.string().check(z.minLength(1)),
  /** Total instances of the pool (free ones are `capacity` in `/v2/spot/availability`). */
  capacity: count(),
  /** The spot (clearing) price to start with. */
  last_instance_price: price(),
  /** Reserve price: the second-price mode never goes below it (default: `last_instance_price`). */
  floor_price: z.optional(price()),
  adjustable_memory: z.optional(z.boolean()),
  default_image_version: z.optional(z.nullable(z.string())),
});

const Behaviour = z.strictObject({
  /** `strict`: allocated iff limit > spot (vendor text, §11 #19); `at-least`: limit ≥ spot. */
  allocation: z.optional(z.enum(["strict", "at-least"])),
  /** `fixed`: the spot price moves only by the control; `second-price`: highest losing limit (§12.5 #22). */
  pricing: z.optional(z.enum(["fixed", "second-price"])),
  /** Seconds between auction rounds; 0 evaluates on every change (§12.5 #20). */
  auction_interval: z.optional(seconds()),
  /** Reject a second non-terminated bid with the same name in a project (§12.6 #26). */
  unique_bid_names: z.optional(z.boolean()),
  /** Serve `GET /v2/spot/bids/{fid}` (2026); false emulates the 2025 server (§12.6 #29). */
  single_bid_get: z.optional(z.boolean()),
  /** Reject startup scripts over 10,000 characters or bytes (§12.2 #11). */
  script_limit: z.optional(z.boolean()),
  /** Reject startup scripts that do not start with `#!/bin/bash` (§12.2 #11). */
  script_shebang: z.optional(z.boolean()),
  /** `ssh_destination` of every instance (e.g. `127.0.0.1:2222` for a local sshd); default: a fake address. */
  ssh_destination: z.optional(z.string().check(z.minLength(1))),
});

const Durations = z.strictObject({
  confirmed: z.optional(seconds()),
  initializing: z.optional(seconds()),
  starting: z.optional(seconds()),
  running: z.optional(seconds()),
  stopping: z.optional(seconds()),
  preemption_window: z.optional(seconds()),
  relocation_window: z.optional(seconds()),
});

/** The fixtures file. Every key is optional; what is missing comes from the defaults. */
export const FixturesSchema = z.strictObject({
  start_time: z.optional(z.iso.datetime({ offset: true })),
  user: z.optional(
    z.strictObject({
      fid: z.optional(z.string()),
      email: z.optional(z.string()),
      user_name: z.optional(z.string()),
    }),
  ),
  projects: z.optional(
    z
      .array(
        z.strictObject({
          fid: z.optional(z.string().check(z.regex(/^proj_[A-Za-z0-9]+$/))),
          name: z.string(),
        }),
      )
      .check(z.minLength(1)),
  ),
  api_keys: z.optional(
    z.array(
      z.strictObject({
        key: z.string().check(z.regex(/^fkey_[A-Za-z0-9_-]+$/, { error: "expected a key shaped `fkey_…`" })),
        /** Project names or FIDs the key may use (default: all). */
        projects: z.optional(z.array(z.string())),
      }),
    ),
  ),
  instance_types: z.optional(z.array(InstanceTypeFixture).check(z.minLength(1))),
  auctions: z.optional(z.array(AuctionFixture)),
  ssh_keys: z.optional(
    z.array(
      z.strictObject({
        name: z.string(),
        public_key: z.string(),
        project: z.optional(z.string()),
        required: z.optional(z.boolean()),
      }),
    ),
  ),
  volumes: z.optional(
    z.array(
      z.strictObject({
        name: z.string(),
        region: z.string(),
        size_gb: z.int().check(z.positive()),
        interface: z.optional(z.enum(["Block", "File"])),
        project: z.optional(z.string()),
      }),
    ),
  ),
  behaviour: z.optional(Behaviour),
  durations: z.optional(Durations),
});

export type Fixtures = z.infer<typeof FixturesSchema>;
export type InstanceTypeRecord = z.infer<typeof InstanceTypeFixture> & {
  ib_count: number;
  bridge_count: number;
};
export type AuctionFixture = z.infer<typeof AuctionFixture>;
export type BehaviourOptions = Required<Omit<z.infer<typeof Behaviour>, "ssh_destination">> & {
  ssh_destination: string | null;
};
export type DurationOptions = Required<z.infer<typeof Durations>>;

/** Progression durations (seconds after allocation, cumulative for the boot path). */
export const PROFILES: Readonly<Record<"fast" | "realistic", DurationOptions>> = {
  // Boot and stop at once; the documented 5-minute preemption and relocation windows stay (tests
  // advance the virtual clock through them).
  fast: {
    confirmed: 0,
    initializing: 0,
    starting: 0,
    running: 0,
    stopping: 0,
    preemption_window: 300,
    relocation_window: 300,
  },
  // Minutes, as the vendor describes a boot (startup "up to 10 minutes", §6.2).
  realistic: {
    confirmed: 10,
    initializing: 40,
    starting: 240,
    running: 300,
    stopping: 30,
    preemption_window: 300,
    relocation_window: 300,
  },
};

/** Auction rounds per profile: at once (fast) or every 2 minutes like the real auction (realistic). */
export const PROFILE_AUCTION_INTERVAL: Readonly<Record<"fast" | "realistic", number>> = {
  fast: 0,
  realistic: 120,
};

export const DEFAULT_BEHAVIOUR: Omit<BehaviourOptions, "auction_interval"> = {
  allocation: "strict",
  pricing: "fixed",
  unique_bid_names: true,
  single_bid_get: true,
  script_limit: true,
  script_shebang: true,
  ssh_destination: null,
};

/** Capacities of the §7.3 samples, by instance-type name and region (FIDs live in the catalog). */
const SAMPLE_CAPACITY: Readonly<Record<string, number>> = {
  "a100-80gb.sxm.1x eu-central1-a": 46,
  "a100-80gb.sxm.2x eu-central1-a": 23,
  "a100-80gb.sxm.4x eu-central1-a": 11,
  "a100-80gb.sxm.8x eu-central1-a": 5,
  "h100-80gb.sxm.8x us-central1-a": 11,
  "h100-80gb.sxm.8x us-central1-b": 108,
};
const FALLBACK_CAPACITY = 8;

/** ib_count/bridge_count are OAS26-required; the 2025 records lack them (inferred: one HCA per GPU on InfiniBand). */
function withInterconnect(t: z.infer<typeof InstanceTypeFixture>): InstanceTypeRecord {
  const ib = t.network_type === "InfiniBand" ? t.num_gpus : 0;
  return { ...t, ib_count: t.ib_count ?? ib, bridge_count: t.bridge_count ?? Math.floor(ib / 2) };
}

/** The default instance types: the compiler's built-in catalog, as API records. */
function defaultInstanceTypes(): InstanceTypeRecord[] {
  return builtinCatalog().instanceTypes.map(({ regions: _r, last_instance_price: _p, ...t }) =>
    withInterconnect({ ...t }),
  );
}

/** The default auctions: every (type, region) of the built-in catalog at its last price. */
export function defaultAuctions(): AuctionFixture[] {
  const out: AuctionFixture[] = [];
  for (const t of builtinCatalog().instanceTypes) {
    for (const region of t.regions) {
      out.push({
        instance_type: t.fid,
        region,
        capacity: SAMPLE_CAPACITY[`${t.name} ${region}`] ?? FALLBACK_CAPACITY,
        last_instance_price: t.last_instance_price?.[region] ?? "$1.00",
      });
    }
  }
  return out;
}

/** Instance types of a fixtures object (or the defaults), with the OAS26-required fields filled. */
export function instanceTypesOf(fixtures: Fixtures): InstanceTypeRecord[] {
  return fixtures.instance_types ? fixtures.instance_types.map(withInterconnect) : defaultInstanceTypes();
}

export type LoadFixturesResult = { ok: true; fixtures: Fixtures } | { ok: false; message: string };

/** Validates parsed fixtures data; also checks cross references (auction types exist, no duplicate pools). */
export function fixturesFromData(data: unknown): LoadFixturesResult {
  const parsed = z.safeParse(FixturesSchema, data, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => zodIssueText(issue));
    return { ok: false, message: issues.join("; ") };
  }
  const fixtures = parsed.data;
  const types = new Set(instanceTypesOf(fixtures).map((t) => t.fid));
  const pools = new Set<string>();
  for (const [i, a] of (fixtures.auctions ?? []).entries()) {
    if (!types.has(a.instance_type)) {
      return {
        ok: false,
        message: `auctions[${i}].instance_type: \`${a.instance_type}\` is not an instance type`,
      };
    }
    const key = `${a.instance_type} ${a.region}`;
    if (pools.has(key)) return { ok: false, message: `auctions[${i}]: a second pool for ${key}` };
    pools.add(key);
  }
  const projects = fixtures.projects ?? [{ name: "emulator" }];
  const known = (ref: string) => projects.some((p) => p.name === ref || p.fid === ref);
  const references: [string, string | undefined][] = [
    ...(fixtures.api_keys ?? []).flatMap((k, i) =>
      (k.projects ?? []).map((p, j): [string, string] => [`api_keys[${i}].projects[${j}]`, p]),
    ),
    ...(fixtures.ssh_keys ?? []).map((k, i): [string, string | undefined] => [
      `ssh_keys[${i}].project`,
      k.project,
    ]),
    ...(fixtures.volumes ?? []).map((v, i): [string, string | undefined] => [
      `volumes[${i}].project`,
      v.project,
    ]),
  ];
  for (const [where, ref] of references) {
    if (ref !== undefined && !known(ref))
      return { ok: false, message: `${where}: \`${ref}\` is not a project` };
  }
  return { ok: true, fixtures };
}

/** Parses a fixtures file: JSON, or YAML when the name ends in `.yaml`/`.yml` (YAML also reads JSON). */
export function loadFixturesFile(text: string, fileName: string): LoadFixturesResult {
  let data: unknown;
  try {
    data = /\.json$/i.test(fileName) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return {
      ok: false,
      message: `not valid ${/\.json$/i.test(fileName) ? "JSON" : "YAML"}: ${(error as Error).message}`,
    };
  }
  return fixturesFromData(data ?? {});
}
