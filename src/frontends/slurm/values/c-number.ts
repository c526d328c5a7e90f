/**
 * C's `strtol()`/`strtoll()` in base 10, as sbatch's handlers call them (PA `parse_int()`,
 * `str_to_mbytes()`, `_str_to_nodes()`, `get_signal_opts()`): skip leading C whitespace, an
 * optional sign, then digits; report where scanning stopped. The exact value is kept as a bigint
 * so callers can apply their own range rules (`int`, `long`, `uint16`) instead of inheriting
 * JavaScript's float rounding. Mirroring the scanner, not a regular expression, is what makes
 * ` 16G` and `+4` behave as they do in sbatch.
 */
import { isCSpace, isDigit } from "./text.ts";

/** The result of scanning one decimal number. */
export interface CNumber {
  /** The exact value (capped at ±10^40, far beyond any limit); 0 when no digits were found. */
  readonly value: bigint;
  /** Index just past the number; `start` itself when no digits were found (as C sets `endptr = nptr`). */
  readonly end: number;
  /** Whether at least one digit was read. */
  readonly hasDigits: boolean;
  /** Whether leading whitespace was skipped. */
  readonly leadingSpace: boolean;
}

/**
 * Numbers with more digits than this are all "too large" for every caller, so their exact value is
 * not computed (converting a megabyte of digits to a bigint would take seconds); `HUGE` stands in.
 */
const HUGE_DIGITS = 40;
const HUGE = 10n ** 40n;

/** Scans a base-10 number from `start` the way `strtol(text + start, &end, 10)` does. */
export function strtol(text: string, start = 0): CNumber {
  let i = start;
  while (isCSpace(text[i])) i++;
  const leadingSpace = i > start;
  let negative = false;
  if (text[i] === "+" || text[i] === "-") {
    negative = text[i] === "-";
    i++;
  }
  const first = i;
  while (isDigit(text[i])) i++;
  if (i === first) return { value: 0n, end: start, hasDigits: false, leadingSpace };
  const magnitude = i - first > HUGE_DIGITS ? HUGE : BigInt(text.slice(first, i));
  return { value: negative ? -magnitude : magnitude, end: i, hasDigits: true, leadingSpace };
}
