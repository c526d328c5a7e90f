/**
 * The `%N` array queue against a started emulator: crash safety (write-ahead, name check), the lock
 * (cancel takes it, stale locks are taken over, a held queue is said), corrupt files, a failure
 * while placing the first N, and tasks that end by powering their instances off.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
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

async function submitArray(): Promise<{ prefix: string; file: string }> {
  h.write({ "sweep.sbatch": ARRAY });
  const r = await h.run(["slurm", "submit", "sweep.sbatch"]);
  expect(r.code, r.stderr).toBe(0);
  const files = readdirSync(arraysDir()).filter((f) => f.endsWith(".json"));
  expect(files).toHaveLength(1);
  return { prefix: files[0]!.replace(/\.json$/, ""), file: join(arraysDir(), files[0]!) };
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
    writeFileSync(lock, JSON.stringify({ pid: process.pid, time: new Date().toISOString() }));
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

  test("a held queue is said on stderr; a stale lock (dead process, or old) is taken over", async () => {
    const { file } = await submitArray();
    const first = (await emulatorBids(h)).find((b) => b.name.endsWith("-0"))!;
    expect((await h.run(["cancel", first.fid])).code).toBe(0);
    const lock = `${file}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: process.pid, time: new Date().toISOString() }));
    const held = await h.run(["status"]);
    expect(held.stderr).toMatch(/array queue sweep-[a-z0-9]{6} skipped: another flow process \(pid \d+\)/);
    expect(await emulatorBids(h)).toHaveLength(2);
    // a process that died without removing its lock (Ctrl-C)
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, time: new Date().toISOString() }));
    const s = await h.run(["status"]);
    expect(s.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-2/);
    expect(existsSync(lock)).toBe(false);
    // a lock older than a few minutes, even of a live process
    const second = (await emulatorBids(h)).find((b) => b.name.endsWith("-1"))!;
    expect((await h.run(["cancel", second.fid])).code).toBe(0);
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, time: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    const s2 = await h.run(["status"]);
    expect(s2.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-3/);
  });

  test("a corrupt queue file is reported", async () => {
    const { file } = await submitArray();
    writeFileSync(file, '{"apiUrl": "http://');
    const s = await h.run(["status"]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/array queue .*sweep-[a-z0-9]{6}\.json is not valid JSON/);
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
