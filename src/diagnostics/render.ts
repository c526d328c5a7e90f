/**
 * Renders diagnostics for people: `file:line:col: severity[CODE]: message`, a code frame with a
 * caret underline, then notes and suggestions. Colour only when asked (the CLI decides from the
 * TTY and NO_COLOR). Line and column are computed here and nowhere else.
 */
import { lineIndexOf, lineText, positionOf, type SourceFile, type Span } from "../source/source-file.ts";
import type { Diagnostic, Severity } from "./diagnostic.ts";

export interface RenderOptions {
  readonly color?: boolean;
  /** Values never to print (the API key): masked with `*`, same length, so carets stay aligned. */
  readonly redact?: readonly string[];
}

/** `text` with every occurrence of a secret (8 characters or more) masked by as many `*`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.replaceAll(s, "*".repeat(s.length));
  return out;
}

const ANSI = { red: "31", yellow: "33", cyan: "36", blue: "34", bold: "1", dim: "2" } as const;

function paint(on: boolean, codes: readonly (keyof typeof ANSI)[], text: string): string {
  return on ? `\x1b[${codes.map((c) => ANSI[c]).join(";")}m${text}\x1b[0m` : text;
}

const SEVERITY_COLOR: Record<Severity, keyof typeof ANSI> = { error: "red", warning: "yellow", info: "cyan" };

/** `file:line:col` of a span's start (or just the file name when there is no span). */
export function location(file: SourceFile, span: Span | undefined): string {
  if (!span) return file.name;
  const { line, column } = positionOf(file, span.start);
  return `${file.name}:${line}:${column}`;
}

/** Tabs are shown as four spaces so the caret line stays aligned with the code line. */
function expandTabs(text: string): string {
  return text.replace(/\t/g, "    ");
}

/** The code frame of one span: the first line it touches and a caret underline (to end of line). */
function codeFrame(file: SourceFile, span: Span, color: boolean, severity: Severity): string[] {
  const line = lineIndexOf(file, span.start);
  const text = lineText(file, line);
  const lineStart = file.lineStarts[line] ?? 0;
  const before = expandTabs(text.slice(0, span.start - lineStart));
  const endOnLine = Math.min(span.end, lineStart + text.length);
  const marked = expandTabs(text.slice(span.start - lineStart, Math.max(endOnLine, span.start) - lineStart));
  const gutter = String(line + 1);
  const pad = " ".repeat(gutter.length);
  const caretCount = Math.max(1, [...marked].length);
  const bar = paint(color, ["blue", "bold"], "|");
  return [
    `${pad} ${bar}`,
    `${paint(color, ["blue", "bold"], gutter)} ${bar} ${expandTabs(text)}`,
    `${pad} ${bar} ${" ".repeat([...before].length)}${paint(color, [SEVERITY_COLOR[severity], "bold"], "^".repeat(caretCount))}`,
  ];
}

/** Renders one diagnostic as a block of lines (no trailing newline). */
export function renderDiagnostic(file: SourceFile, d: Diagnostic, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const head = `${paint(color, ["bold"], location(file, d.span))}: ${paint(
    color,
    [SEVERITY_COLOR[d.severity], "bold"],
    `${d.severity}[${d.code}]`,
  )}: ${paint(color, ["bold"], d.message)}`;
  const lines = [head];
  if (d.span) lines.push(...codeFrame(file, d.span, color, d.severity));
  for (const note of d.notes) {
    const where = note.span ? ` (${location(file, note.span)})` : "";
    lines.push(`  = note${where}: ${note.message}`);
  }
  for (const s of d.suggestions) lines.push(`  = help: ${s.message}`);
  return redactText(lines.join("\n"), options.redact);
}

/** Renders all diagnostics of a file, each block followed by a blank line, then a summary line. */
export function renderDiagnostics(
  file: SourceFile,
  diagnostics: readonly Diagnostic[],
  options: RenderOptions = {},
): string {
  if (diagnostics.length === 0) return "";
  const blocks = diagnostics.map((d) => `${renderDiagnostic(file, d, options)}\n`);
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const parts = [
    [count("error"), "error"],
    [count("warning"), "warning"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 ? "" : "s"}`);
  const summary = parts.length > 0 ? `${file.name}: ${parts.join(", ")}\n` : "";
  return `${blocks.join("\n")}${summary ? `\n${summary}` : ""}`;
}

/** The machine form: spans as offsets plus derived 1-based line/column ranges. */
export interface DiagnosticJson {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  span?: { start: number; end: number };
  range?: { start: { line: number; column: number }; end: { line: number; column: number } };
  notes: { message: string; span?: { start: number; end: number }; line?: number; column?: number }[];
  suggestions: { message: string; replacement?: string }[];
}

/** Converts a diagnostic to its JSON form (stable key order). */
export function diagnosticToJson(file: SourceFile, d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: file.name,
    ...(d.span
      ? {
          span: { start: d.span.start, end: d.span.end },
          range: { start: positionOf(file, d.span.start), end: positionOf(file, d.span.end) },
        }
      : {}),
    notes: d.notes.map((n) => ({
      message: n.message,
      ...(n.span
        ? { span: { start: n.span.start, end: n.span.end }, ...positionOf(file, n.span.start) }
        : {}),
    })),
    suggestions: d.suggestions.map((s) => ({
      message: s.message,
      ...(s.replacement !== undefined ? { replacement: s.replacement } : {}),
    })),
  };
}
