/**
 * Job arrays with a `%N` limit (IR `array.max_running`). The API has no such notion, so flow keeps
 * it: a submission writes its bids to a queue file, `~/.flow/arrays/<submission>.json` (the bid
 * bodies, ready to post; no secrets), then places the first N from it. Every `flow status` (once,
 * or each round of `--watch`) counts the submission's bids that have not ended and places queued
 * ones until N are live again; the file goes when the queue is empty. `flow cancel <submission>`
 * drops the queue (under the lock) and cancels the live bids.
 *
 * A task "ends" when its bid is Terminated, or when the bid is still Allocated but every one of its
 * instances is terminated or stopped (the task powered its instance off: `auto_terminate`, the
 * run-time limit). Such a bid is cancelled (it would keep its capacity, and bill) before the next
 * task is placed.
 *
 * Crash safety: every write of the queue is atomic (a temporary file renamed over it). A task is
 * moved from `pending` to `in_flight` and written *before* its bid is posted, and removed from
 * `in_flight` after: a crash in between leaves it in flight, and the next run places it again only
 * when no bid of its (unique) name exists. Queued names that already exist are never posted again.
 *
 * Placing happens under an exclusive lock file holding the owner's pid and the time; a lock whose
 * process is gone, or older than LOCK_STALE_MS, is taken over (a Ctrl-C skips `finally`). A queue
 * skipped because another process holds it is said on stderr.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { FcpClient } from "../../api/client.ts";
import { ValidationError } from "../../api/errors.ts";
import type { BidModel, CreateBidBody, InstanceModel } from "../../api/models.ts";
import { UsageError } from "../io.ts";

type Env = Readonly<Record<string, string | undefined>>;
type Warn = (text: string) => void;

export interface ArrayQueue {
  readonly apiUrl: string;
  readonly project: string;
  /** The submission's bid-name prefix, `<name>-<suffix>`; array bids are `<prefix>-<id>`. */
  readonly prefix: string;
  readonly maxRunning: number;
  readonly pending: readonly CreateBidBody[];
  /** Dequeued, and possibly posted: placed again only when no bid of the name exists. */
  readonly in_flight?: readonly CreateBidBody[];
}

/** A lock older than this is taken over even when its process seems alive. */
const LOCK_STALE_MS = 5 * 60_000;

/** Instance statuses of a task that ended by itself (spec §6.2; STOPPED/TERMINATING/FAILED are older values). */
const ENDED_INSTANCE = new Set([
  "STATUS_TERMINATED",
  "STATUS_TERMINATING",
  "STATUS_STOPPED",
  "STATUS_PAUSED",
  "STATUS_FAILED",
]);

/** The folder of queue files: `~/.flow/arrays` (or `./.flow/arrays` without HOME). */
function queueDir(env: Env, cwd = "."): string {
  return env.HOME ? resolve(env.HOME, ".flow", "arrays") : resolve(cwd, ".flow", "arrays");
}

const fileOf = (dir: string, prefix: string) => join(dir, `${prefix}.json`);

/** The tasks a queue still has to place (pending and in flight). */
export function queuedCount(queue: ArrayQueue): number {
  return queue.pending.length + (queue.in_flight?.length ?? 0);
}

