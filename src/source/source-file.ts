/**
 * A source file as every phase sees it: a name, its text, and the offsets where lines start.
 *
 * Spans are UTF-16 offsets into `text` (what JavaScript strings index by). Line and column are
 * derived only when a diagnostic is rendered, never stored: that keeps every phase cheap and makes
 * a span valid no matter how the file is later displayed.
 */
export interface Span {
  /** Offset of the first UTF-16 unit, inclusive. */
  readonly start: number;
  /** Offset after the last UTF-16 unit, exclusive. `end === start` marks a point. */
  readonly end: number;
}

/** 1-based line and column; the column counts Unicode code points, as editors do. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** An immutable file: name, text and the line-start table built once. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
  /** Offset at which each line starts; `lineStarts[0] === 0`. */
  readonly lineStarts: readonly number[];
}

/** Builds a SourceFile; a line ends at `\n`, and at a `\r` not followed by `\n`. */
export function createSourceFile(name: string, text: string): SourceFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) lineStarts.push(i + 1);
    else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) lineStarts.push(i + 1);
  }
  return { name, text, lineStarts };
}

/** Index of the line (0-based) that holds `offset`; offsets past the end belong to the last line. */
export function lineIndexOf(file: SourceFile, offset: number): number {
  const starts = file.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The 1-based line and code-point column of an offset (clamped into the file). */
export function positionOf(file: SourceFile, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, file.text.length));
  const line = lineIndexOf(file, clamped);
  const lineStart = file.lineStarts[line] ?? 0;
  const column = [...file.text.slice(lineStart, clamped)].length + 1;
  return { line: line + 1, column };
}

/** The text of a 0-based line, without its line terminator. */
export function lineText(file: SourceFile, line: number): string {
  const start = file.lineStarts[line] ?? file.text.length;
  const next = file.lineStarts[line + 1] ?? file.text.length;
  let end = next;
  if (end > start && file.text.charCodeAt(end - 1) === 10) end--;
  if (end > start && file.text.charCodeAt(end - 1) === 13) end--;
  return file.text.slice(start, end);
}

/** A span covering `[start, end)`. */
export function span(start: number, end: number): Span {
  return { start, end };
}
