/**
 * The client's retry and create-once logic on a scripted transport (no network): which calls are
 * repeated, and that an ambiguous bid POST leads to a lookup by name, never to a blind repeat.
 * End-to-end behaviour against the emulator is tested in test/cli/ and bench/faults.mjs.
 */
import { describe, expect, test } from "vitest";
import { FcpClient } from "../../src/api/client.ts";
import { NetworkError, TimeoutError } from "../../src/api/errors.ts";
import type { CreateBidBody } from "../../src/api/models.ts";
import type { HttpRequest, HttpResponse, Transport } from "../../src/api/transport.ts";

type Step = HttpResponse | Error | ((req: HttpRequest) => HttpResponse | Error);

function scripted(steps: Step[]): { transport: Transport; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const transport: Transport = async (req) => {
    requests.push(req);
    const step = steps.shift();
    if (step === undefined) throw new Error(`unexpected request ${req.method} ${req.url}`);
    const out = typeof step === "function" ? step(req) : step;
    if (out instanceof Error) throw out;
    return out;
  };
  return { transport, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  text: body === undefined ? "" : JSON.stringify(body),
});

const KEY = "fkey_TESTKEY123456";
const client = (transport: Transport, events: unknown[] = []) =>
  new FcpClient({
    baseUrl: "http://api.test/",
    apiKey: KEY,
    transport,
    sleep: async () => {},
    random: () => 0.5,
    onEvent: (e) => events.push(e),
  });

const BODY: CreateBidBody = {
  project: "proj_1",
  region: "r1",
  instance_type: "it_A",
  limit_price: "$1.00",
  instance_quantity: 1,
  name: "job-abc123",
  launch_specification: { volumes: [], ssh_keys: [], startup_script: "#!/bin/bash\n" },
};
const BID = { ...BODY, fid: "bid_1", created_at: "2026-01-01T00:00:00Z", instances: [], status: "Open" };

