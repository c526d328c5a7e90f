/**
 * Instances on the virtual clock: the boot path NEW → CONFIRMED → INITIALIZING → STARTING → RUNNING
 * with the realistic profile's durations, `ssh_destination` from STARTING on, filters, sorting and
 * cursors of `GET /v2/instances`, and the relocation/failure hooks (fcp-api.md §5.9, §6.2, §12.7).
 */
import { describe, expect, test } from "vitest";
import { PROFILES } from "../../src/emulator/index.ts";
import { A100_1X_FID, bidBody, call, schemaErrors, useEmulator } from "./helpers.ts";

const box = useEmulator({ seed: 31, profile: "realistic", behaviour: { auction_interval: 0 } });

async function listInstances(query = "") {
  const r = await call(box.e, "GET", `/v2/instances?project=${box.e.projectId}${query}`);
  expect(r.status).toBe(200);
  expect(schemaErrors("GetInstancesResponse", r.body)).toBe("");
  return r.body as { data: Record<string, string | null>[]; next_cursor: string | null };
}

async function place(overrides: Record<string, unknown> = {}) {
  const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, overrides));
  expect(r.status).toBe(201);
  return r.body as { fid: string };
}

describe("boot progression (realistic profile)", () => {
  test("each status at its time; ssh_destination appears at STATUS_STARTING; the script is kept for tests only", async () => {
    const bid = await place({ instance_quantity: 1 });
    const d = PROFILES.realistic;
    const seen: [number, string | null, boolean][] = [];
    let elapsed = 0;
    for (const t of [0, d.confirmed, d.initializing, d.starting - 1, d.starting, d.running]) {
      box.e.clock.advance(t - elapsed);
      elapsed = t;
      const [inst] = (await listInstances()).data;
      seen.push([t, inst!.status ?? null, inst!.ssh_destination !== null]);
    }
    expect(seen).toEqual([
      [0, "STATUS_NEW", false],
      [d.confirmed, "STATUS_CONFIRMED", false],
      [d.initializing, "STATUS_INITIALIZING", false],
      [d.starting - 1, "STATUS_INITIALIZING", false],
      [d.starting, "STATUS_STARTING", true],
      [d.running, "STATUS_RUNNING", true],
    ]);
    const [inst] = (await listInstances()).data;
    expect(inst).toMatchObject({
      bid: bid.fid,
      reservation: null,
      private_ip: expect.stringMatching(/^10\./),
    });
    expect(inst!.ssh_destination).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(inst).not.toHaveProperty("startup_script");
    expect(inst).not.toHaveProperty("public_ip");
    expect(box.e.controls.instance(inst!.fid as string).startup_script).toBe("#!/bin/bash\necho hello\n");
  });

  test("a paused instance stops (STATUS_STOPPING) before it is STATUS_PAUSED", async () => {
    const bid = await place();
    box.e.clock.advance(PROFILES.realistic.running);
    await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { paused: true });
    expect((await listInstances()).data[0]!.status).toBe("STATUS_STOPPING");
    box.e.clock.advance(PROFILES.realistic.stopping);
    expect((await listInstances()).data[0]!.status).toBe("STATUS_PAUSED");
  });

  test("relocation: STATUS_RELOCATING for the window, then STARTING → RUNNING with the same FID", async () => {
    await place();
    box.e.clock.advance(PROFILES.realistic.running);
    const fid = (await listInstances()).data[0]!.fid as string;
    box.e.controls.relocateInstance(fid);
    expect((await listInstances()).data[0]!.status).toBe("STATUS_RELOCATING");
    box.e.clock.advance(PROFILES.realistic.relocation_window);
    expect((await listInstances()).data[0]).toMatchObject({ fid, status: "STATUS_STARTING" });
    box.e.clock.advance(PROFILES.realistic.running - PROFILES.realistic.starting);
    expect((await listInstances()).data[0]).toMatchObject({ fid, status: "STATUS_RUNNING" });
  });

  test("a failed boot is STATUS_ERROR and stays so", async () => {
    await place();
    box.e.clock.advance(PROFILES.realistic.confirmed);
    const fid = (await listInstances()).data[0]!.fid as string;
    box.e.controls.failInstance(fid);
    box.e.clock.advance(3600);
    expect((await listInstances()).data[0]!.status).toBe("STATUS_ERROR");
  });

  test("ssh_destination can point at a real address (e.g. a local sshd)", async () => {
    await place();
    box.e.clock.advance(PROFILES.realistic.running);
    const fid = (await listInstances()).data[0]!.fid as string;
    box.e.controls.setInstance(fid, { ssh_destination: "127.0.0.1:2222" });
    expect((await listInstances()).data[0]!.ssh_destination).toBe("127.0.0.1:2222");
  });
});

