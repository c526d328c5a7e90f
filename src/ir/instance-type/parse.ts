/**
 * `parseInstanceType`: the one entry point that turns a user's instance-type text into a spec.
 * Total: for every string (empty, huge, any Unicode) it returns either the spec of a spelling the
 * grammar accepts, or a message that says what is wrong and the valid spellings that fix it. It
 * never trims, folds case or otherwise accepts a near miss — near misses are errors with a
 * suggestion, so one spelling never silently means another.
 */
import type { InstanceTypeSpec } from "./ast.ts";
import { parseStrict } from "./parse-strict.ts";
import { diagnoseInstanceType } from "./suggest.ts";

/** The parse verdict: a spec, or a message and suggested spellings (each one accepted by the grammar). */
export type ParseInstanceTypeResult =
  | { readonly ok: true; readonly spec: InstanceTypeSpec }
  | { readonly ok: false; readonly message: string; readonly suggestions: string[] };

/** Parses an instance-type spelling: `a100`, `8xh100`, `a100-80gb.sxm.4x`, `b200-192gb.8x`, `it_…`. */
export function parseInstanceType(text: string): ParseInstanceTypeResult {
  if (typeof text !== "string") {
    return { ok: false, message: "the instance type must be a string", suggestions: [] };
  }
  const strict = parseStrict(text);
  if (strict.ok) return { ok: true, spec: strict.spec };
  return { ok: false, ...diagnoseInstanceType(text, strict.message) };
}
