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
import { jsonEscapeAt } from "../../source/json.ts";
import type { Span } from "../../source/source-file.ts";

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
   * undefined when no valid literal starts there (then no exact mapping is possible). Linear in
   * the literal: runs without escapes are copied as slices.
   */
  static of(text: string, literal: Span): JsonStringMap | undefined {
    if (text.charCodeAt(literal.start) !== 0x22 /* " */) return undefined;
    // A decoded string is never longer than its spelling.
    const raw = new Int32Array(Math.max(0, Math.min(literal.end, text.length) - literal.start));
    let n = 0;
    let value = "";
    let p = literal.start + 1;
    let run = p;
    const end = Math.min(literal.end, text.length);
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 0x22) {
        if (p + 1 !== literal.end) return undefined;
        value += text.slice(run, p);
        raw[n++] = p;
        return new JsonStringMap(value, literal, raw.subarray(0, n));
      }
      if (c !== 0x5c /* \ */) {
        raw[n++] = p;
        p++;
        continue;
      }
      const decoded = jsonEscapeAt(text, p);
      if (!decoded) return undefined;
      value += text.slice(run, p) + decoded.unit;
      raw[n++] = p;
      p = decoded.end;
      run = p;
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

/**
 * The maps of the string literals of one JSON text, each built at most once (the text check and
 * the script's body analysis may both need the one of the `script`, a string of any size).
 */
export class JsonStringMaps {
  readonly text: string;
  private readonly maps = new Map<string, JsonStringMap | undefined>();
  constructor(text: string) {
    this.text = text;
  }

  /** `JsonStringMap.of(text, literal)`, built on the first call for `literal`. */
  of(literal: Span): JsonStringMap | undefined {
    const key = `${literal.start}:${literal.end}`;
    if (this.maps.has(key)) return this.maps.get(key);
    const map = JsonStringMap.of(this.text, literal);
    this.maps.set(key, map);
    return map;
  }
}

/** `text` as it is spelled inside a JSON string literal (no quotes). */
export function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
