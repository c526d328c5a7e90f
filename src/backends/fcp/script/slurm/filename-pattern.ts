/**
 * sbatch's `--output`/`--error` filename patterns (spec/slurm.md §8.8) turned into one shell word
 * that bash expands to the file's path on the node. Fields known when compiling (%j %J %A %a %b %x
 * %s %t %r) are substituted here; the node-dependent ones (%N, %n, %u) become references to the
 * SLURM variables the slurm section sets, so one script serves every node. Literal text goes
 * through `shellQuote` (DESIGN invariant 5): a pattern can produce any path, never shell code.
 *
 * Every node runs its own copy of the batch script, so %N and %n name the node the copy runs on
 * (SLURM's single batch script would always see the first node and 0).
 */
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
const RUNTIME_FIELDS: Readonly<Record<string, { name: string; numeric: boolean }>> = {
  N: { name: "SLURMD_NODENAME", numeric: false },
  n: { name: "SLURM_NODEID", numeric: true },
  u: { name: "SLURM_JOB_USER", numeric: false },
};

/** The value of a compile-time field, or undefined for a letter this field set does not know. */
function compileTimeField(letter: string, facts: FilenamePatternFacts): number | string | undefined {
  switch (letter) {
    case "j":
    case "J":
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
    case "t":
    case "r":
      return 0;
    default:
      return undefined;
  }
}

/** The pieces of `pattern` after SLURM's expansion rules, with node-dependent fields left as variables. */
function expand(pattern: string, facts: FilenamePatternFacts): Piece[] {
  if (/^none$/i.test(pattern)) return [{ kind: "text", text: "/dev/null" }];
  if (pattern.includes("\\")) return [{ kind: "text", text: pattern.replaceAll("\\", "") }];
  const pieces: Piece[] = [];
  const text = (t: string) => pieces.push({ kind: "text", text: t });
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] !== "%") {
      text(pattern[i]!);
      i++;
      continue;
    }
    if (pattern[i + 1] === "%") {
      text("%");
      i += 2;
      continue;
    }
    let j = i + 1;
    while (j < pattern.length && /[0-9]/.test(pattern[j]!)) j++;
    if (j >= pattern.length) {
      if (j > i + 1) text(pattern.slice(i));
      break;
    }
    const letter = pattern[j]!;
    const digits = pattern.slice(i + 1, j);
    const width = digits === "" ? 0 : Math.min(Number(digits), 10);
    const runtime = RUNTIME_FIELDS[letter];
    const value = compileTimeField(letter, facts);
    if (runtime !== undefined) {
      pieces.push({ kind: "variable", name: runtime.name, width: runtime.numeric ? width : 0 });
    } else if (typeof value === "number") {
      text(String(value).padStart(width, "0"));
    } else if (value !== undefined) {
      text(value);
    } else {
      text(pattern.slice(i, j + 1));
    }
    i = j + 1;
  }
  return pieces;
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
  if (!absolute && workingDir !== undefined) {
    pieces.unshift({ kind: "text", text: workingDir.endsWith("/") ? workingDir : `${workingDir}/` });
  }
  const words: string[] = [];
  let literal = "";
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
