/**
 * `flow status [task|name]`: the project's tasks (bids) with their instances — status, what it
 * means (waiting, starting, running, preempting with the time left, preempted and waiting to win
 * again), type, region, prices, age. `--json` for machines; `--watch` redraws (on a terminal) or
 * prints each change (otherwise) until every shown task is Terminated. Each round also places
 * queued array tasks (arrays.ts).
 *
 * Requests: a round lists the project's bids once and the instances of the bids it needs once (the
 * table's and the array queues' alike: 50 bids a request), plus each preempting instance's end
 * time; the catalog (type names, spot prices) is read once per CATALOG_TTL_MS, not every round.
 * A queue that fails is said on stderr; the command exits non-zero at the end (3 when the API
 * failed, else 2) but the others advance and the table is shown. A queue the API refused for good
 * (a 4xx other than 409, 422, 429: `refusedForGood`) is said once: the later rounds of this run
 * leave it alone, and its queued tasks do not keep `--watch` going (its file stays, so a later
 * `flow status` tries again).
 *
 * A task is named by its bid FID (`bid_…`), its bid name (`train-k3x9a2`), or the name it was
 * submitted under (`train`: every submission of it; for an array, every array task).
 */
import type { FcpClient } from "../../api/client.ts";
import { ApiError, NotFoundError } from "../../api/errors.ts";
import type { BidModel, InstanceModel } from "../../api/models.ts";
import { type CliIo, EXIT } from "../io.ts";
import { advanceArrays, type Clock, listRound, systemClock } from "./arrays.ts";
import { liveCatalog, parseSeconds, type RemoteFlags, table, withRemote } from "./remote.ts";

export interface StatusFlags extends RemoteFlags {
  watch?: boolean;
  json?: boolean;
  all?: boolean;
  /** Seconds between rounds of --watch (default 5). */
  interval?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether bid `name` answers to the handle `query` (see the file comment). */
export function nameMatches(name: string, query: string): boolean {
  if (name === query) return true;
  return new RegExp(`^${escapeRegExp(query)}(-[a-z0-9]{6})?(-\\d+)?$`).test(name);
}

/** Whether a bid answers to the handle `query` (a bid FID, or a name: see the file comment); every bid without one. */
function answersTo(bid: BidModel, query: string | undefined): boolean {
  if (query === undefined) return true;
  return query.startsWith("bid_") ? bid.fid === query : nameMatches(bid.name, query);
}

/**
 * The bids of `bids` a handle names (all of them without one), oldest first. A handle that names
 * none is a NotFoundError — unless `queued`: it names array tasks still queued (none placed yet).
 */
export function selectTasks(
  bids: readonly BidModel[],
  query: string | undefined,
  queued = false,
): BidModel[] {
  const out = bids.filter((b) => answersTo(b, query));
  if (query !== undefined && out.length === 0 && !queued)
    throw new NotFoundError(
      query.startsWith("bid_")
        ? `no bid \`${query}\` in the project`
        : `no task named \`${query}\` in the project`,
      ["`flow status` lists the project's tasks"],
    );
  return out.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}

/** The bids a handle names, oldest first; a FID that does not exist is a NotFoundError. */
export async function findTasks(
  client: FcpClient,
  project: string,
  query: string | undefined,
): Promise<BidModel[]> {
  if (query?.startsWith("bid_")) {
    const bid = await client.findBid(project, query);
    return selectTasks(bid ? [bid] : [], query);
  }
  return selectTasks(await client.listBids({ project }), query);
}

/** One task as shown: the bid, its instances, and a sentence for its state. */
export interface TaskView {
  readonly bid: BidModel;
  readonly instances: readonly InstanceModel[];
  readonly state: string;
  readonly preempted: boolean;
  readonly typeName: string;
  readonly spotPrice: string | undefined;
}

const short = (status: string) => status.replace(/^STATUS_/, "").toLowerCase();

/** `2026-01-01 17:02 UTC` from an ISO time (the server's clock, whatever this machine's says). */
export function timeText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function stateOf(bid: BidModel, instances: readonly InstanceModel[]): { state: string; preempted: boolean } {
  const current = instances.filter((i) => bid.instances.includes(i.fid));
  const preempted = instances.some((i) => i.status === "STATUS_PREEMPTED");
  switch (bid.status) {
    case "Terminated":
      return { state: "terminated", preempted };
    case "Paused":
      return { state: "paused", preempted };
    case "Preempting": {
      const ends = current.flatMap((i) => (i.end_time ? [i.end_time] : [])).sort();
      const left = ends.length > 0 ? `: instances stop at ${timeText(ends[0]!)}` : "";
      return { state: `PREEMPTED — the spot price rose above the limit${left}`, preempted: true };
    }
    case "Open":
      return preempted
        ? { state: "preempted; waiting to win the auction again", preempted: true }
        : { state: "waiting for capacity at this limit price", preempted };
    case "Allocated": {
      const running = current.filter((i) => i.status === "STATUS_RUNNING").length;
      if (current.length > 0 && running === current.length)
        return { state: `running (${running}/${bid.instance_quantity})`, preempted };
      const counts = new Map<string, number>();
      for (const i of current) counts.set(short(i.status), (counts.get(short(i.status)) ?? 0) + 1);
      const parts = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
      if (counts.has("error"))
        return {
          state: `FAILED — an instance did not boot (${parts}); see its startup log with flow ssh`,
          preempted,
        };
      if (counts.has("relocating")) return { state: `relocating to another host (${parts})`, preempted };
      return { state: `starting${parts ? ` (${parts})` : ""}`, preempted };
    }
    default:
      return { state: short(bid.status), preempted };
  }
}

/** How long the catalog (type names, spot prices) is reused before it is read again: `--watch` rounds within a minute share one reading. */
export const CATALOG_TTL_MS = 60_000;

type LiveCatalog = Awaited<ReturnType<typeof liveCatalog>>;

/**
 * The live catalog, read at most once per CATALOG_TTL_MS (a failed reading is not kept). One that
 * cannot be read (an instance type the strict validation refuses, a failed request) is undefined:
 * the table shows the type FIDs and no spot price rather than nothing, and `warn` says why — once,
 * until a reading succeeds again.
 */
function catalogCache(
  client: FcpClient,
  now: () => number,
  warn: (text: string) => void,
): () => Promise<LiveCatalog | undefined> {
  let cached: { at: number; value: LiveCatalog } | undefined;
  let warned = false;
  return async () => {
    if (cached && now() - cached.at < CATALOG_TTL_MS) return cached.value;
    let value: LiveCatalog;
    try {
      value = await liveCatalog(client);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!warned)
        warn(
          `flow: warning: ${error.message.split("\n")[0]}; instance types are shown by FID, without spot prices\n`,
        );
      warned = true;
      return undefined;
    }
    warned = false;
    cached = { at: now(), value };
    return value;
  };
}

