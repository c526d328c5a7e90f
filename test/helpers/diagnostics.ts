/** Test helpers: diagnostics as `CODE@line:col` strings, easy to assert on. */
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { positionOf, type SourceFile } from "../../src/source/source-file.ts";

/** `IR003@3:1` for each diagnostic, in order. */
export function codesAt(file: SourceFile, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    if (!d.span) return d.code;
    const { line, column } = positionOf(file, d.span.start);
    return `${d.code}@${line}:${column}`;
  });
}

/** The source text a diagnostic's span covers. */
export function spanText(file: SourceFile, d: Diagnostic): string | undefined {
  return d.span ? file.text.slice(d.span.start, d.span.end) : undefined;
}
