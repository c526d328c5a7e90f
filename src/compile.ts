/**
 * The pipeline: detect → frontend → checks (inside the frontend's validation) → backend. One call,
 * pure, deterministic, and total: any input string yields a result with diagnostics, never an
 * exception. The CLI and the library both go through here.
 */

import type { BidRequest } from "./backends/fcp/bid.ts";
import { builtinCatalog, type Catalog } from "./backends/fcp/catalog/index.ts";
import { lowerToFcp, type StartupScript } from "./backends/fcp/lower.ts";
import { DEFAULT_SCRIPT_LIMIT } from "./backends/fcp/script/assemble.ts";
import {
  type Diagnostic,
  diagnostic,
  hasErrors,
  promoteWarnings,
  sortDiagnostics,
} from "./diagnostics/diagnostic.ts";
import { detectFormat, type InputFormat } from "./frontends/detect.ts";
import type { FrontendResult } from "./frontends/frontend.ts";
import type { DirectiveFate } from "./frontends/slurm/fate.ts";
import { lowerSlurm, type SlurmLowerOptions } from "./frontends/slurm/lower.ts";
import { lowerYaml } from "./frontends/yaml/lower.ts";
import type { TaskConfig } from "./ir/task-config.ts";
import { createSourceFile, type SourceFile } from "./source/source-file.ts";

export interface CompileOptions {
  /** Name used in diagnostics and for format detection by extension. Default `<input>`. */
  readonly filename?: string;
  /** Skip detection. */
  readonly format?: InputFormat;
  /** Turn every warning into an error. */
  readonly strict?: boolean;
  /** Startup-script limit (characters and UTF-8 bytes). Default 10,000. */
  readonly scriptLimit?: number;
  /** Instance-type catalog. Default: the built-in snapshot. */
  readonly catalog?: Catalog;
  /** Project FID written into bids. */
  readonly project?: string;
  /** SLURM inputs: `--set` values, SBATCH_* variables, partition and module maps, default image. */
  readonly slurm?: SlurmLowerOptions;
}

export interface CompileResult {
  /** True when there is no error (after `strict` promotion). */
  readonly ok: boolean;
  readonly source: SourceFile;
  readonly format: InputFormat | undefined;
  /** The TaskConfig IR, under the Python Flow SDK's field names. */
  readonly ir: TaskConfig | undefined;
  readonly bids: readonly BidRequest[];
  readonly startupScripts: readonly StartupScript[];
  /** In source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** SLURM inputs: what became of each directive (empty for other formats). */
  readonly fates: readonly DirectiveFate[];
}

function runFrontend(format: InputFormat, file: SourceFile, options: CompileOptions): FrontendResult {
  switch (format) {
    case "yaml":
      return lowerYaml(file);
    case "slurm":
      return lowerSlurm(file, options.slurm ?? {});
    case "submitit":
      return {
        value: undefined,
        spans: new Map(),
        diagnostics: [
          diagnostic("FLOW002", "submitit parameters are not supported yet", undefined, {
            suggestions: [{ message: "write the job as Flow YAML for now (see the README)" }],
          }),
        ],
      };
  }
}

/** Compiles one job description into the IR, bid request(s) and startup script(s). Never throws. */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const file = createSourceFile(options.filename ?? "<input>", text);
  const detected = options.format
    ? { format: options.format, diagnostics: [] as Diagnostic[] }
    : detectFormat(file.name, text);
  const finish = (
    format: InputFormat | undefined,
    ir: TaskConfig | undefined,
    more: Partial<CompileResult>,
    diags: readonly Diagnostic[],
  ): CompileResult => {
    const sorted = sortDiagnostics(options.strict ? promoteWarnings(diags) : diags);
    const ok = !hasErrors(sorted);
    return {
      ok,
      source: file,
      format,
      ir,
      bids: ok ? (more.bids ?? []) : [],
      startupScripts: ok ? (more.startupScripts ?? []) : [],
      diagnostics: sorted,
      fates: more.fates ?? [],
    };
  };
  if (!detected.format) return finish(undefined, undefined, {}, detected.diagnostics);
  const front = runFrontend(detected.format, file, options);
  const fates = front.fates ?? [];
  if (!front.value) return finish(detected.format, undefined, { fates }, front.diagnostics);
  const backend = lowerToFcp(front.value, front.spans, {
    catalog: options.catalog ?? builtinCatalog(),
    scriptLimit: options.scriptLimit ?? DEFAULT_SCRIPT_LIMIT,
    ...(options.project !== undefined ? { project: options.project } : {}),
  });
  return finish(detected.format, front.value, { ...backend, fates }, [
    ...front.diagnostics,
    ...backend.diagnostics,
  ]);
}