/** Bids with their instances (from the round's listing), type names, spot prices and state sentences. */
async function viewTasks(
  client: FcpClient,
  bids: readonly BidModel[],
  listed: readonly InstanceModel[],
  catalog: () => Promise<LiveCatalog | undefined>,
): Promise<TaskView[]> {
  if (bids.length === 0) return [];
  const fids = new Set(bids.map((b) => b.fid));
  const instances = listed.filter((i) => i.bid != null && fids.has(i.bid));
  const preempting = instances.filter((i) => i.status === "STATUS_PREEMPTING" && !i.end_time);
  const ends = await Promise.all(preempting.map((i) => client.instanceStatus(i.fid)));
  const endOf = new Map(preempting.map((i, k) => [i.fid, ends[k]?.end_time ?? null]));
  const withEnds = instances.map((i) => (endOf.has(i.fid) ? { ...i, end_time: endOf.get(i.fid) } : i));
  const live = await catalog();
  const typeName = new Map(live?.catalog.instanceTypes.map((t) => [t.fid, t.name]));
  const spot = new Map(live?.auctions.map((a) => [`${a.instance_type} ${a.region}`, a.last_instance_price]));
  return bids.map((bid) => {
    const mine = withEnds.filter((i) => i.bid === bid.fid);
    return {
      bid,
      instances: mine,
      ...stateOf(bid, mine),
      typeName: typeName.get(bid.instance_type) ?? bid.instance_type,
      spotPrice: spot.get(`${bid.instance_type} ${bid.region ?? ""}`),
    };
  });
}

function viewsToJson(views: readonly TaskView[]): unknown {
  return views.map((v) => ({
    fid: v.bid.fid,
    name: v.bid.name,
    status: v.bid.status,
    state: v.state,
    preempted: v.preempted,
    instance_type: v.typeName,
    instance_type_fid: v.bid.instance_type,
    region: v.bid.region ?? null,
    instance_quantity: v.bid.instance_quantity,
    limit_price: v.bid.limit_price,
    spot_price: v.spotPrice ?? null,
    created_at: v.bid.created_at,
    instances: v.instances.map((i) => ({
      fid: i.fid,
      name: i.name,
      status: i.status,
      ssh_destination: i.ssh_destination ?? null,
      end_time: i.end_time ?? null,
    })),
  }));
}

function viewsTable(views: readonly TaskView[]): string {
  if (views.length === 0) return "no tasks\n";
  return table(
    ["TASK", "BID", "STATUS", "STATE", "INSTANCES", "REGION", "PRICE/INSTANCE-HOUR", "CREATED"],
    views.map((v) => [
      v.bid.name,
      v.bid.fid,
      v.bid.status,
      v.state,
      `${v.bid.instance_quantity} × ${v.typeName}`,
      v.bid.region ?? "-",
      `${v.spotPrice ?? "?"} (limit ${v.bid.limit_price})`,
      timeText(v.bid.created_at),
    ]),
  );
}

