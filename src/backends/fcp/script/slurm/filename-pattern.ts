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

type Piece =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "variable"; readonly name: string; readonly width: number };

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

/** The pieces of `pattern` after SLURM's expansion rules, with node-dependent fields left as variables. */
function expand(pattern: string, facts: FilenamePatternFacts): Piece[] {
  return scanFilenamePattern(pattern).template.parts.map((part): Piece => {
    if (part.kind === "text") return part;
    const runtime = RUNTIME_FIELDS[part.field];
    const width = NUMERIC_FIELDS.has(part.field) ? (part.pad ?? 0) : 0;
    if (runtime !== undefined) return { kind: "variable", name: runtime, width };
    const value = compileTimeField(part.field, facts);
    return { kind: "text", text: typeof value === "number" ? String(value).padStart(width, "0") : value };
  });
}

/**
 * The shell word for the file `pattern` names: absolute patterns as they are, relative ones
 * joined to `workingDir` (left relative to the startup script's directory when there is none).
 * `none` (any case) is /dev/null, as sbatch makes it.
 */
export function filenamePatternWord(
  pattern: string,
  facts: FilenamePatternFacts,
  workingDir: string | undefined,
): string {
  const pieces = expand(pattern, facts);
  const first = pieces[0];
  const absolute = first?.kind === "text" && first.text.startsWith("/");
  const words: string[] = [];
  // the working directory starts the first literal run of a relative pattern
  let literal =
    absolute || workingDir === undefined ? "" : workingDir.endsWith("/") ? workingDir : `${workingDir}/`;
  for (const piece of pieces) {
    if (piece.kind === "text") {
      literal += piece.text;
      continue;
    }
    if (literal !== "") words.push(shellQuote(literal));
    literal = "";
    words.push(piece.width > 1 ? `"$(printf %0${piece.width}d "$${piece.name}")"` : `"$${piece.name}"`);
  }
  if (literal !== "" || words.length === 0) words.push(shellQuote(literal));
  return words.join("");
}
