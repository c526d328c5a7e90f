/**
 * A zod issue as one line a reader can act on — where (`instance_types[3].num_gpus`), what was
 * expected, what was found — for documents read as a whole without source positions (a catalog
 * file, emulator fixtures). The IR's own validation reports at spans instead (ir/validate.ts).
 */
import type * as z from "zod/mini";

/** A zod issue path as the user reads it: `instance_types[3].num_gpus`, or "the top level". */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out || "the top level";
}

/** What was found instead, briefly: `number 3`, `string "x"`, `an array`. */
function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** One issue as a line; `unknownKeysHint` follows an unknown-key message (e.g. the valid keys). */
export function zodIssueText(issue: z.core.$ZodIssue, unknownKeysHint?: string): string {
  const where = issuePath(issue.path);
  // Issues carry the input only when parsed with `{ reportInput: true }`; without it, say nothing
  // about what was found rather than "missing" or "got nothing".
  const reported = "input" in issue;
  const got = reported ? `, got ${describeFound(issue.input)}` : "";
  switch (issue.code) {
    case "invalid_type":
      return reported && issue.input === undefined
        ? `${where}: missing (expected ${issue.expected})`
        : `${where}: expected ${issue.expected}${got}`;
    case "unrecognized_keys":
      return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `\`${k}\``).join(", ")}${unknownKeysHint ? ` (${unknownKeysHint})` : ""}`;
    case "invalid_value":
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${got}`;
    case "too_small":
      return `${where}: ${issue.origin === "array" ? `needs at least ${issue.minimum} item(s)` : `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}`}${got}`;
    case "invalid_format":
      return issue.format === "datetime"
        ? `${where}: expected an ISO-8601 time such as 2026-01-05T09:00:00Z${got}`
        : `${where}: ${issue.message === "Invalid input" ? `expected ${issue.format}` : issue.message}${got}`;
    default: {
      const found =
        "input" in issue && issue.input !== undefined ? ` (got ${describeFound(issue.input)})` : "";
      return `${where}: ${issue.message === "Invalid input" ? "invalid value" : issue.message}${found}`;
    }
  }
}
