/**
 * `--nice[=adjustment]` (spec `slurm.md` §8.14; SO `arg_set_nice()`): an optional signed integer
 * whose magnitude is at most 2147483645 (`NICE_OFFSET − 3`); without a value the adjustment is 100.
 * Negative values raise priority and need administrator rights (noted). We require the whole value
 * to be an integer; an empty value is 0, as `strtoll()` reads it.
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { show, withPlaceholderHint } from "./text.ts";

/** A parsed `--nice`: the scheduling priority adjustment. */
export interface Nice {
  readonly adjustment: number;
}

/** The largest magnitude sbatch accepts. */
export const MAX_NICE = 2147483645;

/** Parses `--nice`: `undefined` (no `=value`) → 100, `10` → 10, `-5` → −5. */
export function parseNice(text: string | undefined): ValueResult<Nice> {
  if (text === undefined)
    return ok({ adjustment: 100 }, ["`--nice` without a value lowers the priority by 100"]);
  if (typeof text !== "string") return fail("the value must be a string");
  if (text === "") return ok({ adjustment: 0 }, ["an empty value is read as 0 by sbatch"]);
  const n = strtol(text);
  if (!n.hasDigits || n.end < text.length) {
    return fail(
      withPlaceholderHint(`${show(text)} is not a whole number: \`--nice\` takes a signed integer`, text),
    );
  }
  if (n.value > BigInt(MAX_NICE) || n.value < -BigInt(MAX_NICE)) {
    return fail(`${show(text)} is out of range: \`--nice\` takes −${MAX_NICE} to ${MAX_NICE}`);
  }
  const adjustment = Number(n.value);
  return ok(
    { adjustment },
    adjustment < 0 ? ["a negative nice value raises priority and needs administrator rights"] : [],
  );
}
