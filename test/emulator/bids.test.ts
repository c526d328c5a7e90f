/**
 * Spot bids: create/list/get/patch/cancel with the OAS26 shapes, cursors and filters, and the
 * auction per (instance type, region) pool — allocation, all-or-nothing capacity, preemption on a
 * price rise with its 5-minute window, pause/resume (fcp-api.md §5.8, §6.1, §12.4–12.6).
 */
import { describe, expect, test } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { A100_1X_FID, bidBody, call, H100_FID, schemaErrors, useEmulator } from "./helpers.ts";

const box = useEmulator({ seed: 21 });
const REGION = "us-central1-b";

async function place(overrides: Record<string, unknown> = {}) {
  const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, overrides));
  expect(r.status).toBe(201);
  return r.body;
}

async function getBid(fid: string) {
  return (await call(box.e, "GET", `/v2/spot/bids/${fid}`)).body;
}

async function instancesOf(fid: string) {
  const r = await call(box.e, "GET", `/v2/instances?project=${box.e.projectId}&bid_fid_in=${fid}`);
  return r.body.data as { fid: string; status: string; ssh_destination: string | null; name: string }[];
}

async function availability() {
  const r = await call(box.e, "GET", "/v2/spot/availability");
  return r.body.find(
    (a: { instance_type: string; region: string }) => a.instance_type === H100_FID() && a.region === REGION,
  );
}

describe("placing a bid", () => {
  test("201 BidModel: Open, no instances, nested launch specification, created_by the key's user", async () => {
    const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { instance_quantity: 2 }));
    expect(r.status).toBe(201);
    expect(schemaErrors("BidModel", r.body)).toBe("");
    const me = (await call(box.e, "GET", "/v2/me")).body;
    expect(r.body).toMatchObject({
      fid: expect.stringMatching(/^bid_[A-Za-z0-9]{16}$/),
      status: "Open",
      instances: [],
      deactivated_at: null,
      limit_price: "$12.00",
      instance_quantity: 2,
      region: REGION,
      created_by: me.fid,
      launch_specification: {
        volumes: [],
        ssh_keys: [],
        startup_script: "#!/bin/bash\necho hello\n",
        kubernetes_cluster: null,
        image_version: null,
        memory_gb: null,
      },
    });
    for (const field of ["updated_at", "ssh_keys", "startup_script", "public_ip"])
      expect(r.body).not.toHaveProperty(field);
  });

  test("limit above the spot price and enough capacity → Allocated at the next read, instances boot to RUNNING (fast)", async () => {
    const bid = await place({ instance_quantity: 2, name: "pair" });
    const now = await getBid(bid.fid);
    expect(now.status).toBe("Allocated");
    expect(now.instances).toHaveLength(2);
    const instances = await instancesOf(bid.fid);
    expect(instances.map((i) => [i.name, i.status])).toEqual([
      ["pair-0", "STATUS_RUNNING"],
      ["pair-1", "STATUS_RUNNING"],
    ]);
    expect(instances.every((i) => i.ssh_destination !== null)).toBe(true);
    expect(await availability()).toMatchObject({ capacity: 106, lowest_allocated_price: "$12.00" });
  });

  test("limit equal to or below the spot price stays Open (strict comparison, §11 #19)", async () => {
    const equal = await place({ limit_price: "$8.00", name: "equal" });
    const below = await place({ limit_price: "$7.99", name: "below" });
    expect((await getBid(equal.fid)).status).toBe("Open");
    expect((await getBid(below.fid)).status).toBe("Open");
    expect(await instancesOf(equal.fid)).toEqual([]);
  });

  test("the at-least switch allocates at equality", async () => {
    const e = await startEmulator({ behaviour: { allocation: "at-least" } });
    try {
      const r = await call(e, "POST", "/v2/spot/bids", bidBody(e, { limit_price: "$8.00" }));
      expect((await call(e, "GET", `/v2/spot/bids/${r.body.fid}`)).body.status).toBe("Allocated");
    } finally {
      await e.close();
    }
  });

  test("all-or-nothing: a bid larger than the free capacity waits; a smaller one behind it is served", async () => {
    box.e.controls.setPool(H100_FID(), REGION, { capacity: 3 });
    const big = await place({ instance_quantity: 4, limit_price: "$20.00", name: "big" });
    const small = await place({ instance_quantity: 3, name: "small" });
    expect((await getBid(big.fid)).status).toBe("Open");
    expect((await getBid(small.fid)).status).toBe("Allocated");
    expect((await availability()).capacity).toBe(0);
    // Capacity comes back when the small bid is cancelled, but the big one still does not fit.
    await call(box.e, "DELETE", `/v2/spot/bids/${small.fid}`);
    expect((await getBid(big.fid)).status).toBe("Open");
    box.e.controls.setPool(H100_FID(), REGION, { capacity: 4 });
    expect((await getBid(big.fid)).status).toBe("Allocated");
  });

  test("higher limits are served first, then older bids", async () => {
    box.e.controls.setPool(H100_FID(), REGION, { capacity: 0 });
    const low = await place({ limit_price: "$9.00", name: "low" });
    const high = await place({ limit_price: "$15.00", name: "high" });
    const highLater = await place({ limit_price: "$15.00", name: "high-later" });
    box.e.controls.setPool(H100_FID(), REGION, { capacity: 1 });
    expect((await getBid(high.fid)).status).toBe("Allocated");
    expect((await getBid(highLater.fid)).status).toBe("Open");
    expect((await getBid(low.fid)).status).toBe("Open");
  });
});

