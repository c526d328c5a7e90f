/**
 * What the body rules share while one batch script is analysed: the options, the facts being
 * collected, the diagnostics list, and the few cross-rule services (dispatching a launched
 * program, notes about `set -e`, one image per task). Rules only append; nothing is reported twice
 * for one word because each command is visited exactly once by the scanner.
 */
import type { Diagnostic, Note } from "../../../diagnostics/diagnostic.ts";
import type { Span } from "../../../source/source-file.ts";
import type { BodyAnalysisOptions, BodyFacts } from "./analyze.ts";
import type { ShellCommand } from "./scan.ts";

/** The facts while they are being collected. */
export type FactsBuilder = { -readonly [K in keyof BodyFacts]: BodyFacts[K] };

/** The services every rule receives. */
export interface BodyContext {
  readonly text: string;
  readonly options: BodyAnalysisOptions;
  readonly facts: FactsBuilder;
  readonly diagnostics: Diagnostic[];
  /** Notes for a command that fails at run time: with `set -e` in effect the script stops there. */
  failureNotes(): Note[];
  /**
   * Runs the rules on the program that starts at word `i` of `cmd`; `launched` when a launcher
   * (srun, mpirun) starts it, so it is not a command the batch script itself runs on every node.
   */
  dispatch(cmd: ShellCommand, i: number, launched: boolean): void;
  /** `set -e`/`set -o errexit` at word `i` turns failure notes on; `set +e` turns them off. */
  trackErrexit(cmd: ShellCommand, i: number): void;
  /** `export SLURM_X=…` and the like at word `i`: the script sets those variables itself. */
  trackAssignments(cmd: ShellCommand, i: number): void;
  /** A test (`[`, `[[`, `test`) of SLURM_NODEID/SLURM_PROCID: the script already knows its node. */
  trackNodeGuard(cmd: ShellCommand, i: number): void;
  /** Analyses the shell code at `[start, end)` of the file as part of the body (a trap handler). */
  scanNested(start: number, end: number): void;
  /**
   * Records that `what` (a module, a container) needs `image`; returns a diagnostic-ready
   * description of an earlier, different image choice, if any.
   */
  chooseImage(
    image: string,
    what: string,
    span: Span,
  ): { image: string; what: string; span: Span } | undefined;
}

/** Longest command text quoted in a message. */
const MAX_QUOTED = 80;

/** Words `[from, to)` of `cmd` as the user wrote them, joined by spaces (shortened when long). */
export function commandText(cmd: ShellCommand, from: number, to: number = cmd.count): string {
  let out = "";
  for (let k = from; k < to && k < cmd.count; k++) {
    let word = cmd.text.slice(cmd.start(k), cmd.end(k));
    if (word.includes("\\\n") || word.includes("\\\r")) word = word.replace(/\\\r?\n\s*/g, "");
    out = out === "" ? word : `${out} ${word}`;
    if (out.length > MAX_QUOTED) return `${out.slice(0, MAX_QUOTED - 1)}…`;
  }
  return out;
}

/** The span of word `i` of `cmd`. */
export function wordSpan(cmd: ShellCommand, i: number): Span {
  return { start: cmd.start(i), end: cmd.end(i) };
}

/** Inline code in a message: backticks, and no newline. */
export function code(text: string): string {
  return text.includes("\n") || text.includes("\r") ? `\`${text.replace(/[\r\n]+/g, " ")}\`` : `\`${text}\``;
}

/** Whether word `i` is written as an option (starts with `-`, unquoted). */
export function isOption(cmd: ShellCommand, i: number): boolean {
  return cmd.text.charCodeAt(cmd.start(i)) === 45 /* - */;
}

/** The first word at or after `from` that is not an option, or `cmd.count`. */
export function firstOperand(cmd: ShellCommand, from: number): number {
  let j = from;
  while (j < cmd.count && isOption(cmd, j)) j++;
  return j;
}
