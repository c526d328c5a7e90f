/**
 * Wording shared by the value parsers: how a user's value is quoted in a message, how an invisible
 * or non-ASCII character is named, and the two hints that explain most rejected values in real
 * scripts (`sbatch-in-the-wild.md` §4): a template placeholder (`$N`, `{{nodes}}`) that sbatch never
 * expands (spec `slurm.md` §4, OPT `get_argument()`), and a Unicode look-alike (en dash, no-break
 * space, full-width digits) where sbatch's byte-wise scanners need ASCII. Also the C notion of
 * whitespace (`isspace()` in the C locale), which `strtol()` skips.
 */
import { closest } from "../../../diagnostics/did-you-mean.ts";
import { fail, type ValueResult } from "./result.ts";

/** `isspace()` in the C locale: space, `\t`, `\n`, `\v`, `\f`, `\r`. */
export function isCSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
}

/** True when `c` is one ASCII digit. */
export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c.length === 1 && c >= "0" && c <= "9";
}

const INVISIBLE = /[\u0000-\u001f\u007f-\u00a0\u00ad\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]/gu;

/** Values longer than this are shortened in messages: their start, `…`, and their end. */
const SHOWN_LENGTH = 80;

/**
 * A user's value as it appears in a message: in backticks, invisible characters spelled `\u{…}`,
 * and a value longer than 80 characters shortened to its start and end.
 */
export function show(text: string): string {
  if (text === "") return "an empty value";
  const chars = text.length > SHOWN_LENGTH ? [...text.slice(0, SHOWN_LENGTH + 16)] : [...text];
  const short =
    chars.length > SHOWN_LENGTH
      ? `${chars.slice(0, 60).join("")}…${[...text.slice(-24)].slice(-10).join("")}`
      : text;
  const visible = short.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)?.toString(16).toUpperCase()}}`);
  return `\`${visible}\``;
}

/** One character named for a message: `` `x` `` for printable ASCII, else its code point too. */
export function describeChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  if (c === " ") return "a space";
  if (c === "\t") return "a tab";
  if (cp >= 0x21 && cp <= 0x7e) return `\`${c}\``;
  if (cp < 0x20 || cp === 0x7f) return `the control character ${hex}`;
  return `${show(c)} (${hex})`;
}

/** Placeholders of templating tools and shells, which sbatch reads literally (§4). */
const PLACEHOLDER =
  /\$\{?[A-Za-z_]|\{\{|\{%|\{[A-Za-z_][\w.]*\}|<[^<>]+>|@[A-Za-z_]+@|%[A-Z_]{2,}%|__[A-Z]+__/;

/** A sentence explaining that `text` looks like an unexpanded placeholder, or undefined. */
export function placeholderHint(text: string): string | undefined {
  if (!PLACEHOLDER.test(text)) return undefined;
  return "it looks like a template placeholder or shell variable: sbatch does not expand variables in `#SBATCH` lines, so it receives this text literally";
}

/** `message`, followed by the placeholder hint when `text` has one. */
export function withPlaceholderHint(message: string, text: string): string {
  const hint = placeholderHint(text);
  return hint === undefined ? message : `${message}; ${hint}`;
}

const LOOKALIKES: Readonly<Record<string, string>> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u2236": ":",
  "\u00a0": "",
  "\u200b": "",
  "\u200c": "",
  "\u200d": "",
  "\u2060": "",
  "\ufeff": "",
  "\u2018": "",
  "\u2019": "",
  "\u201c": "",
  "\u201d": "",
};

const ANY_LOOKALIKE =
  /[\u00a0\u200b-\u200d\u2010-\u2015\u2018\u2019\u201c\u201d\u2060\u2212\u2236\ufeff\uff01-\uff5e]/;

/** `text` with Unicode look-alikes replaced by the ASCII character they imitate (or removed). */
export function asciiLookalike(text: string): string {
  if (!ANY_LOOKALIKE.test(text)) return text;
  let out = "";
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0;
    const mapped = LOOKALIKES[c];
    if (mapped !== undefined) out += mapped;
    else if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xfee0);
    else out += c;
  }
  return out;
}

/**
 * Runs `parse` on a value and, when it is rejected but its ASCII look-alike is accepted, names the
 * offending character and suggests the ASCII spelling. Every suggestion that reaches the caller is
 * one `parse` accepts — others are dropped here — so a "did you mean" can always be applied as is.
 * Also the guard for callers that pass a non-string (JSON input, tests), so no parser can throw on
 * its argument's type.
 */
export function parseValue<T>(text: unknown, parse: (text: string) => ValueResult<T>): ValueResult<T> {
  if (typeof text !== "string") return fail("the value must be a string");
  const result = parse(text);
  if (result.ok) return result;
  const ascii = asciiLookalike(text);
  if (ascii !== text && parse(ascii).ok) {
    const odd = [...text].find((c) => asciiLookalike(c) !== c) ?? "";
    const replacement = asciiLookalike(odd);
    const what =
      replacement === "" ? "an invisible or typographic character" : `a look-alike of \`${replacement}\``;
    return fail(
      `${show(text)} contains ${describeChar(odd)}, ${what}: sbatch reads only ASCII here; write \`${ascii}\``,
      [ascii],
    );
  }
  const valid = (result.suggestions ?? []).filter((s) => s !== text && parse(s).ok);
  return fail(result.message, valid);
}

/** `text` with the `index`-th item of its `separator`-split list replaced by `item`. */
export function replaceItem(text: string, separator: string, index: number, item: string): string {
  return text
    .split(separator)
    .map((part, i) => (i === index ? item : part))
    .join(separator);
}

/** Words longer than this get no "did you mean": no option value is that long, and distance is quadratic. */
export const MAX_GUESS_LENGTH = 40;

/** The closest of `candidates` to `word` (diagnostics' `closest`), or undefined for long words. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  return word.length > MAX_GUESS_LENGTH ? undefined : closest(word, candidates);
}
