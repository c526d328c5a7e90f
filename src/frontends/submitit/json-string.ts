/**
 * Offsets inside a JSON string literal: which UTF-16 unit of the file each unit of the decoded
 * string came from. A script written as `"module load x\nsrun …"` is one line of the file, and its
 * `\n`, `\"`, `\\` and `\uXXXX` escapes make the decoded offsets differ from the file's; this map
 * moves a span of the decoded string (what the body analysis reports on) to the exact span of the
 * file that spells it.
 *
 * Exact for every string `readJson` accepts: an escape decodes to one UTF-16 unit (`\uD83D\uDE00`
 * to two, one per escape), any other unit stands for itself. A span that starts or ends inside the
 * decoded unit of an escape covers the whole escape.
 */
import type { Span } from "../../source/source-file.ts";

const SIMPLE_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

export class JsonStringMap {
  /** The decoded string. */
  readonly value: string;
  /** The span of the literal, quotes included. */
  readonly literal: Span;
  /** `raw[i]`: the file offset where decoded unit `i` is spelled; `raw[value.length]` is the closing quote. */
  private readonly raw: Int32Array;

  private constructor(value: string, literal: Span, raw: Int32Array) {
    this.value = value;
    this.literal = literal;
    this.raw = raw;
  }

  /**
   * The map of the string literal that starts (with its `"`) at `literal.start` of `text`, or
   * undefined when no valid literal starts there (then no exact mapping is possible).
   */
  static of(text: string, literal: Span): JsonStringMap | undefined {
    if (text.charCodeAt(literal.start) !== 0x22 /* " */) return undefined;
    const raw: number[] = [];
    let value = "";
    let p = literal.start + 1;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c === 0x22) {
        raw.push(p);
        if (p + 1 !== literal.end) return undefined;
        return new JsonStringMap(value, literal, Int32Array.from(raw));
      }
      if (c !== 0x5c /* \ */) {
        raw.push(p);
        value += text[p];
        p++;
        continue;
      }
      const e = text[p + 1] ?? "";
      raw.push(p);
      if (SIMPLE_ESCAPES.has(e)) {
        value += JSON.parse(`"\\${e}"`) as string;
        p += 2;
      } else if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(text.slice(p + 2, p + 6))) {
        value += String.fromCharCode(Number.parseInt(text.slice(p + 2, p + 6), 16));
        p += 6;
      } else {
        return undefined;
      }
    }
    return undefined;
  }

  /** The file offset of decoded offset `i` (clamped into the string). */
  offset(i: number): number {
    const k = Math.max(0, Math.min(i, this.value.length));
    return this.raw[k]!;
  }

  /**
   * The file span that spells decoded span `span`: a unit's spelling ends where the next one's
   * starts (the closing quote after the last).
   */
  span(span: Span): Span {
    const start = this.offset(span.start);
    return { start, end: Math.max(start, this.offset(span.end)) };
  }

  /** The file span of the spelling of decoded unit `i` (one character, or its whole escape). */
  unit(i: number): Span {
    return this.span({ start: i, end: i + 1 });
  }
}

/** `text` as it is spelled inside a JSON string literal (no quotes). */
export function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
