/**
 * Every route the emulator serves exists in the vendor's OpenAPI document with that method, and a
 * real response of each (success and 422) validates against the schema the document declares for
 * its status — so the emulator invents no endpoint and no shape (fcp-api.md §12.3 #15–16).
 */
import { describe, expect, test } from "vitest";
import { ROUTES } from "../../src/emulator/api.ts";
import { bidBody, call, document, inlineSchemaErrors, useEmulator } from "./helpers.ts";

const box = useEmulator({ seed: 61 });

/** The document's path templates keyed by their shape with every parameter written `{fid}`. */
const vendorPaths = new Map(Object.keys(document.paths).map((p) => [p.replace(/\{[^}]+\}/g, "{fid}"), p]));

function declared(method: string, route: string, status: number): unknown {
  const path = vendorPaths.get(route);
  const responses = path ? document.paths[path]?.[method.toLowerCase()]?.responses : undefined;
  return responses?.[String(status)]?.content?.["application/json"]?.schema;
}

describe("the emulator's routes are the vendor's", () => {
  test("every (method, path) served is in the OpenAPI document", () => {
    const missing = ROUTES.flatMap((r) =>
      Object.keys(r.methods)
        .filter(
          (m) => !vendorPaths.has(r.path) || !document.paths[vendorPaths.get(r.path)!]?.[m.toLowerCase()],
        )
        .map((m) => `${m} ${r.path}`),
    );
    expect(missing).toEqual([]);
  });

  test("the declared schemas do reject wrong shapes", () => {
    expect(inlineSchemaErrors(declared("GET", "/v2/projects", 200), [{ fid: 1 }])).not.toBe("");
    expect(inlineSchemaErrors(declared("GET", "/v2/spot/bids", 200), [])).not.toBe("");
    expect(
      inlineSchemaErrors(declared("GET", "/v2/instances", 200), {
        data: [{ fid: "inst_x", status: "running" }],
      }),
    ).not.toBe("");
  });

  test("a response of every route validates against the schema declared for its status", async () => {
    const e = box.e;
    const p = e.projectId;
    const key = (await call(e, "POST", "/v2/ssh-keys", { project: p, name: "k" })).body;
    const vol = (
      await call(e, "POST", "/v2/volumes", {
        project: p,
        name: "v",
        region: "us-central1-b",
        disk_interface: "File",
        size_gb: 5,
      })
    ).body;
    const bid = (
      await call(
        e,
        "POST",
        "/v2/spot/bids",
        bidBody(e, { launch_specification: { volumes: [vol.fid], ssh_keys: [key.fid] } }),
      )
    ).body;
    const inst = (await call(e, "GET", `/v2/spot/bids/${bid.fid}`)).body.instances[0];
    const other = (await call(e, "POST", "/v2/spot/bids", bidBody(e, { name: "other" }))).body;
    const requests: [string, string, string, unknown?][] = [
      ["GET", "/v2/projects", "/v2/projects"],
      ["GET", "/v2/me", "/v2/me"],
      ["GET", "/v2/instance-types", "/v2/instance-types"],
      ["GET", "/v2/spot/availability", "/v2/spot/availability"],
      ["GET", "/v2/pricing/current", `/v2/pricing/current?instance_type=${bid.instance_type}`],
      ["GET", "/v2/ssh-keys", `/v2/ssh-keys?project=${p}`],
      ["POST", "/v2/ssh-keys", "/v2/ssh-keys", { project: p, name: "k2" }],
      ["PATCH", "/v2/ssh-keys/{fid}", `/v2/ssh-keys/${key.fid}`, { required: true }],
      ["GET", "/v2/volumes", `/v2/volumes?project=${p}&include_deleted=true`],
      [
        "POST",
        "/v2/volumes",
        "/v2/volumes",
        { project: p, name: "v2", region: "us-central1-b", disk_interface: "Block", size_gb: 1 },
      ],
      ["PATCH", "/v2/volumes/{fid}", `/v2/volumes/${vol.fid}`, { name: "v3" }],
      ["GET", "/v2/spot/bids", `/v2/spot/bids?project=${p}&limit=1`],
      ["POST", "/v2/spot/bids", "/v2/spot/bids", bidBody(e, { name: "third" })],
      ["GET", "/v2/spot/bids/{fid}", `/v2/spot/bids/${bid.fid}`],
      ["PATCH", "/v2/spot/bids/{fid}", `/v2/spot/bids/${bid.fid}`, { limit_price: "$13.00" }],
      ["GET", "/v2/spot/bids/{fid}/status", `/v2/spot/bids/${bid.fid}/status`],
      ["GET", "/v2/spot/bids/{fid}/history", `/v2/spot/bids/${bid.fid}/history`],
      ["GET", "/v2/instances", `/v2/instances?project=${p}&limit=1`],
      ["GET", "/v2/instances/{fid}/status", `/v2/instances/${inst}/status`],
      ["DELETE", "/v2/spot/bids/{fid}", `/v2/spot/bids/${other.fid}`],
      [
        "DELETE",
        "/v2/ssh-keys/{fid}",
        `/v2/ssh-keys/${(await call(e, "POST", "/v2/ssh-keys", { project: p, name: "gone" })).body.fid}`,
      ],
      [
        "DELETE",
        "/v2/volumes/{fid}",
        `/v2/volumes/${(await call(e, "POST", "/v2/volumes", { project: p, name: "gone", region: "us-central1-b", disk_interface: "Block", size_gb: 1 })).body.fid}`,
      ],
      ["PATCH", "/v2/instances", "/v2/instances", { instances: [inst], status: "STATUS_PAUSED" }],
    ];
    const covered = new Set<string>();
    for (const [method, route, path, body] of requests) {
      const r = await call(e, method, path, body);
      covered.add(`${method} ${route}`);
      expect([method, path, r.status < 300 || r.status === 501]).toEqual([method, path, true]);
      if (r.status === 204) {
        expect(r.text).toBe("");
        continue;
      }
      const schema = declared(method, route, r.status);
      if (r.status === 501) continue; // documented without a body schema
      expect([method, route, schema === undefined]).toEqual([method, route, false]);
      expect([method, route, inlineSchemaErrors(schema, r.body)]).toEqual([method, route, ""]);
      // The same route's 422, where the document declares one.
      const invalid = declared(method, route, 422);
      if (invalid !== undefined && (method === "POST" || method === "PATCH")) {
        const bad = await call(e, method, path, undefined, { raw: "[]" });
        expect([method, route, bad.status]).toEqual([method, route, 422]);
        expect(inlineSchemaErrors(invalid, bad.body)).toBe("");
      }
    }
    const all = ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.path}`));
    expect(all.filter((r) => !covered.has(r))).toEqual([]);
  });
});
