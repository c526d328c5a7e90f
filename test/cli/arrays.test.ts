/**
 * The `%N` array queue against a started emulator: crash safety (write-ahead, name check), the lock
 * (cancel takes it, a held queue is said, its holder refreshes it, stale locks are taken over, a
 * holder that lost it stops), failing queues (an API error, a corrupt file) that do not stop the
 * others, a failure while placing the first N, and tasks that end by powering their instances off.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createClient } from "../../src/api/client.ts";
import { BadRequestError, ValidationError } from "../../src/api/errors.ts";
import type { CreateBidBody } from "../../src/api/models.ts";
import {
  type ArrayQueue,
  type Clock,
  lockQueue,
  placeFromQueue,
  queueArray,
  reportFailure,
  withQueueLock,
} from "../../src/cli/commands/arrays.ts";
import { UsageError } from "../../src/cli/io.ts";
import { emulatorBids, type Harness, startHarness } from "../api/harness.ts";

const ARRAY = `#!/bin/bash
#SBATCH --job-name=sweep
#SBATCH --gres=gpu:a100:1
#SBATCH --array=0-4%2
python sweep.py
`;

let h: Harness;
beforeAll(async () => {
  // without the server's unique-name check: only flow keeps array tasks from being posted twice
  h = await startHarness({ behaviour: { unique_bid_names: false } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  h.emulator.controls.reset();
  h.emulator.controls.clearFaults();
  const { rmSync } = await import("node:fs");
  rmSync(join(h.home, ".flow", "arrays"), { recursive: true, force: true });
});

const arraysDir = () => join(h.home, ".flow", "arrays");

const queueFiles = () =>
  existsSync(arraysDir()) ? readdirSync(arraysDir()).filter((f) => f.endsWith(".json")) : [];

/** Submits the array (another submission each time); returns its queue. */
async function submitArray(): Promise<{ prefix: string; file: string }> {
  const before = new Set(queueFiles());
  h.write({ "sweep.sbatch": ARRAY });
  const r = await h.run(["slurm", "submit", "sweep.sbatch"]);
  expect(r.code, r.stderr).toBe(0);
  const files = queueFiles().filter((f) => !before.has(f));
  expect(files).toHaveLength(1);
  return { prefix: files[0]!.replace(/\.json$/, ""), file: join(arraysDir(), files[0]!) };
}

/** Writes a lock file as another process would, last refreshed at `refreshed` (ms; default now). */
function writeLock(path: string, record: object, refreshed = Date.now()): void {
  writeFileSync(path, JSON.stringify(record));
  utimesSync(path, refreshed / 1000, refreshed / 1000);
}

/**
 * A manual clock: `advance` moves it and runs the refreshes that fall due (a working holder);
 * `jump` moves it without running them (a suspended one).
 */
function manualClock(
  start = Date.now(),
): Clock & { advance(ms: number): Promise<void>; jump(ms: number): void } {
  let now = start;
  const timers = new Set<{ ms: number; next: number; tick: () => Promise<void> }>();
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    every(ms, tick) {
      const timer = { ms, next: now + ms, tick };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.ms;
        await due.tick();
      }
      now = end;
    },
    jump(ms) {
      now += ms;
      for (const t of timers) t.next = now + t.ms;
    },
  };
}

