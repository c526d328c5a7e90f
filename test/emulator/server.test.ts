/**
 * Transport, authentication, routing and validation: the emulator answers as the FastAPI server
 * does (fcp-api.md §4.1, §12.1–12.2), and its read-only resources match the vendor schema.
 */
import { describe, expect, test } from "vitest";
import { builtinCatalog } from "../../src/backends/fcp/catalog/index.ts";
import { bidBody, call, H100_FID, schemaErrors, useEmulator } from "./helpers.ts";

const box = useEmulator({ seed: 11 });

describe("authentication", () => {
  test.each([
    ["no key", null],
    ["a wrong key", "fkey_wrong"],
  ])("%s → 401 {detail: 'Invalid credentials'}", async (_, key) => {
    const r = await call(box.e, "GET", "/v2/projects", undefined, { key });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ detail: "Invalid credentials" });
    expect(r.headers.get("www-authenticate")).toBe("Bearer");
  });

  test("a non-Bearer scheme is refused", async () => {
    const r = await fetch(`${box.e.url}/v2/projects`, {
      headers: { authorization: `Basic ${box.e.apiKey}` },
    });
    expect(r.status).toBe(401);
  });

  test("the printed key works; it looks like a real key", async () => {
    expect(box.e.apiKey).toMatch(/^fkey_[A-Za-z0-9]+$/);
    const r = await call(box.e, "GET", "/v2/projects");
    expect(r.status).toBe(200);
    expect(r.body).toEqual([{ fid: box.e.projectId, name: "emulator", created_at: expect.any(String) }]);
    expect(schemaErrors("ProjectModel[]", r.body)).toBe("");
  });
});

describe("routing", () => {
  test("unknown paths → 404 {detail: 'Not Found'} (before authentication, as FastAPI routes first)", async () => {
    for (const path of ["/v2/nothing", "/v3/spot/bids", "/"]) {
      const r = await call(box.e, "GET", path, undefined, { key: null });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: "Not Found" });
    }
  });

  test("there is no POST /v2/spot/bids/{fid}/cancel (§12.1 #3)", async () => {
    const r = await call(box.e, "POST", "/v2/spot/bids/bid_x/cancel", {});
    expect(r.status).toBe(404);
  });

  test("a known path with another method → 405 with Allow", async () => {
    const r = await call(box.e, "PUT", "/v2/spot/bids", {});
    expect(r.status).toBe(405);
    expect(r.body).toEqual({ detail: "Method Not Allowed" });
    expect(r.headers.get("allow")).toBe("GET, POST");
  });

  test("a trailing slash redirects (307) to the path without it", async () => {
    const r = await call(box.e, "GET", "/v2/projects/?x=1");
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toBe("/v2/projects?x=1");
  });

  test("an unknown FID in a path → 404 with the resource named", async () => {
    expect((await call(box.e, "GET", "/v2/spot/bids/bid_nope")).body).toEqual({ detail: "Bid not found" });
    expect((await call(box.e, "DELETE", "/v2/spot/bids/bid_nope")).status).toBe(404);
    expect((await call(box.e, "DELETE", "/v2/volumes/vol_nope")).body).toEqual({
      detail: "Volume not found",
    });
    expect((await call(box.e, "DELETE", "/v2/ssh-keys/sshkey_nope")).body).toEqual({
      detail: "SSH key not found",
    });
    expect((await call(box.e, "GET", "/v2/instances/inst_nope/status")).status).toBe(404);
    expect((await call(box.e, "GET", "/v2/spot/bids/%E0%A4%A")).body).toEqual({ detail: "Bid not found" });
    // Validation runs before the lookup, as in FastAPI.
    expect((await call(box.e, "PATCH", "/v2/spot/bids/bid_nope", { paused: "no" })).status).toBe(422);
    expect((await call(box.e, "PATCH", "/v2/spot/bids/bid_nope", { paused: true })).status).toBe(404);
  });
});

