/**
 * `--hint` (spec `slurm.md` §8.14; PA `verify_hint()`): a list of `compute_bound`, `memory_bound`,
 * `multithread`, `nomultithread` in any case, separated by `;` or by `,` (a `,` followed by a digit
 * does not separate, as in sbatch). `help` prints the list and exits without submitting, so it is
 * rejected with that explanation, as is any unknown word or an empty item.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { nearest, parseValue, show } from "./text.ts";

/** The hints sbatch knows. */
export const HINTS = ["compute_bound", "memory_bound", "multithread", "nomultithread"] as const;

/** A parsed `--hint`: the hints in the order given, lowercase. */
export interface Hints {
  readonly hints: (typeof HINTS)[number][];
}

/** Parses `--hint`: `nomultithread`, `compute_bound,multithread`. */
export function parseHint(text: string): ValueResult<Hints> {
  return parseValue(text, (t): ValueResult<Hints> => {
    const hints: (typeof HINTS)[number][] = [];
    for (const word of t.replace(/,(?!\d)/g, ";").split(";")) {
      const lower = word.toLowerCase();
      if (lower === "help") {
        return fail(
          "`--hint=help` is not a hint: sbatch prints the list of hints and exits without submitting the job",
        );
      }
      const hint = HINTS.find((h) => h === lower);
      if (hint === undefined) {
        const guess = nearest(lower, [...HINTS]);
        return fail(
          `${show(word)} is not a hint: use ${HINTS.map((h) => `\`${h}\``).join(", ")}`,
          guess ? [t.replace(word, guess)] : [],
        );
      }
      hints.push(hint);
    }
    return ok({ hints });
  });
}
