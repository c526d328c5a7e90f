/** Same seed, same requests → byte-identical responses; another seed → other identifiers (§12.3). */
import { describe, expect, test } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.ts";
import { bidBody, call, H100_FID } from "./helpers.ts";

/** A session touching every kind of generated value: FIDs, keys, timestamps, addresses, cursors. */
async function session(e: EmulatorHandle): Promise<string[]> {
  const out: string[] = [`${e.apiKey} ${e.projectId}`];
  const p = e.projectId;
  const record = async (method: string, path: string, body?: unknown) => {
    const r = await call(e, method, path, body);
    out.push(`${method} ${path} ${r.status} ${r.text}`);
    return r.body;
  };
  await record("GET", "/v2/projects");
  await record("GET", "/v2/me");
  await record("GET", "/v2/spot/availability");
  await record("POST", "/v2/ssh-keys", { project: p, name: "generated" });
  const vol = await record("POST", "/v2/volumes", {
    project: p,
    name: "data",
    region: "us-central1-b",
    disk_interface: "Block",
    size_gb: 10,
  });
  for (let i = 0; i < 4; i++) {
    await record(
      "POST",
      "/v2/spot/bids",
      bidBody(e, {
        name: `job-${i}`,
        instance_quantity: i + 1,
        launch_specification: { volumes: [vol.fid], ssh_keys: [] },
      }),
    );
  }
  e.clock.advance(30);
  const page = await record("GET", `/v2/spot/bids?project=${p}&limit=2`);
  await record("GET", `/v2/spot/bids?project=${p}&limit=2&next_cursor=${page.next_cursor}`);
  e.controls.setPool(H100_FID(), "us-central1-b", { spot_price: "$12.50" });
  await record("PATCH", `/v2/spot/bids/${page.data[0].fid}`, { limit_price: "$13.00" });
  e.clock.advance(300);
  await record("GET", `/v2/instances?project=${p}`);
  await record("GET", `/v2/spot/bids/${page.data[1].fid}/history`);
  await record("GET", "/v2/spot/availability");
  return out;
}

async function run(seed: number, profile: "fast" | "realistic" = "fast"): Promise<string[]> {
  const e = await startEmulator({ seed, profile });
  try {
    return await session(e);
  } finally {
    await e.close();
  }
}

describe("determinism", () => {
  test("two runs with the same seed give the same responses", async () => {
    const first = await run(99);
    expect(first.length).toBeGreaterThan(15);
    expect(await run(99)).toEqual(first);
    expect(await run(99, "realistic")).toEqual(await run(99, "realistic"));
  });

  test("another seed gives other identifiers", async () => {
    const [a] = await run(1);
    const [b] = await run(2);
    expect(a).not.toEqual(b);
  });

  test("reset replays the same identifiers", async () => {
    const e = await startEmulator({ seed: 3 });
    try {
      const first = await session(e);
      e.controls.reset();
      expect(await session(e)).toEqual(first);
    } finally {
      await e.close();
    }
  });
});
