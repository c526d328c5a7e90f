import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { type Diagnostic, diagnostic, sortDiagnostics } from "../../../src/diagnostics/diagnostic.ts";

const CODES = ["SBATCH020", "SBATCH022", "FCP004", "IR003"] as const;
const item = fc.record({
  code: fc.constantFrom(...CODES),
  start: fc.option(fc.nat(40), { nil: undefined }),
  message: fc.string({ maxLength: 4 }),
});

describe("sortDiagnostics", () => {
  test.prop([fc.array(item, { maxLength: 30 }), fc.boolean()])(
    "source order, then code, stable; spanless last; a new array, the input untouched",
    (items, presorted) => {
      const made: Diagnostic[] = items.map((x) =>
        diagnostic(x.code, x.message, x.start === undefined ? undefined : { start: x.start, end: x.start }),
      );
      const key = (d: Diagnostic) => d.span?.start ?? Number.MAX_SAFE_INTEGER;
      const reference = (list: Diagnostic[]) =>
        list
          .map((d, i) => ({ d, i }))
          .sort(
            (a, b) =>
              key(a.d) - key(b.d) || (a.d.code < b.d.code ? -1 : a.d.code > b.d.code ? 1 : 0) || a.i - b.i,
          )
          .map((x) => x.d);
      const input = presorted ? reference(made) : made;
      const before = [...input];
      const sorted = sortDiagnostics(input);
      expect(sorted).toEqual(reference(input));
      expect(sorted).not.toBe(input);
      expect(input).toEqual(before);
    },
  );
});
