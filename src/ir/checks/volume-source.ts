/**
 * Rule: a volume is either new (`size_gb`, optional `name`/`interface`/`iops`), existing by
 * `volume_id` (which forbids the new-volume options), or existing by `name` alone.
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import { isRecord } from "../describe.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

export const checkVolumeSource: Check = (task, spans) => {
  if (!Array.isArray(task.volumes)) return [];
  const out: Diagnostic[] = [];
  task.volumes.forEach((v, i) => {
    if (!isRecord(v)) return;
    if (v.volume_id !== undefined) {
      for (const option of ["size_gb", "iops", "interface"] as const) {
        if (v[option] === undefined) continue;
        out.push(
          diagnostic(
            "IR012",
            `\`${option}\` cannot be set for an existing volume (\`volume_id\` is given)`,
            spanAt(spans, ["volumes", i, option], true),
            {
              notes: [
                {
                  message: "`volume_id` is given here",
                  span: spanAt(spans, ["volumes", i, "volume_id"], true),
                },
              ],
              suggestions: [
                { message: `remove \`${option}\`, or remove \`volume_id\` to create a new volume` },
              ],
            },
          ),
        );
      }
    } else if (v.size_gb === undefined && v.name === undefined) {
      out.push(
        diagnostic(
          "IR002",
          "a volume needs `size_gb` (new), `name` (existing) or `volume_id`",
          spanAt(spans, ["volumes", i]),
          {
            suggestions: [{ message: "add e.g. `size_gb: 100` and `name: datasets`" }],
          },
        ),
      );
    }
  });
  return out;
};
