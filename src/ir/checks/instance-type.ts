/** Rule: `instance_type` is spelled in the instance-type grammar; misspellings get the valid form. */
import { diagnostic } from "../../diagnostics/diagnostic.ts";
import { parseInstanceType } from "../instance-type/index.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

export const checkInstanceType: Check = (task, spans) => {
  const value = task.instance_type;
  if (typeof value !== "string") return [];
  const parsed = parseInstanceType(value);
  if (parsed.ok) return [];
  return [
    diagnostic(
      "IT001",
      `invalid instance type \`${value}\`: ${parsed.message}`,
      spanAt(spans, ["instance_type"]),
      {
        suggestions: parsed.suggestions.map((s) => ({ message: `did you mean \`${s}\`?`, replacement: s })),
      },
    ),
  ];
};