async function post(body: unknown): Promise<void> {
  const res = await fetch(`${h.emulator.url}/v2/spot/bids`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.emulator.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

const countsByName = (bids: { name: string }[]) => {
  const m = new Map<string, number>();
  for (const b of bids) m.set(b.name, (m.get(b.name) ?? 0) + 1);
  return m;
};

describe("array queue crash safety", () => {
  test("a task posted before the queue was rewritten (a crash) is not posted again", async () => {
    const { file } = await submitArray();
    const queue = JSON.parse(readFileSync(file, "utf8"));
    // the crash: task 2 was posted, the queue file still lists it
    await post(queue.pending[0]);
    for (const b of (await emulatorBids(h)).filter((b) => /-[01]$/.test(b.name)))
      expect((await h.run(["cancel", b.fid])).code).toBe(0);
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    const counts = countsByName(await emulatorBids(h));
    expect(
      [...counts.values()].every((n) => n === 1),
      JSON.stringify([...counts]),
    ).toBe(true);
    // 0 and 1 (cancelled), 2 (the crashed post) and 3 (placed now)
    expect(counts.size).toBe(4);
  });

  test("a task left in flight is placed once: again when its bid is missing, not when it exists", async () => {
    const { file } = await submitArray();
    const queue = JSON.parse(readFileSync(file, "utf8"));
    const [two, three, ...rest] = queue.pending;
    // crashed after recording task 2 in flight, before posting; and task 3 in flight, after posting
    writeFileSync(file, JSON.stringify({ ...queue, pending: rest, in_flight: [two, three] }));
    await post(three);
    const bids = await emulatorBids(h);
    for (const b of bids.filter((b) => /-[01]$/.test(b.name))) await h.run(["cancel", b.fid]);
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    const counts = countsByName(await emulatorBids(h));
    expect(counts.get(two.name)).toBe(1);
    expect(counts.get(three.name)).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  test("a failure while placing the first N loses no task: the array is queued first", async () => {
    h.write({ "sweep.sbatch": ARRAY });
    // the first POST fails for good (400 is not retried)
    h.emulator.controls.addFaults([{ method: "POST", path: "/v2/spot/bids", status: 400, times: 1 }]);
    const r = await h.run(["slurm", "submit", "sweep.sbatch"]);
    expect(r.code).toBe(3);
    expect(await emulatorBids(h)).toHaveLength(0);
    const files = readdirSync(arraysDir()).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    const queue = JSON.parse(readFileSync(join(arraysDir(), files[0]!), "utf8"));
    expect(queue.pending.length + (queue.in_flight ?? []).length).toBe(5);
    // the next `flow status` places the first two
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    expect((await emulatorBids(h)).map((b) => b.name.slice(-2)).sort()).toEqual(["-0", "-1"]);
  });
});

describe("array queue lock", () => {
  test("cancel waits for the lock instead of deleting the queue under a running `flow status`", async () => {
    const { file, prefix } = await submitArray();
    const lock = `${file}.lock`;
    writeLock(lock, { pid: process.pid, host: hostname(), time: new Date().toISOString() });
    const cancelling = h.run(["cancel", prefix]);
    await new Promise((done) => setTimeout(done, 300));
    // the holder may still rewrite the queue: cancel has not touched it
    expect(existsSync(file)).toBe(true);
    const { rmSync } = await import("node:fs");
    rmSync(lock);
    const c = await cancelling;
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain("dropped 3 queued array task(s)");
    expect(existsSync(file)).toBe(false);
    expect((await emulatorBids(h)).filter((b) => b.status !== "Terminated")).toEqual([]);
    // nothing brings it back
    await h.run(["status"]);
    expect(existsSync(file)).toBe(false);
    expect(await emulatorBids(h)).toHaveLength(2);
  });

  test("a held queue is said on stderr; a lock refreshed lately is respected, however long ago it was taken", async () => {
    const { file } = await submitArray();
    const first = (await emulatorBids(h)).find((b) => b.name.endsWith("-0"))!;
    expect((await h.run(["cancel", first.fid])).code).toBe(0);
    const lock = `${file}.lock`;
    // taken an hour ago by a live process that still refreshes it (its mtime is now)
    writeLock(lock, {
      pid: process.pid,
      host: hostname(),
      time: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const held = await h.run(["status"]);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stderr).toMatch(/array queue sweep-[a-z0-9]{6} skipped: another flow process \(pid \d+\)/);
    expect(await emulatorBids(h)).toHaveLength(2);
    expect(existsSync(lock)).toBe(true);
  });

  test("a lock not refreshed for 5 minutes is taken over, even of a live process", async () => {
    const { file } = await submitArray();
    const first = (await emulatorBids(h)).find((b) => b.name.endsWith("-0"))!;
    expect((await h.run(["cancel", first.fid])).code).toBe(0);
    const lock = `${file}.lock`;
    // taken just now by its word, but its holder stopped refreshing it 6 minutes ago (hung, asleep)
    writeLock(
      lock,
      { pid: process.pid, host: hostname(), time: new Date().toISOString() },
      Date.now() - 6 * 60_000,
    );
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-2/);
    expect(existsSync(lock)).toBe(false);
  });

  test("a dead holder on this host is taken over at once; another host's only when stale", async () => {
    const { file } = await submitArray();
    const first = (await emulatorBids(h)).find((b) => b.name.endsWith("-0"))!;
    expect((await h.run(["cancel", first.fid])).code).toBe(0);
    const lock = `${file}.lock`;
    const dead = 2 ** 22 + 12345; // above Linux's pid_max: no such process
    // the same pid on another host says nothing about that host's process: held while refreshed
    writeLock(lock, { pid: dead, host: `not-${hostname()}`, time: new Date().toISOString() });
    const other = await h.run(["status"]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toContain(`skipped: another flow process (pid ${dead} on not-${hostname()})`);
    expect(await emulatorBids(h)).toHaveLength(2);
    // a process of this host that died without removing its lock (Ctrl-C)
    writeLock(lock, { pid: dead, host: hostname(), time: new Date().toISOString() });
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-2/);
    expect(existsSync(lock)).toBe(false);
  });
});

describe("the lock is refreshed while its holder works", () => {
  test("a holder working longer than the stale period keeps its lock", async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), "flow-lock-")) };
    const clock = manualClock();
    const holder = await lockQueue(env, "job-abc123", { clock });
    expect(holder.ok).toBe(true);
    // the holder works for 20 minutes: refreshed every 30 s meanwhile
    await clock.advance(20 * 60_000);
    const contender = await lockQueue(env, "job-abc123", { clock });
    expect(contender.ok).toBe(false);
    if (holder.ok) {
      await holder.lock.check();
      await holder.lock.release();
    }
    const after = await lockQueue(env, "job-abc123", { clock });
    expect(after.ok).toBe(true);
    if (after.ok) await after.lock.release();
  });

  test("a holder that stopped refreshing (asleep) loses its lock: it places nothing more and leaves the new holder's lock", async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), "flow-lock-")) };
    const clock = manualClock();
    const prefix = "sweep-abc123";
    const queue: ArrayQueue = {
      apiUrl: h.emulator.url,
      project: h.emulator.projectId,
      prefix,
      maxRunning: 1,
      pending: [{ name: `${prefix}-0` } as CreateBidBody],
    };
    await queueArray(env, queue);
    const asleep = await lockQueue(env, prefix, { clock });
    expect(asleep.ok).toBe(true);
    if (!asleep.ok) return;
    // 6 minutes pass and none of its refreshes runs: the process was suspended
    clock.jump(6 * 60_000);
    const taker = await lockQueue(env, prefix, { clock });
    expect(taker.ok).toBe(true);
    if (!taker.ok) return;
    await expect(asleep.lock.check()).rejects.toThrow(/was taken over by another flow process/);
    // waking up, it posts nothing (the body would be refused by the API if it were posted)
    const { client, close } = await createClient({ baseUrl: h.emulator.url, apiKey: h.emulator.apiKey });
    try {
      await expect(placeFromQueue(env, client, asleep.lock, queue, 1, new Set())).rejects.toThrow(
        /taken over/,
      );
    } finally {
      await close();
    }
    expect(await emulatorBids(h)).toHaveLength(0);
    await asleep.lock.release();
    const lockFile = join(env.HOME, ".flow", "arrays", `${prefix}.json.lock`);
    expect(existsSync(lockFile)).toBe(true);
    expect((await lockQueue(env, prefix, { clock })).ok).toBe(false);
    await taker.lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  test("withQueueLock's holder (live submission) stops placing once its lock is taken over", async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), "flow-lock-")) };
    const prefix = "sweep-def456";
    const queue: ArrayQueue = {
      apiUrl: h.emulator.url,
      project: h.emulator.projectId,
      prefix,
      maxRunning: 1,
      pending: [{ name: `${prefix}-0` } as CreateBidBody],
    };
    const lockFile = join(env.HOME, ".flow", "arrays", `${prefix}.json.lock`);
    const { client, close } = await createClient({ baseUrl: h.emulator.url, apiKey: h.emulator.apiKey });
    try {
      const result = withQueueLock(env, prefix, async (lock) => {
        await queueArray(env, queue, lock);
        // meanwhile another process found the lock stale and took it
        writeLock(lockFile, { pid: process.pid + 1, host: "elsewhere", token: "theirs", time: "now" });
        return placeFromQueue(env, client, lock, queue, 1, new Set());
      });
      await expect(result).rejects.toThrow(/taken over by another flow process/);
    } finally {
      await close();
    }
    expect(await emulatorBids(h)).toHaveLength(0);
    // its release leaves the new holder's lock
    expect(JSON.parse(readFileSync(lockFile, "utf8")).token).toBe("theirs");
  });

  test("a holder asleep while `flow cancel` took its lock over and dropped the queue does not write the queue back", async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), "flow-lock-")) };
    const clock = manualClock();
    const prefix = "sweep-ghi789";
    const queue: ArrayQueue = {
      apiUrl: h.emulator.url,
      project: h.emulator.projectId,
      prefix,
      maxRunning: 1,
      pending: [{ name: `${prefix}-0` } as CreateBidBody],
    };
    await queueArray(env, queue);
    const file = join(env.HOME, ".flow", "arrays", `${prefix}.json`);
    // A (a `flow status --watch` round) takes the lock and reads the queue
    const a = await lockQueue(env, prefix, { clock });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const current = JSON.parse(readFileSync(file, "utf8")) as ArrayQueue;
    // it stalls for 6 minutes; B (`flow cancel <prefix>`) takes the lock over, drops the queue, releases
    clock.jump(6 * 60_000);
    const b = await lockQueue(env, prefix, { clock });
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    const { rmSync } = await import("node:fs");
    rmSync(file);
    await b.lock.release();
    // A wakes up: it neither writes the cancelled queue back nor posts
    const { client, close } = await createClient({ baseUrl: h.emulator.url, apiKey: h.emulator.apiKey });
    try {
      await expect(placeFromQueue(env, client, a.lock, current, 1, new Set())).rejects.toThrow(/taken over/);
    } finally {
      await close();
    }
    await a.lock.release();
    expect(existsSync(file)).toBe(false);
    expect(await emulatorBids(h)).toHaveLength(0);
  });

  test("placeFromQueue refuses another queue's lock", async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), "flow-lock-")) };
    const clock = manualClock();
    const other = await lockQueue(env, "other-abc123", { clock });
    expect(other.ok).toBe(true);
    if (!other.ok) return;
    const queue: ArrayQueue = {
      apiUrl: h.emulator.url,
      project: h.emulator.projectId,
      prefix: "sweep-jkl012",
      maxRunning: 1,
      pending: [{ name: "sweep-jkl012-0" } as CreateBidBody],
    };
    const { client, close } = await createClient({ baseUrl: h.emulator.url, apiKey: h.emulator.apiKey });
    try {
      await expect(placeFromQueue(env, client, other.lock, queue, 1, new Set())).rejects.toThrow(
        /does not cover/,
      );
    } finally {
      await close();
      await other.lock.release();
    }
    expect(await emulatorBids(h)).toHaveLength(0);
  });

  test("of two processes taking over one stale lock at once, one gets it", async () => {
    const clock = manualClock();
    for (let round = 0; round < 200; round++) {
      const env = { HOME: mkdtempSync(join(tmpdir(), "flow-lock-")) };
      const dir = join(env.HOME, ".flow", "arrays");
      const { mkdirSync } = await import("node:fs");
      mkdirSync(dir, { recursive: true });
      // its holder stopped refreshing it 6 minutes ago
      writeLock(
        join(dir, "race-abc123.json.lock"),
        { pid: process.pid + 1, host: "elsewhere", token: "stale", time: "then" },
        clock.now() - 6 * 60_000,
      );
      const takers = await Promise.allSettled([
        lockQueue(env, "race-abc123", { clock }),
        lockQueue(env, "race-abc123", { clock }),
      ]);
      const rejected = takers.flatMap((t) => (t.status === "rejected" ? [String(t.reason)] : []));
      expect(rejected, `round ${round}`).toEqual([]);
      const won = takers.flatMap((t) => (t.status === "fulfilled" && t.value.ok ? [t.value.lock] : []));
      expect(won, `round ${round}`).toHaveLength(1);
      await won[0]!.check();
      await won[0]!.release();
      // no tombstone is left behind
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});

describe("a failing array queue does not stop the others", () => {
  test("an API failure of one queue: the other advances, the failure is said with what to do, exit 3", async () => {
    const [a, b] = [await submitArray(), await submitArray()];
    for (const bid of (await emulatorBids(h)).filter((x) => x.name.endsWith("-0")))
      expect((await h.run(["cancel", bid.fid])).code).toBe(0);
    // the first POST of the round fails for good (400 is not retried): one queue's placement
    h.emulator.controls.addFaults([{ method: "POST", path: "/v2/spot/bids", status: 400, times: 1 }]);
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(3);
    const placed = [...s.stderr.matchAll(/placed queued array task (sweep-[a-z0-9]{6})-2/g)].map((m) => m[1]);
    expect(placed).toHaveLength(1);
    const failed = placed[0] === a.prefix ? b.prefix : a.prefix;
    expect(s.stderr).toContain(`flow: array queue ${failed}: POST /v2/spot/bids failed with 400`);
    expect(s.stderr).toContain(
      "its queued tasks stay queued (its file is kept), but this run does not try again",
    );
    expect(s.stderr).toContain("a later `flow status` tries again");
    expect(s.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // the table is shown all the same
    expect(s.stdout).toMatch(/^TASK\s+BID/m);
    // the failed queue lost nothing: the next round places its task
    const again = await h.run(["status"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`placed queued array task ${failed}-2`);
    const counts = countsByName(await emulatorBids(h));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(6);
  });

  test("a corrupt queue file is reported, the other queues advance, exit 2", async () => {
    const broken = await submitArray();
    const good = await submitArray();
    for (const bid of (await emulatorBids(h)).filter((x) => x.name.endsWith("-0")))
      expect((await h.run(["cancel", bid.fid])).code).toBe(0);
    writeFileSync(broken.file, '{"apiUrl": "http://');
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(2);
    expect(s.stderr).toMatch(/array queue .*sweep-[a-z0-9]{6}\.json is not valid JSON/);
    expect(s.stderr).toContain("delete it or restore it");
    expect(s.stderr).toContain(`placed queued array task ${good.prefix}-2`);
    expect(s.stderr).not.toContain(`placed queued array task ${broken.prefix}-2`);
  });

  test("a failure while cancelling an ended task's bid stops only that queue", async () => {
    const [a, b] = [await submitArray(), await submitArray()];
    const ended = (await emulatorBids(h)).filter((x) => x.name.endsWith("-0"));
    for (const bid of ended) for (const fid of bid.instances) h.emulator.controls.powerOffInstance(fid);
    h.emulator.controls.addFaults([{ method: "DELETE", path: "/v2/spot/bids/*", status: 400, times: 1 }]);
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(3);
    const placed = [...s.stderr.matchAll(/placed queued array task (sweep-[a-z0-9]{6})-2/g)].map((m) => m[1]);
    expect(placed).toHaveLength(1);
    const failed = placed[0] === a.prefix ? b.prefix : a.prefix;
    expect(s.stderr).toMatch(
      new RegExp(`flow: array queue ${failed}: DELETE /v2/spot/bids/bid_\\w+ failed with 400`),
    );
    const again = await h.run(["status"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`placed queued array task ${failed}-2`);
  });
});

describe("a 422", () => {
  test("refusing a queued bid body drops that queue (every body of it would be refused alike), and says so", async () => {
    const q = await submitArray();
    for (const bid of (await emulatorBids(h)).filter((x) => x.name.endsWith("-0")))
      expect((await h.run(["cancel", bid.fid])).code).toBe(0);
    h.emulator.controls.addFaults([{ method: "POST", path: "/v2/spot/bids", status: 422, times: 1 }]);
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(3);
    expect(s.stderr).toContain(`flow: array queue ${q.prefix}: POST /v2/spot/bids failed with 422`);
    expect(s.stderr).toContain("its queue was dropped");
    expect(existsSync(q.file)).toBe(false);
  });

  test("on cancelling an ended task's bid drops nothing, and is not said to", async () => {
    const q = await submitArray();
    for (const bid of (await emulatorBids(h)).filter((x) => x.name.endsWith("-0")))
      for (const fid of bid.instances) h.emulator.controls.powerOffInstance(fid);
    h.emulator.controls.addFaults([{ method: "DELETE", path: "/v2/spot/bids/*", status: 422, times: 1 }]);
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(3);
    expect(s.stderr).toMatch(
      new RegExp(`flow: array queue ${q.prefix}: DELETE /v2/spot/bids/bid_\\w+ failed with 422`),
    );
    expect(s.stderr).not.toContain("dropped");
    expect(existsSync(q.file)).toBe(true);
    const again = await h.run(["status"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`placed queued array task ${q.prefix}-2`);
  });
});

describe("a task that ends by powering off", () => {
  test("its bid is cancelled and the next task placed", async () => {
    await submitArray();
    const first = (await emulatorBids(h)).find((b) => b.name.endsWith("-0"))!;
    for (const fid of first.instances) h.emulator.controls.powerOffInstance(fid);
    expect((await emulatorBids(h)).find((b) => b.fid === first.fid)!.status).toBe("Allocated");
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain(`array task ${first.name} ended (its instances stopped): cancelled its bid`);
    expect(s.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-2/);
    const bids = await emulatorBids(h);
    expect(bids.find((b) => b.fid === first.fid)!.status).toBe("Terminated");
    expect(bids.filter((b) => b.status !== "Terminated")).toHaveLength(2);
  });
});

describe("a queue at its %N limit", () => {
  test("a round neither rewrites its file nor re-reads it to count what is left", async () => {
    const { prefix, file } = await submitArray();
    const before = statSync(file);
    const text = readFileSync(file, "utf8");
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain("3 array task(s) queued behind a %N limit");
    expect(s.stderr).not.toContain("placed queued array task");
    // the same file (a rewrite renames a new one over it), untouched
    const after = statSync(file);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(queueFiles()).toEqual([`${prefix}.json`]);
  });
});

describe("reportFailure", () => {
  const report = (error: unknown) => {
    let text = "";
    const exit = reportFailure(
      (t) => {
        text += t;
      },
      "sweep-abc123",
      error,
    );
    return { exit, text };
  };

  test("an API error says its tasks stay queued (a drop is said only for the 422 that dropped a queue, tested above)", () => {
    const unplaced = report(new ValidationError("DELETE /v2/spot/bids/bid_1 failed with 422", []));
    expect(unplaced.exit).toBe(3);
    expect(unplaced.text).toMatch(
      /^flow: array queue sweep-abc123: DELETE \/v2\/spot\/bids\/bid_1 failed with 422\n/,
    );
    expect(unplaced.text).not.toContain("dropped");
    const kept = report(new BadRequestError("POST /v2/spot/bids failed with 400"));
    expect(kept.text).not.toContain("dropped");
    expect(kept.text).toContain("does not try again");
  });

  test("a message that names the queue already does not name it twice; a local failure is exit 2", () => {
    const r = report(new UsageError("the array queue sweep-abc123 is held by another flow process"));
    expect(r.exit).toBe(2);
    expect(r.text.split("\n")[0]).toBe("flow: the array queue sweep-abc123 is held by another flow process");
  });
});
