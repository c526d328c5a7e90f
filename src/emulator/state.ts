/**
 * The emulated FCP account: projects, keys, auction pools, bids, instances, volumes and SSH keys,
 * all in memory, driven by a virtual clock (fcp-api.md §6, §12.5–12.8).
 *
 * Guarantees: every change of state happens inside `advanceTo` (timed events, in time order) or an
 * operation; timestamps come from the virtual clock and identifiers from the seeded generator, so
 * the same seed and the same requests give the same responses. Operations that the real API would
 * refuse throw `ApiError` with the status and body the server would send.
 */

import { formatCents, parseCents } from "../backends/fcp/price.ts";
import {
  type AuctionFixture,
  type BehaviourOptions,
  type DurationOptions,
  defaultAuctions,
  type Fixtures,
  type InstanceTypeRecord,
  instanceTypesOf,
} from "./fixtures.ts";
import { Random } from "./random.ts";
import { ed25519KeyPair } from "./ssh-key.ts";

export const BID_STATUSES = ["Open", "Allocated", "Preempting", "Terminated", "Paused"] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

export const INSTANCE_STATUSES = [
  "STATUS_NEW",
  "STATUS_CONFIRMED",
  "STATUS_INITIALIZING",
  "STATUS_STARTING",
  "STATUS_RUNNING",
  "STATUS_STOPPING",
  "STATUS_TERMINATED",
  "STATUS_RELOCATING",
  "STATUS_PREEMPTING",
  "STATUS_PREEMPTED",
  "STATUS_REPLACED",
  "STATUS_PAUSED",
  "STATUS_ERROR",
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** A FastAPI-style validation issue (`HTTPValidationError.detail[]`). */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

/** A response the real server would send instead of the resource: `{"detail": …}` with a status. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string | ValidationIssue[];
  constructor(status: number, detail: string | ValidationIssue[]) {
    super(typeof detail === "string" ? detail : "validation error");
    this.status = status;
    this.detail = detail;
  }
}

type HistoryEventType =
  | "Placed"
  | "Paused"
  | "Resumed"
  | "Terminated"
  | "Allocated"
  | "Preempted"
  | "Limit Price Changed"
  | "Memory Adjusted"
  | "Volumes Attached"
  | "Volumes Removed";

interface HistoryEvent {
  at: number;
  type: HistoryEventType;
  limitCents?: number;
  memoryGb?: number | null;
  attached?: string;
  removed?: string;
}

export interface Project {
  fid: string;
  name: string;
  createdAt: number;
}

export interface Pool {
  fid: string;
  instanceType: string;
  region: string;
  total: number;
  spotCents: number;
  floorCents: number;
  adjustableMemory: boolean;
  defaultImageVersion: string | null;
}

export interface LaunchSpecification {
  volumes: string[];
  ssh_keys: string[];
  startup_script: string | null;
  kubernetes_cluster: string | null;
  image_version: string | null;
  memory_gb: number | null;
}

export interface Bid {
  seq: number;
  fid: string;
  name: string;
  project: string;
  createdBy: string;
  createdAt: number;
  deactivatedAt: number | null;
  limitCents: number;
  quantity: number;
  instanceType: string;
  region: string;
  spec: LaunchSpecification;
  status: BidStatus;
  instances: string[];
  /** Instances kept through a pause, reused (same FIDs) when the bid is allocated again (§12.6 #27). */
  parked: string[];
  history: HistoryEvent[];
  /** Invalidates pending preemption events when the bid changes state. */
  token: number;
}

export interface Instance {
  seq: number;
  fid: string;
  name: string;
  project: string;
  createdBy: string;
  createdAt: number;
  instanceType: string;
  region: string;
  bid: string;
  status: InstanceStatus;
  sshDestination: string | null;
  privateIp: string | null;
  endTime: number | null;
  startupScript: string | null;
  /** Status before a preemption notice, restored when the price falls back (§12.5 #23). */
  before: InstanceStatus | null;
  /** Invalidates pending progression events when the instance changes state. */
  epoch: number;
}

