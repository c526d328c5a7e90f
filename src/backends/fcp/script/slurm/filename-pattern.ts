/**
 * sbatch's `--output`/`--error` filename patterns (spec/slurm.md §8.8; the grammar is the one in
 * `ir/filename-pattern.ts` that the frontend validates with) turned into one shell word that bash
 * expands to the file's path on the node. Fields known when compiling (%j %J %A %a %b %x
 * %s %t %r) are substituted here; the node-dependent ones (%N, %n, %u) become references to the
 * SLURM variables the slurm section sets, so one script serves every node. Literal text goes
 * through `shellQuote` (DESIGN invariant 5): a pattern can produce any path, never shell code.
 *
 * Every node runs its own copy of the batch script, so %N and %n name the node the copy runs on
 * (SLURM's single batch script would always see the first node and 0).
 */
import { type FilenameField, NUMERIC_FIELDS, scanFilenamePattern } from "../../../../ir/filename-pattern.ts";
import { shellQuote } from "../quote.ts";

/** What a pattern can refer to that is known at compile time. */
export interface FilenamePatternFacts {
  readonly jobId: number;
  readonly jobName: string;
  /** Undefined for a job that is not an array. */
  readonly arrayJobId: number | undefined;
  readonly arrayTaskId: number | undefined;
}

/** SLURM's "no value" index, which %a (and, modulo 10, %b) print for a job that is not an array. */
const NO_VALUE = 4_294_967_294;

/** The run-time fields and the variables that hold their values on the node. */
const RUNTIME_FIELDS: Readonly<Partial<Record<FilenameField, string>>> = {
  N: "SLURMD_NODENAME",
  n: "SLURM_NODEID",
  u: "SLURM_JOB_USER",
};

/** The value of a compile-time field (the SLUID %S is approximated by the job id, as SLURM's own fallback). */
function compileTimeField(letter: FilenameField, facts: FilenamePatternFacts): number | string {
  switch (letter) {
    case "j":
    case "J":
    case "S":
      return facts.jobId;
    case "A":
      return facts.arrayJobId ?? facts.jobId;
    case "a":
      return facts.arrayTaskId ?? NO_VALUE;
    case "b":
      return (facts.arrayTaskId ?? NO_VALUE) % 10;
    case "x":
      return facts.jobName;
    case "s":
      return "batch";
    default:
      return 0; // %t (task 0: the batch script) and %r (no restarts); %N %n %u are run-time fields
  }
}

/**
 * The shell word for the file `pattern` names: absolute patterns as they are, relative ones
 * joined to `workingDir` (left relative to the startup script's directory when there is none).
 * `none` (any case) is /dev/null, as sbatch makes it. Fields known when compiling are substituted;
 * node-dependent ones become variable references; literal runs are quoted as one word each.
 */
export function filenamePatternWord(
  pattern: string,
  facts: FilenamePatternFacts,
  workingDir: string | undefined,
): string {
  const scan = scanFilenamePattern(pattern);
  const parts = scan.template.parts;
  // sbatch makes a relative path absolute at submission, before any field is expanded (spec §8.8
  // step 2): a job name that starts with "/" does not make `%x.out` absolute.
  const absolute = scan.kind === "none" || pattern.startsWith("/");
  let word = "";
  // the working directory starts the first literal run of a relative pattern
  let literal =
    absolute || workingDir === undefined ? "" : workingDir.endsWith("/") ? workingDir : `${workingDir}/`;
  for (const part of parts) {
    if (part.kind === "text") {
      literal += part.text;
      continue;
    }
    const width = NUMERIC_FIELDS.has(part.field) ? (part.pad ?? 0) : 0;
    const runtime = RUNTIME_FIELDS[part.field];
    if (runtime === undefined) {
      const value = compileTimeField(part.field, facts);
      literal += typeof value === "number" ? String(value).padStart(width, "0") : value;
      continue;
    }
    if (literal !== "") word += shellQuote(literal);
    literal = "";
    word += width > 1 ? `"$(printf %0${width}d "$${runtime}")"` : `"$${runtime}"`;
  }
  return literal !== "" || word === "" ? word + shellQuote(literal) : word;
}
