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
 * One round (`advanceArrays`) takes the lock of every queue of the API and project first, then
 * lists the project's bids and their instances once (the caller's listing, which `flow status`
 * also draws its table from), then advances each locked queue from that listing. The listing is
 * taken under the locks, so no other flow process can place a task of these queues meanwhile: the
 * live count and the name check are exact. A queue that fails (an API call, a corrupt file, a lost
 * lock) is reported and left for the next round; the other queues still advance. A queue the API
 * refused for good (a 4xx other than 409, 422 and 429: the same request would be refused again) is
 * `refused`: the caller (`flow status --watch`) passes it as `skip` to its later rounds, which
 * post nothing more from it (they still cancel the bids of its tasks that ended); its file stays,
 * for a later `flow status`. A 422 drops the queue (every body of
 * it would be refused alike).
 *
 * The lock (see `lockQueue`): an exclusive file `<queue>.json.lock` holding the holder's pid, host,
 * a random token and the time it was taken. The holder refreshes it (its mtime) every
 * LOCK_REFRESH_MS while it works, and before every bid it posts or cancels. Another process takes
 * it over only when it is stale: not refreshed for LOCK_STALE_MS (its holder is gone, hung or
 * suspended), or held by a process of this host that no longer exists (a Ctrl-C skips `finally`).
 * A pid is never judged on another host's lock (it may share HOME over NFS): only the refresh
 * counts there. A takeover is atomic: the stale lock is renamed to a tombstone of the taker's own
 * (one rename wins), the tombstone is checked to be the very lock judged stale (inode, mtime,
 * token; else it is put back), and only then is a new lock created (exclusively): two processes
 * cannot both take over one stale lock. A holder whose lock was taken over nevertheless (a machine
 * asleep for over LOCK_STALE_MS) notices it before its next write of the queue file, post or
 * cancel, and stops: every write of a queue file is preceded by a check of its lock.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { FcpClient } from "../../api/client.ts";
import { ApiError, ValidationError } from "../../api/errors.ts";
import type { BidModel, CreateBidBody, InstanceModel } from "../../api/models.ts";
import { EXIT, UsageError } from "../io.ts";

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

/** A lock not refreshed for this long is taken over, whoever holds it. */
const LOCK_STALE_MS = 5 * 60_000;
/** How often a holder refreshes its lock while it works (ten refreshes per stale period). */
const LOCK_REFRESH_MS = 30_000;