describe("422 validation in FastAPI's detail[] shape", () => {
  test("the flat seed layout (§11 #1) is refused: launch_specification missing, all issues at once", async () => {
    const { launch_specification: _, ...flat } = bidBody(box.e);
    const r = await call(box.e, "POST", "/v2/spot/bids", {
      ...flat,
      ssh_keys: [],
      startup_script: "#!/bin/bash\n",
      limit_price: 10,
      instance_quantity: "2",
    });
    expect(r.status).toBe(422);
    expect(schemaErrors("HTTPValidationError", r.body)).toBe("");
    const issues = r.body.detail.map((d: { loc: unknown[]; type: string; msg: string }) => [
      d.loc.join("."),
      d.type,
      d.msg,
    ]);
    expect(issues).toEqual([
      ["body.limit_price", "string_type", "Input should be a valid string"],
      ["body.instance_quantity", "int_type", "Input should be a valid integer"],
      ["body.launch_specification", "missing", "Field required"],
    ]);
  });

  test("every required bid field is reported missing from an empty object", async () => {
    const r = await call(box.e, "POST", "/v2/spot/bids", {});
    expect(r.status).toBe(422);
    expect(r.body.detail.map((d: { loc: string[] }) => d.loc[1])).toEqual([
      "project",
      "region",
      "instance_type",
      "limit_price",
      "instance_quantity",
      "name",
      "launch_specification",
    ]);
    expect(r.body.detail.every((d: { type: string }) => d.type === "missing")).toBe(true);
  });

  test("launch_specification.volumes and .ssh_keys are required lists", async () => {
    const r = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { launch_specification: { ssh_keys: "k" } }),
    );
    expect(r.body.detail.map((d: { loc: string[]; type: string }) => [d.loc.join("."), d.type])).toEqual([
      ["body.launch_specification.volumes", "missing"],
      ["body.launch_specification.ssh_keys", "list_type"],
    ]);
  });

  test.each([
    ["10.00", "limit_price"],
    ["$10.001", "limit_price"],
    ["$0.00", "limit_price"],
  ])("limit_price %s → 422 value_error", async (price, field) => {
    const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { limit_price: price }));
    expect(r.status).toBe(422);
    expect(r.body.detail).toEqual([expect.objectContaining({ loc: ["body", field], type: "value_error" })]);
  });

  test("an instance-type name instead of a FID → 422 naming the field (§12.2 #10)", async () => {
    const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { instance_type: "a100" }));
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(["body", "instance_type"]);
    expect(r.body.detail[0].msg).toContain("FID");
  });

  test("instance_quantity below 1 and fractional", async () => {
    const zero = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { instance_quantity: 0 }));
    expect(zero.body.detail[0]).toMatchObject({
      type: "greater_than_equal",
      msg: "Input should be greater than or equal to 1",
    });
    const half = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { instance_quantity: 1.5 }));
    expect(half.body.detail[0].type).toBe("int_from_float");
  });

  test("startup scripts over 10,000 characters or without #!/bin/bash → 422 (§12.2 #11)", async () => {
    const long = `#!/bin/bash\n${"x".repeat(10_000)}`;
    const r1 = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { launch_specification: { volumes: [], ssh_keys: [], startup_script: long } }),
    );
    expect(r1.status).toBe(422);
    expect(r1.body.detail[0].loc).toEqual(["body", "launch_specification", "startup_script"]);
    const multibyte = `#!/bin/bash\n${"é".repeat(5000)}`; // 5,012 characters, 10,012 bytes
    const r2 = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { launch_specification: { volumes: [], ssh_keys: [], startup_script: multibyte } }),
    );
    expect(r2.status).toBe(422);
    const r3 = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { launch_specification: { volumes: [], ssh_keys: [], startup_script: "echo hi" } }),
    );
    expect(r3.status).toBe(422);
    expect(r3.body.detail[0].msg).toContain("#!/bin/bash");
    const exact = `#!/bin/bash\n${"x".repeat(10_000 - 12)}`;
    expect(
      (
        await call(
          box.e,
          "POST",
          "/v2/spot/bids",
          bidBody(box.e, { launch_specification: { volumes: [], ssh_keys: [], startup_script: exact } }),
        )
      ).status,
    ).toBe(201);
  });

  test("bodies that are not JSON objects", async () => {
    const bad = await call(box.e, "POST", "/v2/spot/bids", undefined, { raw: "{not json" });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({
      type: "json_invalid",
      loc: ["body", 1],
      msg: "JSON decode error",
    });
    const list = await call(box.e, "POST", "/v2/spot/bids", []);
    expect(list.body.detail[0]).toMatchObject({ type: "model_attributes_type", loc: ["body"] });
    const none = await call(box.e, "POST", "/v2/spot/bids");
    expect(none.body.detail[0]).toMatchObject({ type: "missing", loc: ["body"] });
  });

  test("query constraints: limit 1–100, project required, enums", async () => {
    const p = box.e.projectId;
    const cases: [string, (string | number)[], string][] = [
      [`/v2/spot/bids?limit=0`, ["query", "limit"], "greater_than_equal"],
      [`/v2/spot/bids?limit=101`, ["query", "limit"], "less_than_equal"],
      [`/v2/spot/bids?limit=ten`, ["query", "limit"], "int_parsing"],
      [`/v2/spot/bids?status=open`, ["query", "status"], "enum"],
      [`/v2/spot/bids?sort_dir=up`, ["query", "sort_dir"], "enum"],
      [`/v2/instances`, ["query", "project"], "missing"],
      [`/v2/instances?project=${p}&status_in=STATUS_RUNNING,running`, ["query", "status_in", 1], "enum"],
      [`/v2/ssh-keys`, ["query", "project"], "missing"],
      [`/v2/volumes`, ["query", "project"], "missing"],
      [`/v2/volumes?project=${p}&include_deleted=maybe`, ["query", "include_deleted"], "bool_parsing"],
    ];
    for (const [path, loc, type] of cases) {
      const r = await call(box.e, "GET", path);
      expect([path, r.status]).toEqual([path, 422]);
      expect(r.body.detail).toEqual([expect.objectContaining({ loc, type })]);
      expect(schemaErrors("HTTPValidationError", r.body)).toBe("");
    }
    const status = await call(box.e, "GET", "/v2/spot/bids?status=open");
    expect(status.body.detail[0].msg).toBe(
      "Input should be 'Open', 'Allocated', 'Preempting', 'Terminated' or 'Paused'",
    );
  });

  test("unknown body keys and query parameters are ignored, as pydantic and FastAPI do", async () => {
    const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, { colour: "blue" }));
    expect(r.status).toBe(201);
    expect((await call(box.e, "GET", "/v2/spot/bids?colour=blue")).status).toBe(200);
  });
});

