/**
 * One word of sbatch's argument vector: its value after quote and backslash removal (spec §4 T2–T3),
 * and the way back from any character of that value to the source text.
 *
 * A value is a list of pieces. An exact piece is source text copied unchanged (character i sits at
 * `start + i`); any other piece (an escape, a filled placeholder) maps all of its characters to its
 * whole source range. That makes every span derived from a value point into the original file —
 * through quotes, escapes, CRLF and placeholder filling alike.
 */
import type { Span } from "../../../source/source-file.ts";

/** A stretch of an argument's value and the source range it came from. */
export interface Piece {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Character i of `text` is the source character at `start + i`. */
  readonly exact: boolean;
  /** Inside quotes in the source (a filled placeholder there is never split into words). */
  readonly quoted: boolean;
}

/** A template placeholder left in an argument (spec §4: sbatch never expands anything). */
export interface Placeholder {
  readonly text: string;
  readonly name: string;
  readonly span: Span;
}

/** An argument of the directive argv. */
export interface Argument {
  readonly value: string;
  /** The source text of the whole word, quotes and escapes included. */
  readonly span: Span;
  readonly pieces: readonly Piece[];
  /** Placeholders that `set` did not fill. */
  readonly placeholders: readonly Placeholder[];
}

const BACKSLASH = 92;
const NO_PLACEHOLDERS: readonly Placeholder[] = Object.freeze([]);
/** A word with no quote, backslash or brace is its own value. */
const PLAIN_WORD = /^[^"'\\{]*$/;
const QUOTE_DOUBLE = 34;
const QUOTE_SINGLE = 39;
const BRACE = 123;
const BRACE_CLOSE = 125;
const PERCENT = 37;

/** Appends to `out` the pieces of the text between `from` and `to` inside quotes: exact runs, and `\X` as X. */
function quotedPieces(text: string, from: number, to: number, out: Piece[]): void {
  let run = from;
  let i = from;
  while (i < to) {
    if (text.charCodeAt(i) === BACKSLASH && i + 1 < to) {
      if (i > run) out.push({ text: text.slice(run, i), start: run, end: i, exact: true, quoted: true });
      out.push({ text: text[i + 1]!, start: i, end: i + 2, exact: false, quoted: true });
      i += 2;
      run = i;
    } else {
      i++;
    }
  }
  if (to > run) out.push({ text: text.slice(run, to), start: run, end: to, exact: true, quoted: true });
}

/**
 * After a `{` at `i`: the end of the template tag `{{…}}` or `{%…%}` starting there, as the lexer
 * reads it (no `{` inside, so the search stops at the next one and stays linear), else `i + 1`.
 */
function templateEnd(text: string, i: number, end: number): number {
  const kind = text.charCodeAt(i + 1);
  if (kind !== BRACE && kind !== PERCENT) return i + 1;
  const close = kind === BRACE ? BRACE_CLOSE : PERCENT;
  for (let j = i + 2; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === close) return j + 1 < end && text.charCodeAt(j + 1) === BRACE_CLOSE ? j + 2 : i + 1;
    if (c === BRACE) return i + 1;
  }
  return i + 1;
}

/** How a word's source text ends, besides its value. */
export interface WordShape {
  /** Offset of a quote the line never closes (T5). */
  readonly unterminatedQuote: number | undefined;
  /** The word ends in a lone backslash (dropped; T3). */
  readonly loneBackslash: boolean;
}

/**
 * Resolves one lexer word (`Argument` token) into its value: quotes removed, `\X` → X inside and
 * outside quotes, a lone trailing backslash dropped; an unterminated quote runs to the line end
 * (without the CR of a CRLF).
 */
