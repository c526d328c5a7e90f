/**
 * `flow cancel <task|name>`: cancels (DELETE) the live bids the handle names and drops the array's
 * queued tasks (under the queue's lock, so a `flow status --watch` cannot bring it back).
 * Already-terminated bids are left alone.
 *
 * A bid FID, a bid name or a full submission name (`train-k3x9a2`) names one submission. A bare job
 * name (`train`) may match several submissions — a teammate's too: then nothing is cancelled, the
 * submissions are listed, and `--all` is needed to cancel them all.
 */
import type { BidModel } from "../../api/models.ts";
import { type CliIo, EXIT, UsageError } from "../io.ts";
import { dropQueue, queuedCount, readQueues } from "./arrays.ts";
import { type RemoteFlags, withRemote } from "./remote.ts";
import { findTasks, nameMatches } from "./status.ts";

/** The submission a bid name belongs to: `<name>-<suffix>` without an array task id. */
function submissionOf(name: string, queuePrefixes: readonly string[] = []): string {
  const known = queuePrefixes.find((p) => name === p || name.startsWith(`${p}-`));
  if (known) return known;
  const m = /^(.+-[a-z0-9]{6})(-\d+)?$/.exec(name);
  return m ? m[1]! : name;
}

export async function cancelCommand(
  io: CliIo,
  query: string,
  flags: RemoteFlags & { json?: boolean; all?: boolean },
): Promise<number> {
  return withRemote(io, flags, async ({ client, project: projectOf }) => {
    const project = await projectOf();
    const queues = query.startsWith("bid_")
      ? []
      : (await readQueues(io.env, client.baseUrl, project, io.stderr)).filter((q) =>
          nameMatches(`${q.prefix}-0`, query),
        );
    let bids: BidModel[];
    try {
      bids = await findTasks(client, project, query);
    } catch (error) {
      if (queues.length === 0) throw error;
      bids = [];
    }
    let live = bids.filter((b) => b.status !== "Terminated");
    if (!query.startsWith("bid_") && !flags.all) {
      const prefixes = queues.map((q) => q.prefix);
      const submissions = new Map<string, { live: number; queued: number }>();
      for (const b of live) {
        const s = submissionOf(b.name, prefixes);
        const e = submissions.get(s) ?? { live: 0, queued: 0 };
        submissions.set(s, { ...e, live: e.live + 1 });
      }
      for (const q of queues) {
        const e = submissions.get(q.prefix) ?? { live: 0, queued: 0 };
        submissions.set(q.prefix, { ...e, queued: e.queued + queuedCount(q) });
      }
      if (submissions.size > 1) {
        const list = [...submissions]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([s, n]) => `  ${s}: ${n.live} live${n.queued > 0 ? `, ${n.queued} queued` : ""}`)
          .join("\n");
        throw new UsageError(
          `\`${query}\` matches ${submissions.size} submissions (perhaps a teammate's too); nothing cancelled:\n${list}\ncancel one by its full name (\`flow cancel ${[...submissions.keys()][0]}\`), or all of them with --all`,
        );
      }
    }
    let dropped = 0;
    for (const q of queues) dropped += (await dropQueue(io.env, q.prefix)) ?? 0;
    // a `flow status` may have placed a queued task between the listing and the drop
    if (queues.length > 0)
      live = (await findTasks(client, project, query).catch(() => [])).filter(
        (b) => b.status !== "Terminated",
      );
    for (const bid of live) await client.cancelBid(bid.fid);
    if (flags.json) {
      io.stdout(
        `${JSON.stringify({ cancelled: live.map((b) => ({ fid: b.fid, name: b.name })), dropped_queued: dropped }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    for (const bid of live) io.stdout(`cancelled ${bid.fid} (${bid.name})\n`);
    if (dropped > 0) io.stdout(`dropped ${dropped} queued array task(s)\n`);
    if (live.length === 0 && dropped === 0)
      io.stdout(`nothing to cancel: \`${query}\` is already terminated\n`);
    return EXIT.ok;
  });
}
