/** `closest` — pruned by length — answers exactly as the plain scan over sorted candidates did. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../../src/diagnostics/did-you-mean.ts";

/** The definition: the nearest sorted candidate within the bound, else the first that contains or is contained. */
function reference(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of [...candidates].sort()) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3))) return best;
  return [...candidates].sort().find((c) => lower.length >= 3 && (c.includes(lower) || lower.includes(c)));
}

const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "A", "-", "é", "😀"), maxLength: 12 });

describe("closest", () => {
  test.prop([word, fc.array(word, { maxLength: 12 })], { numRuns: 2000 })(
    "equals the reference on any name and candidates",
    (name, candidates) => {
      expect(closest(name, candidates)).toBe(reference(name, candidates));
    },
  );

  it("the typos users make still find their name; nothing close is undefined", () => {
    expect(closest("ntaks", ["ntasks", "nodes", "nice"])).toBe("ntasks");
    expect(closest("mem_per_cpu", ["mem-per-cpu", "mem-per-gpu", "mem"])).toBe("mem-per-cpu");
    expect(closest("zzzzzz", ["ntasks", "nodes"])).toBeUndefined();
    expect(closest("", ["a"])).toBe("a");
  });
});