export function argumentFromWord(text: string, start: number, image: string): Argument & WordShape {
  const end = start + image.length;
  if (PLAIN_WORD.test(image)) {
    return {
      value: image,
      span: { start, end },
      pieces: [{ text: image, start, end, exact: true, quoted: false }],
      placeholders: NO_PLACEHOLDERS,
      unterminatedQuote: undefined,
      loneBackslash: false,
    };
  }
  const pieces: Piece[] = [];
  let unterminatedQuote: number | undefined;
  let loneBackslash = false;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === QUOTE_DOUBLE || c === QUOTE_SINGLE) {
      let j = i + 1;
      while (j < end && text.charCodeAt(j) !== c)
        j += text.charCodeAt(j) === BACKSLASH && j + 1 < end ? 2 : 1;
      if (j < end) {
        quotedPieces(text, i + 1, j, pieces);
        i = j + 1;
      } else {
        unterminatedQuote = i;
        const contentEnd = text.charCodeAt(end - 1) === 13 && text.charCodeAt(end) === 10 ? end - 1 : end;
        quotedPieces(text, i + 1, contentEnd, pieces);
        i = end;
      }
    } else if (c === BACKSLASH) {
      if (i + 1 < end) pieces.push({ text: text[i + 1]!, start: i, end: i + 2, exact: false, quoted: false });
      else loneBackslash = true;
      i += 2;
    } else {
      let j = c === BRACE ? templateEnd(text, i, end) : i + 1;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d === QUOTE_DOUBLE || d === QUOTE_SINGLE || d === BACKSLASH) break;
        j = d === BRACE ? templateEnd(text, j, end) : j + 1;
      }
      pieces.push({ text: text.slice(i, j), start: i, end: j, exact: true, quoted: false });
      i = j;
    }
  }
  return {
    value: joinPieces(pieces),
    span: { start, end },
    pieces,
    placeholders: NO_PLACEHOLDERS,
    unterminatedQuote,
    loneBackslash,
  };
}

/** The concatenated text of pieces. */
export function joinPieces(pieces: readonly Piece[]): string {
  if (pieces.length === 1) return pieces[0]!.text;
  let value = "";
  for (const p of pieces) value += p.text;
  return value;
}

/** Value offsets at which each piece starts, for arguments with many pieces (built once per argument). */
const PIECE_OFFSETS = new WeakMap<Argument, Int32Array>();
const LINEAR_SEARCH_LIMIT = 8;

/** The piece holding value character `index` and the value offset where that piece starts; -1 past the end. */
function locate(arg: Argument, index: number): [number, number] {
  const pieces = arg.pieces;
  if (pieces.length <= LINEAR_SEARCH_LIMIT) {
    let acc = 0;
    for (let k = 0; k < pieces.length; k++) {
      const length = pieces[k]!.text.length;
      if (index < acc + length) return [k, acc];
      acc += length;
    }
    return [-1, acc];
  }
  let offsets = PIECE_OFFSETS.get(arg);
  if (offsets === undefined) {
    offsets = new Int32Array(pieces.length + 1);
    for (let k = 0; k < pieces.length; k++) offsets[k + 1] = offsets[k]! + pieces[k]!.text.length;
    PIECE_OFFSETS.set(arg, offsets);
  }
  if (index >= offsets[pieces.length]!) return [-1, offsets[pieces.length]!];
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return [lo, offsets[lo]!];
}

/** Source offset where value character `index` starts. */
export function sourceStart(arg: Argument, index: number): number {
  const only = arg.pieces.length === 1 ? arg.pieces[0]! : undefined;
  if (only?.exact && index < only.text.length) return only.start + index;
  const [k, acc] = locate(arg, index);
  if (k < 0) return arg.span.end;
  const p = arg.pieces[k]!;
  return p.exact ? p.start + (index - acc) : p.start;
}

/** Source offset just after value character `index`. */
export function sourceEnd(arg: Argument, index: number): number {
  const only = arg.pieces.length === 1 ? arg.pieces[0]! : undefined;
  if (only?.exact && index < only.text.length) return only.start + index + 1;
  const [k, acc] = locate(arg, index);
  if (k < 0) return arg.span.end;
  const p = arg.pieces[k]!;
  return p.exact ? p.start + (index - acc) + 1 : p.end;
}

/** The source span of value characters `[from, to)`; an empty range is a point. */
export function valueRangeSpan(arg: Argument, from: number, to: number): Span {
  if (to <= from) {
    const at = from === 0 ? arg.span.start : sourceEnd(arg, from - 1);
    return { start: at, end: at };
  }
  return { start: sourceStart(arg, from), end: sourceEnd(arg, to - 1) };
}

/** The span of the value from character `from` to the end of the word, quotes included. */
export function suffixSpan(arg: Argument, from: number): Span {
  const start = from === 0 ? arg.span.start : sourceEnd(arg, from - 1);
  return { start: Math.min(start, arg.span.end), end: arg.span.end };
}

/** The span of the value's first `length` characters, from the start of the word. */
export function prefixSpan(arg: Argument, length: number): Span {
  return { start: arg.span.start, end: length === 0 ? arg.span.start : sourceEnd(arg, length - 1) };
}
