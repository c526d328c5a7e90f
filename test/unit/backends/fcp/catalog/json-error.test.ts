/** findJsonSyntaxError agrees with JSON.parse on validity and locates the first error. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { findJsonSyntaxError } from "../../../../../src/backends/fcp/catalog/json-error.ts";

const accepts = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("findJsonSyntaxError", () => {
  test.prop([fc.json()])("valid JSON has no error", (text) => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  test.prop(
    [
      fc.oneof(
        fc.string(),
        fc
          .array(
            fc.constantFrom(
              "{",
              "}",
              "[",
              "]",
              '"a"',
              ":",
              ",",
              "1",
              "-",
              "0",
              ".5",
              "e3",
              "tru",
              "null",
              " ",
              "\\",
              '"',
            ),
            {
              maxLength: 12,
            },
          )
          .map((p) => p.join("")),
        fc.json().chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))),
      ),
    ],
    { numRuns: 3000 },
  )("finds an error exactly when JSON.parse rejects, at an offset inside the text", (text) => {
    const found = findJsonSyntaxError(text);
    expect(found === undefined).toBe(accepts(text));
    if (found) {
      expect(found.at).toBeGreaterThanOrEqual(0);
      expect(found.at).toBeLessThanOrEqual(text.length);
    }
  });
});
