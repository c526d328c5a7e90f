/**
 * Test helpers for the value parsers: unwrap an accepted value or a rejection, failing the test
 * with the other branch's content so a wrong verdict shows what the parser said.
 */
import { expect } from "vitest";
import type { ValueError, ValueResult } from "../../../../../src/frontends/slurm/values/index.ts";

/** The value of an accepted result; fails the test with the message of a rejected one. */
export function accepted<T>(result: ValueResult<T>): T {
  if (!result.ok) expect.fail(`expected acceptance, got: ${result.message}`);
  return result.value;
}

/** The notes of an accepted result (empty when there are none). */
export function notesOf<T>(result: ValueResult<T>): string[] {
  if (!result.ok) expect.fail(`expected acceptance, got: ${result.message}`);
  return result.notes ?? [];
}

/** The rejection of a result; fails the test with the value of an accepted one. */
export function rejected<T>(result: ValueResult<T>): ValueError {
  if (result.ok) expect.fail(`expected rejection, got: ${JSON.stringify(result.value)}`);
  return result;
}
