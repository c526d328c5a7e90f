/**
 * Template placeholders in directive arguments (spec §4: sbatch expands nothing, so `{{nodes}}`,
 * `<my_count>`, `@N@`, `{cpus}`, `{% … %}`, `$VAR` and `${VAR}` reach it literally).
 *
 * `fillPlaceholders` replaces those whose name is in `set` — before option parsing, as a template
 * engine would have — and records the others for SBATCH016. A filled value keeps pointing at the
 * placeholder's source text. An unquoted placeholder filled with blanks splits its argument into
 * words, as sbatch's tokenizer would split the filled line; filled text is never scanned again.
 */
import { type Argument, joinPieces, type Piece, type Placeholder, valueRangeSpan } from "./argument.ts";

const PLACEHOLDER =
  /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}|\{%[^%]*%\}|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*|\d)|<([^<>\s]+)>|@([A-Za-z_]\w*)@|\{([A-Za-z_]\w*)\}/g;
/** Every placeholder contains one of these characters. */
export const MAY_HOLD_PLACEHOLDER = /[{$<@]/;
const BLANKS = /[ \t\n\v\f\r]+/;

/** How a placeholder was written: a shell variable, or template syntax. */
export function isShellVariable(p: Placeholder): boolean {
  return p.text.startsWith("$");
}

interface Replacement {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/**
 * Walks an argument's pieces once, in order: `take(to, out)` appends the pieces of the value range
 * from where the previous call stopped to `to`, cutting exact pieces (other pieces are one character).
 */
class PieceCursor {
  private k = 0;
  private acc = 0;
  private at = 0;
  private readonly pieces: readonly Piece[];

  constructor(pieces: readonly Piece[]) {
    this.pieces = pieces;
  }

  take(to: number, out: Piece[] | undefined): void {
    while (this.at < to && this.k < this.pieces.length) {
      const p = this.pieces[this.k]!;
      const pEnd = this.acc + p.text.length;
      const a = this.at - this.acc;
      const b = Math.min(to, pEnd) - this.acc;
      if (out !== undefined && b > a) {
        out.push(
          a === 0 && b === p.text.length
            ? p
            : p.exact
              ? {
                  text: p.text.slice(a, b),
                  start: p.start + a,
                  end: p.start + b,
                  exact: true,
                  quoted: p.quoted,
                }
              : { ...p, text: p.text.slice(a, b) },
        );
      }
      this.at = this.acc + b;
      if (this.at >= pEnd) {
        this.acc = pEnd;
        this.k++;
      }
    }
  }
}

/** Splits an argument at blanks inside filled, unquoted pieces; drops words left empty. */
function splitWords(arg: Argument, pieces: readonly Piece[], splittable: ReadonlySet<Piece>): Argument[] {
  const words: Piece[][] = [[]];
  for (const p of pieces) {
    if (!splittable.has(p)) {
      words[words.length - 1]!.push(p);
      continue;
    }
    const parts = p.text.split(BLANKS);
    parts.forEach((part, k) => {
      if (k > 0) words.push([]);
      if (part !== "") words[words.length - 1]!.push({ ...p, text: part });
    });
  }
  const kept = words.filter((w) => w.length > 0);
  return kept.map((w, k) => ({
    value: joinPieces(w),
    span: {
      start: k === 0 ? arg.span.start : w[0]!.start,
      end: k === kept.length - 1 ? arg.span.end : w[w.length - 1]!.end,
    },
    pieces: w,
    placeholders: [],
  }));
}

/**
 * Fills the placeholders of `arg` named in `set`; returns the resulting words (usually one; none if
 * a fill left nothing), the first carrying every placeholder that stayed unfilled.
 */
export function fillPlaceholders(
  arg: Argument,
  set: Readonly<Record<string, string>> | undefined,
): Argument[] {
  if (!MAY_HOLD_PLACEHOLDER.test(arg.value)) return [arg];
  const placeholders: Placeholder[] = [];
  const replacements: Replacement[] = [];
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(arg.value); m !== null; m = PLACEHOLDER.exec(arg.value)) {
    const text = m[0];
    const name = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? text;
    const from = m.index;
    const to = from + text.length;
    if (set !== undefined && Object.hasOwn(set, name)) replacements.push({ from, to, text: set[name]! });
    else placeholders.push({ text, name, span: valueRangeSpan(arg, from, to) });
  }
  if (replacements.length === 0) return placeholders.length === 0 ? [arg] : [{ ...arg, placeholders }];

  const pieces: Piece[] = [];
  const splittable = new Set<Piece>();
  const cursor = new PieceCursor(arg.pieces);
  for (const r of replacements) {
    cursor.take(r.from, pieces);
    const replaced: Piece[] = [];
    cursor.take(r.to, replaced);
    const first = replaced[0]!;
    const last = replaced[replaced.length - 1]!;
    const piece: Piece = {
      text: r.text,
      start: first.start,
      end: last.end,
      exact: false,
      quoted: first.quoted,
    };
    pieces.push(piece);
    if (!piece.quoted && (r.text === "" || BLANKS.test(r.text))) splittable.add(piece);
  }
  cursor.take(arg.value.length, pieces);
  const filled: Argument = { value: joinPieces(pieces), span: arg.span, pieces, placeholders };
  if (splittable.size === 0) return [filled];
  const words = splitWords(filled, pieces, splittable);
  if (words.length > 0 && placeholders.length > 0) words[0] = { ...words[0]!, placeholders };
  return words;
}
