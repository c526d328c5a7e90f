/**
 * Job arrays with a `%N` limit (IR `array.max_running`). The API has no such notion, so flow keeps
 * it: a submission places at most N bids and writes the others to a queue file,
 * `~/.flow/arrays/<submission>.json` (the bid bodies, ready to post; no secrets). Every
 * `flow status` (once, or each round of `--watch`) then counts the submission's bids that are not
 * Terminated and places queued ones until N are live again; the file goes when the queue is empty.
 * `flow cancel <submission>` cancels the live bids and drops the queue.
 *
 * A task "ends" when its bid is Terminated (cancelled, or ended by the task itself). Placing is
 * done under an exclusive lock file, and each body keeps its unique name, so two `flow status`
 * running at once cannot place one array task twice (the client adopts a bid of the same name).
 */
import { mkdir, open, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { FcpClient } from "../../api/client.ts";
import type { CreateBidBody } from "../../api/models.ts";

export interface ArrayQueue {
  readonly apiUrl: string;
  readonly project: string;
  /** The submission's bid-name prefix, `<name>-<suffix>`; array bids are `<prefix>-<id>`. */
  readonly prefix: string;
  readonly maxRunning: number;
  readonly pending: readonly CreateBidBody[];
}

/** The folder of queue files: `~/.flow/arrays` (or `./.flow/arrays` without HOME). */
export function queueDir(env: Readonly<Record<string, string | undefined>>, cwd = "."): string {
  return env.HOME ? resolve(env.HOME, ".flow", "arrays") : resolve(cwd, ".flow", "arrays");
}

const fileOf = (dir: string, prefix: string) => join(dir, `${prefix}.json`);

/** Writes (or replaces) a submission's queue. */
export async function queueArray(
  env: Readonly<Record<string, string | undefined>>,
  queue: ArrayQueue,
): Promise<void> {
  const dir = queueDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(fileOf(dir, queue.prefix), `${JSON.stringify(queue)}\n`, { mode: 0o600 });
}

/** The queues of one API and project. */
export async function readQueues(
  env: Readonly<Record<string, string | undefined>>,
  apiUrl: string,
  project: string,
): Promise<ArrayQueue[]> {
  const dir = queueDir(env);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  const out: ArrayQueue[] = [];
  for (const name of names) {
    try {
      const q = JSON.parse(await readFile(join(dir, name), "utf8")) as ArrayQueue;
      if (q.apiUrl === apiUrl && q.project === project && Array.isArray(q.pending)) out.push(q);
    } catch {
      // a half-written or foreign file: not ours to interpret
    }
  }
  return out;
}

/** Drops a submission's queue (after `flow cancel`). */
export async function dropQueue(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
): Promise<boolean> {
  const path = fileOf(queueDir(env), prefix);
  try {
    await readFile(path);
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}

/** Whether a bid name belongs to the submission `prefix` (`<prefix>-<id>`). */
export function isArrayBidOf(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) && /^\d+$/.test(name.slice(prefix.length + 1));
}

/**
 * Places queued array tasks where fewer than `maxRunning` of their submission are live. Returns
 * the names placed. A queue locked by another flow process is skipped this time.
 */
export async function advanceArrays(
  env: Readonly<Record<string, string | undefined>>,
  client: FcpClient,
  project: string,
): Promise<string[]> {
  const queues = await readQueues(env, client.baseUrl, project);
  if (queues.length === 0) return [];
  const dir = queueDir(env);
  const placed: string[] = [];
  for (const queue of queues) {
    const lockPath = `${fileOf(dir, queue.prefix)}.lock`;
    let lock: Awaited<ReturnType<typeof open>>;
    try {
      lock = await open(lockPath, "wx");
    } catch {
      continue;
    }
    try {
      const current = JSON.parse(await readFile(fileOf(dir, queue.prefix), "utf8")) as ArrayQueue;
      const bids = (await client.listBids({ project })).filter((b) => isArrayBidOf(b.name, queue.prefix));
      const live = bids.filter((b) => b.status !== "Terminated").length;
      const pending = [...current.pending];
      for (let slots = current.maxRunning - live; slots > 0 && pending.length > 0; slots--) {
        const body = pending[0]!;
        await client.createBid(body);
        pending.shift();
        placed.push(body.name);
        await writeFile(fileOf(dir, queue.prefix), `${JSON.stringify({ ...current, pending })}\n`, {
          mode: 0o600,
        });
      }
      if (pending.length === 0) await rm(fileOf(dir, queue.prefix), { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    } finally {
      await lock.close();
      await rm(lockPath, { force: true });
    }
  }
  return placed;
}
