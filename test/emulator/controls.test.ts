/**
 * The test-only controls (fcp-api.md §12.9) over HTTP under `/_emulator`, and fault injection:
 * 429/5xx before or after the request is handled, dropped connections (also after the bid was
 * committed), latency, probabilities reproducible under the seed.
 */
import { describe, expect, test } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { bidBody, call, H100_FID, useEmulator } from "./helpers.ts";

const box = useEmulator({ seed: 51 });

async function control(method: string, path: string, body?: unknown) {
  const r = await fetch(`${box.e.url}/_emulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

async function bidCount(): Promise<number> {
  return (await call(box.e, "GET", `/v2/spot/bids?project=${box.e.projectId}`)).body.data.length;
}

describe("fault injection", () => {
  test("429 with Retry-After, once: the request is not handled, the next one is", async () => {
    await control("POST", "/faults", {
      rules: [{ method: "POST", path: "/v2/spot/bids", status: 429, retry_after: 3, times: 1 }],
    });
    const first = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e));
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect(first.body).toEqual({ detail: "Too Many Requests" });
    expect(await bidCount()).toBe(0);
    expect((await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e))).status).toBe(201);
    expect((await control("GET", "/faults")).body.rules).toEqual([
      { method: "POST", path: "/v2/spot/bids", status: 429, retry_after: 3, times: 1, used: 1 },
    ]);
  });

  test("502 after handling: the client sees a failure, but the bid was committed", async () => {
    box.e.controls.addFaults([
      { method: "POST", path: "/v2/spot/bids", status: 502, when: "after", times: 1 },
    ]);
    const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e));
    expect(r.status).toBe(502);
    expect(await bidCount()).toBe(1);
  });

  test("a connection dropped before handling: nothing happened", async () => {
    box.e.controls.addFaults([{ method: "POST", path: "/v2/spot/bids", drop: true, times: 1 }]);
    await expect(call(box.e, "POST", "/v2/spot/bids", bidBody(box.e))).rejects.toThrow();
    expect(await bidCount()).toBe(0);
  });

  test("a connection dropped after the server committed the bid: no answer, but the bid exists", async () => {
    box.e.controls.addFaults([
      { method: "POST", path: "/v2/spot/bids", drop: true, when: "after", times: 1 },
    ]);
    await expect(
      call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { name: "ambiguous" })),
    ).rejects.toThrow();
    const listed = await call(box.e, "GET", `/v2/spot/bids?project=${box.e.projectId}&name=ambiguous`);
    expect(listed.body.data).toHaveLength(1);
  });

  test("latency: a client that gives up early still leaves a bid the server commits later", async () => {
    box.e.controls.addFaults([{ method: "POST", path: "/v2/spot/bids", latency_ms: 1500, times: 1 }]);
    const aborted = fetch(`${box.e.url}/v2/spot/bids`, {
      method: "POST",
      headers: { authorization: `Bearer ${box.e.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(bidBody(box.e)),
      signal: AbortSignal.timeout(100),
    });
    await expect(aborted).rejects.toThrow();
    expect(await bidCount()).toBe(0);
    let count = 0;
    for (let i = 0; i < 100 && count === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      count = await bidCount();
    }
    expect(count).toBe(1);
  });

  test("latency after handling: the bid is committed at once, the answer comes late", async () => {
    box.e.controls.addFaults([
      { method: "POST", path: "/v2/spot/bids", latency_ms: 3000, when: "after", times: 1 },
    ]);
    const aborted = fetch(`${box.e.url}/v2/spot/bids`, {
      method: "POST",
      headers: { authorization: `Bearer ${box.e.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(bidBody(box.e)),
      signal: AbortSignal.timeout(200),
    });
    await expect(aborted).rejects.toThrow();
    expect(await bidCount()).toBe(1);
  });

  test("matching: method, exact path, prefix with *; controls are never faulted", async () => {
    box.e.controls.addFaults([{ path: "/v2/ssh-*", status: 503 }]);
    expect((await call(box.e, "GET", `/v2/ssh-keys?project=${box.e.projectId}`)).status).toBe(503);
    expect((await call(box.e, "GET", `/v2/volumes?project=${box.e.projectId}`)).status).toBe(200);
    expect((await control("GET", "/clock")).status).toBe(200);
    expect((await control("DELETE", "/faults")).status).toBe(204);
    expect((await call(box.e, "GET", `/v2/ssh-keys?project=${box.e.projectId}`)).status).toBe(200);
  });

  test("probabilistic faults are the same for the same seed", async () => {
    const pattern = async (seed: number) => {
      const e = await startEmulator({ seed });
      try {
        e.controls.addFaults([{ path: "/v2/projects", status: 500, probability: 0.5 }]);
        const statuses: number[] = [];
        for (let i = 0; i < 24; i++) statuses.push((await call(e, "GET", "/v2/projects")).status);
        return statuses;
      } finally {
        await e.close();
      }
    };
    const a = await pattern(5);
    expect(await pattern(5)).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  test("a bad rule is refused with 400 naming the field", async () => {
    const r = await control("POST", "/faults", { rules: [{ status: 200 }] });
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain("status");
    // The shared zod-issue wording: where, what was expected, what was found.
    expect(r.body.detail).toBe("status: must be at least 400, got number 200");
    const empty = await control("POST", "/clock/advance", {});
    expect(empty.body.detail).toContain("seconds");
    expect((await control("POST", "/faults", { rules: [{ when: "later" }] })).status).toBe(400);
  });
});

describe("/_emulator controls over HTTP", () => {
  test("summary, clock, advance", async () => {
    const summary = (await control("GET", "")).body;
    expect(summary).toMatchObject({
      seed: 51,
      profile: "fast",
      clock: "manual",
      projects: [{ fid: box.e.projectId }],
    });
    const before = (await control("GET", "/clock")).body.now;
    const after = (await control("POST", "/clock/advance", { seconds: 90 })).body.now;
    expect(Date.parse(after) - Date.parse(before)).toBe(90_000);
    expect((await control("POST", "/clock/advance", { seconds: -1 })).status).toBe(400);
    expect((await control("POST", "/clock/advance", {})).status).toBe(400);
  });

  test("pools: list, set price and capacity (preempting), floor; errors", async () => {
    const bid = (await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { limit_price: "$9.00" }))).body;
    const pools = (await control("GET", "/pools")).body;
    expect(pools.find((p: { instance_type: string }) => p.instance_type === H100_FID())).toMatchObject({
      region: "us-central1-b",
      total_capacity: 108,
      allocated: 1,
      capacity: 107,
      spot_price: "$8.00",
      floor_price: "$8.00",
    });
    const set = await control("POST", `/pools/${H100_FID()}/us-central1-b`, {
      spot_price: "$9.50",
      capacity: 50,
    });
    expect(set.body).toMatchObject({ spot_price: "$9.50", total_capacity: 50, capacity: 49 });
    expect((await call(box.e, "GET", `/v2/spot/bids/${bid.fid}`)).body.status).toBe("Preempting");
    expect((await control("POST", `/pools/${H100_FID()}/mars`, {})).status).toBe(404);
    expect((await control("POST", `/pools/${H100_FID()}/us-central1-b`, { spot_price: "9.5" })).status).toBe(
      400,
    );
    expect((await control("POST", `/pools/${H100_FID()}/us-central1-b`, { capacity: -1 })).status).toBe(400);
  });

  test("instances: read with the startup script, set addresses, fail, relocate", async () => {
    const bid = (await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e))).body;
    const fid = (await call(box.e, "GET", `/v2/spot/bids/${bid.fid}`)).body.instances[0];
    const read = await control("GET", `/instances/${fid}`);
    expect(read.body).toMatchObject({
      fid,
      status: "STATUS_RUNNING",
      startup_script: "#!/bin/bash\necho hello\n",
    });
    const patched = await control("PATCH", `/instances/${fid}`, { ssh_destination: "127.0.0.1:2222" });
    expect(patched.body.ssh_destination).toBe("127.0.0.1:2222");
    expect((await control("POST", `/instances/${fid}/relocate`)).body.status).toBe("STATUS_RELOCATING");
    expect((await control("POST", `/instances/${fid}/fail`)).body.status).toBe("STATUS_ERROR");
    expect((await control("POST", `/instances/${fid}/relocate`)).status).toBe(409);
    await call(box.e, "DELETE", `/v2/spot/bids/${bid.fid}`);
    expect((await control("POST", `/instances/${fid}/fail`)).status).toBe(409);
    expect((await control("GET", "/instances/inst_nope")).status).toBe(404);
  });

  test("stats count the API requests by route; reset restores the initial state", async () => {
    await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e));
    const bids = await call(box.e, "GET", `/v2/spot/bids?project=${box.e.projectId}`);
    await call(box.e, "GET", `/v2/spot/bids/${bids.body.data[0].fid}/status`);
    const stats = (await control("GET", "/stats")).body;
    expect(stats.by_route).toEqual({
      "POST /v2/spot/bids": 1,
      "GET /v2/spot/bids": 1,
      "GET /v2/spot/bids/{fid}/status": 1,
    });
    expect(stats.requests).toBe(3);
    const project = box.e.projectId;
    expect((await control("POST", "/reset")).status).toBe(200);
    expect(box.e.projectId).toBe(project);
    expect(await bidCount()).toBe(0);
    expect((await control("GET", "/stats")).body.requests).toBe(1);
  });

  test("a wall clock starts at the real time, follows it, and advance adds to it", async () => {
    const e = await startEmulator({ clock: "wall" });
    try {
      const start = Date.parse(e.clock.now());
      expect(Math.abs(start - Date.now())).toBeLessThan(60_000);
      const later = Date.parse(e.clock.advance(3600));
      expect(later - start).toBeGreaterThanOrEqual(3_600_000);
      expect(later - start).toBeLessThan(3_660_000);
    } finally {
      await e.close();
    }
  });

  test("unknown control → 404; body not JSON → 400", async () => {
    expect((await control("GET", "/nothing")).status).toBe(404);
    const r = await fetch(`${box.e.url}/_emulator/faults`, { method: "POST", body: "{" });
    expect(r.status).toBe(400);
  });
});
