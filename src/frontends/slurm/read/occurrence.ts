/**
 * One applied option, as sbatch applied it: which option, how it was written, its value after
 * tokenizing and placeholder filling, and where it is in the source — or that it came from an
 * `SBATCH_*` input variable, which has no place in the file.
 */
import type { Span } from "../../../source/source-file.ts";
import type { SlurmOptionSpec } from "../options.ts";

/** An option occurrence that sbatch applies (directive) or reads from its environment (env). */
export interface OptionOccurrence {
  readonly spec: SlurmOptionSpec;
  /** As written: `-N`, `--nod`, `SBATCH_NODES`. */
  readonly written: string;
  /** After tokenizing and placeholder filling; undefined for flags and for optional arguments not given. */
  readonly value: string | undefined;
  /**
   * From the option name through its value. A value taken from the next directive line makes this
   * span cross a line end; `nameSpan` and `valueSpan` never do. For an env occurrence: the span of
   * the directive it overrides, if any.
   */
  readonly span: Span | undefined;
  readonly nameSpan: Span | undefined;
  readonly valueSpan: Span | undefined;
  readonly source: "directive" | "env";
  /** 0-based line of the name (as `SourceFile` counts lines); −1 for env. */
  readonly line: number;
}

/**
 * Where a diagnostic about an occurrence points: the whole occurrence when it lies on one line,
 * else its name (a value taken from the next line would make the span cross a line end).
 */
export function spanOnOneLine(text: string, o: OptionOccurrence): Span | undefined {
  const s = o.span;
  if (s === undefined) return undefined;
  const nl = text.indexOf("\n", s.start);
  return nl < 0 || nl >= s.end ? s : (o.nameSpan ?? { start: s.start, end: nl });
}
