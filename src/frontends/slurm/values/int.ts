/**
 * Plain integers (spec `slurm.md` §8.1, mirroring PA `parse_int()`): decimal only, optional leading
 * whitespace and sign, then digits and nothing after. Negative values are always rejected; counts
 * that must be positive (`-n`, `-c`, `--ntasks-per-*`, `--cpus-per-gpu`, …) also reject 0; values
 * ≥ 2147483647 are rejected because sbatch stores them in a C `int`. `4x`, `0x10`, `1.0` are errors.
 *
 * One quirk is kept on purpose: `strtol()` reads an empty string as 0 without complaint, so sbatch
 * accepts `--core-spec=` as 0; we accept it too and say so in a note.
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { describeChar, isCSpace, parseValue, show, withPlaceholderHint } from "./text.ts";

/** Largest value sbatch accepts: `INT_MAX - 1` (`INT_MAX` itself is rejected as "too big"). */
export const MAX_INT_VALUE = 2147483646;

/** How `parseInteger` judges a value. */
export interface IntegerOptions {
  /** Reject 0 as well as negative numbers (PA `parse_int(…, positive = true)`). */
  readonly positive?: boolean;
  /** The option's name, used in messages (`--ntasks`). */
  readonly option?: string;
}

/**
 * Options whose value is a count that must be at least 1 (§7.2 "integer > 0"), all parsed by
 * PA `parse_int(…, true)`.
 */
export const POSITIVE_COUNT_OPTIONS = [
  "--ntasks",
  "--cpus-per-task",
  "--ntasks-per-node",
  "--tasks-per-node",
  "--ntasks-per-gpu",
  "--ntasks-per-core",
  "--ntasks-per-socket",
  "--ntasks-per-tres",
  "--cpus-per-gpu",
  "--threads-per-core",
  "--cores-per-socket",
  "--sockets-per-node",
  "--mincpus",
  "--thread-spec",
] as const;

/** One of `POSITIVE_COUNT_OPTIONS`. */
export type PositiveCountOption = (typeof POSITIVE_COUNT_OPTIONS)[number];

/** Parses a §8.1 integer: `--core-spec=2`, or with `positive` a count such as `--ntasks=16`. */
export function parseInteger(text: string, options: IntegerOptions = {}): ValueResult<number> {
  return parseValue(text, (t) => scanInteger(t, options));
}

/**
 * `--ntasks`, `--cpus-per-task`, `--ntasks-per-node` and the other `POSITIVE_COUNT_OPTIONS`: a §8.1
 * integer of at least 1. `option` only names the option in messages.
 */
export function parsePositiveInt(text: string, option?: PositiveCountOption): ValueResult<number> {
  return parseInteger(text, option === undefined ? { positive: true } : { positive: true, option });
}

function scanInteger(text: string, options: IntegerOptions): ValueResult<number> {
  const what = options.option === undefined ? "the value" : `\`${options.option}\``;
  const floor = options.positive ? 1 : 0;
  const number = strtol(text);
  if (!number.hasDigits) {
    if (text === "") {
      return options.positive
        ? fail(`${what} is empty: it needs a whole number of at least 1`)
        : ok(0, ["an empty value is read as 0 by sbatch (`strtol()` of an empty string)"]);
    }
    return fail(
      withPlaceholderHint(`${show(text)} is not a whole number: ${what} takes decimal digits only`, text),
    );
  }
  if (number.end < text.length) return trailingGarbage(text, number.end, what);
  if (number.value < BigInt(floor)) {
    const limit = options.positive ? "at least 1" : "0 or more";
    return fail(`${show(text)} is not allowed: ${what} must be ${limit}`, options.positive ? ["1"] : ["0"]);
  }
  if (number.value > BigInt(MAX_INT_VALUE)) {
    return fail(`${show(text)} is too large: sbatch accepts at most ${MAX_INT_VALUE} for ${what}`);
  }
  const notes = number.leadingSpace ? ["leading whitespace is ignored, as sbatch's `strtol()` does"] : [];
  return ok(Number(number.value), notes);
}

function trailingGarbage(text: string, end: number, what: string): ValueResult<number> {
  const head = text.slice(0, end);
  const rest = text.slice(end);
  if (/^0[xX][0-9a-fA-F]+$/.test(text.trim())) {
    const decimal = Number.parseInt(text.trim().slice(2), 16).toString();
    return fail(`${show(text)} is hexadecimal: ${what} takes decimal digits only; write \`${decimal}\``, [
      decimal,
    ]);
  }
  if (/^\.[0-9]+$/.test(rest)) {
    const whole = /^\.0+$/.test(rest);
    return fail(
      `${show(text)} is not a whole number: ${what} takes no decimals`,
      whole ? [head.trim().replace(/^\+/, "")] : [],
    );
  }
  if ([...rest].every((c) => isCSpace(c))) {
    return fail(`${show(text)} ends with whitespace, which sbatch rejects after a number`, [head.trim()]);
  }
  const first = [...rest][0] ?? "";
  return fail(
    withPlaceholderHint(
      `${show(text)} is not a whole number: ${what} takes decimal digits only, but ${describeChar(first)} follows \`${head.trim()}\``,
      text,
    ),
  );
}
