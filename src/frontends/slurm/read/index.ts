/**
 * Reads a batch script exactly as sbatch reads it (spec/slurm.md §2–§5, §9): whole-script checks,
 * where directives are and where scanning stops, how a directive line splits into words, and how
 * the words parse as one getopt command line — then last-wins and the `SBATCH_*` environment.
 *
 * Guarantees: never throws, on any text; every diagnostic span lies inside one line of the file
 * (spans are offsets into the original text, CRLF included); every difference between what sbatch
 * would do and what flow does is a diagnostic; the cost is linear in the directive region plus one
 * pass over the leading blanks of the remaining lines; nothing is built per call but the result.
 */
import { type Diagnostic, sortDiagnostics } from "../../../diagnostics/diagnostic.ts";
import { lineIndexOf, type SourceFile } from "../../../source/source-file.ts";
import { applyEnv } from "./apply-env.ts";
import { checkScript } from "./check-script.ts";
import { collectDirectives } from "./collect-directives.ts";
import { findForeignDirectives } from "./find-foreign-directives.ts";
import {
  findDirectivesAfterCommand,
  findFalseContinuation,
  findIgnoredComments,
} from "./find-ignored-lines.ts";
import { scriptLexer } from "./lexer.ts";
import type { OptionOccurrence } from "./occurrence.ts";
import { parseArgv } from "./parse-argv.ts";
import { parseScript } from "./parser.ts";
import { resolveEffective } from "./resolve-effective.ts";

export type { OptionOccurrence } from "./occurrence.ts";
export { effectiveKey } from "./resolve-effective.ts";

/** What reading a batch script found. */
export interface SbatchReading {
  /** Every applied occurrence, in order: directives, then `SBATCH_*` variables. */
  readonly occurrences: readonly OptionOccurrence[];
  /**
   * Long name → winning occurrence. A pure alias is filed under its field's name
   * (`--tasks-per-node` under `ntasks-per-node`, `--cluster` under `clusters`); of options that
   * replace each other (`--requeue`/`--no-requeue`, `--nodelist`/`--nodefile`) only the last is present.
   */
  readonly effective: ReadonlyMap<string, OptionOccurrence>;
  /** The rest of the `#!` line, trimmed (`/bin/bash`, `/usr/bin/env bash`). */
  readonly interpreter: string | undefined;
  /** 0-based line where scanning stopped: the first line that is not blank, a comment or a directive. */
  readonly firstCommandLine: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** What the reader takes besides the file. */
export interface ReadSbatchOptions {
  /** Values for template placeholders (`{{nodes}}`, `<nodes>`, `@nodes@`, `{nodes}`, `$nodes`, `${nodes}`). */
  readonly set?: Readonly<Record<string, string>>;
  /** sbatch's input environment; only the `SBATCH_*`/`SLURM_*` variables of spec §9 are read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads a batch script as sbatch would. */
export function readSbatch(file: SourceFile, options: ReadSbatchOptions = {}): SbatchReading {
  const text = file.text;
  const check = checkScript(text);
  const diagnostics: Diagnostic[] = [...check.diagnostics];
  const none = {
    occurrences: [],
    effective: new Map(),
    interpreter: check.interpreter,
    firstCommandLine: undefined,
  };
  if (check.empty) return { ...none, diagnostics };
  // A byte-order mark reads as a blank, so the `#!` line after it stays a comment; offsets are unchanged.
  const lexed = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const cst = parseScript(scriptLexer().tokenize(lexed).tokens);
  if (cst === undefined) return { ...none, diagnostics };

  const region = collectDirectives(text, cst, options.set);
  // Loops, not `push(...)`: a script of 300,000 directive lines would overflow the call stack.
  for (const d of region.diagnostics) diagnostics.push(d);
  for (const d of findIgnoredComments(region.comments, text)) diagnostics.push(d);
  const command = region.command;
  let firstCommandLine: number | undefined;
  if (command !== undefined) {
    const commandSpan = { start: command.startOffset, end: command.startOffset + command.image.length };
    firstCommandLine = lineIndexOf(file, command.startOffset);
    for (const d of findDirectivesAfterCommand(file, commandSpan)) diagnostics.push(d);
    for (const d of findFalseContinuation(file, region.trailingBackslashes, commandSpan)) diagnostics.push(d);
  }

  const occurrences: OptionOccurrence[] = [];
  region.components.forEach((argv, k) => {
    const reading = parseArgv(file, argv, k === 0);
    for (const o of reading.occurrences) occurrences.push(o);
    for (const d of reading.diagnostics) diagnostics.push(d);
  });
  const resolved = resolveEffective(text, occurrences);
  for (const d of resolved.diagnostics) diagnostics.push(d);
  const effective = resolved.effective;
  if (options.env !== undefined)
    for (const o of applyEnv(text, options.env, effective, diagnostics)) occurrences.push(o);

  const ignorePbs = effective.has("ignore-pbs") || options.env?.SBATCH_IGNORE_PBS !== undefined;
  for (const d of findForeignDirectives(text, ignorePbs)) diagnostics.push(d);

  return {
    occurrences,
    effective,
    interpreter: check.interpreter,
    firstCommandLine,
    diagnostics: sortDiagnostics(diagnostics),
  };
}
