/**
 * The pipeline: detect → frontend → checks (inside the frontend's validation) → backend. One call,
 * pure, deterministic, and total: any input string yields a result with diagnostics, never an
 * exception. It takes the frontends as a table so that a process can load a frontend only when it
 * meets that format (the CLI loads the SLURM frontend on demand; `compile` passes them all).
 */

import type { BidRequest } from "./backends/fcp/bid.ts";
import { builtinCatalog, type Catalog } from "./backends/fcp/catalog/index.ts";
import type { CodeArchive } from "./backends/fcp/code/archive.ts";
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
import type { SlurmLowerOptions } from "./frontends/slurm/lower.ts";
import type { TaskConfig } from "./ir/task-config.ts";
import { createSourceFile, type SourceFile } from "./source/source-file.ts";

export interface CompileOptions {
  /** Name used in diagnostics and for format detection by extension. Default `<input>`. */
  readonly filename?: string;
  /** Skip detection. */
  readonly format?: InputFormat;
  /** Turn every warning into an error. */
  readonly strict?: boolean;
  /**
   * Startup-script limit (characters and UTF-8 bytes), a positive integer. Default 10,000. Any other
   * number is error FLOW005 (the compile stops there; it never throws).
   */
  readonly scriptLimit?: number;
  /** Instance-type catalog. Default: the built-in snapshot. */
  readonly catalog?: Catalog;
  /** Project FID written into bids. */
  readonly project?: string;
  /** SLURM inputs: `--set` values, SBATCH_* variables, partition and module maps, default image. */
  readonly slurm?: SlurmLowerOptions;
  /**
   * The project's code for `upload_code`: called at most once, and only when the task uploads
   * code, e.g. `() => buildCodeArchive(projectDir)` (the CLI packs the current directory or
   * `--code-dir`). `compile` itself never reads files, so it stays pure and deterministic.
   */
  readonly code?: () => CodeArchive;
  /**
   * Values that must never reach an artefact — the flow API key. A job whose IR holds one (in an
   * env value, the script, a command…) fails with FCP018 instead of carrying it into the bid; the
   * code archive is checked by the packer (FCP009). Diagnostics never quote the value.
   */
  readonly secrets?: readonly string[];
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

/** A frontend: reads one format into the IR. */
export type Frontend = (file: SourceFile, options: CompileOptions) => FrontendResult;

/** The frontends a compile may use, by format. */
export type Frontends = Readonly<Partial<Record<InputFormat, Frontend>>>;

function runFrontend(
  frontends: Frontends,
  format: InputFormat,
  file: SourceFile,
  options: CompileOptions,
): FrontendResult {
  const frontend = frontends[format];
  if (frontend) return frontend(file, options);
  return {
    value: undefined,
    spans: new Map(),
    diagnostics: [
      diagnostic("FLOW002", `the ${format} format has no frontend in this compile`, undefined, {
        suggestions: [
          { message: "use `compile` (every frontend), or pass a frontend for this format to `compileWith`" },
        ],
      }),
    ],
  };
}

/** Compiles one job description with the given frontends. Never throws on the input text. */
export function compileWith(frontends: Frontends, text: string, options: CompileOptions = {}): CompileResult {
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
  const limit = options.scriptLimit;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) {
    const bad = diagnostic(
      "FLOW005",
      `scriptLimit must be a positive whole number, not ${String(limit)}`,
      undefined,
      {
        suggestions: [{ message: "leave it out for the platform's 10,000" }],
      },
    );
    return finish(detected.format, undefined, {}, [...detected.diagnostics, bad]);
  }
  if (!detected.format) return finish(undefined, undefined, {}, detected.diagnostics);
  const front = runFrontend(frontends, detected.format, file, options);
  const fates = front.fates ?? [];
  if (!front.value) return finish(detected.format, undefined, { fates }, front.diagnostics);
  const leak = secretLeak(file, front.value, options.secrets);
  if (leak) return finish(detected.format, front.value, { fates }, [...front.diagnostics, leak]);
  const backend = lowerToFcp(front.value, front.spans, {
    catalog: options.catalog ?? builtinCatalog(),
    scriptLimit: options.scriptLimit ?? DEFAULT_SCRIPT_LIMIT,
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.code !== undefined ? { code: options.code } : {}),
  });
  return finish(detected.format, front.value, { ...backend, fates }, [
    ...front.diagnostics,
    ...backend.diagnostics,
  ]);
}

/**
 * FCP018 when a secret (the API key) is anywhere in the task: every artefact is made from the IR
 * (and the code archive, which its packer checks), so the IR is where a leak can be stopped. The
 * diagnostic points at the value in the source when it is written there, never quoting it.
 */
function secretLeak(
  file: SourceFile,
  task: TaskConfig,
  secrets: readonly string[] | undefined,
): Diagnostic | undefined {
  const relevant = (secrets ?? []).filter((s) => s.length >= 8);
  if (relevant.length === 0) return undefined;
  const text = JSON.stringify(task);
  const found = relevant.find((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
  if (found === undefined) return undefined;
  const at = file.text.indexOf(found);
  return diagnostic(
    "FCP018",
    "the flow API key is written in this job: it would be stored in plain text in the bid, readable by everyone with access to the project",
    at >= 0 ? { start: at, end: at + found.length } : undefined,
    {
      suggestions: [
        {
          message:
            "remove it: the instance never needs the API key (read other secrets at run time from a file on a volume)",
        },
      ],
    },
  );
}
