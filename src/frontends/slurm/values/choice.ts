/**
 * The small closed grammars of spec `slurm.md` §7.2 and §8.14 whose options the cloud ignores but
 * sbatch still validates (§5.5): `--kill-on-invalid-dep` (`yes`/`no`), `--wait-all-nodes` and
 * `--oom-kill-step` (`0`/`1`), `--no-kill` (`set`/`off`/`no`), `--requeue` (`expedite`),
 * `--priority` (0…4294967293 or `TOP`) and `--segment` (0…65533). Keywords in any case.
 */
import { parseInteger } from "./int.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show } from "./text.ts";

/** One of `words` (any case); the value is the word as listed. */
function oneOf(text: string, words: readonly string[], what: string): ValueResult<string> {
  return parseValue(text, (t): ValueResult<string> => {
    const word = words.find((w) => w.toLowerCase() === t.toLowerCase());
    if (word !== undefined) return ok(word);
    return fail(`${show(t)} is not ${what}: write ${words.map((w) => `\`${w}\``).join(" or ")}`, [...words]);
  });
}

/** An integer from `min` to `max`. */
function between(text: string, min: number, max: number): ValueResult<number> {
  const v = parseInteger(text);
  if (!v.ok) return v;
  if (v.value < min || v.value > max)
    return fail(`${show(text.trim())} is out of range: write ${min} to ${max}`);
  return v;
}

/** `--kill-on-invalid-dep`: `yes` or `no`. */
export const parseYesNo = (text: string) => oneOf(text, ["yes", "no"], "yes or no");

/** `--wait-all-nodes`, `--oom-kill-step`: `0` or `1`. */
export const parseZeroOne = (text: string) => between(text, 0, 1);

/** `--no-kill=`: `set` (on), `off` or `no` (off). */
export const parseNoKill = (text: string) => oneOf(text, ["set", "off", "no"], "a --no-kill mode");

/** `--requeue=`: only `expedite`. */
export const parseRequeue = (text: string) => oneOf(text, ["expedite"], "a --requeue mode");

/** `--priority`: 0…4294967293, or `TOP`. */
export function parsePriority(text: string): ValueResult<number | "TOP"> {
  if (text.trim().toLowerCase() === "top") return ok("TOP");
  const v = parseValue(text, (t): ValueResult<number> => {
    if (!/^\+?\d+$/.test(t))
      return fail(`${show(t)} is not a priority: write a whole number or \`TOP\``, ["TOP"]);
    const n = Number(t);
    return n <= 4294967293 ? ok(n) : fail(`${show(t)} is out of range: write 0 to 4294967293, or \`TOP\``);
  });
  return v;
}

/** `--segment`: an unsigned 16-bit count, 0…65533. */
export const parseUint16 = (text: string) => between(text, 0, 65533);
