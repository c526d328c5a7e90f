/**
 * Migrating one script: compile it as SLURM, convert the IR to commented Flow YAML, and summarise
 * the outcome for the report. Pure (text in, data out) so it runs the same in a worker thread.
 */
import { compile } from "../../compile.ts";
import type { Severity } from "../../diagnostics/diagnostic.ts";
import { toFlowYaml } from "../../frontends/slurm/convert.ts";
import type { Fate } from "../../frontends/slurm/fate.ts";
import type { SlurmLowerOptions } from "../../frontends/slurm/lower.ts";
import { positionOf } from "../../source/source-file.ts";

export type FileStatus = "ok" | "warnings" | "errors";

export interface MigratedFile {
  readonly file: string;
  readonly status: FileStatus;
  /** Flow YAML, when the script compiled. */
  readonly yaml?: string;
  readonly bids: number;
  readonly fates: Readonly<Partial<Record<Fate, number>>>;
  readonly diagnostics: readonly {
    code: string;
    severity: Severity;
    line: number;
    column: number;
    message: string;
  }[];
}

/** Migrates one script's text (`file` is its path relative to the tree, used in messages). */
export function migrateOne(file: string, text: string, options: SlurmLowerOptions): MigratedFile {
  const result = compile(text, { filename: file, format: "slurm", slurm: options });
  const fates: Partial<Record<Fate, number>> = {};
  for (const f of result.fates) fates[f.fate] = (fates[f.fate] ?? 0) + 1;
  // FCP013 (no project packed for upload_code) is a submission matter: the converted YAML is
  // compiled again, with its project, when it is run.
  const diagnostics = result.diagnostics
    .filter((d) => d.code !== "FCP013")
    .map((d) => {
      const { line, column } = d.span ? positionOf(result.source, d.span.start) : { line: 0, column: 0 };
      return { code: d.code, severity: d.severity, line, column, message: d.message };
    });
  const status: FileStatus = !result.ok
    ? "errors"
    : diagnostics.some((d) => d.severity === "warning")
      ? "warnings"
      : "ok";
  return {
    file,
    status,
    ...(result.ok && result.ir ? { yaml: toFlowYaml(result.ir, result.fates, file) } : {}),
    bids: result.bids.length,
    fates,
    diagnostics,
  };
}