/**
 * One round's tasks: the shown ones (a handle's, or the live ones, or all with --all), from one
 * listing of bids and one of their instances, shared with the array queues' advancement (which
 * runs first, under the queues' locks: its cancellations and placements are in the listing).
 */
async function round(
  io: CliIo,
  client: FcpClient,
  project: string,
  query: string | undefined,
  flags: StatusFlags,
  clock: Clock,
  refused: Set<string>,
): Promise<{
  shown: BidModel[];
  instances: readonly InstanceModel[];
  queuedTasks: number;
  /** Of `queuedTasks`, those of queues the API refused for good in this run (not tried again). */
  refusedTasks: number;
  exit: number;
}> {
  const byFid = query?.startsWith("bid_") === true;
  const live = (b: BidModel) => flags.all || query !== undefined || b.status !== "Terminated";
  const select = (b: BidModel) => answersTo(b, query) && live(b);
  const list = (needsInstances: (bid: BidModel) => boolean) =>
    listRound(client, project, (b) => select(b) || needsInstances(b));
  const arrays = await advanceArrays(io.env, client, project, {
    warn: io.stderr,
    list,
    clock,
    skip: refused,
  });
  for (const f of arrays.failures) if (f.refused) refused.add(f.queue);
  for (const bid of arrays.placed) io.stderr(`placed queued array task ${bid.name}\n`);
  let listing = arrays.listing;
  // without a queue to advance, a bid FID needs no listing: the bid alone
  if (listing === undefined && !byFid) listing = await list(() => false);
  const queued = [...arrays.queued].filter(
    ([prefix]) => query === undefined || nameMatches(`${prefix}-0`, query),
  );
  let shown: BidModel[];
  let instances = listing?.instances ?? [];
  if (byFid && !listing?.bids.some((b) => b.fid === query)) {
    // not in the listing (or none was made): the bid itself (a NotFoundError when it does not exist)
    shown = await findTasks(client, project, query);
    instances = await client.listInstances({ project, bidFids: shown.map((b) => b.fid) });
  } else {
    // a handle with only queued tasks (none placed yet) names something: the table says so
    shown = selectTasks((listing?.bids ?? []).filter(live), query, queued.length > 0);
  }
  const queuedTasks = queued.reduce((n, [, count]) => n + count, 0);
  const refusedTasks = queued.reduce((n, [prefix, count]) => n + (refused.has(prefix) ? count : 0), 0);
  const exit = arrays.failures.some((f) => f.exit === EXIT.remote)
    ? EXIT.remote
    : arrays.failures.length > 0
      ? EXIT.usage
      : EXIT.ok;
  return { shown, instances, queuedTasks, refusedTasks, exit };
}

/**
 * `flow status`. `clock` is the system's but for tests: it paces `--watch` (`sleep`), ages the
 * catalog (`now`) and refreshes the array queues' locks (`every`).
 */
export async function statusCommand(
  io: CliIo,
  query: string | undefined,
  flags: StatusFlags,
  clock: Clock = systemClock,
): Promise<number> {
  const interval = parseSeconds(flags.interval, "--interval", { fallbackMs: 5000 });
  return withRemote(io, flags, async ({ client, project: projectOf }) => {
    const project = await projectOf();
    const catalog = catalogCache(client, () => clock.now(), io.stderr);
    let previous = "";
    // a queue that failed in any round makes the exit code non-zero (3 for the API, else 2)
    let exit: number = EXIT.ok;
    // queues the API refused for good in this run: said once, not advanced again
    const refused = new Set<string>();
    for (;;) {
      const now = await round(io, client, project, query, flags, clock, refused);
      if (now.exit === EXIT.remote || (now.exit === EXIT.usage && exit === EXIT.ok)) exit = now.exit;
      const views = await viewTasks(client, now.shown, now.instances, catalog);
      const { queuedTasks, refusedTasks } = now;
      if (!flags.watch) {
        io.stdout(flags.json ? `${JSON.stringify(viewsToJson(views), null, 2)}\n` : viewsTable(views));
        if (queuedTasks > 0 && !flags.json)
          io.stdout(`${queuedTasks} array task(s) queued behind a %N limit\n`);
        return exit;
      }
      const held =
        refusedTasks > 0
          ? ` (${refusedTasks} refused by the API: not tried again until the next \`flow status\`)`
          : "";
      const text = flags.json
        ? `${JSON.stringify(viewsToJson(views))}\n`
        : `${viewsTable(views)}${queuedTasks > 0 ? `${queuedTasks} array task(s) queued${held}\n` : ""}`;
      if (io.stdoutIsTTY && !flags.json) io.stdout(`\u001b[H\u001b[2J${text}`);
      else if (text !== previous) io.stdout(text);
      previous = text;
      // queued tasks the API refused for good do not keep the watch going: nothing places them
      if (views.every((v) => v.bid.status === "Terminated") && queuedTasks === refusedTasks) return exit;
      await clock.sleep(interval);
    }
  });
}