async function writeAtomic(path: string, queue: ArrayQueue): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, `${JSON.stringify(queue)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes (or replaces) a submission's queue, atomically. */
export async function queueArray(env: Env, queue: ArrayQueue): Promise<void> {
  const dir = queueDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomic(fileOf(dir, queue.prefix), queue);
}

function isQueue(q: unknown): q is ArrayQueue {
  const o = q as ArrayQueue;
  return (
    !!o &&
    typeof o === "object" &&
    typeof o.apiUrl === "string" &&
    typeof o.project === "string" &&
    typeof o.prefix === "string" &&
    typeof o.maxRunning === "number" &&
    Array.isArray(o.pending) &&
    (o.in_flight === undefined || Array.isArray(o.in_flight))
  );
}

/** One queue file, or undefined when it is gone; a file that is not a queue throws. */
async function readQueueFile(path: string): Promise<ArrayQueue | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(
      `${path} is not valid JSON: delete it or restore it (the array queue of a submission)`,
    );
  }
  if (!isQueue(parsed)) throw new UsageError(`${path} is not an array queue`);
  return parsed;
}

/** The queues of one API and project. A corrupt file is reported through `warn`, not skipped silently. */
export async function readQueues(
  env: Env,
  apiUrl: string,
  project: string,
  warn?: Warn,
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
      const q = await readQueueFile(join(dir, name));
      if (q && q.apiUrl === apiUrl && q.project === project) out.push(q);
    } catch (error) {
      warn?.(
        `flow: warning: array queue ${(error as Error).message}; its queued tasks are not placed (fix or remove the file)\n`,
      );
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Who holds a lock, or undefined when the lock is stale (its process gone, or too old). */
async function lockHolder(lockPath: string): Promise<{ pid: number; time: string } | undefined | "gone"> {
  let text: string;
  try {
    text = await readFile(lockPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  let holder: { pid?: unknown; time?: unknown } = {};
  try {
    holder = JSON.parse(text);
  } catch {
    // being written right now, or an old empty lock: judge by its age
  }
  const pid = typeof holder.pid === "number" ? holder.pid : undefined;
  let time = typeof holder.time === "string" ? Date.parse(holder.time) : Number.NaN;
  if (Number.isNaN(time)) {
    try {
      time = (await stat(lockPath)).mtimeMs;
    } catch {
      return "gone";
    }
  }
  if (Date.now() - time > LOCK_STALE_MS) return undefined;
  if (pid !== undefined && pid !== process.pid && !alive(pid)) return undefined;
  return { pid: pid ?? 0, time: new Date(time).toISOString() };
}

/**
 * Runs `fn` holding the queue's lock. Returns `{ held }` when another live process holds it (after
 * waiting up to `waitMs`).
 */
export async function withQueueLock<T>(
  env: Env,
  prefix: string,
  fn: () => Promise<T>,
  waitMs = 0,
): Promise<{ ok: true; value: T } | { ok: false; held: { pid: number; time: string } }> {
  const dir = queueDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lockPath = `${fileOf(dir, prefix)}.lock`;
  const start = Date.now();
  for (;;) {
    let lock: Awaited<ReturnType<typeof open>> | undefined;
    try {
      lock = await open(lockPath, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (lock) {
      try {
        await lock.writeFile(JSON.stringify({ pid: process.pid, time: new Date().toISOString() }));
        await lock.close();
        return { ok: true, value: await fn() };
      } finally {
        await rm(lockPath, { force: true });
      }
    }
    const holder = await lockHolder(lockPath);
    if (holder === "gone") continue;
    if (holder === undefined) {
      // stale: a process that died without its `finally` (Ctrl-C). Even if two takers race here,
      // a task is never posted twice: queued names are checked against the bid list first.
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() - start >= waitMs) return { ok: false, held: holder };
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Drops a submission's queue (after `flow cancel`), under its lock. Returns the tasks dropped, or undefined when there was none. */
export async function dropQueue(env: Env, prefix: string): Promise<number | undefined> {
  const path = fileOf(queueDir(env), prefix);
  const result = await withQueueLock(
    env,
    prefix,
    async () => {
      let queue: ArrayQueue | undefined;
      try {
        queue = await readQueueFile(path);
      } catch {
        // corrupt: dropping it is what cancel is asked to do
        await rm(path, { force: true });
        return 0;
      }
      if (!queue) return undefined;
      await rm(path, { force: true });
      return queuedCount(queue);
    },
    30_000,
  );
  if (!result.ok)
    throw new UsageError(
      `the array queue ${prefix} is held by process ${result.held.pid} since ${result.held.time}; try again`,
    );
  return result.value;
}

/** Whether a bid name belongs to the submission `prefix` (`<prefix>-<id>`). */
export function isArrayBidOf(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) && /^\d+$/.test(name.slice(prefix.length + 1));
}

/** Whether a bid's task has ended: Terminated, or Allocated with every instance terminated or stopped. */
function taskEnded(bid: BidModel, instances: readonly InstanceModel[]): boolean {
  if (bid.status === "Terminated") return true;
  if (bid.status !== "Allocated" || bid.instances.length === 0) return false;
  return bid.instances.every((fid) => {
    const inst = instances.find((i) => i.fid === fid);
    return inst !== undefined && ENDED_INSTANCE.has(inst.status);
  });
}

/**
 * Places tasks of a queue until `slots` more are live, under the caller's lock: each task is
 * recorded in flight before it is posted. Returns the bids placed; the file is rewritten (or
 * removed when empty) after every step.
 */
export async function placeFromQueue(
  env: Env,
  client: FcpClient,
  queue: ArrayQueue,
  slots: number,
  existing: ReadonlySet<string>,
  onPlaced: (bid: BidModel) => void = () => {},
): Promise<BidModel[]> {
  const path = fileOf(queueDir(env), queue.prefix);
  // in-flight tasks whose bid exists are done; the others go back to the front of the queue
  let pending = [
    ...(queue.in_flight ?? []).filter((b) => !existing.has(b.name)),
    ...queue.pending.filter((b) => !existing.has(b.name)),
  ];
  const save = async (inFlight: CreateBidBody[]) => {
    if (pending.length === 0 && inFlight.length === 0) await rm(path, { force: true });
    else await writeAtomic(path, { ...queue, pending, in_flight: inFlight });
  };
  await save([]);
  const placed: BidModel[] = [];
  for (; slots > 0 && pending.length > 0; slots--) {
    const body = pending[0]!;
    pending = pending.slice(1);
    await save([body]);
    try {
      const bid = (await client.createBid(body)).value;
      placed.push(bid);
      onPlaced(bid);
    } catch (error) {
      // a 422 refuses every body of the queue alike: the queue cannot be placed, so it goes
      if (error instanceof ValidationError) {
        pending = [];
        await save([]);
      }
      throw error;
    }
    await save([]);
  }
  return placed;
}

/**
 * Places queued array tasks where fewer than `maxRunning` of their submission are live. Returns
 * the names placed. A queue locked by another flow process is skipped this time (said on `warn`);
 * a task that ended by powering its instances off has its bid cancelled (`warn` says so).
 */
export async function advanceArrays(
  env: Env,
  client: FcpClient,
  project: string,
  warn: Warn = () => {},
): Promise<string[]> {
  const queues = await readQueues(env, client.baseUrl, project, warn);
  if (queues.length === 0) return [];
  const dir = queueDir(env);
  const placed: string[] = [];
  for (const queue of queues) {
    const result = await withQueueLock(env, queue.prefix, async () => {
      // re-read under the lock: a `flow cancel` may have dropped it meanwhile
      const current = await readQueueFile(fileOf(dir, queue.prefix));
      if (!current) return;
      const bids = (await client.listBids({ project })).filter((b) => isArrayBidOf(b.name, current.prefix));
      const allocated = bids.filter((b) => b.status === "Allocated");
      const instances: InstanceModel[] = [];
      for (let i = 0; i < allocated.length; i += 50)
        instances.push(
          ...(await client.listInstances({ project, bidFids: allocated.slice(i, i + 50).map((b) => b.fid) })),
        );
      let live = 0;
      for (const bid of bids) {
        if (bid.status === "Terminated") continue;
        if (taskEnded(bid, instances)) {
          await client.cancelBid(bid.fid);
          warn(`array task ${bid.name} ended (its instances stopped): cancelled its bid ${bid.fid}\n`);
          continue;
        }
        live++;
      }
      const names = new Set(bids.map((b) => b.name));
      const done = await placeFromQueue(env, client, current, current.maxRunning - live, names);
      placed.push(...done.map((b) => b.name));
    });
    if (!result.ok)
      warn(
        `flow: array queue ${queue.prefix} skipped: another flow process (pid ${result.held.pid}) has held it since ${result.held.time}\n`,
      );
  }
  return placed;
}
