/**
 * The migration report, in JSON (for tools) and Markdown (for people): per-file status, per-directive
 * fate counts, and diagnostics by code. Deterministic: files sorted, counts keyed in a fixed order.
 */
import { CODES, type DiagnosticCode } from "../../diagnostics/codes.ts";
import { FATES, type Fate } from "../../frontends/slurm/fate.ts";
import type { MigratedFile } from "./one.ts";

export interface MigrationReport {
  readonly totals: {
    readonly files: number;
    readonly ok: number;
    readonly warnings: number;
    readonly errors: number;
    readonly bids: number;
    readonly fates: Readonly<Record<Fate, number>>;
    readonly codes: Readonly<Record<string, number>>;
  };
  readonly files: readonly MigratedFile[];
}

/** Sums the per-file results. */
export function buildReport(files: readonly MigratedFile[]): MigrationReport {
  const fates = Object.fromEntries(FATES.map((f) => [f, 0])) as Record<Fate, number>;
  const codes: Record<string, number> = {};
  for (const f of files) {
    for (const [fate, n] of Object.entries(f.fates)) fates[fate as Fate] += n ?? 0;
    for (const d of f.diagnostics) codes[d.code] = (codes[d.code] ?? 0) + 1;
  }
  const sortedCodes = Object.fromEntries(Object.entries(codes).sort(([a], [b]) => a.localeCompare(b)));
  return {
    totals: {
      files: files.length,
      ok: files.filter((f) => f.status === "ok").length,
      warnings: files.filter((f) => f.status === "warnings").length,
      errors: files.filter((f) => f.status === "errors").length,
      bids: files.reduce((n, f) => n + f.bids, 0),
      fates,
      codes: sortedCodes,
    },
    files: files.map(({ yaml: _yaml, ...rest }) => rest),
  };
}

/** The report as Markdown. */
export function reportMarkdown(report: MigrationReport): string {
  const t = report.totals;
  const lines = [
    "# SLURM migration report",
    "",
    `${t.files} scripts: ${t.ok} ok, ${t.warnings} with warnings, ${t.errors} with errors; ${t.bids} bids.`,
    "",
    "## Directive fates",
    "",
    "| fate | directives |",
    "| --- | ---: |",
    ...FATES.map((f) => `| ${f} | ${t.fates[f]} |`),
    "",
    "## Diagnostics by code",
    "",
    "| code | severity | what | count |",
    "| --- | --- | --- | ---: |",
    ...Object.entries(t.codes).map(([code, n]) => {
      const info = CODES[code as DiagnosticCode];
      return `| ${code} | ${info?.severity ?? ""} | ${info?.title ?? ""} | ${n} |`;
    }),
    "",
    "## Files",
    "",
    "| file | status | bids | errors and warnings |",
    "| --- | --- | ---: | --- |",
    ...report.files.map((f) => {
      const shown = f.diagnostics
        .filter((d) => d.severity !== "info")
        .map((d) => `${d.code}@${d.line}:${d.column}`)
        .join(", ");
      return `| ${f.file.replaceAll("|", "\\|")} | ${f.status} | ${f.bids} | ${shown} |`;
    }),
    "",
  ];
  return lines.join("\n");
}
