/** Rule: `min_run_time_hours` cannot exceed `max_run_time_hours`. */
import { diagnostic } from "../../diagnostics/diagnostic.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

export const checkRunTime: Check = (task, spans) => {
  const { min_run_time_hours: min, max_run_time_hours: max } = task;
  if (typeof min !== "number" || typeof max !== "number" || min <= max) return [];
  return [
    diagnostic(
      "IR016",
      `\`min_run_time_hours\` (${min}) is more than \`max_run_time_hours\` (${max})`,
      spanAt(spans, ["min_run_time_hours"]),
      {
        notes: [{ message: "`max_run_time_hours` is set here", span: spanAt(spans, ["max_run_time_hours"]) }],
      },
    ),
  ];
};
