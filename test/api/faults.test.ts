/**
 * Fault injection in the suite (bench/faults.mjs runs 1,000): 100 bid submissions through the
 * client against the emulator failing 30 % of all requests — with and without the server's
 * unique-name check — end with exactly one bid per submission and no submission lost.
 */
import { describe, expect, test } from "vitest";
import { faultRules, runFaults } from "../../bench/faults-run.ts";

describe("bid submission under injected faults", () => {
  test("the fault rules give each kind an equal share adding up to the rate", () => {
    const rules = faultRules(0.3, 100);
    let untouched = 1;
    const shares = rules.map((r) => {
      const share = untouched * r.probability!;
      untouched *= 1 - r.probability!;
      return share;
    });
    for (const s of shares) expect(s).toBeCloseTo(0.3 / rules.length, 10);
    expect(1 - untouched).toBeCloseTo(0.3, 10);
    expect(rules.map((r) => r.status ?? (r.drop ? `drop-${r.when}` : "latency"))).toEqual([
      500,
      503,
      502,
      429,
      "latency",
      "drop-after",
      "drop-before",
    ]);
  });

  for (const uniqueNames of [true, false]) {
    test(`100 submissions, 30 % faults, server name check ${uniqueNames ? "on" : "off"}: no duplicate, none lost`, async () => {
      const r = await runFaults({
        submissions: 100,
        faultRate: 0.3,
        concurrency: 10,
        timeoutMs: 300,
        uniqueNames,
        seed: uniqueNames ? 11 : 12,
      });
      expect(r.faultsInjected).toBeGreaterThan(20);
      expect(r.ambiguous).toBeGreaterThan(0);
      expect(r.gaveUp).toEqual([]);
      expect(r.duplicateBids).toBe(0);
      expect(r.lost).toBe(0);
      expect(r.placed).toBe(100);
    });
  }
});