describe("FcpClient", () => {
  test("sends the bearer key, JSON, and joins the base URL without a double slash", async () => {
    const { transport, requests } = scripted([json(200, [{ fid: "proj_1", name: "p" }])]);
    await client(transport).listProjects();
    expect(requests[0]!.url).toBe("http://api.test/v2/projects");
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(requests[0]!.timeoutMs).toBe(30_000);
  });

  test("reads are retried on 503/429/network errors and then succeed", async () => {
    const events: unknown[] = [];
    const { transport, requests } = scripted([
      json(503, { detail: "down" }),
      json(429, { detail: "slow" }, { "retry-after": "1" }),
      new NetworkError("dropped", true),
      json(200, []),
    ]);
    expect(await client(transport, events).listSshKeys("proj_1")).toEqual([]);
    expect(requests).toHaveLength(4);
    expect(events.filter((e) => (e as { type: string }).type === "retry")).toHaveLength(3);
  });

  test("a 401 is not retried", async () => {
    const { transport, requests } = scripted([json(401, { detail: "Invalid credentials" })]);
    await expect(client(transport).listProjects()).rejects.toMatchObject({ kind: "authentication" });
    expect(requests).toHaveLength(1);
  });

  test("lists follow next_cursor and stop on a repeated cursor", async () => {
    const { transport, requests } = scripted([
      json(200, { data: [BID], next_cursor: "c1" }),
      json(200, { data: [{ ...BID, fid: "bid_2" }], next_cursor: "c2" }),
      json(200, { data: [{ ...BID, fid: "bid_3" }], next_cursor: "c2" }),
    ]);
    const bids = await client(transport).listBids({ project: "proj_1" });
    expect(bids.map((b) => b.fid)).toEqual(["bid_1", "bid_2", "bid_3"]);
    expect(new URL(requests[1]!.url).searchParams.get("next_cursor")).toBe("c1");
    expect(new URL(requests[0]!.url).searchParams.get("project")).toBe("proj_1");
  });

  test("a listing that hits the page cap says so (a truncated event) instead of ending silently", async () => {
    let n = 0;
    const { transport } = scripted(
      Array.from(
        { length: 200 },
        () => () => json(200, { data: [{ ...BID, fid: `bid_${++n}` }], next_cursor: `c${n}` }),
      ),
    );
    const events: { type: string }[] = [];
    const bids = await client(transport, events).listBids({ project: "proj_1" });
    expect(bids).toHaveLength(200);
    expect(events).toContainEqual({ type: "truncated", what: "GET /v2/spot/bids", records: 200 });
  });

  test("a dropped bid POST is followed by a lookup by name that adopts the committed bid", async () => {
    const { transport, requests } = scripted([
      new NetworkError("socket closed", true),
      json(200, { data: [BID], next_cursor: null }),
    ]);
    const created = await client(transport).createBid(BODY);
    expect(created).toMatchObject({ adopted: true, attempts: 1, value: { fid: "bid_1" } });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(new URL(requests[1]!.url).searchParams.get("name")).toBe("job-abc123");
  });

  test("a timed-out bid POST that did not commit is posted again, once, then checked", async () => {
    const { transport, requests } = scripted([
      new TimeoutError("slow"),
      json(200, { data: [], next_cursor: null }),
      json(201, BID),
      json(200, { data: [BID], next_cursor: null }),
    ]);
    const created = await client(transport).createBid(BODY);
    expect(created).toMatchObject({ adopted: false, attempts: 2, value: { fid: "bid_1" } });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET", "POST", "GET"]);
  });

  test("a first POST the server commits after the lookup leaves no duplicate: the oldest is kept", async () => {
    const late = { ...BID, fid: "bid_late", created_at: "2026-01-01T00:00:00Z" };
    const second = { ...BID, fid: "bid_second", created_at: "2026-01-01T00:00:05Z" };
    const events: { type: string; fid?: string }[] = [];
    const { transport, requests } = scripted([
      json(502, { detail: "bad gateway" }), // the backend goes on and commits `late`…
      json(200, { data: [], next_cursor: null }), // …after this lookup
      json(201, second),
      json(200, { data: [second, late], next_cursor: null }),
      { status: 204, headers: {}, text: "" },
    ]);
    const created = await client(transport, events).createBid(BODY);
    expect(created).toMatchObject({ adopted: true, value: { fid: "bid_late" } });
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "POST /v2/spot/bids",
      "GET /v2/spot/bids",
      "POST /v2/spot/bids",
      "GET /v2/spot/bids",
      "DELETE /v2/spot/bids/bid_second",
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "duplicate-cancelled", fid: "bid_second" }),
    );
  });

  test("an unreadable answer to the bid POST is resolved by the lookup, not by a second POST", async () => {
    const { transport, requests } = scripted([
      { status: 201, headers: {}, text: '{"fid": "bid_1", "na' },
      json(200, { data: [BID], next_cursor: null }),
    ]);
    expect(await client(transport).createBid(BODY)).toMatchObject({ adopted: true, value: { fid: "bid_1" } });
    const none = scripted([
      { status: 201, headers: {}, text: "<html>" },
      json(200, { data: [], next_cursor: null }),
    ]);
    await expect(client(none.transport).createBid(BODY)).rejects.toMatchObject({ kind: "protocol" });
    expect(none.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  test("a 429 on the bid POST (not processed) is retried without a lookup", async () => {
    const { transport, requests } = scripted([json(429, { detail: "slow" }), json(201, BID)]);
    await client(transport).createBid(BODY);
    expect(requests.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  test("a 400 'already exists' adopts the bid of that name", async () => {
    const { transport } = scripted([
      json(400, { detail: "bid named job-abc123 already exists" }),
      json(200, { data: [BID], next_cursor: null }),
    ]);
    expect((await client(transport).createBid(BODY)).adopted).toBe(true);
  });

  test("a failing lookup after an ambiguous POST never leads to a blind second POST", async () => {
    const steps: Step[] = [new TimeoutError("slow")];
    for (let i = 0; i < 6; i++) steps.push(json(503, { detail: "down" }));
    const { transport, requests } = scripted(steps);
    await expect(client(transport).createBid(BODY)).rejects.toMatchObject({ ambiguous: true });
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  test("a 422 on the bid POST is raised with its fields, not retried", async () => {
    const { transport, requests } = scripted([
      json(422, { detail: [{ loc: ["body", "limit_price"], msg: "bad", type: "value_error" }] }),
    ]);
    await expect(client(transport).createBid(BODY)).rejects.toMatchObject({
      kind: "validation",
      fields: [{ loc: ["body", "limit_price"] }],
    });
    expect(requests).toHaveLength(1);
  });

  test("cancel treats 404 as already gone", async () => {
    const { transport } = scripted([json(404, { detail: "Bid not found" })]);
    await expect(client(transport).cancelBid("bid_x")).resolves.toBeUndefined();
  });

  test("the key never appears in an error, even when the server echoes it", async () => {
    const { transport } = scripted([json(400, { detail: `bad key ${KEY}` })]);
    const error = await client(transport)
      .listProjects()
      .catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain(KEY);
    expect(JSON.stringify(client(transport))).not.toContain(KEY);
  });
});