/** Time as the queue code sees it; injected by tests (a manual clock), the system's otherwise. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called; never keeps the process alive. */
  every(ms: number, tick: () => Promise<void>): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  every(ms, tick) {
    const timer = setInterval(() => void tick(), ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

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

/**
 * Writes (or replaces) a submission's queue, atomically; under `lock` (checked first) when the
 * caller holds one.
 */
export async function queueArray(env: Env, queue: ArrayQueue, lock?: QueueLock): Promise<void> {
  const dir = queueDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await lock?.check();
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

/** The queues of one API and project, and the files that could not be read (path and error). */
async function scanQueues(
  env: Env,
  apiUrl: string,
  project: string,
): Promise<{ queues: ArrayQueue[]; broken: { path: string; error: unknown }[] }> {
  const dir = queueDir(env);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { queues: [], broken: [] };
    return { queues: [], broken: [{ path: dir, error }] };
  }
  const queues: ArrayQueue[] = [];
  const broken: { path: string; error: unknown }[] = [];
  for (const name of names) {
    try {
      const q = await readQueueFile(join(dir, name));
      if (q && q.apiUrl === apiUrl && q.project === project) queues.push(q);
    } catch (error) {
      broken.push({ path: join(dir, name), error });
    }
  }
  return { queues, broken };
}

/** The queues of one API and project. A corrupt file is reported through `warn`, not skipped silently. */
export async function readQueues(
  env: Env,
  apiUrl: string,
  project: string,
  warn?: Warn,
): Promise<ArrayQueue[]> {
  const { queues, broken } = await scanQueues(env, apiUrl, project);
  for (const { path, error } of broken)
    warn?.(
      `flow: warning: ${failureText(path, error)}; its queued tasks are not placed (fix or remove the file)\n`,
    );
  return queues;
}

// ── the lock ─────────────────────────────────────────────────────────────────────────────────

/** What a lock file says: written once by its holder when it takes the lock. */
interface LockRecord {
  readonly pid?: unknown;
  readonly host?: unknown;
  readonly token?: unknown;
  readonly time?: unknown;
}

/** Who holds a lock: pid, host (when it says), and since when. */
export interface LockHolder {
  readonly pid: number;
  readonly host?: string;
  readonly time: string;
}

/** This process's lock on a queue, refreshed until released. */
export interface QueueLock {
  readonly prefix: string;
  /**
   * Refreshes the lock, or throws a UsageError when another process has taken it over (this one
   * did not refresh it for LOCK_STALE_MS: suspended, or hung). Called before every write of the
   * queue file and every bid posted or cancelled for the queue.
   */
  check(): Promise<void>;
  /** Stops refreshing and removes the lock file, unless another process holds it by now. */
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock file as read: what it says, and which file it is (inode) as of which refresh (mtime). */
interface SeenLock {
  readonly record: LockRecord;
  readonly ino: number;
  readonly mtimeMs: number;
}

async function readLock(lockPath: string): Promise<SeenLock | "gone"> {
  let text: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(lockPath);
    text = await readFile(lockPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  let record: LockRecord = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") record = parsed as LockRecord;
  } catch {
    // being written right now (it is created empty), or damaged: judged by its refresh time alone
  }
  return { record, ino: info.ino, mtimeMs: info.mtimeMs };
}

/**
 * Whether a lock is stale (see the file comment): not refreshed (mtime) for LOCK_STALE_MS, or its
 * holder — on this host, by its own word — is a process that no longer exists. Otherwise its holder.
 */
function judgeLock(
  lock: { record: LockRecord; mtimeMs: number },
  now: number,
): { stale: true } | { stale: false; holder: LockHolder } {
  const { record, mtimeMs } = lock;
  if (now - mtimeMs > LOCK_STALE_MS) return { stale: true };
  const pid = typeof record.pid === "number" ? record.pid : undefined;
  const host = typeof record.host === "string" ? record.host : undefined;
  if (pid !== undefined && host === hostname() && pid !== process.pid && !alive(pid)) return { stale: true };
  const time = typeof record.time === "string" ? record.time : new Date(mtimeMs).toISOString();
  return { stale: false, holder: { pid: pid ?? 0, ...(host !== undefined ? { host } : {}), time } };
}

const lockPathOf = (env: Env, prefix: string) => `${fileOf(queueDir(env), prefix)}.lock`;

/**
 * Takes the queue's lock (see the file comment), waiting up to `waitMs` while another live process
 * holds it; `{ ok: false, held }` says who when it still does. The lock is refreshed every
 * LOCK_REFRESH_MS until `release`.
 */
export async function lockQueue(
  env: Env,
  prefix: string,
  options: { waitMs?: number; clock?: Clock } = {},
): Promise<{ ok: true; lock: QueueLock } | { ok: false; held: LockHolder }> {
  const { waitMs = 0, clock = systemClock } = options;
  await mkdir(queueDir(env), { recursive: true, mode: 0o700 });
  const lockPath = lockPathOf(env, prefix);
  const start = clock.now();
  for (;;) {
    let file: Awaited<ReturnType<typeof open>> | undefined;
    try {
      file = await open(lockPath, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (file) {
      const token = randomBytes(8).toString("hex");
      try {
        const time = clock.now();
        await file.writeFile(
          JSON.stringify({ pid: process.pid, host: hostname(), token, time: new Date(time).toISOString() }),
        );
        // the refresh time is this clock's, like every later refresh (through the file, not its path)
        await file.utimes(time / 1000, time / 1000);
        await file.close();
      } catch (error) {
        // removed only if it is still this lock at the path
        const mine = await file.stat().catch(() => undefined);
        await file.close().catch(() => {});
        const there = await stat(lockPath).catch(() => undefined);
        if (mine !== undefined && there?.ino === mine.ino) await rm(lockPath, { force: true });
        throw error;
      }
      return { ok: true, lock: holdLock(lockPath, prefix, token, clock) };
    }
    const seen = await readLock(lockPath);
    if (seen === "gone") continue;
    const verdict = judgeLock(seen, clock.now());
    if (verdict.stale) {
      await removeStale(lockPath, seen);
      continue;
    }
    if (clock.now() - start >= waitMs) return { ok: false, held: verdict.holder };
    await clock.sleep(50);
  }
}

/**
 * Removes the lock `seen` (judged stale), atomically: only if the file at `lockPath` is still that
 * lock, and never for good a lock another taker created meanwhile. It is renamed to a tombstone of
 * this process's own (of two takers, one rename wins: the other renames nothing, or the winner's
 * new lock), then the tombstone is checked to be the very file judged stale, not refreshed since
 * (inode and mtime): if it is not, it is put back at once (`link`, which never replaces a lock
 * created meanwhile; then the holder of the one moved finds it lost at its next check, and stops).
 * Either way the caller tries again: it creates its lock exclusively, or finds it held.
 */
async function removeStale(lockPath: string, seen: SeenLock): Promise<void> {
  const unchanged = (info: { ino: number; mtimeMs: number }) =>
    info.ino === seen.ino && info.mtimeMs === seen.mtimeMs;
  const tomb = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    // a lock replaced or refreshed since it was judged is not touched at all
    if (!unchanged(await stat(lockPath))) return;
    await rename(lockPath, tomb);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // another taker removed it
    throw error;
  }
  if (!unchanged(await stat(tomb))) {
    try {
      await link(tomb, lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        // no hard links here: move it back (the window for a lock created meanwhile is as short)
        await rename(tomb, lockPath).catch(() => {});
        return;
      }
    }
  }
  await rm(tomb, { force: true });
}

function holdLock(lockPath: string, prefix: string, token: string, clock: Clock): QueueLock {
  let lost = false;
  const check = async () => {
    if (!lost) {
      const seen = await readLock(lockPath);
      if (seen === "gone" || seen.record.token !== token) lost = true;
      else {
        const now = clock.now();
        await utimes(lockPath, now / 1000, now / 1000);
      }
    }
    if (lost)
      throw new UsageError(
        `the lock of the array queue ${prefix} was taken over by another flow process while this one worked (it was not refreshed for ${LOCK_STALE_MS / 60_000} minutes: was the machine asleep?); nothing more is placed from it here: run \`flow status\` again`,
      );
  };
  const stop = clock.every(LOCK_REFRESH_MS, () => check().catch(() => {}));
  return {
    prefix,
    check,
    async release() {
      stop();
      const seen = await readLock(lockPath).catch(() => "gone" as const);
      if (seen !== "gone" && seen.record.token === token) await rm(lockPath, { force: true });
    },
  };
}

/**
 * Runs `fn` holding the queue's lock (refreshed meanwhile), which it is given: what it writes or
 * places checks it first. Returns `{ held }` when another live process holds it (after waiting up
 * to `waitMs`).
 */
export async function withQueueLock<T>(
  env: Env,
  prefix: string,
  fn: (lock: QueueLock) => Promise<T>,
  waitMs = 0,
  clock: Clock = systemClock,
): Promise<{ ok: true; value: T } | { ok: false; held: LockHolder }> {
  const attempt = await lockQueue(env, prefix, { waitMs, clock });
  if (!attempt.ok) return attempt;
  try {
    return { ok: true, value: await fn(attempt.lock) };
  } finally {
    await attempt.lock.release();
  }
}

/** `pid 123` or `pid 123 on host-b` (another host's). */
export function holderText(held: LockHolder): string {
  return `pid ${held.pid}${held.host !== undefined && held.host !== hostname() ? ` on ${held.host}` : ""}`;
}

/** The error for a queue another live flow process holds (after waiting for it): who, since when. */
export function queueHeldError(prefix: string, held: LockHolder): UsageError {
  return new UsageError(
    `the array queue ${prefix} is held by another flow process (${holderText(held)}) since ${held.time}; try again`,
  );
}

/** Drops a submission's queue (after `flow cancel`), under its lock. Returns the tasks dropped, or undefined when there was none. */
export async function dropQueue(env: Env, prefix: string): Promise<number | undefined> {
  const path = fileOf(queueDir(env), prefix);
  const result = await withQueueLock(
    env,
    prefix,
    async (lock) => {
      let queue: ArrayQueue | undefined;
      try {
        queue = await readQueueFile(path);
      } catch {
        // corrupt: dropping it is what cancel is asked to do
        await lock.check();
        await rm(path, { force: true });
        return 0;
      }
      if (!queue) return undefined;
      await lock.check();
      await rm(path, { force: true });
      return queuedCount(queue);
    },
    30_000,
  );
  if (!result.ok) throw queueHeldError(prefix, result.held);
  return result.value;
}

// ── placing ──────────────────────────────────────────────────────────────────────────────────

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
 * Places tasks of a queue until `slots` more are live, under the caller's `lock` (the queue's, as
 * `lockQueue` or `withQueueLock` gave it): each task is recorded in flight before it is posted, and
 * the lock is checked (and refreshed) first thing, before every write of the file and before each
 * post — a holder that lost it (asleep while `flow cancel` took it over and dropped the queue)
 * neither writes the queue back nor posts. Returns the bids placed and the tasks left queued; the
 * file is rewritten (or removed when empty) after every step — and not at all when nothing would
 * change (no slot free, nothing in flight, no queued name that exists already): a queue at its %N
 * limit costs a round nothing but its reading.
 */
export async function placeFromQueue(
  env: Env,
  client: FcpClient,
  lock: QueueLock,
  queue: ArrayQueue,
  slots: number,
  existing: ReadonlySet<string>,
  onPlaced: (bid: BidModel) => void = () => {},
): Promise<{ placed: BidModel[]; left: number }> {
  if (lock.prefix !== queue.prefix)
    throw new Error(`the lock of ${lock.prefix} does not cover the array queue ${queue.prefix}`);
  const settled = !queue.in_flight?.length && !queue.pending.some((b) => existing.has(b.name));
  if (slots <= 0 && settled) return { placed: [], left: queuedCount(queue) };
  await lock.check();
  const path = fileOf(queueDir(env), queue.prefix);
  // in-flight tasks whose bid exists are done; the others go back to the front of the queue
  let pending = [
    ...(queue.in_flight ?? []).filter((b) => !existing.has(b.name)),
    ...queue.pending.filter((b) => !existing.has(b.name)),
  ];
  const save = async (inFlight: CreateBidBody[]) => {
    await lock.check();
    if (pending.length === 0 && inFlight.length === 0) await rm(path, { force: true });
    else await writeAtomic(path, { ...queue, pending, in_flight: inFlight });
  };
  await save([]);
  const placed: BidModel[] = [];
  for (; slots > 0 && pending.length > 0; slots--) {
    const body = pending[0]!;
    pending = pending.slice(1);
    // the check of this save is the one before the post
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
        droppedBy.add(error);
      }
      throw error;
    }
    await save([]);
  }
  return { placed, left: pending.length };
}

/** The project's bids and the instances of those the caller asked for: one listing, for one round. */
export interface Listing {
  readonly bids: readonly BidModel[];
  readonly instances: readonly InstanceModel[];
}

/**
 * Lists the project's bids once, and the instances of those `wanted` selects (50 bids a request:
 * the API's filter), for a round. Without any wanted bid, no instance is listed.
 */
export async function listRound(
  client: FcpClient,
  project: string,
  wanted: (bid: BidModel) => boolean,
): Promise<Listing> {
  const bids = await client.listBids({ project });
  const fids = bids.filter(wanted).map((b) => b.fid);
  const instances: InstanceModel[] = [];
  for (let i = 0; i < fids.length; i += 50)
    instances.push(...(await client.listInstances({ project, bidFids: fids.slice(i, i + 50) })));
  return { bids, instances };
}

/** A queue that could not advance this round, and how serious that is (already reported). */
export interface QueueFailure {
  /** The queue's prefix, or its file's path when it could not be read. */
  readonly queue: string;
  /** EXIT.remote for an API failure, EXIT.usage for a local one (file, lock). */
  readonly exit: number;
  /**
   * The API refused it for good (see `refusedForGood`): trying again with nothing changed gets the
   * same answer, so later rounds of this run should skip the queue. Its file is kept.
   */
  readonly refused: boolean;
}

/**
 * Whether an API error refuses the request for good: a 4xx other than 409 (a state that changes),
 * 429 (rate limit) and 422 (the queue is dropped instead). Retrying it unchanged gets the same answer.
 */
function refusedForGood(error: unknown): boolean {
  if (!(error instanceof ApiError) || error instanceof ValidationError) return false;
  const status = error.status;
  return status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 429;
}

export interface ArrayRound {
  /** Bids placed from the queues. */
  readonly placed: readonly BidModel[];
  /** Bids cancelled because their task ended by powering its instances off. */
  readonly cancelled: readonly BidModel[];
  /** Tasks still queued, by queue prefix (this API and project's queues, skipped and failed ones too). */
  readonly queued: ReadonlyMap<string, number>;
  /** Queues that failed, each reported through `warn`. */
  readonly failures: readonly QueueFailure[];
  /**
   * The round's listing (`list`'s), with the cancelled bids Terminated and the placed ones added;
   * undefined when no queue was locked (then `list` was not called).
   */
  readonly listing: Listing | undefined;
}

/** `array queue <queue>: <what>`, without saying the queue (or its file) twice; no prefix, no newline. */
function failureText(queue: string, error: unknown): string {
  const message = (error as Error).message;
  if (message.startsWith(queue)) return `array queue ${message}`;
  if (message.includes(queue)) return message;
  return `array queue ${queue}: ${message}`;
}

/**
 * Reports a queue's failure on `warn` (with what to do); returns its exit code. A ValidationError
 * (422) is what makes `placeFromQueue` drop the queue: every body of it would be refused alike.
 */
export function reportFailure(warn: Warn, queue: string, error: unknown): number {
  const dropped = droppedBy.has(error as object);
  warn(`flow: ${failureText(queue, error)}\n`);
  if (error instanceof ApiError) {
    for (const s of error.suggestions) warn(`  = help: ${s}\n`);
    warn(
      dropped
        ? "  = help: the API refuses the array's bids, so its queue was dropped: fix the job and submit it again\n"
        : refusedForGood(error)
          ? `  = help: its queued tasks stay queued (its file is kept), but this run does not try again: the API would refuse it alike; a later \`flow status\` tries again (\`flow cancel ${queue}\` drops them)\n`
          : `  = help: its queued tasks stay queued: \`flow status\` tries again (\`flow cancel ${queue}\` drops them)\n`,
    );
    return EXIT.remote;
  }
  warn(
    error instanceof UsageError
      ? "  = help: its queued tasks are not placed until this is fixed; the other queues go on\n"
      : "  = help: check that you can read and write ~/.flow/arrays and its files; the other queues go on\n",
  );
  return EXIT.usage;
}

/**
 * The errors on which `placeFromQueue` dropped its queue (a 422 refusing a bid body); a 422 from
 * anything else (cancelling a bid) drops nothing and is not reported as a drop.
 */
const droppedBy = new WeakSet<object>();

/** A failure of one queue that the others survive: an API error, a file problem, a lost lock. */
function isQueueFailure(error: unknown): boolean {
  return (
    error instanceof ApiError ||
    error instanceof UsageError ||
    typeof (error as NodeJS.ErrnoException | undefined)?.code === "string"
  );
}

/**
 * One round of the array queues of an API and project (see the file comment): takes every queue's
 * lock (a queue another live flow process holds is skipped, said on `warn`; skipped queues still
 * count in `queued`), calls `list` once with
 * the bids whose instances the queues need, cancels the bids of tasks that ended by powering their
 * instances off, and places queued tasks where fewer than `maxRunning` are live. A queue that fails
 * is reported on `warn` and does not stop the others; its exit code is in `failures`. Errors of
 * `list` itself (the round's listing) are thrown, after the locks are released.
 */
export async function advanceArrays(
  env: Env,
  client: FcpClient,
  project: string,
  options: {
    warn?: Warn;
    list?: (needsInstances: (bid: BidModel) => boolean) => Promise<Listing>;
    clock?: Clock;
    /** Prefixes of queues to post nothing from (refused for good in an earlier round of this run). */
    skip?: ReadonlySet<string>;
  } = {},
): Promise<ArrayRound> {
  const warn = options.warn ?? (() => {});
  const list = options.list ?? ((wanted) => listRound(client, project, wanted));
  const clock = options.clock ?? systemClock;
  const { queues, broken } = await scanQueues(env, client.baseUrl, project);
  const failures: QueueFailure[] = [];
  const fail = (queue: string, error: unknown) => {
    if (!isQueueFailure(error)) throw error;
    failures.push({ queue, exit: reportFailure(warn, queue, error), refused: refusedForGood(error) });
  };
  for (const { path, error } of broken) fail(path, error);
  const queued = new Map<string, number>();
  const placed: BidModel[] = [];
  const cancelled: BidModel[] = [];
  const locks: QueueLock[] = [];
  try {
    for (const queue of queues) {
      queued.set(queue.prefix, queuedCount(queue));
      try {
        const attempt = await lockQueue(env, queue.prefix, { clock });
        if (attempt.ok) locks.push(attempt.lock);
        else
          warn(
            `flow: array queue ${queue.prefix} skipped: another flow process (${holderText(attempt.held)}) has held it since ${attempt.held.time}\n`,
          );
      } catch (error) {
        fail(queue.prefix, error);
      }
    }
    if (locks.length === 0) return { placed, cancelled, queued, failures, listing: undefined };
    const prefixes = locks.map((l) => l.prefix);
    const listing = await list(
      (bid) => bid.status === "Allocated" && prefixes.some((p) => isArrayBidOf(bid.name, p)),
    );
    let bids = [...listing.bids];
    const dir = queueDir(env);
    for (const lock of locks) {
      const path = fileOf(dir, lock.prefix);
      try {
        // re-read under the lock: a `flow cancel` may have dropped it before we took the lock
        const current = await readQueueFile(path);
        if (!current) {
          queued.delete(lock.prefix);
          continue;
        }
        queued.set(lock.prefix, queuedCount(current));
        let live = 0;
        for (const bid of bids.filter((b) => isArrayBidOf(b.name, current.prefix))) {
          if (bid.status === "Terminated") continue;
          if (taskEnded(bid, listing.instances)) {
            await lock.check();
            await client.cancelBid(bid.fid);
            bids = bids.map((b) => (b.fid === bid.fid ? { ...b, status: "Terminated" } : b));
            cancelled.push(bid);
            warn(`array task ${bid.name} ended (its instances stopped): cancelled its bid ${bid.fid}\n`);
            continue;
          }
          live++;
        }
        // a queue the API refused for good in this run: its ended tasks' bids are still cancelled
        // (a powered-off task must not keep its bid), nothing more is posted from it
        if (options.skip?.has(lock.prefix)) continue;
        const names = new Set(bids.filter((b) => isArrayBidOf(b.name, current.prefix)).map((b) => b.name));
        const onPlaced = (bid: BidModel) => {
          placed.push(bid);
          bids.push(bid);
        };
        const { left } = await placeFromQueue(
          env,
          client,
          lock,
          current,
          current.maxRunning - live,
          names,
          onPlaced,
        );
        if (left > 0) queued.set(lock.prefix, left);
        else queued.delete(lock.prefix);
      } catch (error) {
        fail(lock.prefix, error);
        // what is left, as the file now says (placed tasks gone; a failed one back in the queue)
        try {
          const left = await readQueueFile(path);
          if (left) queued.set(lock.prefix, queuedCount(left));
          else queued.delete(lock.prefix);
        } catch {
          // reported above, when it is this queue's failure
        }
      }
    }
    return { placed, cancelled, queued, failures, listing: { bids, instances: listing.instances } };
  } finally {
    for (const lock of locks) await lock.release().catch(() => {});
  }
}