describe("400 referential checks (§12.2 #12)", () => {
  test.each([
    [{ project: "proj_unknown0000000000" }, "Project proj_unknown0000000000 not found"],
    [{ region: "mars-central1-a" }, "Region not found: mars-central1-a"],
    [{ region: "eu-central1-a" }, "not available in this region"],
    [{ launch_specification: { volumes: [], ssh_keys: ["sshkey_x"] } }, "SSH key sshkey_x not found"],
    [{ launch_specification: { volumes: ["vol_x"], ssh_keys: [] } }, "Volume vol_x not found"],
  ])("%j → 400", async (change, message) => {
    const r = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e, change));
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain(message);
  });

  test("a second live bid with the same name → 400; after cancelling, the name is free", async () => {
    const first = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e));
    const again = await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e));
    expect(again.status).toBe(400);
    expect(again.body.detail).toContain('A bid named "job" already exists');
    await call(box.e, "DELETE", `/v2/spot/bids/${first.body.fid}`);
    expect((await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e))).status).toBe(201);
  });

  test("the it_ FID of another region's pool is not available in this one", async () => {
    const r = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { region: "us-central1-a", instance_type: H100_FID() }),
    );
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain("not available in this region");
  });
});

describe("catalog endpoints", () => {
  test("/v2/instance-types: the compiler's catalog, as OAS26 InstanceTypeModel records", async () => {
    const r = await call(box.e, "GET", "/v2/instance-types");
    expect(r.status).toBe(200);
    expect(schemaErrors("InstanceTypeModel[]", r.body)).toBe("");
    const catalog = builtinCatalog().instanceTypes;
    expect(r.body.map((t: { fid: string; name: string }) => [t.fid, t.name])).toEqual(
      catalog.map((t) => [t.fid, t.name]),
    );
    for (const t of r.body) expect(t).not.toHaveProperty("regions");
  });

  test("/v2/spot/availability: a bare array of AuctionModel, one per catalog (type, region) at its last price", async () => {
    const r = await call(box.e, "GET", "/v2/spot/availability");
    expect(schemaErrors("AuctionModel[]", r.body)).toBe("");
    const expected = builtinCatalog().instanceTypes.flatMap((t) =>
      t.regions.map((region) => [t.fid, region, t.last_instance_price?.[region]]),
    );
    expect(
      r.body.map((a: { instance_type: string; region: string; last_instance_price: string }) => [
        a.instance_type,
        a.region,
        a.last_instance_price,
      ]),
    ).toEqual(expected);
    const h100 = r.body.find((a: { instance_type: string }) => a.instance_type === H100_FID());
    expect(h100).toMatchObject({
      capacity: 108,
      lowest_allocated_price: null,
      fid: expect.stringMatching(/^auc_[A-Za-z0-9]{16}$/),
    });
  });

  test("/v2/me and /v2/pricing/current", async () => {
    const me = await call(box.e, "GET", "/v2/me");
    expect(schemaErrors("MeResponse", me.body)).toBe("");
    const price = await call(
      box.e,
      "GET",
      `/v2/pricing/current?instance_type=${H100_FID()}&instance_quantity=2`,
    );
    expect(schemaErrors("CurrentPricesResponse", price.body)).toBe("");
    expect(price.body).toMatchObject({
      spot_price_cents: 1600,
      available_capacity: 108,
      total_capacity: 108,
    });
    expect((await call(box.e, "GET", "/v2/pricing/current")).status).toBe(422);
  });
});