export interface Volume {
  seq: number;
  fid: string;
  name: string;
  region: string;
  createdAt: number;
  deletedAt: number | null;
  capacityGb: number;
  project: string;
  interface: "Block" | "File";
}

export interface SshKey {
  seq: number;
  fid: string;
  name: string;
  project: string;
  publicKey: string;
  createdAt: number;
  required: boolean;
}

export interface ApiKey {
  key: string;
  /** Project FIDs the key may use; null = all. */
  projects: Set<string> | null;
}

/** What a state is built from (the fixtures with defaults applied, plus the run's choices). */
export interface StateConfig {
  seed: number | string;
  fixtures: Fixtures;
  behaviour: BehaviourOptions;
  durations: DurationOptions;
  /** The key to accept in addition to the fixtures' keys; generated from the seed when absent. */
  apiKey?: string;
  /** Virtual time at start (ms) when the fixtures set none; default 2026-01-05T09:00:00Z. */
  startTime?: number;
}

const BOOT: readonly InstanceStatus[] = [
  "STATUS_NEW",
  "STATUS_CONFIRMED",
  "STATUS_INITIALIZING",
  "STATUS_STARTING",
  "STATUS_RUNNING",
];
const FINAL_INSTANCE = new Set<InstanceStatus>(["STATUS_TERMINATED", "STATUS_PREEMPTED", "STATUS_REPLACED"]);
const DEFAULT_START = Date.parse("2026-01-05T09:00:00Z");

