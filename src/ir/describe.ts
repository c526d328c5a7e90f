/**
 * Human wording for IR paths and JSON value kinds, shared by validation and checks so every
 * message names fields and types the same way.
 */
import { issuePath } from "../diagnostics/zod-issue.ts";

/** `volumes[0].mount_path` (in backticks) for the path `["volumes", 0, "mount_path"]`; "the task" for the root. */
export function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "the task" : `\`${issuePath(path)}\``;
}

/** "a string", "a list", "a mapping", "null"… for a value as the user wrote it. */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return Number.isInteger(value) ? "a whole number" : "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/** The wording of a zod `expected` type name. */
export function describeExpected(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a mapping";
    default:
      return expected;
  }
}

/** A plain record guard for raw (not yet validated) input. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
