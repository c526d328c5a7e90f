/**
 * Golden-file comparison: with UPDATE_GOLDEN=1 the file is (re)written (or removed when there is no
 * output), otherwise the output must equal it byte for byte. Review golden diffs like code.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

/** Compares `actual` with the golden file at `path` (absent output ⇔ absent file). */
export function golden(path: string, actual: string | undefined): void {
  if (UPDATE_GOLDEN) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual);
    return;
  }
  if (actual === undefined) {
    expect(existsSync(path), `${path} should not exist`).toBe(false);
    return;
  }
  expect(existsSync(path), `${path} is missing: run npm run golden:update`).toBe(true);
  expect(actual).toBe(readFileSync(path, "utf8"));
}
