/**
 * File-name patterns of `--output`, `--error`, `--input` (spec `slurm.md` §8.8): the frontend's view
 * of the one grammar in `ir/filename-pattern.ts` — validation with explanations (notes for `none`,
 * backslashes, unknown letters, a dropped `%`), printing, and expansion with known values.
 *
 * `printFilename` is the inverse of `parseFilename` for templates without backslashes (sbatch has
 * no way to write a literal backslash together with a field) and whose whole text is not `none`.
 */
import {
  FILENAME_FIELDS,
  type FilenameField,
  type FilenamePart,
  type FilenameTemplate,
  MAX_PAD,
  NUMERIC_FIELDS,
  scanFilenamePattern,
} from "../../../ir/filename-pattern.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show } from "./text.ts";

/** Values for `expandFilename`; the optional ones take Slurm's value for a non-array batch job. */
export interface FilenameVars {
  readonly jobId: number;
  readonly arrayJobId?: number;
  readonly arrayTaskId?: number;
  readonly jobName: string;
  /** The short host name of the node that runs the batch script (its first node). */
  readonly nodeName: string;
  readonly user: string;
  readonly nodeId: number;
  readonly taskId: number;
  /** `batch` for the batch script itself (the default). */
  readonly stepId?: number | string;
  readonly restartCount?: number;
  /** The job's SLUID; the job id stands in when absent. */
  readonly sluid?: string;
}

/** `%a` of a job that is not an array: Slurm's "no value" (`NO_VAL`, 0xfffffffe). */
export const NO_ARRAY_TASK_ID = 4294967294;

export { FILENAME_FIELDS, type FilenameField, type FilenamePart, type FilenameTemplate, MAX_PAD };

/** Parses `--output`/`--error`/`--input`: `logs/%x-%A_%a.out`, `job%4j.out`, `none`. */
export function parseFilename(text: string): ValueResult<FilenameTemplate> {
  return parseValue(text, scanFilename);
}

function scanFilename(text: string): ValueResult<FilenameTemplate> {
  if (text === "") return fail("the file name is empty: write a path such as `slurm-%j.out`, or `none`");
  const scan = scanFilenamePattern(text);
  if (scan.kind === "none") return ok(scan.template, ["`none` discards the stream: sbatch uses `/dev/null`"]);
  if (scan.template.parts.length === 0) return fail(`${show(text)} expands to an empty file name`);
  if (scan.kind === "backslash") {
    return ok(scan.template, [
      `${show(text)} contains a backslash: sbatch removes the backslashes and expands no \`%\` pattern in it`,
    ]);
  }
  const notes: string[] = [];
  if (scan.droppedPercent) notes.push(`the \`%\` at the end of ${show(text)} is dropped by sbatch`);
  for (const u of scan.unknown) notes.push(`\`${u}\` is not a file-name pattern: sbatch keeps it literally`);
  return ok(scan.template, notes);
}

/** Writes a template back as an sbatch value that `parseFilename` reads as the same template. */
export function printFilename(template: FilenameTemplate): string {
  return template.parts
    .map((p) => (p.kind === "text" ? p.text.replaceAll("%", "%%") : `%${p.pad ?? ""}${p.field}`))
    .join("");
}

/** The file name Slurm opens for the batch script, given the job's values (§8.8 table). */
export function expandFilename(template: FilenameTemplate, vars: FilenameVars): string {
  return template.parts
    .map((p) => {
      if (p.kind === "text") return p.text;
      const value = fieldValue(p.field, vars);
      return NUMERIC_FIELDS.has(p.field) && p.pad !== undefined && p.pad > 0
        ? value.padStart(p.pad, "0")
        : value;
    })
    .join("");
}

function fieldValue(field: FilenameField, vars: FilenameVars): string {
  switch (field) {
    case "j":
    case "J":
      return String(vars.jobId);
    case "A":
      return String(vars.arrayJobId ?? vars.jobId);
    case "a":
      return String(vars.arrayTaskId ?? NO_ARRAY_TASK_ID);
    case "b":
      return String((vars.arrayTaskId ?? NO_ARRAY_TASK_ID) % 10);
    case "s":
      return String(vars.stepId ?? "batch");
    case "N":
      return vars.nodeName;
    case "n":
      return String(vars.nodeId);
    case "t":
      return String(vars.taskId);
    case "u":
      return vars.user;
    case "x":
      return vars.jobName;
    case "r":
      return String(vars.restartCount ?? 0);
    case "S":
      return vars.sluid ?? String(vars.jobId);
  }
}
