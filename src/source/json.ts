/**
 * The project's one JSON reader that keeps positions: RFC 8259 JSON → a tree whose every node
 * carries its span (UTF-16 offsets into the file), and every object entry the span of its key.
 * `JSON.parse` gives neither; the submitit frontend reports each problem at the JSON line and column
 * of the offending key or value, and a catalog file's syntax error is located with it.
 *
 * Guarantees: never throws, on any text; syntax errors are diagnostics (the caller's `syntax` code)
 * at the exact place, worded for the usual mistakes (comments, trailing commas, single quotes,
 * unquoted keys); duplicate keys are errors (the caller's `duplicate` code) pointing at both
 * occurrences (the later one is kept, as
 * `JSON.parse` and Python's `json` keep it); nesting deeper than {@link MAX_JSON_DEPTH} stops with
 * one diagnostic instead of exhausting the stack; the cost is linear in the text.
 */
import type { DiagnosticCode } from "../diagnostics/codes.ts";
import { type Diagnostic, diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "./source-file.ts";

/** The codes a reader reports its two kinds of problems with (each format has its own). */
export interface JsonCodes {
  readonly syntax: DiagnosticCode;
  readonly duplicate: DiagnosticCode;
}

export interface JsonEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: JsonNode;
}

export type JsonNode =
  | { readonly kind: "object"; readonly span: Span; readonly entries: readonly JsonEntry[] }
  | { readonly kind: "array"; readonly span: Span; readonly items: readonly JsonNode[] }
  | { readonly kind: "string"; readonly span: Span; readonly value: string }
  | { readonly kind: "number"; readonly span: Span; readonly value: number; readonly text: string }
  | { readonly kind: "boolean"; readonly span: Span; readonly value: boolean }
  | { readonly kind: "null"; readonly span: Span };

export interface JsonReadResult {
  /** The document; undefined when the text is not JSON. */
  readonly root: JsonNode | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The syntax error that stopped the reader (also the last of `diagnostics`, there worded
   * `JSON syntax: …`): its bare message and where it is. Absent when the text is JSON.
   */
  readonly syntaxError?: { readonly message: string; readonly span: Span };
}

export interface JsonReadOptions {
  /**
   * Deepest nesting of arrays and objects accepted (default {@link MAX_JSON_DEPTH}); deeper text
   * stops with one diagnostic at the first bracket too deep. The reader recurses once per level, so
   * a limit of some thousands is still safe for the stack.
   */
  readonly maxDepth?: number;
}

/** Deepest nesting of arrays and objects a document may have, unless the caller says otherwise. */
export const MAX_JSON_DEPTH = 64;

