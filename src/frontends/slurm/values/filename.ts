/**
 * File-name patterns of `--output`, `--error`, `--input` (spec `slurm.md` §8.8; PF
 * `expand_stdio_fields()`, `_is_wildcard()`, `_expand_wildcard()`; SO `arg_set_ofname()`; MAN
 * "FILENAME PATTERN"), parsed into a template that the startup script can render.
 *
 * Rules, in sbatch's order: `none` (any case) means `/dev/null`. A value containing **any**
 * backslash gets no substitution at all: the backslashes are removed and the rest is literal.
 * Otherwise, left to right: `%%` is `%`; `%` + optional digits + a known letter is a field, the
 * digits a zero-padding width (values above 9 act as 10; ignored for text fields); an unknown
 * letter, with or without digits, stays literally (`%q`, `%Y`); a lone `%` at the very end is
 * dropped. Parsing never fails on a non-empty value, because sbatch accepts every file name.
 *
 * `printFilename` is the inverse of `parseFilename` for templates without backslashes (sbatch has
 * no way to write a literal backslash together with a field) and whose whole text is not `none`.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show } from "./text.ts";

/** The pattern letters sbatch expands (§8.8 table). */
export const FILENAME_FIELDS = ["j", "J", "A", "a", "b", "s", "N", "n", "t", "u", "x", "r", "S"] as const;

/** One of `FILENAME_FIELDS`. */
export type FilenameField = (typeof FILENAME_FIELDS)[number];

/** A piece of a file-name template: literal text, or a field with an optional zero-padding width. */
export type FilenamePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "field"; readonly field: FilenameField; readonly pad?: number };

/** A parsed file name: adjacent text parts are always merged, so equal names have equal parts. */
export interface FilenameTemplate {
  readonly parts: FilenamePart[];
}

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

/** Widths above this act as this (§8.8). */
export const MAX_PAD = 10;

const NUMERIC: ReadonlySet<FilenameField> = new Set(["j", "J", "A", "a", "b", "n", "t", "r"]);
const KNOWN: ReadonlySet<string> = new Set(FILENAME_FIELDS);

/** Parses `--output`/`--error`/`--input`: `logs/%x-%A_%a.out`, `job%4j.out`, `none`. */
export function parseFilename(text: string): ValueResult<FilenameTemplate> {
  return parseValue(text, scanFilename);
}

function scanFilename(text: string): ValueResult<FilenameTemplate> {
  if (text === "") return fail("the file name is empty: write a path such as `slurm-%j.out`, or `none`");
  if (text.toLowerCase() === "none") {
    return ok({ parts: [{ kind: "text", text: "/dev/null" }] }, [
      "`none` discards the stream: sbatch uses `/dev/null`",
    ]);
  }
  if (text.includes("\\")) {
    return ok({ parts: [{ kind: "text", text: text.replaceAll("\\", "") }] }, [
      `${show(text)} contains a backslash: sbatch removes the backslashes and expands no \`%\` pattern in it`,
    ]);
  }
  const parts: FilenamePart[] = [];
  const notes: string[] = [];
  const unknown = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (c !== "%") {
      pushText(parts, c);
      i++;
      continue;
    }
    if (text[i + 1] === "%") {
      pushText(parts, "%");
      i += 2;
      continue;
    }
    let j = i + 1;
    while (j < text.length && /[0-9]/.test(text[j] ?? "")) j++;
    const digits = text.slice(i + 1, j);
    const letter = text[j];
    if (letter === undefined && digits === "") {
      notes.push(`the \`%\` at the end of ${show(text)} is dropped by sbatch`);
      break;
    }
    if (letter !== undefined && KNOWN.has(letter)) {
      const field = letter as FilenameField;
      parts.push(
        digits === ""
          ? { kind: "field", field }
          : { kind: "field", field, pad: Math.min(Number(digits), MAX_PAD) },
      );
      i = j + 1;
      continue;
    }
    unknown.add(`%${digits}${letter ?? ""}`);
    pushText(parts, `%${digits}`);
    i = j;
  }
  if (parts.length === 0) return fail(`${show(text)} expands to an empty file name`);
  for (const u of unknown) {
    notes.push(`\`${u}\` is not a file-name pattern: sbatch keeps it literally`);
  }
  return ok({ parts }, notes);
}

function pushText(parts: FilenamePart[], text: string): void {
  const last = parts[parts.length - 1];
  if (last?.kind === "text") parts[parts.length - 1] = { kind: "text", text: last.text + text };
  else parts.push({ kind: "text", text });
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
      return NUMERIC.has(p.field) && p.pad !== undefined && p.pad > 0 ? value.padStart(p.pad, "0") : value;
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