/** ISO-8601 with seconds precision and `Z` (fcp-api.md §3.3). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function poolKey(instanceType: string, region: string): string {
  return `${instanceType} ${region}`;
}

export class EmulatorState {
  readonly behaviour: BehaviourOptions;
  readonly durations: DurationOptions;
  readonly rng: Random;
  readonly user: {
    id: string;
    fid: string;
    email: string;
    user_name: string | null;
    organization_id: string;
  };
  readonly projects: Project[] = [];
  readonly apiKeys: ApiKey[] = [];
  readonly instanceTypes: InstanceTypeRecord[];
  readonly pools = new Map<string, Pool>();
  readonly bids: Bid[] = [];
  readonly instances: Instance[] = [];
  readonly volumes: Volume[] = [];
  readonly sshKeys: SshKey[] = [];
  /** The accepted key printed at start (the first of `apiKeys`). */
  readonly defaultKey: string;

  /** Virtual time in ms since the epoch. */
  now: number;
  #seq = 0;
  #addresses = 0;
  #events: { at: number; seq: number; run: () => void }[] = [];
  #tickScheduled = false;
  #bidIndex = new Map<string, Bid>();
  #instanceIndex = new Map<string, Instance>();

  constructor(config: StateConfig) {
    const { fixtures } = config;
    this.behaviour = config.behaviour;
    this.durations = config.durations;
    this.rng = new Random(config.seed);
    this.now = fixtures.start_time ? Date.parse(fixtures.start_time) : (config.startTime ?? DEFAULT_START);
    const userFid = fixtures.user?.fid ?? this.rng.fid("user");
    this.user = {
      id: userFid,
      fid: userFid,
      email: fixtures.user?.email ?? "emulator@example.com",
      user_name: fixtures.user?.user_name ?? "emulator",
      organization_id: this.rng.fid("org"),
    };
    for (const p of fixtures.projects ?? [{ name: "emulator" }]) {
      this.projects.push({ fid: p.fid ?? this.rng.fid("proj"), name: p.name, createdAt: this.now });
    }
    const generatedKey = `fkey_${this.rng.base62(32)}`;
    this.defaultKey = config.apiKey ?? fixtures.api_keys?.[0]?.key ?? generatedKey;
    if (!fixtures.api_keys?.some((k) => k.key === this.defaultKey)) {
      this.apiKeys.push({ key: this.defaultKey, projects: null });
    }
    for (const k of fixtures.api_keys ?? []) {
      const projects = k.projects ? new Set(k.projects.map((p) => this.projectByRef(p)?.fid ?? p)) : null;
      this.apiKeys.push({ key: k.key, projects });
    }
    this.instanceTypes = instanceTypesOf(fixtures);
    for (const a of fixtures.auctions ?? defaultAuctions()) this.#addPool(a);
    for (const k of fixtures.ssh_keys ?? []) {
      const project = k.project ? (this.projectByRef(k.project)?.fid ?? k.project) : this.projects[0]!.fid;
      this.sshKeys.push({
        seq: this.#seq++,
        fid: this.rng.fid("sshkey"),
        name: k.name,
        project,
        publicKey: k.public_key,
        createdAt: this.now,
        required: k.required ?? false,
      });
    }
    for (const v of fixtures.volumes ?? []) {
      const project = v.project ? (this.projectByRef(v.project)?.fid ?? v.project) : this.projects[0]!.fid;
      this.volumes.push({
        seq: this.#seq++,
        fid: this.rng.fid("vol"),
        name: v.name,
        region: v.region,
        createdAt: this.now,
        deletedAt: null,
        capacityGb: v.size_gb,
        project,
        interface: v.interface ?? "Block",
      });
    }
    this.#scheduleTick();
  }

  #addPool(a: AuctionFixture): void {
    const spot = parseCents(a.last_instance_price) ?? 0;
    this.pools.set(poolKey(a.instance_type, a.region), {
      fid: a.fid ?? this.rng.fid("auc"),
      instanceType: a.instance_type,
      region: a.region,
      total: a.capacity,
      spotCents: spot,
      floorCents: a.floor_price ? (parseCents(a.floor_price) ?? spot) : spot,
      adjustableMemory: a.adjustable_memory ?? false,
      defaultImageVersion: a.default_image_version ?? null,
    });
  }

  // ---- clock ------------------------------------------------------------------------------------

  /** Runs every timed event due up to `target` (virtual ms), in time order, then sets the clock. */
  advanceTo(target: number): void {
    // Events are kept sorted by (time, sequence); an event may schedule more, even at the same time.
    while (this.#events.length > 0 && this.#events[0]!.at <= target) {
      const event = this.#events.shift()!;
      this.now = Math.max(this.now, event.at);
      event.run();
    }
    this.now = Math.max(this.now, target);
  }

  #at(delaySeconds: number, run: () => void): void {
    const event = { at: this.now + Math.round(delaySeconds * 1000), seq: this.#seq++, run };
    let lo = 0;
    let hi = this.#events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#events[mid]!.at <= event.at) lo = mid + 1;
      else hi = mid;
    }
    this.#events.splice(lo, 0, event);
  }

  /** Periodic auction rounds when `auction_interval` > 0 (§12.5 #20). */
  #scheduleTick(): void {
    const interval = this.behaviour.auction_interval;
    if (interval <= 0 || this.#tickScheduled) return;
    this.#tickScheduled = true;
    this.#at(interval, () => {
      this.#tickScheduled = false;
      for (const pool of this.pools.values()) this.#round(pool);
      this.#scheduleTick();
    });
  }

  // ---- lookups ----------------------------------------------------------------------------------

  nextSeq(): number {
    return this.#seq++;
  }

  projectByRef(ref: string): Project | undefined {
    return this.projects.find((p) => p.fid === ref) ?? this.projects.find((p) => p.name === ref);
  }

  /** Whether `key` may use project `fid` (a key bound to projects sees only those, §12.1 #2). */
  canUse(key: ApiKey, fid: string): boolean {
    return this.projects.some((p) => p.fid === fid) && (key.projects === null || key.projects.has(fid));
  }

  pool(instanceType: string, region: string): Pool | undefined {
    return this.pools.get(poolKey(instanceType, region));
  }

  regions(): Set<string> {
    return new Set([...this.pools.values()].map((p) => p.region));
  }

  bid(fid: string): Bid | undefined {
    return this.#bidIndex.get(fid);
  }

  instance(fid: string): Instance | undefined {
    return this.#instanceIndex.get(fid);
  }

  /** Instances of a pool's bids that hold capacity: allocated or in their preemption window. */
  used(pool: Pool): number {
    let n = 0;
    for (const b of this.bids) {
      if (
        b.instanceType === pool.instanceType &&
        b.region === pool.region &&
        (b.status === "Allocated" || b.status === "Preempting")
      ) {
        n += b.quantity;
      }
    }
    return n;
  }

  #bidsOf(pool: Pool, status: BidStatus): Bid[] {
    return this.bids.filter(
      (b) => b.instanceType === pool.instanceType && b.region === pool.region && b.status === status,
    );
  }

  #poolOf(bid: Bid): Pool {
    return this.pool(bid.instanceType, bid.region)!;
  }

  /** Whether a limit wins against the spot price: strictly above it by default (§11 #19). */
  #wins(limitCents: number, spotCents: number): boolean {
    return this.behaviour.allocation === "strict" ? limitCents > spotCents : limitCents >= spotCents;
  }

  // ---- auction (§12.5) --------------------------------------------------------------------------

  /** Runs a round now when rounds are immediate (interval 0); otherwise only price checks. */
  evaluate(pool: Pool): void {
    if (this.behaviour.auction_interval <= 0) this.#round(pool);
    else this.#checkPrices(pool);
  }

  /**
   * One auction round: (second-price mode) set the clearing price, then allocate open bids (limit
   * desc, then age) that beat it and fit whole, then preempt or restore.
   */
  #round(pool: Pool): void {
    const open = this.#bidsOf(pool, "Open").sort((a, b) => b.limitCents - a.limitCents || a.seq - b.seq);
    if (this.behaviour.pricing === "second-price") pool.spotCents = this.#clearingPrice(pool, open);
    let free = pool.total - this.used(pool);
    for (const bid of open) {
      if (this.#wins(bid.limitCents, pool.spotCents) && bid.quantity <= free) {
        this.#allocate(bid);
        free -= bid.quantity;
      }
    }
    this.#checkPrices(pool);
  }

  /**
   * Second-price clearing (§6.1, §12.5 #22): open bids in rank order take the free capacity whole;
   * the highest limit among those left out is the price, never below the floor. A bid larger than
   * the whole pool can never be served and does not set the price. A new losing bid above running
   * ones thus raises the price and preempts them; once they are gone, it wins at the next loser's limit.
   */
  #clearingPrice(pool: Pool, open: readonly Bid[]): number {
    let free = pool.total - this.used(pool);
    let price = pool.floorCents;
    for (const bid of open) {
      if (bid.quantity <= free) free -= bid.quantity;
      else if (bid.quantity <= pool.total) price = Math.max(price, bid.limitCents);
    }
    return price;
  }

  /** Preempts allocated bids the price or capacity no longer carries; restores those it carries again. */
  #checkPrices(pool: Pool): void {
    for (const bid of this.#bidsOf(pool, "Allocated")) {
      if (pool.spotCents > bid.limitCents) this.#preempt(bid);
    }
    const active = () => this.#bidsOf(pool, "Allocated").reduce((n, b) => n + b.quantity, 0);
    // Capacity taken away by the provider: lowest limits go first, newest first among equals (§12.5 #24).
    for (;;) {
      if (active() <= pool.total) break;
      const victim = this.#bidsOf(pool, "Allocated").sort(
        (a, b) => a.limitCents - b.limitCents || b.seq - a.seq,
      )[0];
      if (!victim) break;
      this.#preempt(victim);
    }
    const preempting = this.#bidsOf(pool, "Preempting").sort(
      (a, b) => b.limitCents - a.limitCents || a.seq - b.seq,
    );
    for (const bid of preempting) {
      if (pool.spotCents <= bid.limitCents && active() + bid.quantity <= pool.total) this.#restore(bid);
    }
  }

  #allocate(bid: Bid): void {
    bid.status = "Allocated";
    bid.token++;
    bid.history.push({ at: this.now, type: "Allocated", limitCents: bid.limitCents });
    if (bid.parked.length > 0) {
      // Resumed after a pause: the same instances boot again, without re-running the startup script.
      bid.instances = bid.parked;
      bid.parked = [];
      for (const fid of bid.instances) {
        const inst = this.instance(fid)!;
        inst.sshDestination = null;
        inst.privateIp = null;
        inst.endTime = null;
        this.#boot(inst, "STATUS_CONFIRMED");
      }
      return;
    }
    bid.instances = [];
    for (let n = 0; n < bid.quantity; n++) {
      const inst: Instance = {
        seq: this.#seq++,
        fid: this.rng.fid("inst"),
        name: bid.quantity === 1 ? bid.name : `${bid.name}-${n}`,
        project: bid.project,
        createdBy: bid.createdBy,
        createdAt: this.now,
        instanceType: bid.instanceType,
        region: bid.region,
        bid: bid.fid,
        status: "STATUS_NEW",
        sshDestination: null,
        privateIp: null,
        endTime: null,
        startupScript: bid.spec.startup_script,
        before: null,
        epoch: 0,
      };
      this.instances.push(inst);
      this.#instanceIndex.set(inst.fid, inst);
      bid.instances.push(inst.fid);
      this.#boot(inst, "STATUS_NEW");
    }
  }

  /** Sets `status` and schedules the rest of the boot path from it (§12.7 #30). */
  #boot(inst: Instance, from: InstanceStatus): void {
    inst.status = from;
    inst.epoch++;
    const epoch = inst.epoch;
    const d = this.durations;
    const offsets = [0, d.confirmed, d.initializing, d.starting, d.running];
    for (let i = 1; i < offsets.length; i++) offsets[i] = Math.max(offsets[i]!, offsets[i - 1]!);
    const start = BOOT.indexOf(from);
    if (start < 0) return;
    if (start >= 3 && inst.sshDestination === null) this.#assignAddress(inst);
    for (let i = start + 1; i < BOOT.length; i++) {
      const status = BOOT[i]!;
      this.#at(offsets[i]! - offsets[start]!, () => {
        if (inst.epoch !== epoch) return;
        inst.status = status;
        if (status === "STATUS_STARTING" && inst.sshDestination === null) this.#assignAddress(inst);
      });
    }
  }

  /** A deterministic fake public address (198.18.0.0/15, the benchmarking range) and a 10.x one. */
  #assignAddress(inst: Instance): void {
    const n = this.#addresses++;
    inst.sshDestination =
      this.behaviour.ssh_destination ?? `198.18.${Math.floor(n / 250) % 256}.${(n % 250) + 1}`;
    inst.privateIp = `10.0.${Math.floor(n / 250) % 256}.${(n % 250) + 1}`;
  }

  #preempt(bid: Bid): void {
    bid.status = "Preempting";
    const token = ++bid.token;
    const end = this.now + Math.round(this.durations.preemption_window * 1000);
    for (const fid of bid.instances) {
      const inst = this.instance(fid)!;
      if (FINAL_INSTANCE.has(inst.status) || inst.status === "STATUS_ERROR") continue;
      inst.before = inst.status;
      inst.status = "STATUS_PREEMPTING";
      inst.endTime = end;
      inst.epoch++;
    }
    this.#at(this.durations.preemption_window, () => {
      if (bid.status !== "Preempting" || bid.token !== token) return;
      for (const fid of bid.instances) {
        const inst = this.instance(fid)!;
        if (inst.status !== "STATUS_PREEMPTING") continue;
        inst.status = "STATUS_PREEMPTED";
        inst.epoch++;
      }
      bid.status = "Open";
      bid.token++;
      bid.instances = [];
      bid.history.push({ at: this.now, type: "Preempted", limitCents: bid.limitCents });
      this.evaluate(this.#poolOf(bid));
    });
  }

  /** The price fell back inside the window: the allocation continues where it was (§6.1). */
  #restore(bid: Bid): void {
    bid.status = "Allocated";
    bid.token++;
    for (const fid of bid.instances) {
      const inst = this.instance(fid)!;
      if (inst.status !== "STATUS_PREEMPTING") continue;
      inst.endTime = null;
      // A boot resumes where it was; an interrupted relocation restarts from STARTING.
      const before = inst.before ?? "STATUS_RUNNING";
      this.#boot(inst, BOOT.includes(before) ? before : "STATUS_STARTING");
      inst.before = null;
    }
  }

  // ---- bids (§12.6) -----------------------------------------------------------------------------

  /** Places a bid (already validated) and returns it in its initial `Open` state. */
  createBid(input: {
    project: string;
    region: string;
    instanceType: string;
    limitCents: number;
    quantity: number;
    name: string;
    spec: LaunchSpecification;
  }): Bid {
    const bid: Bid = {
      seq: this.#seq++,
      fid: this.rng.fid("bid"),
      name: input.name,
      project: input.project,
      createdBy: this.user.fid,
      createdAt: this.now,
      deactivatedAt: null,
      limitCents: input.limitCents,
      quantity: input.quantity,
      instanceType: input.instanceType,
      region: input.region,
      spec: input.spec,
      status: "Open",
      instances: [],
      parked: [],
      history: [{ at: this.now, type: "Placed", limitCents: input.limitCents }],
      token: 0,
    };
    this.bids.push(bid);
    this.#bidIndex.set(bid.fid, bid);
    return bid;
  }

  /** Cancels a bid: `Terminated`, its instances terminated, capacity back at once (§12.6 #28). */
  terminateBid(bid: Bid): void {
    if (bid.status === "Terminated") return;
    bid.status = "Terminated";
    bid.token++;
    bid.deactivatedAt = this.now;
    bid.history.push({ at: this.now, type: "Terminated" });
    for (const fid of [...bid.instances, ...bid.parked]) {
      const inst = this.instance(fid)!;
      if (FINAL_INSTANCE.has(inst.status)) continue;
      inst.status = "STATUS_TERMINATED";
      inst.epoch++;
      inst.endTime = null;
    }
    bid.parked = [];
    this.evaluate(this.#poolOf(bid));
  }

  setLimit(bid: Bid, limitCents: number): void {
    if (limitCents === bid.limitCents) return;
    bid.limitCents = limitCents;
    bid.history.push({ at: this.now, type: "Limit Price Changed", limitCents });
    this.evaluate(this.#poolOf(bid));
  }

  /** Pauses (instances stop, capacity released) or resumes (back to `Open`, re-auctioned). */
  setPaused(bid: Bid, paused: boolean): void {
    if (paused && bid.status !== "Paused") {
      bid.status = "Paused";
      bid.token++;
      bid.history.push({ at: this.now, type: "Paused" });
      const live = bid.instances.filter((fid) => !FINAL_INSTANCE.has(this.instance(fid)!.status));
      bid.parked = [...new Set([...bid.parked, ...live])];
      for (const fid of live) {
        const inst = this.instance(fid)!;
        inst.status = "STATUS_STOPPING";
        inst.endTime = null;
        inst.before = null;
        const epoch = ++inst.epoch;
        this.#at(this.durations.stopping, () => {
          if (inst.epoch !== epoch) return;
          inst.status = "STATUS_PAUSED";
          inst.sshDestination = null;
        });
      }
      this.evaluate(this.#poolOf(bid));
    } else if (!paused && bid.status === "Paused") {
      bid.status = "Open";
      bid.token++;
      bid.instances = [];
      bid.history.push({ at: this.now, type: "Resumed" });
      this.evaluate(this.#poolOf(bid));
    }
  }

  setVolumes(bid: Bid, volumes: string[]): void {
    const before = new Set(bid.spec.volumes);
    const after = new Set(volumes);
    for (const v of volumes)
      if (!before.has(v)) bid.history.push({ at: this.now, type: "Volumes Attached", attached: v });
    for (const v of bid.spec.volumes)
      if (!after.has(v)) bid.history.push({ at: this.now, type: "Volumes Removed", removed: v });
    bid.spec.volumes = [...after];
  }

  setMemory(bid: Bid, memoryGb: number): void {
    if (bid.spec.memory_gb === memoryGb) return;
    bid.spec.memory_gb = memoryGb;
    bid.history.push({ at: this.now, type: "Memory Adjusted", memoryGb });
  }

  /** `Relocating` while an allocated bid has an instance moving host (only on `/status`, §5.8). */
  detailedStatus(bid: Bid): BidStatus | "Relocating" {
    if (
      bid.status === "Allocated" &&
      bid.instances.some((fid) => this.instance(fid)?.status === "STATUS_RELOCATING")
    ) {
      return "Relocating";
    }
    return bid.status;
  }

  // ---- volumes and keys (§12.8) -----------------------------------------------------------------

  /** Non-terminated bids whose launch specification names the volume. */
  bidsUsingVolume(fid: string): Bid[] {
    return this.bids.filter((b) => b.status !== "Terminated" && b.spec.volumes.includes(fid));
  }

  bidsUsingKey(fid: string): Bid[] {
    return this.bids.filter((b) => b.status !== "Terminated" && b.spec.ssh_keys.includes(fid));
  }

  createVolume(input: {
    name: string;
    project: string;
    region: string;
    sizeGb: number;
    interface: "Block" | "File";
  }): Volume {
    const volume: Volume = {
      seq: this.#seq++,
      fid: this.rng.fid("vol"),
      name: input.name,
      region: input.region,
      createdAt: this.now,
      deletedAt: null,
      capacityGb: input.sizeGb,
      project: input.project,
      interface: input.interface,
    };
    this.volumes.push(volume);
    return volume;
  }

  createSshKey(input: { name: string; project: string; publicKey: string | null; required: boolean }): {
    key: SshKey;
    privateKey: string | null;
  } {
    let publicKey = input.publicKey;
    let privateKey: string | null = null;
    if (publicKey === null) {
      const pair = ed25519KeyPair(this.rng.bytes(32), input.name);
      publicKey = pair.publicKey;
      privateKey = pair.privateKey;
    }
    const key: SshKey = {
      seq: this.#seq++,
      fid: this.rng.fid("sshkey"),
      name: input.name,
      project: input.project,
      publicKey: publicKey.trim(),
      createdAt: this.now,
      required: input.required,
    };
    this.sshKeys.push(key);
    return { key, privateKey };
  }

  // ---- test controls (§12.9) --------------------------------------------------------------------

  /** Sets a pool's spot price, total capacity or floor, then re-evaluates it (may preempt). */
  setPool(pool: Pool, change: { spotCents?: number; total?: number; floorCents?: number }): void {
    if (change.total !== undefined) pool.total = change.total;
    if (change.floorCents !== undefined) pool.floorCents = change.floorCents;
    if (change.spotCents !== undefined) pool.spotCents = change.spotCents;
    this.#checkPrices(pool);
    this.evaluate(pool);
  }

  /** Marks an instance as failed (`STATUS_ERROR`), e.g. a startup script that broke the boot. */
  failInstance(inst: Instance): void {
    inst.status = "STATUS_ERROR";
    inst.epoch++;
  }

  /**
   * The instance powers itself off (the task's `auto_terminate`, or its run-time limit): it goes to
   * `STATUS_TERMINATED` while its bid stays Allocated and keeps its capacity (and bills) until the
   * bid is cancelled.
   */
  powerOffInstance(inst: Instance): void {
    inst.status = "STATUS_TERMINATED";
    inst.epoch++;
  }

  /** Moves an instance to another host: `STATUS_RELOCATING` for the window, then STARTING → RUNNING. */
  relocateInstance(inst: Instance): void {
    inst.status = "STATUS_RELOCATING";
    inst.endTime = this.now + Math.round(this.durations.relocation_window * 1000);
    const epoch = ++inst.epoch;
    this.#at(this.durations.relocation_window, () => {
      if (inst.epoch !== epoch) return;
      inst.endTime = null;
      inst.sshDestination = null;
      this.#boot(inst, "STATUS_STARTING");
    });
  }

  // ---- wire models (OAS26 field sets, §12.3 #15) ------------------------------------------------

  bidModel(b: Bid) {
    return {
      fid: b.fid,
      name: b.name,
      project: b.project,
      created_by: b.createdBy,
      created_at: isoTime(b.createdAt),
      deactivated_at: b.deactivatedAt === null ? null : isoTime(b.deactivatedAt),
      limit_price: formatCents(b.limitCents),
      instance_quantity: b.quantity,
      instance_type: b.instanceType,
      region: b.region,
      instances: [...b.instances],
      launch_specification: { ...b.spec, volumes: [...b.spec.volumes], ssh_keys: [...b.spec.ssh_keys] },
      status: b.status,
    };
  }

  historyModel(b: Bid) {
    return {
      bid_fid: b.fid,
      events: b.history.map((e) => ({
        timestamp: isoTime(e.at),
        event_type: e.type,
        limit_price: e.limitCents === undefined ? null : formatCents(e.limitCents),
        user_id: this.user.fid,
        memory_gb: e.memoryGb ?? null,
        persistent_disk_change:
          e.attached !== undefined || e.removed !== undefined
            ? { attached: e.attached ?? null, removed: e.removed ?? null }
            : null,
      })),
    };
  }

  instanceModel(i: Instance) {
    return {
      fid: i.fid,
      name: i.name,
      project: i.project,
      created_at: isoTime(i.createdAt),
      created_by: i.createdBy,
      instance_type: i.instanceType,
      region: i.region,
      bid: i.bid,
      reservation: null,
      ssh_destination: i.sshDestination,
      private_ip: i.privateIp,
      status: i.status,
    };
  }

  auctionModel(p: Pool) {
    const allocated = this.bids.filter(
      (b) =>
        b.instanceType === p.instanceType &&
        b.region === p.region &&
        (b.status === "Allocated" || b.status === "Preempting"),
    );
    const lowest = allocated.length ? Math.min(...allocated.map((b) => b.limitCents)) : null;
    return {
      fid: p.fid,
      instance_type: p.instanceType,
      region: p.region,
      capacity: Math.max(0, p.total - this.used(p)),
      last_instance_price: formatCents(p.spotCents),
      lowest_allocated_price: lowest === null ? null : formatCents(lowest),
      adjustable_memory: p.adjustableMemory,
      default_image_version: p.defaultImageVersion,
    };
  }

  volumeModel(v: Volume) {
    const bids = this.bidsUsingVolume(v.fid);
    const attachments: Record<string, string> = {};
    for (const b of bids) {
      if (b.status !== "Allocated" && b.status !== "Preempting") continue;
      for (const fid of b.instances) attachments[fid] = b.fid;
    }
    return {
      fid: v.fid,
      name: v.name,
      region: v.region,
      created_at: isoTime(v.createdAt),
      deleted_at: v.deletedAt === null ? null : isoTime(v.deletedAt),
      capacity_gb: v.capacityGb,
      project: v.project,
      interface: v.interface,
      bids: bids.map((b) => b.fid),
      reservations: [] as string[],
      attachments,
    };
  }

  sshKeyModel(k: SshKey) {
    return {
      fid: k.fid,
      name: k.name,
      project: k.project,
      public_key: k.publicKey,
      created_at: isoTime(k.createdAt),
      required: k.required,
    };
  }

  /** The test-control view of a pool: totals and prices the availability endpoint derives from. */
  poolView(p: Pool) {
    const used = this.used(p);
    return {
      fid: p.fid,
      instance_type: p.instanceType,
      region: p.region,
      total_capacity: p.total,
      allocated: used,
      capacity: Math.max(0, p.total - used),
      spot_price: formatCents(p.spotCents),
      floor_price: formatCents(p.floorCents),
    };
  }
}
