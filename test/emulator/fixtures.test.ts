/** Fixtures files (JSON/YAML): validation messages, and what an emulator started from one serves. */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { builtinCatalog } from "../../src/backends/fcp/catalog/index.ts";
import { loadFixturesFile, startEmulator } from "../../src/emulator/index.ts";
import { call, fidOf, schemaErrors } from "./helpers.ts";

const FILE = "fixtures/emulator/two-projects.yaml";

function load() {
  const loaded = loadFixturesFile(readFileSync(FILE, "utf8"), FILE);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.fixtures;
}

describe("loading", () => {
  test.each([
    ["{", "x.json", "not valid JSON"],
    ["a: [", "x.yaml", "not valid YAML"],
    ["colour: blue", "x.yaml", "the top level: unknown key `colour`"],
    [
      "auctions: [{instance_type: it_nope, region: r, capacity: 1, last_instance_price: '$1.00'}]",
      "x.yaml",
      "auctions[0].instance_type: `it_nope` is not an instance type",
    ],
    [
      "auctions: [{instance_type: it_nope, region: r, capacity: 1, last_instance_price: 1}]",
      "x.yaml",
      "auctions[0].last_instance_price: expected string, got number 1",
    ],
    ["api_keys: [{key: secret}]", "x.yaml", "fkey_"],
    [
      "behaviour: {pricing: vickrey}",
      "x.yaml",
      'behaviour.pricing: expected one of "fixed", "second-price", got string "vickrey"',
    ],
    ["projects: []", "x.yaml", "projects: needs at least 1 item(s)"],
    [
      "volumes: [{name: v, region: r, size_gb: 1, project: nope}]",
      "x.yaml",
      "volumes[0].project: `nope` is not a project",
    ],
    [
      "api_keys: [{key: fkey_a, projects: [emulator, x]}]",
      "x.yaml",
      "api_keys[0].projects[1]: `x` is not a project",
    ],
  ])("%s (%s) → %s", (text, name, message) => {
    const loaded = loadFixturesFile(text, name);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toContain(message);
  });

  test("two pools for one (type, region) are refused", () => {
    const fid = builtinCatalog().instanceTypes[0]!.fid;
    const pool = { instance_type: fid, region: "r", capacity: 1, last_instance_price: "$1.00" };
    const loaded = loadFixturesFile(JSON.stringify({ auctions: [pool, pool] }), "x.json");
    expect(loaded.ok).toBe(false);
  });

  test("an empty file means all defaults", () => {
    expect(loadFixturesFile("", "x.yaml")).toEqual({ ok: true, fixtures: {} });
  });
});

describe("an emulator started from the example fixtures", () => {
  test("projects, keys bound to projects, pools, preloaded keys and volumes, start time", async () => {
    const e = await startEmulator({ fixtures: load() });
    try {
      expect(e.apiKey).toBe("fkey_research_only");
      expect(e.projectId).toBe("proj_Research00000001");
      expect(e.clock.now()).toBe("2026-03-01T12:00:00Z");
      const research = await call(e, "GET", "/v2/projects");
      expect(research.body.map((p: { name: string }) => p.name)).toEqual(["research"]);
      const all = await call(e, "GET", "/v2/projects", undefined, { key: "fkey_everything" });
      const prod = all.body.find((p: { name: string }) => p.name === "prod").fid;
      expect(all.body.map((p: { name: string }) => p.name)).toEqual(["research", "prod"]);
      expect((await call(e, "GET", `/v2/instances?project=${prod}`)).status).toBe(404);
      expect(
        (await call(e, "GET", `/v2/instances?project=${prod}`, undefined, { key: "fkey_everything" })).status,
      ).toBe(200);
      const pools = (await call(e, "GET", "/v2/spot/availability")).body;
      expect(schemaErrors("AuctionModel[]", pools)).toBe("");
      expect(pools.map((a: { region: string; capacity: number }) => [a.region, a.capacity])).toEqual([
        ["us-central1-b", 4],
        ["eu-central1-a", 16],
      ]);
      const keys = (await call(e, "GET", `/v2/ssh-keys?project=${e.projectId}`)).body;
      expect(keys.map((k: { name: string }) => k.name)).toEqual(["laptop"]);
      const volumes = (await call(e, "GET", `/v2/volumes?project=${e.projectId}`)).body;
      expect(volumes).toEqual([
        expect.objectContaining({ name: "datasets", interface: "File", capacity_gb: 500 }),
      ]);
      expect((await call(e, "GET", "/v2/me")).body).toMatchObject({
        email: "ada@example.com",
        user_name: "ada",
      });
      // ssh_destination from the fixtures; STARTING at 30 s, RUNNING at 60 s.
      const bid = await call(e, "POST", "/v2/spot/bids", {
        project: e.projectId,
        region: "eu-central1-a",
        instance_type: fidOf("a100-80gb.sxm.1x", "eu-central1-a"),
        limit_price: "$1.00",
        instance_quantity: 1,
        name: "x",
        launch_specification: { volumes: [], ssh_keys: [keys[0].fid], startup_script: null },
      });
      expect(bid.status).toBe(201);
      e.clock.advance(30);
      const [inst] = (await call(e, "GET", `/v2/instances?project=${e.projectId}`)).body.data;
      expect(inst).toMatchObject({ status: "STATUS_STARTING", ssh_destination: "127.0.0.1:2222" });
      const memory = await call(e, "PATCH", `/v2/spot/bids/${bid.body.fid}`, { memory_gb: 100 });
      expect(memory.body.launch_specification.memory_gb).toBe(100);
    } finally {
      await e.close();
    }
  });

  test("JSON fixtures load the same way", () => {
    const loaded = loadFixturesFile(JSON.stringify(load()), "x.json");
    expect(loaded).toEqual({ ok: true, fixtures: load() });
  });
});