describe("preemption (§12.5 #23)", () => {
  test("price above the limit → Preempting with a 5-minute end_time; after it, Preempted and the bid is Open again", async () => {
    const bid = await place({ limit_price: "$10.00" });
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$10.50" });
    expect((await getBid(bid.fid)).status).toBe("Preempting");
    const [inst] = await instancesOf(bid.fid);
    expect(inst!.status).toBe("STATUS_PREEMPTING");
    const status = (await call(box.e, "GET", `/v2/instances/${inst!.fid}/status`)).body;
    expect(schemaErrors("InstanceStatusResponse", status)).toBe("");
    expect(Date.parse(status.end_time) - Date.parse(box.e.clock.now())).toBe(300_000);
    expect((await availability()).capacity).toBe(107); // still held during the window
    box.e.clock.advance(299);
    expect((await getBid(bid.fid)).status).toBe("Preempting");
    box.e.clock.advance(1);
    const after = await getBid(bid.fid);
    expect(after).toMatchObject({ status: "Open", instances: [] });
    expect((await instancesOf(bid.fid)).map((i) => i.status)).toEqual(["STATUS_PREEMPTED"]);
    expect((await availability()).capacity).toBe(108);
    const history = (await call(box.e, "GET", `/v2/spot/bids/${bid.fid}/history`)).body;
    expect(schemaErrors("BidHistoryResponse", history)).toBe("");
    expect(history.events.map((e: { event_type: string }) => e.event_type)).toEqual([
      "Placed",
      "Allocated",
      "Preempted",
    ]);
  });

  test("equality keeps an allocation (hysteresis); the price falling back inside the window restores it", async () => {
    const bid = await place({ limit_price: "$10.00" });
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$10.00" });
    expect((await getBid(bid.fid)).status).toBe("Allocated");
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$11.00" });
    box.e.clock.advance(120);
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$9.00" });
    expect((await getBid(bid.fid)).status).toBe("Allocated");
    expect((await instancesOf(bid.fid)).map((i) => i.status)).toEqual(["STATUS_RUNNING"]);
    box.e.clock.advance(600);
    expect((await getBid(bid.fid)).status).toBe("Allocated");
  });

  test("an instance relocating when the notice comes restarts from STARTING when the price falls back", async () => {
    const bid = await place({ limit_price: "$10.00" });
    const [inst] = await instancesOf(bid.fid);
    box.e.controls.relocateInstance(inst!.fid);
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$11.00" });
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$8.00" });
    expect((await instancesOf(bid.fid)).map((i) => i.status)).toEqual(["STATUS_RUNNING"]);
  });

  test("raising the limit (PATCH) inside the window restores the allocation", async () => {
    const bid = await place({ limit_price: "$10.00" });
    box.e.controls.setPool(H100_FID(), REGION, { spot_price: "$11.00" });
    const r = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { limit_price: "$11.50" });
    expect(r.status).toBe(200);
    expect(schemaErrors("BidModel", r.body)).toBe("");
    expect(r.body).toMatchObject({ status: "Allocated", limit_price: "$11.50" });
  });

  test("capacity taken away preempts the lowest limits first", async () => {
    const cheap = await place({ limit_price: "$9.00", name: "cheap", instance_quantity: 2 });
    const dear = await place({ limit_price: "$30.00", name: "dear", instance_quantity: 2 });
    box.e.controls.setPool(H100_FID(), REGION, { capacity: 3 });
    expect((await getBid(cheap.fid)).status).toBe("Preempting");
    expect((await getBid(dear.fid)).status).toBe("Allocated");
  });

  test("second-price mode: a new losing bid raises the price and preempts a lower one, then wins at the next loser's limit", async () => {
    const e = await startEmulator({ behaviour: { pricing: "second-price" } });
    try {
      const h100 = H100_FID();
      const spot = () =>
        e.controls.pools().find((p) => p.instance_type === h100 && p.region === REGION)?.spot_price;
      const status = async (fid: string) => (await call(e, "GET", `/v2/spot/bids/${fid}`)).body.status;
      e.controls.setPool(h100, REGION, { capacity: 1 });
      const first = (
        await call(e, "POST", "/v2/spot/bids", bidBody(e, { limit_price: "$9.00", name: "first" }))
      ).body;
      expect(await status(first.fid)).toBe("Allocated");
      expect(spot()).toBe("$8.00"); // nobody loses: the floor
      const second = (
        await call(e, "POST", "/v2/spot/bids", bidBody(e, { limit_price: "$14.00", name: "second" }))
      ).body;
      expect(spot()).toBe("$14.00");
      expect(await status(first.fid)).toBe("Preempting");
      expect(await status(second.fid)).toBe("Open");
      e.clock.advance(300);
      expect(await status(first.fid)).toBe("Open");
      expect(await status(second.fid)).toBe("Allocated");
      expect(spot()).toBe("$9.00");
      // A bid larger than the pool never sets the price.
      await call(
        e,
        "POST",
        "/v2/spot/bids",
        bidBody(e, { limit_price: "$50.00", name: "huge", instance_quantity: 2 }),
      );
      expect(spot()).toBe("$9.00");
      expect(await status(second.fid)).toBe("Allocated");
    } finally {
      await e.close();
    }
  });
});