describe("GET /v2/instances", () => {
  test("filters: bid_fid_in, status_in, instance_type, region, order_type_in, reservation_fid_in", async () => {
    const a = await place({ name: "a", instance_quantity: 2 });
    const b = await place({
      name: "b",
      region: "eu-central1-a",
      instance_type: A100_1X_FID(),
      limit_price: "$1.00",
    });
    const names = async (q: string) => (await listInstances(q)).data.map((i) => i.name);
    expect(await names("")).toEqual(["a-0", "a-1", "b"]);
    expect(await names(`&bid_fid_in=${b.fid}`)).toEqual(["b"]);
    expect(await names(`&bid_fid_in=${a.fid},${b.fid}`)).toEqual(["a-0", "a-1", "b"]);
    expect(await names(`&status_in=STATUS_NEW`)).toEqual(["a-0", "a-1", "b"]);
    expect(await names(`&status_in=STATUS_RUNNING,STATUS_STARTING`)).toEqual([]);
    expect(await names(`&instance_type=${A100_1X_FID()}`)).toEqual(["b"]);
    expect(await names(`&region=us-central1-b`)).toEqual(["a-0", "a-1"]);
    expect(await names(`&order_type_in=Reservation`)).toEqual([]);
    expect(await names(`&order_type_in=Bid`)).toEqual(["a-0", "a-1", "b"]);
    expect(await names(`&reservation_fid_in=res_x`)).toEqual([]);
    expect(await names(`&sort_dir=desc`)).toEqual(["b", "a-1", "a-0"]);
  });

  test("sorting by status; cursors in pages of 2", async () => {
    await place({ name: "first", instance_quantity: 3 });
    box.e.clock.advance(PROFILES.realistic.confirmed);
    await place({ name: "second" });
    const byStatus = (await listInstances("&sort_by=instance_status")).data.map((i) => i.status);
    expect(byStatus).toEqual(["STATUS_CONFIRMED", "STATUS_CONFIRMED", "STATUS_CONFIRMED", "STATUS_NEW"]);
    const first = await listInstances("&limit=2");
    expect(first.data).toHaveLength(2);
    const second = await listInstances(`&limit=2&next_cursor=${first.next_cursor}`);
    expect(second.data.map((i) => i.name)).toEqual(["first-2", "second"]);
    expect(second.next_cursor).toBeNull();
  });

  test("PATCH /v2/instances is for reserved instances: 501 for spot ones, 404 for unknown, 422 for a bad status", async () => {
    await place();
    const fid = (await listInstances()).data[0]!.fid;
    const spot = await call(box.e, "PATCH", "/v2/instances", { instances: [fid], status: "STATUS_PAUSED" });
    expect(spot.status).toBe(501);
    expect(spot.body.detail).toContain("pause or resume the bid");
    expect(
      (await call(box.e, "PATCH", "/v2/instances", { instances: ["inst_x"], status: "STATUS_PAUSED" }))
        .status,
    ).toBe(404);
    expect((await call(box.e, "PATCH", "/v2/instances", { instances: [fid], status: "paused" })).status).toBe(
      422,
    );
  });

  test("an unknown project FID → 404", async () => {
    const r = await call(box.e, "GET", "/v2/instances?project=proj_other");
    expect(r.status).toBe(404);
  });
});
