/**
 * Properties of the auction engine (fcp-api.md §12.5–12.6) over random sequences of operations on
 * one pool — bids placed, cancelled, paused, re-priced, the pool's price and capacity moved, time
 * advanced — checked after every step, without HTTP (the state the server wraps).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { DEFAULT_BEHAVIOUR, PROFILES } from "../../src/emulator/fixtures.ts";
import { type Bid, EmulatorState } from "../../src/emulator/state.ts";
import { A100_1X_FID } from "./helpers.ts";

const REGION = "eu-central1-a";

type Op =
  | { kind: "place"; limit: number; quantity: number }
  | { kind: "cancel"; index: number }
  | { kind: "pause"; index: number; paused: boolean }
  | { kind: "limit"; index: number; limit: number }
  | { kind: "pool"; spot?: number; total?: number }
  | { kind: "advance"; seconds: number };

const cents = fc.integer({ min: 100, max: 1500 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("place" as const),
      limit: cents,
      quantity: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), index: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("pause" as const), index: fc.nat(20), paused: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("limit" as const), index: fc.nat(20), limit: cents }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant("pool" as const), spot: cents, total: fc.integer({ min: 0, max: 10 }) },
      { requiredKeys: ["kind"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      seconds: fc.integer({ min: 0, max: 400 }),
    }),
  },
);

function newState(pricing: "fixed" | "second-price" = "fixed"): EmulatorState {
  return new EmulatorState({
    seed: 5,
    fixtures: {
      auctions: [{ instance_type: A100_1X_FID(), region: REGION, capacity: 6, last_instance_price: "$5.00" }],
    },
    behaviour: { ...DEFAULT_BEHAVIOUR, auction_interval: 0, pricing },
    durations: { ...PROFILES.fast, stopping: 30, confirmed: 10, running: 60 },
  });
}

function apply(state: EmulatorState, o: Op, n: number): void {
  const pool = state.pool(A100_1X_FID(), REGION)!;
  const pick = (index: number): Bid | undefined => state.bids[index % Math.max(1, state.bids.length)];
  switch (o.kind) {
    case "place": {
      state.createBid({
        project: state.projects[0]!.fid,
        region: REGION,
        instanceType: pool.instanceType,
        limitCents: o.limit,
        quantity: o.quantity,
        name: `b${n}`,
        spec: {
          volumes: [],
          ssh_keys: [],
          startup_script: null,
          kubernetes_cluster: null,
          image_version: null,
          memory_gb: null,
        },
      });
      state.evaluate(pool);
      return;
    }
    case "cancel": {
      const bid = pick(o.index);
      if (bid) state.terminateBid(bid);
      return;
    }
    case "pause": {
      const bid = pick(o.index);
      if (bid && bid.status !== "Terminated") state.setPaused(bid, o.paused);
      return;
    }
    case "limit": {
      const bid = pick(o.index);
      if (bid && bid.status !== "Terminated") state.setLimit(bid, o.limit);
      return;
    }
    case "pool":
      state.setPool(pool, {
        ...(o.spot !== undefined ? { spotCents: o.spot } : {}),
        ...(o.total !== undefined ? { total: o.total } : {}),
      });
      return;
    case "advance":
      state.advanceTo(state.now + o.seconds * 1000);
  }
}

function checkInvariants(state: EmulatorState): void {
  const pool = state.pool(A100_1X_FID(), REGION)!;
  const of = (status: Bid["status"]) => state.bids.filter((b) => b.status === status);
  const quantity = (bids: Bid[]) => bids.reduce((n, b) => n + b.quantity, 0);
  const allocated = of("Allocated");
  const used = state.used(pool);
  // Capacity: what runs fits the pool (instances in their preemption window may exceed a cut).
  expect(quantity(allocated)).toBeLessThanOrEqual(pool.total);
  // Price: an allocated bid is never below the spot price; a preempting one is, or does not fit.
  for (const b of allocated) expect(b.limitCents).toBeGreaterThanOrEqual(pool.spotCents);
  for (const b of of("Preempting")) {
    expect(b.limitCents < pool.spotCents || quantity(allocated) + b.quantity > pool.total).toBe(true);
  }
  // Rounds are immediate: no open bid could win now.
  for (const b of of("Open")) {
    expect(b.limitCents <= pool.spotCents || b.quantity > pool.total - used).toBe(true);
    expect(b.instances).toEqual([]);
  }
  // Instances follow their bid.
  for (const b of [...allocated, ...of("Preempting")]) {
    expect(b.instances).toHaveLength(b.quantity);
    for (const fid of b.instances) expect(state.instance(fid)!.bid).toBe(b.fid);
  }
  for (const b of of("Preempting")) {
    for (const fid of b.instances) expect(state.instance(fid)!.status).toBe("STATUS_PREEMPTING");
  }
  for (const b of of("Paused")) {
    for (const fid of b.parked)
      expect(["STATUS_STOPPING", "STATUS_PAUSED"]).toContain(state.instance(fid)!.status);
  }
  for (const b of of("Terminated")) {
    expect(b.deactivatedAt).not.toBeNull();
    for (const inst of state.instances.filter((i) => i.bid === b.fid)) {
      expect(["STATUS_TERMINATED", "STATUS_PREEMPTED"]).toContain(inst.status);
    }
  }
  // Availability never reports negative capacity.
  expect(state.auctionModel(pool).capacity).toBeGreaterThanOrEqual(0);
}

describe("auction engine", () => {
  test.prop([fc.array(op, { maxLength: 40 })], { numRuns: 150 })(
    "invariants hold after every step",
    (ops) => {
      const state = newState();
      ops.forEach((o, n) => {
        apply(state, o, n);
        checkInvariants(state);
      });
    },
  );

  test.prop([fc.array(op, { maxLength: 40 })], { numRuns: 150 })(
    "second-price mode: the same invariants, and the price is the floor or a losing limit",
    (ops) => {
      const state = newState("second-price");
      ops.forEach((o, n) => {
        apply(state, o, n);
        checkInvariants(state);
        const pool = state.pool(A100_1X_FID(), REGION)!;
        const open = state.bids.filter((b) => b.status === "Open").map((b) => b.limitCents);
        expect([pool.floorCents, ...open]).toContain(pool.spotCents);
      });
    },
  );

  test.prop([fc.array(op, { maxLength: 30 })], { numRuns: 50 })(
    "the same operations give the same bids and instances",
    (ops) => {
      const run = () => {
        const state = newState();
        ops.forEach((o, n) => {
          apply(state, o, n);
        });
        return JSON.stringify([
          state.bids.map((b) => state.bidModel(b)),
          state.instances.map((i) => state.instanceModel(i)),
        ]);
      };
      expect(run()).toBe(run());
    },
  );
});