describe("changing and cancelling", () => {
  test("pause stops and parks the instances and frees capacity; resume reuses the same instance FIDs", async () => {
    const bid = await place();
    const [before] = await instancesOf(bid.fid);
    const paused = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { paused: true });
    expect(paused.body.status).toBe("Paused");
    expect((await instancesOf(bid.fid)).map((i) => i.status)).toEqual(["STATUS_PAUSED"]);
    expect((await availability()).capacity).toBe(108);
    const resumed = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { paused: false });
    expect(resumed.body.status).toBe("Allocated");
    expect(resumed.body.instances).toEqual([before!.fid]);
    expect((await instancesOf(bid.fid)).map((i) => [i.fid, i.status])).toEqual([
      [before!.fid, "STATUS_RUNNING"],
    ]);
    const events = (await call(box.e, "GET", `/v2/spot/bids/${bid.fid}/history`)).body.events;
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
      "Placed",
      "Allocated",
      "Paused",
      "Resumed",
      "Allocated",
    ]);
  });

  test("DELETE → 204 with no body; Terminated with deactivated_at, instances terminated, capacity back; again → 204", async () => {
    const bid = await place({ instance_quantity: 3 });
    const r = await call(box.e, "DELETE", `/v2/spot/bids/${bid.fid}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    const after = await getBid(bid.fid);
    expect(after.status).toBe("Terminated");
    expect(after.deactivated_at).toBe(box.e.clock.now());
    expect((await instancesOf(bid.fid)).map((i) => i.status)).toEqual(Array(3).fill("STATUS_TERMINATED"));
    expect((await availability()).capacity).toBe(108);
    expect((await call(box.e, "DELETE", `/v2/spot/bids/${bid.fid}`)).status).toBe(204);
    const patch = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { limit_price: "$20.00" });
    expect(patch.status).toBe(400);
  });

  test("PATCH validates like POST: limit_price string, paused boolean, volumes list", async () => {
    const bid = await place();
    const r = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, {
      limit_price: 12,
      paused: "yes",
      volumes: "v",
    });
    expect(r.status).toBe(422);
    expect(r.body.detail.map((d: { loc: string[] }) => d.loc.join("."))).toEqual([
      "body.limit_price",
      "body.paused",
      "body.volumes",
    ]);
  });

  test("memory_gb can be changed only where the pool adjusts memory", async () => {
    const bid = await place();
    const r = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { memory_gb: 512 });
    expect(r.status).toBe(400);
  });

  test("/status says Relocating while an instance moves host", async () => {
    const bid = await place();
    const status = await call(box.e, "GET", `/v2/spot/bids/${bid.fid}/status`);
    expect(schemaErrors("BidStatusResponse", status.body)).toBe("");
    expect(status.body).toEqual({ bid_fid: bid.fid, status: "Allocated" });
    const [inst] = await instancesOf(bid.fid);
    box.e.controls.relocateInstance(inst!.fid);
    expect((await call(box.e, "GET", `/v2/spot/bids/${bid.fid}/status`)).body.status).toBe("Relocating");
    expect((await getBid(bid.fid)).status).toBe("Allocated");
  });
});

describe("listing bids", () => {
  test("{data, next_cursor}: working cursors over 7 bids in pages of 3, then null", async () => {
    for (let i = 0; i < 7; i++) await place({ name: `b${i}`, limit_price: "$1.00" });
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/v2/spot/bids?project=${box.e.projectId}&limit=3${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ""}`;
      const r = await call(box.e, "GET", query);
      expect(schemaErrors("GetBidsResponse", r.body)).toBe("");
      names.push(...r.body.data.map((b: { name: string }) => b.name));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(names).toEqual(["b0", "b1", "b2", "b3", "b4", "b5", "b6"]);
  });

  test("newest first, with bids placed between pages: every older bid is served once", async () => {
    for (let i = 0; i < 5; i++) await place({ name: `old${i}`, limit_price: "$1.00" });
    const q = `/v2/spot/bids?project=${box.e.projectId}&sort_dir=desc&limit=2`;
    const first = await call(box.e, "GET", q);
    await place({ name: "new0", limit_price: "$1.00" });
    await place({ name: "new1", limit_price: "$1.00" });
    const names = first.body.data.map((b: { name: string }) => b.name);
    let cursor = first.body.next_cursor;
    while (cursor) {
      const r = await call(box.e, "GET", `${q}&next_cursor=${cursor}`);
      names.push(...r.body.data.map((b: { name: string }) => b.name));
      cursor = r.body.next_cursor;
    }
    expect(names).toEqual(["old4", "old3", "old2", "old1", "old0"]);
  });

  test("a cursor used with other filters, or a forged one → 422", async () => {
    for (let i = 0; i < 3; i++) await place({ name: `b${i}`, limit_price: "$1.00" });
    const first = await call(box.e, "GET", `/v2/spot/bids?project=${box.e.projectId}&limit=1`);
    const cursor = first.body.next_cursor as string;
    const other = await call(
      box.e,
      "GET",
      `/v2/spot/bids?project=${box.e.projectId}&status=Open&limit=1&next_cursor=${cursor}`,
    );
    expect(other.status).toBe(422);
    expect(other.body.detail[0].loc).toEqual(["query", "next_cursor"]);
    expect((await call(box.e, "GET", `/v2/spot/bids?next_cursor=garbage`)).status).toBe(422);
  });

  test("filters: name (exact), status, instance_type, region; sort by status and direction", async () => {
    await place({ name: "won" });
    await place({ name: "waits", limit_price: "$1.00" });
    await place({
      name: "a100",
      region: "eu-central1-a",
      instance_type: A100_1X_FID(),
      limit_price: "$2.00",
    });
    const list = async (q: string) =>
      (await call(box.e, "GET", `/v2/spot/bids?project=${box.e.projectId}&${q}`)).body.data.map(
        (b: { name: string }) => b.name,
      );
    expect(await list("name=won")).toEqual(["won"]);
    expect(await list("name=wo")).toEqual([]);
    expect(await list("status=Open")).toEqual(["waits"]);
    expect(await list("status=Allocated")).toEqual(["won", "a100"]);
    expect(await list(`instance_type=${A100_1X_FID()}`)).toEqual(["a100"]);
    expect(await list("region=us-central1-b")).toEqual(["won", "waits"]);
    expect(await list("sort_dir=desc")).toEqual(["a100", "waits", "won"]);
    expect(await list("sort_by=status&sort_dir=asc")).toEqual(["won", "a100", "waits"]);
  });

  test("without project: every project the key may use; an unknown project → 404", async () => {
    await place();
    expect((await call(box.e, "GET", "/v2/spot/bids")).body.data).toHaveLength(1);
    expect((await call(box.e, "GET", "/v2/spot/bids?project=proj_nope")).status).toBe(404);
  });

  test("single-bid GET can be switched off to emulate the 2025 server", async () => {
    const e = await startEmulator({ behaviour: { single_bid_get: false } });
    try {
      const bid = await call(e, "POST", "/v2/spot/bids", bidBody(e));
      const r = await call(e, "GET", `/v2/spot/bids/${bid.body.fid}`);
      expect(r.status).toBe(404);
      expect((await call(e, "GET", `/v2/spot/bids?name=job&project=${e.projectId}`)).body.data).toHaveLength(
        1,
      );
    } finally {
      await e.close();
    }
  });
});

describe("auction rounds on an interval", () => {
  test("with auction_interval 120 s, a bid waits for the next round", async () => {
    const e = await startEmulator({ behaviour: { auction_interval: 120 } });
    try {
      const bid = await call(e, "POST", "/v2/spot/bids", bidBody(e));
      e.clock.advance(119);
      expect((await call(e, "GET", `/v2/spot/bids/${bid.body.fid}`)).body.status).toBe("Open");
      e.clock.advance(1);
      expect((await call(e, "GET", `/v2/spot/bids/${bid.body.fid}`)).body.status).toBe("Allocated");
    } finally {
      await e.close();
    }
  });
});