class SyntaxStop {
  readonly diagnostic: Diagnostic;
  /** The message without its `JSON syntax: ` prefix, and the span. */
  readonly bare: { readonly message: string; readonly span: Span };
  constructor(d: Diagnostic, bare: { message: string; span: Span }) {
    this.diagnostic = d;
    this.bare = bare;
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** The value of each hexadecimal digit, by UTF-16 unit. */
const HEX_DIGIT: readonly (number | undefined)[] = (() => {
  const digits: (number | undefined)[] = [];
  for (let d = 0; d < 16; d++) {
    digits[d.toString(16).charCodeAt(0)] = d;
    digits[d.toString(16).toUpperCase().charCodeAt(0)] = d;
  }
  return digits;
})();

/**
 * The escape of a JSON string literal whose `\` is at `at` of `text`: the one UTF-16 unit it
 * decodes to and the offset after it (`\n` is 2 units long, `\u00e9` 6), or undefined when no
 * valid escape starts there. The one decoding of escapes: the reader's, and `JsonStringMap`'s.
 */
export function jsonEscapeAt(text: string, at: number): { unit: string; end: number } | undefined {
  const e = text[at + 1];
  if (e === undefined) return undefined;
  const simple = ESCAPES[e];
  if (simple !== undefined) return { unit: simple, end: at + 2 };
  if (e !== "u") return undefined;
  let code = 0;
  for (let k = at + 2; k < at + 6; k++) {
    const digit = HEX_DIGIT[text.charCodeAt(k)];
    if (digit === undefined) return undefined;
    code = code * 16 + digit;
  }
  return { unit: String.fromCharCode(code), end: at + 6 };
}

class Reader {
  pos = 0;
  readonly duplicates: Diagnostic[] = [];
  readonly text: string;
  readonly codes: JsonCodes;
  readonly maxDepth: number;
  constructor(text: string, codes: JsonCodes, maxDepth: number) {
    this.text = text;
    this.codes = codes;
    this.maxDepth = maxDepth;
  }

  fail(message: string, start: number, end = start + 1, suggestion?: string): never {
    const e = Math.min(Math.max(end, start), this.text.length);
    const span = { start: Math.min(start, this.text.length), end: e };
    throw new SyntaxStop(
      diagnostic(this.codes.syntax, `JSON syntax: ${message}`, span, {
        ...(suggestion ? { suggestions: [{ message: suggestion }] } : {}),
      }),
      { message, span },
    );
  }

  skipBlank(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (WS.has(c)) {
        this.pos++;
        continue;
      }
      if (c === 0x2f /* / */ && (t[this.pos + 1] === "/" || t[this.pos + 1] === "*")) {
        this.fail("JSON has no comments", this.pos, this.pos + 2, "remove the comment");
      }
      return;
    }
  }

  /** What the next character is, for messages. */
  describe(at: number): string {
    if (at >= this.text.length) return "the end of the file";
    const c = this.text.codePointAt(at) ?? 0;
    return `\`${String.fromCodePoint(c)}\``;
  }

  value(depth: number): JsonNode {
    this.skipBlank();
    const t = this.text;
    const start = this.pos;
    const c = t[start];
    if (c === "{") return this.object(depth + 1);
    if (c === "[") return this.array(depth + 1);
    if (c === '"') return { kind: "string", value: this.string(), span: { start, end: this.pos } };
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, node] of [
      ["true", { kind: "boolean", value: true }],
      ["false", { kind: "boolean", value: false }],
      ["null", { kind: "null" }],
    ] as const) {
      if (t.startsWith(word, start)) {
        this.pos += word.length;
        return { ...node, span: { start, end: this.pos } } as JsonNode;
      }
    }
    if (c === "'") this.fail("strings are written in double quotes", start, start + 1, 'write "…"');
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(start, start + 40))?.[0];
    if (word === "True" || word === "False" || word === "None") {
      const json = word === "None" ? "null" : word.toLowerCase();
      this.fail(`\`${word}\` is Python, not JSON`, start, start + word.length, `write \`${json}\``);
    }
    if (word === "NaN" || word === "Infinity")
      this.fail(`\`${word}\` is not a JSON number`, start, start + word.length);
    if (word) this.fail(`unexpected word \`${word}\`; expected a value`, start, start + word.length);
    this.fail(`expected a value, found ${this.describe(start)}`, start);
  }

  number(): JsonNode {
    const start = this.pos;
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(this.text);
    if (!m || m[0] === "-") this.fail("invalid number", start, start + 1);
    const text = m[0];
    this.pos = start + text.length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+\-A-Za-z_]/.test(next))
      this.fail(`invalid number \`${text}${next}\``, start, this.pos + 1);
    const value = Number(text);
    if (!Number.isFinite(value)) this.fail(`number \`${text}\` is out of range`, start, this.pos);
    return { kind: "number", value, text, span: { start, end: this.pos } };
  }

  string(): string {
    const t = this.text;
    const open = this.pos;
    this.pos++;
    let out = "";
    let run = this.pos;
    while (true) {
      if (this.pos >= t.length) this.fail("unterminated string", open, t.length);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22 /* " */) {
        out += t.slice(run, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        this.fail(
          c === 0x0a ? "line break inside a string" : "control character inside a string",
          this.pos,
          this.pos + 1,
          c === 0x0a ? "write `\\n` for a line break, or close the string" : "escape it as \\u00XX",
        );
      }
      if (c === 0x5c /* \ */) {
        out += t.slice(run, this.pos);
        const decoded = jsonEscapeAt(t, this.pos);
        if (decoded) {
          out += decoded.unit;
          this.pos = decoded.end;
        } else {
          this.fail(
            `invalid escape \`\\${t[this.pos + 1] ?? ""}\``,
            this.pos,
            this.pos + 2,
            "write `\\\\` for a backslash",
          );
        }
        run = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  tooDeep(depth: number, start: number): void {
    if (depth > this.maxDepth)
      this.fail(
        `nested more than ${this.maxDepth} levels deep`,
        start,
        start + 1,
        "a submitit document is a few levels deep: flatten it",
      );
  }

  object(depth: number): JsonNode {
    const start = this.pos;
    this.tooDeep(depth, start);
    this.pos++;
    const entries: JsonEntry[] = [];
    const seen = new Map<string, number>();
    let comma = start;
    this.skipBlank();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "object", entries, span: { start, end: this.pos } };
    }
    while (true) {
      this.skipBlank();
      const keyStart = this.pos;
      const c = this.text[keyStart];
      if (c !== '"') {
        if (c === "}" && entries.length > 0)
          this.fail("trailing comma before `}`", comma, comma + 1, "remove the last comma");
        const word = /^[A-Za-z_$][\w$-]*/.exec(this.text.slice(keyStart, keyStart + 80))?.[0];
        if (word)
          this.fail(
            `key \`${word}\` must be in double quotes`,
            keyStart,
            keyStart + word.length,
            `write "${word}"`,
          );
        if (c === "'") this.fail("keys are written in double quotes", keyStart);
        this.fail(`expected a key in double quotes, found ${this.describe(keyStart)}`, keyStart);
      }
      const key = this.string();
      const keySpan = { start: keyStart, end: this.pos };
      this.skipBlank();
      if (this.text[this.pos] !== ":")
        this.fail(`expected \`:\` after the key, found ${this.describe(this.pos)}`, this.pos);
      this.pos++;
      const value = this.value(depth);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        const first = entries[earlier]!;
        this.duplicates.push(
          diagnostic(this.codes.duplicate, `duplicate key \`${key}\``, keySpan, {
            notes: [{ message: "first given here", span: first.keySpan }],
            suggestions: [{ message: "keep one of them (JSON readers silently keep the last)" }],
          }),
        );
        entries[earlier] = { key, keySpan, value };
      } else {
        seen.set(key, entries.length);
        entries.push({ key, keySpan, value });
      }
      const after = this.afterItem("}", "entries");
      if (after === undefined) return { kind: "object", entries, span: { start, end: this.pos } };
      comma = after;
    }
  }

  /**
   * After an item of an object or array (`close` ends it): skips blanks, then steps over a `,`
   * (returning its offset: another item follows) or the `close` (returning undefined); anything
   * else is an error. `between` names the items when a `"` shows a missing comma (objects).
   */
  afterItem(close: "}" | "]", between?: string): number | undefined {
    this.skipBlank();
    const at = this.pos;
    const next = this.text[at];
    if (next === "," || next === close) {
      this.pos++;
      return next === "," ? at : undefined;
    }
    if (between && next === '"') this.fail(`missing \`,\` between ${between}`, at, at + 1, "add a comma");
    this.fail(`expected \`,\` or \`${close}\`, found ${this.describe(at)}`, at);
  }

  array(depth: number): JsonNode {
    const start = this.pos;
    this.tooDeep(depth, start);
    this.pos++;
    const items: JsonNode[] = [];
    let comma = start;
    this.skipBlank();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "array", items, span: { start, end: this.pos } };
    }
    while (true) {
      this.skipBlank();
      if (this.text[this.pos] === "]" && items.length > 0)
        this.fail("trailing comma before `]`", comma, comma + 1, "remove the last comma");
      items.push(this.value(depth));
      const after = this.afterItem("]");
      if (after === undefined) return { kind: "array", items, span: { start, end: this.pos } };
      comma = after;
    }
  }
}

