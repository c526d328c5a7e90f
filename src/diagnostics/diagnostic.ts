/**
 * The one shape every phase reports problems in. A diagnostic carries a stable code (its catalog
 * entry fixes the default severity), a message, the span it is about, optional notes that point at
 * other spans, and suggestions (text and, where mechanical, the exact replacement).
 */
import type { Span } from "../source/source-file.ts";
import { CODES, type DiagnosticCode } from "./codes.ts";

export type Severity = "error" | "warning" | "info";

/** A secondary message, optionally about another span of the same file. */
export interface Note {
  readonly message: string;
  readonly span?: Span;
}

/** A fix the user can apply: a sentence, and where it is mechanical the replacement text. */
export interface Suggestion {
  readonly message: string;
  /** Text that replaces the diagnostic's span (or `span`, when given). */
  readonly replacement?: string;
  readonly span?: Span;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for problems that belong to no place in the file (e.g. an empty catalog). */
  readonly span?: Span;
  readonly notes: readonly Note[];
  readonly suggestions: readonly Suggestion[];
}

/** Extra parts of a diagnostic; severity defaults to the code's catalog severity. */
export interface DiagnosticExtras {
  readonly severity?: Severity;
  readonly notes?: readonly Note[];
  readonly suggestions?: readonly Suggestion[];
}

const NONE: readonly never[] = Object.freeze([]);

/** Creates a diagnostic whose severity comes from the code catalog unless overridden. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  span: Span | undefined,
  extras: DiagnosticExtras = {},
): Diagnostic {
  // One object shape for every diagnostic (`span` present even when undefined): thousands are
  // made per second in a migration, and a spread per call made each a different shape.
  return {
    code,
    severity: extras.severity ?? CODES[code].severity,
    message,
    span,
    notes: extras.notes ?? NONE,
    suggestions: extras.suggestions ?? NONE,
  };
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** `--strict`: every warning becomes an error; infos stay infos. */
export function promoteWarnings(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" } : d));
}

/**
 * Source order (then code, by code units — never the locale) so output is deterministic whatever
 * order phases reported in.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const copy = diagnostics.slice();
  // Passes often hand on lists already in order: check before sorting (a stable sort would leave
  // such a list as it is anyway).
  for (let i = 1; i < copy.length; i++) {
    if (compareDiagnostics(copy[i - 1]!, copy[i]!) > 0) return copy.sort(compareDiagnostics);
  }
  return copy;
}

/** Source order, then code; a diagnostic without a span comes last. */
function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.span?.start ?? Number.MAX_SAFE_INTEGER) - (b.span?.start ?? Number.MAX_SAFE_INTEGER) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** The result of every pass: a value (absent when the pass could not produce one) and diagnostics. */
export interface PassResult<T> {
  readonly value: T | undefined;
  readonly diagnostics: readonly Diagnostic[];
}
