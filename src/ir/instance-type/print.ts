/**
 * The one canonical spelling of each spec. Shorthands always carry their count (`a100` prints as
 * `1xa100`), names print in the API's own form, FIDs print unchanged. Printing is the inverse of
 * parsing: `parseInstanceType(printInstanceType(spec))` gives back `spec` for every valid spec.
 */
import type { InstanceTypeSpec } from "./ast.ts";
import { parseInstanceType } from "./parse.ts";

/** The canonical spelling of `spec`. */
export function printInstanceType(spec: InstanceTypeSpec): string {
  switch (spec.kind) {
    case "shorthand":
      return `${spec.count}x${spec.gpu}`;
    case "name":
      return `${spec.gpu}-${spec.memoryGb}gb.${spec.socket ? `${spec.socket}.` : ""}${spec.count}x`;
    case "fid":
      return spec.fid;
  }
}

/** The canonical spelling of `text`, or undefined when the grammar rejects it. */
export function canonicalInstanceType(text: string): string | undefined {
  const parsed = parseInstanceType(text);
  return parsed.ok ? printInstanceType(parsed.spec) : undefined;
}
