/**
 * `flow cancel <task|name>`: cancels (DELETE) every live bid the handle names — one task, or all
 * tasks of a submission or array — and drops the array's queued tasks. Already-terminated bids
 * are left alone.
 */
import type { CliIo } from "../io.ts";
import { EXIT } from "../io.ts";
import { dropQueue, readQueues } from "./arrays.ts";
import { type RemoteFlags, withRemote } from "./remote.ts";
import { findTasks, nameMatches } from "./status.ts";

export async function cancelCommand(
  io: CliIo,
  query: string,
  flags: RemoteFlags & { json?: boolean },
): Promise<number> {
  return withRemote(io, flags, async ({ client, project: projectOf }) => {
    const project = await projectOf();
    const queues = (await readQueues(io.env, client.baseUrl, project)).filter((q) =>
      nameMatches(`${q.prefix}-0`, query),
    );
    let dropped = 0;
    for (const q of queues) if (await dropQueue(io.env, q.prefix)) dropped += q.pending.length;
    const bids = await findTasks(client, project, query).catch((error) => {
      if (dropped > 0) return [];
      throw error;
    });
    const live = bids.filter((b) => b.status !== "Terminated");
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
