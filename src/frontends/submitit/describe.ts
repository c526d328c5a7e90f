/**
 * Words for value types and zod issues of the submitit tables: `a whole number`, `a list of
 * strings`, `must be at least 1` — so a wrong value is reported in the same terms the README uses.
 */
import type * as z from "zod/mini";

interface Def {
  readonly type: string;
  readonly format?: string;
  readonly options?: readonly z.core.$ZodType[];
  readonly element?: z.core.$ZodType;
  readonly values?: readonly unknown[];
}

/** What a schema accepts, in words. */
export function describeSchema(schema: z.core.$ZodType): string {
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case "string":
      return "a string";
    case "number":
      return def.format === "safeint" ? "a whole number" : "a number";
    case "boolean":
      return "`true` or `false`";
    case "array": {
      const inner = def.element ? describeSchema(def.element) : "values";
      return `a list of ${inner.replace(/^an? /, "")}s`;
    }
    case "record":
      return "an object";
    case "object":
      return "an object";
    case "literal":
      return (def.values ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(" or ");
    case "union":
      return (def.options ?? []).map(describeSchema).join(" or ");
    default:
      return "a valid value";
  }
}

/** The first problem zod found, as a phrase after the name (`must be at least 1`). */
export function describeIssue(issue: z.core.$ZodIssue, schema: z.core.$ZodType): string {
  switch (issue.code) {
    case "too_small": {
      const min = Number((issue as z.core.$ZodIssueTooSmall).minimum);
      if (issue.origin === "array" || issue.origin === "string") return "must not be empty";
      if (min === 0) return issue.inclusive === false ? "must be greater than 0" : "must not be negative";
      return issue.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
    }
    case "too_big":
      return `must be at most ${(issue as z.core.$ZodIssueTooBig).maximum}`;
    default:
      return `must be ${describeSchema(schema)}`;
  }
}
