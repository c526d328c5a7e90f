/**
 * Memory sizes of `--mem`, `--mem-per-cpu`, `--mem-per-gpu` and `--tmp` (spec `slurm.md` §8.3,
 * mirroring PA `str_to_mbytes()`): a non-negative decimal integer, optionally followed by one unit
 * letter `K`, `M`, `G` or `T` in either case, optionally followed by one `B`/`b`. No unit means MB.
 * All units are binary (sbatch's "MB" is MiB): `K` is divided by 1024 and rounded **up**, `G` is
 * ×1024, `T` ×1048576; so `16G`, `16GB`, `16g`, `16gb` and `16384` are the same request.
 * Decimals (`1.5G`), `GiB`, a space before the unit, `P` and a bare `B` are rejected, as sbatch does.
 * Leading whitespace and a `+` sign pass because sbatch reads the number with `strtoll()`.
 *
 * `--mem=0` is special (MAN `--mem`): all memory of each node; the value is 0 and a note says so.
 * Values whose MB count exceeds 2^53 − 1 are rejected (sbatch's own 64-bit arithmetic would
 * overflow not much later; no machine has that much memory).
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { describeChar, isCSpace, parseValue, show, withPlaceholderHint } from "./text.ts";

/** A memory request in MiB ("MB" in Slurm's words). */
export interface MemorySize {
  readonly mb: number;
}

/** The options whose value is a §8.3 size. */
export type MemoryOption = "--mem" | "--mem-per-cpu" | "--mem-per-gpu" | "--tmp";

/** How `parseMemory` names the option in messages and notes. */
export interface MemoryOptions {
  /** Which option the value belongs to; only `--mem` gives 0 its "whole node" meaning. Default `--mem`. */
  readonly option?: MemoryOption;
}

const UNIT_MB: Readonly<Record<string, bigint>> = { k: 1n, m: 1n, g: 1024n, t: 1048576n };

/** Parses a §8.3 size: `16G` → 16384, `1000mb` → 1000, `1500K` → 2 (rounded up), `0` → 0 (whole node). */
export function parseMemory(text: string, options: MemoryOptions = {}): ValueResult<MemorySize> {
  return parseValue(text, (t) => scanMemory(t, options.option ?? "--mem"));
}

function scanMemory(text: string, option: MemoryOption): ValueResult<MemorySize> {
  const number = strtol(text);
  if (!number.hasDigits) {
    if (text === "")
      return fail(`the size is empty: write a number of MB such as \`16000\`, or add a unit: \`16G\``);
    return fail(
      withPlaceholderHint(
        `${show(text)} is not a size: it must start with a number, as in \`16G\` or \`16000\` (MB)`,
        text,
      ),
    );
  }
  if (number.value < 0n) return fail(`${show(text)} is negative: a memory size must be 0 or more`);
  const rest = text.slice(number.end);
  const unit = /^([kKmMgGtT])[bB]?$/.exec(rest);
  if (rest !== "" && !unit) return explainUnit(text, number.value, rest);
  const letter = (unit?.[1] ?? "m").toLowerCase();
  const value = number.value;
  const mb = letter === "k" ? (value + 1023n) / 1024n : value * (UNIT_MB[letter] ?? 1n);
  if (mb > BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail(`${show(text)} is too large: no node has ${mb} MB of memory`);
  }
  const notes: string[] = [];
  if (number.leadingSpace) notes.push("leading whitespace is ignored, as sbatch's `strtoll()` does");
  if (letter === "k" && value % 1024n !== 0n) {
    notes.push(`sbatch rounds ${value}K up to whole MB: ${mb} MB`);
  }
  if (/^[KMGT]b$/.test(rest)) {
    notes.push(`\`${rest}\` is read as ${rest[0]?.toUpperCase()}B (bytes, binary): sbatch has no bit units`);
  }
  if (mb === 0n && option === "--mem") notes.push("`--mem=0` asks for all memory of each node");
  return ok({ mb: Number(mb) }, notes);
}

function explainUnit(text: string, value: bigint, rest: string): ValueResult<MemorySize> {
  const decimal = /^\.(\d+)([kKmMgGtT]?)([bB]?)$/.exec(rest);
  if (decimal) {
    const [, fraction = "", letter = "", b = ""] = decimal;
    const unit = (letter || "M").toUpperCase();
    const lower: Readonly<Record<string, string>> = { T: "G", G: "M", M: "K", K: "K" };
    const smaller = lower[unit] ?? "K";
    const amount = Number(`${value}.${fraction}`) * (unit === "K" ? 1 : 1024);
    const suggestion = `${Math.ceil(amount)}${smaller}${b}`;
    return fail(
      `${show(text)} has a decimal point: sbatch sizes are whole numbers; write \`${suggestion}\``,
      [suggestion],
    );
  }
  const iec = /^([kKmMgGtT])i[bB]$/.exec(rest);
  if (iec) {
    const suggestion = `${value}${iec[1]?.toUpperCase()}`;
    return fail(
      `${show(text)}: sbatch does not accept \`${rest}\`; its units are already binary, so write \`${suggestion}\``,
      [suggestion],
    );
  }
  const spaced = /^\s+([kKmMgGtT][bB]?)$/.exec(rest);
  if (spaced) {
    const suggestion = `${value}${spaced[1]}`;
    return fail(`${show(text)} has a space before the unit; write \`${suggestion}\``, [suggestion]);
  }
  if ([...rest].every((c) => isCSpace(c)) || /^[kKmMgGtT][bB]?\s+$/.test(rest)) {
    const suggestion = text.trim();
    return fail(`${show(text)} ends with whitespace, which sbatch rejects after a size`, [suggestion]);
  }
  if (/^[pP](?:i?[bB])?$/.test(rest)) {
    const suggestion = `${value * 1024n}T`;
    return fail(`${show(text)}: sbatch has no \`P\` unit (the largest is \`T\`); write \`${suggestion}\``, [
      suggestion,
    ]);
  }
  if (/^[bB]$/.test(rest)) {
    return fail(
      `${show(text)}: a bare \`B\` is not a unit; sbatch sizes are MB unless they end in \`K\`, \`M\`, \`G\` or \`T\` (e.g. \`${value}M\`)`,
    );
  }
  return fail(
    withPlaceholderHint(
      `${show(text)} has an unknown unit ${rest.length === 1 ? describeChar(rest) : show(rest)}: use \`K\`, \`M\`, \`G\` or \`T\` (optionally followed by \`B\`), or no unit for MB`,
      text,
    ),
  );
}
