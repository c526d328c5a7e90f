import { describe, expect, test } from "vitest";
import { buildBid } from "../../../../src/backends/fcp/bid.ts";
import { formatCents, parseCents, priorityTier, toCents } from "../../../../src/backends/fcp/price.ts";
import { schemaValidator } from "../../../helpers/openapi.ts";

const createBid = schemaValidator("CreateBidRequest");

describe("bid body", () => {
  const parts = {
    project: "proj_V0uIRLp92vFAt2QR",
    region: "us-central1-a",
    fid: "it_XqgKWbhZ5gznAYsG",
    limitPrice: "$12.50",
    quantity: 2,
    name: "train",
    volumeIds: ["vol_abc"],
    sshKeys: ["sshkey_f4tLcOIezg6HX2zi"],
    startupScript: "#!/bin/bash\n",
  };

  test("nests volumes, ssh_keys and startup_script under launch_specification", () => {
    expect(buildBid(parts)).toEqual({
      project: "proj_V0uIRLp92vFAt2QR",
      region: "us-central1-a",
      instance_type: "it_XqgKWbhZ5gznAYsG",
      limit_price: "$12.50",
      instance_quantity: 2,
      name: "train",
      launch_specification: {
        volumes: ["vol_abc"],
        ssh_keys: ["sshkey_f4tLcOIezg6HX2zi"],
        startup_script: "#!/bin/bash\n",
      },
    });
  });

  test("validates against the vendor's CreateBidRequest schema", () => {
    expect(createBid(buildBid(parts))).toBe("");
    // the seed docs' flat layout is what the real API rejects
    expect(createBid({ ...parts, ssh_keys: [], startup_script: "" })).not.toBe("");
  });

  test("key order is fixed (deterministic JSON)", () => {
    expect(Object.keys(buildBid(parts))).toEqual([
      "project",
      "region",
      "instance_type",
      "limit_price",
      "instance_quantity",
      "name",
      "launch_specification",
    ]);
  });
});

describe("prices", () => {
  test("dollar strings with two decimals, integer-cent arithmetic", () => {
    expect(formatCents(toCents(12.5))).toBe("$12.50");
    expect(formatCents(toCents(0.1 + 0.2))).toBe("$0.30");
    expect(formatCents(toCents(8.005))).toBe("$8.01");
    expect(formatCents(toCents(100))).toBe("$100.00");
    expect(formatCents(7)).toBe("$0.07");
  });

  test("parseCents reads the wire form back, and nothing else", () => {
    expect(["$12.50", "$12.5", "$0", "$0.07"].map(parseCents)).toEqual([1250, 1250, 0, 7]);
    for (const bad of ["", "$", "12.50", "$12.505", "$-1", "$1e3", " $1", "$１", `$${"9".repeat(20)}`])
      expect(parseCents(bad)).toBeUndefined();
    for (const cents of [0, 7, 1250, 123456789]) expect(parseCents(formatCents(cents))).toBe(cents);
  });

  test("priority tiers", () => {
    expect(priorityTier(undefined)).toBe("med");
    expect(priorityTier("high")).toBe("high");
    expect([1, 33, 34, 66, 67, 100].map(priorityTier)).toEqual(["low", "low", "med", "med", "high", "high"]);
  });
});
