/**
 * THE quoting function of the startup script (DESIGN invariant 5): every value that reaches the
 * shell goes through `shellQuote`, and for any string without NUL bash reads back exactly that
 * string — quotes, newlines, `$(…)`, backticks, backslashes, `!`, unicode. Single quotes are used
 * because nothing is special inside them except the closing quote itself, so the proof of
 * correctness is one line: `'` becomes `'\''` (close, escaped quote, reopen).
 *
 * Scripts are shipped as UTF-8, so a string is reproduced as its UTF-8 encoding; a lone UTF-16
 * surrogate (not valid Unicode, never produced by a YAML or text parser) cannot survive that
 * encoding and must be rejected before it gets here, as NUL is.
 */

/**
 * Words bash reads literally without quotes: no globbing, expansion, splitting or tilde. A leading
 * `=` is quoted anyway: `export A==x` is valid bash but reads as a typo (and shellcheck says so).
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * Bash reserved words. In command position a bare one is syntax, not a program name; elsewhere it
 * is harmless but reads as syntax to people and to shellcheck (SC1010), so it is always quoted.
 */
const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "case",
  "coproc",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "function",
  "if",
  "in",
  "select",
  "then",
  "time",
  "until",
  "while",
]);

/**
 * Quotes `value` as one shell word that bash expands to exactly `value`. Safe words
 * (`[A-Za-z0-9_@%+=:,./-]+`, not starting with `=`, not a reserved word) are left bare for
 * readability, the empty string becomes `''`, and everything else is single-quoted with `'`
 * written as `'\''`.
 *
 * @throws Error when `value` contains NUL, which no shell word (nor C string) can carry; the IR
 * rejects NUL earlier, so reaching this is a compiler bug.
 */
export function shellQuote(value: string): string {
  if (value.includes("\0")) {
    throw new Error("shellQuote: a NUL character cannot be passed through a shell word");
  }
  if (SAFE_WORD.test(value) && !RESERVED_WORDS.has(value)) return value;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * `shellQuote` for the first word of a simple command, where a bare `NAME=value` would be read as
 * an assignment: that is single-quoted too, so the word always names the program to run.
 */
export function shellQuoteCommandName(value: string): string {
  const quoted = shellQuote(value);
  if (quoted === value && value.includes("=")) return `'${value}'`;
  return quoted;
}

/** Whether `name` can be an environment variable name in bash: `^[A-Za-z_][A-Za-z0-9_]*$`. */
export function isValidEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