/** Reads JSON text (a leading byte-order mark is skipped). Never throws. */
export function readJson(text: string, codes: JsonCodes, options: JsonReadOptions = {}): JsonReadResult {
  const reader = new Reader(text, codes, options.maxDepth ?? MAX_JSON_DEPTH);
  if (text.charCodeAt(0) === 0xfeff) reader.pos = 1;
  try {
    reader.skipBlank();
    if (reader.pos >= text.length) reader.fail("the file is empty; expected a JSON object", 0, 0);
    const root = reader.value(0);
    reader.skipBlank();
    if (reader.pos < text.length)
      reader.fail(`unexpected ${reader.describe(reader.pos)} after the end of the document`, reader.pos);
    return { root, diagnostics: reader.duplicates };
  } catch (error) {
    if (error instanceof SyntaxStop)
      return {
        root: undefined,
        diagnostics: [...reader.duplicates, error.diagnostic],
        syntaxError: error.bare,
      };
    // A RangeError (stack) cannot happen below MAX_JSON_DEPTH; anything else is a bug: report, never throw.
    const message = `cannot read the document (${String(error)})`;
    const span = { start: 0, end: 0 };
    return {
      root: undefined,
      diagnostics: [diagnostic(codes.syntax, `JSON syntax: ${message}`, span)],
      syntaxError: { message, span },
    };
  }
}

/** The node as plain data (what `JSON.parse` would return). */
export function toPlain(node: JsonNode): unknown {
  switch (node.kind) {
    case "object": {
      const out: Record<string, unknown> = {};
      // defineProperty: a `__proto__` key is data, not the object's prototype.
      for (const e of node.entries)
        Object.defineProperty(out, e.key, {
          value: toPlain(e.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    case "array":
      return node.items.map(toPlain);
    case "null":
      return null;
    default:
      return node.value;
  }
}

/** How a JSON value is named in messages: `a string`, `a number`, … */
export function kindOf(node: JsonNode): string {
  switch (node.kind) {
    case "object":
      return "an object";
    case "array":
      return "a list";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return `\`${node.value}\``;
    default:
      return "`null`";
  }
}
