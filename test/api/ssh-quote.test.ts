/**
 * The uploader's remote command is parsed by the remote login shell: for any path, `sh` must see
 * exactly the words flow meant. Checked by running the quoted words through a local POSIX shell.
 */
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { shellQuote } from "../../src/backends/fcp/script/quote.ts";

/** What `sh` makes of the quoted words: each printed between NUL separators. */
function shellWords(words: readonly string[]): string[] {
  const out = execFileSync("sh", ["-c", `printf '%s\\0' ${words.map(shellQuote).join(" ")}`]);
  return out.toString("utf8").split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  test("any string without NUL reaches sh as one word, unchanged", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")),
          { minLength: 1, maxLength: 5 },
        ),
        (words) => {
          expect(shellWords(words)).toEqual(words);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("hostile examples", () => {
    const words = ["$(touch /tmp/flow-pwned)", "`id`", "a'b", "", " ", "\n", "*", "~", "-rf", "x;y|z&"];
    expect(shellWords(words)).toEqual(words);
  });
});
