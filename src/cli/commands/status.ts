/**
 * `flow status [task|name]`: the project's tasks (bids) with their instances — status, what it
 * means (waiting, starting, running, preempting with the time left, preempted and waiting to win
 * again), type, region, prices, age. `--json` for machines; `--watch` redraws (on a terminal) or
 * prints each change (otherwise) until every shown task is Terminated. Each round also places
 * queued array tasks (arrays.ts).
 *
 * A task is named by its bid FID (`bid_…`), its bid name (`train-k3x9a2`), or the name it was
 * submitted under (`train`: every submission of it; for an array, every array task).
 */
import type { FcpClient } from "../../api/client.ts";
import { NotFoundError } from "../../api/errors.ts";
import type { BidModel, InstanceModel } from "../../api/models.ts";
import { type CliIo, EXIT } from "../io.ts";
import { advanceArrays, queuedCount, readQueues } from "./arrays.ts";
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

/** The bids a handle names, oldest first; a FID that does not exist is a NotFoundError. */
export async function findTasks(
  client: FcpClient,
  project: string,
  query: string | undefined,
): Promise<BidModel[]> {
  if (query?.startsWith("bid_")) {
    const bid = await client.findBid(project, query);
    if (!bid)
      throw new NotFoundError(`no bid \`${query}\` in the project`, [
        "`flow status` lists the project's tasks",
      ]);
    return [bid];
  }
  const bids = await client.listBids({ project });
  const out = query === undefined ? bids : bids.filter((b) => nameMatches(b.name, query));
  if (query !== undefined && out.length === 0)
    throw new NotFoundError(`no task named \`${query}\` in the project`, [
      "`flow status` lists the project's tasks",
    ]);
  return out.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
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

/** Bids with their instances, type names, spot prices and state sentences. */
async function viewTasks(client: FcpClient, project: string, bids: readonly BidModel[]): Promise<TaskView[]> {
  if (bids.length === 0) return [];
  const fids = bids.map((b) => b.fid);
  const instances: InstanceModel[] = [];
  for (let i = 0; i < fids.length; i += 50)
    instances.push(...(await client.listInstances({ project, bidFids: fids.slice(i, i + 50) })));
  const preempting = instances.filter((i) => i.status === "STATUS_PREEMPTING" && !i.end_time);
  const ends = await Promise.all(preempting.map((i) => client.instanceStatus(i.fid)));
  const endOf = new Map(preempting.map((i, k) => [i.fid, ends[k]?.end_time ?? null]));
  const withEnds = instances.map((i) => (endOf.has(i.fid) ? { ...i, end_time: endOf.get(i.fid) } : i));
  const { catalog, auctions } = await liveCatalog(client);
  const typeName = new Map(catalog.instanceTypes.map((t) => [t.fid, t.name]));
  const spot = new Map(auctions.map((a) => [`${a.instance_type} ${a.region}`, a.last_instance_price]));
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

export async function statusCommand(
  io: CliIo,
  query: string | undefined,
  flags: StatusFlags,
): Promise<number> {
  const interval = parseSeconds(flags.interval, "--interval", { fallbackMs: 5000 });
  return withRemote(io, flags, async ({ client, project: projectOf }) => {
    const project = await projectOf();
    let previous = "";
    for (;;) {
      const placed = await advanceArrays(io.env, client, project, io.stderr);
      for (const name of placed) io.stderr(`placed queued array task ${name}\n`);
      const bids = await findTasks(client, project, query);
      const shown = flags.all || query !== undefined ? bids : bids.filter((b) => b.status !== "Terminated");
      const views = await viewTasks(client, project, shown);
      const queued = (await readQueues(io.env, client.baseUrl, project)).filter(
        (q) => query === undefined || nameMatches(`${q.prefix}-0`, query),
      );
      const queuedTasks = queued.reduce((n, q) => n + queuedCount(q), 0);
      if (!flags.watch) {
        io.stdout(flags.json ? `${JSON.stringify(viewsToJson(views), null, 2)}\n` : viewsTable(views));
        if (queuedTasks > 0 && !flags.json)
          io.stdout(`${queuedTasks} array task(s) queued behind a %N limit\n`);
        return EXIT.ok;
      }
      const text = flags.json
        ? `${JSON.stringify(viewsToJson(views))}\n`
        : `${viewsTable(views)}${queuedTasks > 0 ? `${queuedTasks} array task(s) queued\n` : ""}`;
      if (io.stdoutIsTTY && !flags.json) io.stdout(`\u001b[H\u001b[2J${text}`);
      else if (text !== previous) io.stdout(text);
      previous = text;
      if (views.every((v) => v.bid.status === "Terminated") && queuedTasks === 0) return EXIT.ok;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  });
}
