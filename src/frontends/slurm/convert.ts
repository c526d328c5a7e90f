/**
 * `flow slurm convert`: a compiled SLURM job as Flow YAML. The file opens with a comment table of
 * every directive's fate, then holds the TaskConfig under the Python Flow SDK's field names —
 * compiling the YAML gives the same IR as compiling the script.
 */
import { Document } from "yaml";
import type { TaskConfig } from "../../ir/task-config.ts";
import type { DirectiveFate } from "./fate.ts";

/** Directives longer than this do not widen the column the fates are aligned in. */
const MAX_ALIGNED = 60;

/** Renders the Flow YAML text of a converted script. */
export function toFlowYaml(task: TaskConfig, fates: readonly DirectiveFate[], sourceName: string): string {
  const doc = new Document(task, { version: "1.2" });
  // Align the fates in a column, but not past a long directive (a megabyte `--comment` would pad
  // every other line to its length).
  let width = 0;
  for (const f of fates) if (f.text.length <= MAX_ALIGNED) width = Math.max(width, f.text.length);
  const lines = [
    ` Converted from ${sourceName} by flow slurm convert.`,
    " What became of each directive:",
    ...fates.map(
      (f) =>
        `   ${f.line > 0 ? `line ${String(f.line).padEnd(4)}` : "env      "} ${f.text.padEnd(width)}  ${f.fate}: ${f.detail}`,
    ),
  ];
  if (fates.length === 0) lines.push("   (no directives)");
  doc.commentBefore = lines.join("\n");
  return doc.toString({ lineWidth: 0, blockQuote: "literal" });
}
