/**
 * What every frontend returns: the validated TaskConfig (absent when there are errors), the span
 * map that says where each IR value came from (backends report at the user's text with it), and
 * every diagnostic of the file.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { SpanMap } from "../ir/span-map.ts";
import type { TaskConfig } from "../ir/task-config.ts";
import type { DirectiveFate } from "./slurm/fate.ts";

export interface FrontendResult {
  readonly value: TaskConfig | undefined;
  readonly spans: SpanMap;
  readonly diagnostics: readonly Diagnostic[];
  /** SLURM-style inputs: what became of each directive. */
  readonly fates?: readonly DirectiveFate[];
}
