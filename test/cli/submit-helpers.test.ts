/** The pure parts of live submission: region choice, 422 field → source path, task handles. */
import { describe, expect, test } from "vitest";
import { isArrayBidOf } from "../../src/cli/commands/arrays.ts";
import { nameMatches } from "../../src/cli/commands/status.ts";
import { chooseOffer, irPathOfBidField, submissionSuffix } from "../../src/cli/commands/submit-live.ts";

const offer = (region: string, cents: number, capacity: number) => ({
  fid: "it_A",
  name: "a100-80gb.sxm.1x",
  region,
  cents,
  capacity,
});

describe("chooseOffer", () => {
  const offers = [offer("cheap", 100, 0), offer("mid", 200, 3), offer("dear", 300, 10)];
  test("the cheapest offer with capacity for the whole bid", () => {
    expect(chooseOffer(offers, 1, false).region).toBe("mid");
    expect(chooseOffer(offers, 4, false).region).toBe("dear");
  });
  test("none has capacity: an error naming every region, or with queue the cheapest", () => {
    expect(() => chooseOffer(offers, 11, false)).toThrow(
      "no capacity: 11 × a100-80gb.sxm.1x are not available in any region now (cheap: 0 free, mid: 3 free, dear: 10 free)",
    );
    expect(chooseOffer(offers, 11, true).region).toBe("cheap");
    expect(() => chooseOffer([offers[0]!], 1, false, "cheap")).toThrow(/not available in cheap now/);
  });
  test("an offer qualifies only when the limit is above its spot price", () => {
    expect(chooseOffer(offers, 1, false, undefined, 201).region).toBe("mid");
    expect(chooseOffer(offers, 1, false, undefined, 300).region).toBe("mid");
    expect(chooseOffer(offers, 4, false, undefined, 301).region).toBe("dear");
    expect(() => chooseOffer(offers, 4, false, undefined, 300)).toThrow(
      "no capacity: 4 × a100-80gb.sxm.1x are not available in any region now at the limit $3.00 (cheap: 0 free, spot $1.00, mid: 3 free, spot $2.00, dear: 10 free, spot $3.00 ≥ limit $3.00)",
    );
    expect(chooseOffer(offers, 4, true, undefined, 300)).toMatchObject({ region: "cheap", waits: true });
  });
});

describe("irPathOfBidField", () => {
  test("bid fields map to the TaskConfig fields they came from", () => {
    expect(irPathOfBidField(["limit_price"])).toEqual(["max_price_per_hour"]);
    expect(irPathOfBidField(["instance_quantity"])).toEqual(["num_instances"]);
    expect(irPathOfBidField(["launch_specification", "ssh_keys", 1])).toEqual(["ssh_keys", 1]);
    expect(irPathOfBidField(["launch_specification", "volumes", 0])).toEqual(["volumes"]);
    expect(irPathOfBidField(["launch_specification", "startup_script"])).toBeUndefined();
    expect(irPathOfBidField(["project"])).toBeUndefined();
  });
});

describe("task handles", () => {
  test("a name answers for its submissions and array tasks, not for longer names", () => {
    expect(nameMatches("train-k3x9a2", "train")).toBe(true);
    expect(nameMatches("train-k3x9a2-7", "train")).toBe(true);
    expect(nameMatches("train-k3x9a2-7", "train-k3x9a2")).toBe(true);
    expect(nameMatches("train-k3x9a2", "train-k3x9a2")).toBe(true);
    expect(nameMatches("train-llm-k3x9a2", "train")).toBe(false);
    expect(nameMatches("trainer-k3x9a2", "train")).toBe(false);
    expect(nameMatches("a.b-k3x9a2", "a.b")).toBe(true);
    expect(nameMatches("aXb-k3x9a2", "a.b")).toBe(false);
    expect(isArrayBidOf("sweep-abc123-4", "sweep-abc123")).toBe(true);
    expect(isArrayBidOf("sweep-abc123-x", "sweep-abc123")).toBe(false);
  });
  test("submission suffixes are six lowercase letters or digits, and differ", () => {
    const a = submissionSuffix();
    expect(a).toMatch(/^[a-z0-9]{6}$/);
    expect(new Set(Array.from({ length: 50 }, submissionSuffix)).size).toBe(50);
  });
});
