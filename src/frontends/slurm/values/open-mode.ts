/**
 * `--open-mode` (spec `slurm.md` §8.14; SO `arg_set_open_mode()`): only the first letter counts —
 * `a`/`A` appends to the output files, `t`/`T` truncates them. Any other first letter is an error.
 * sbatch accepts `apple` as append; we do too, with a note.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show } from "./text.ts";

/** How the batch script's output files are opened. */
export interface OpenMode {
  readonly mode: "append" | "truncate";
}

/** Parses `--open-mode`: `append`, `truncate` (and anything starting with `a`/`t`). */
export function parseOpenMode(text: string): ValueResult<OpenMode> {
  return parseValue(text, (t): ValueResult<OpenMode> => {
    const first = t[0]?.toLowerCase();
    if (first !== "a" && first !== "t") {
      return fail(`${show(t)} is not an open mode: write \`append\` or \`truncate\``, ["append", "truncate"]);
    }
    const mode = first === "a" ? "append" : "truncate";
    const notes =
      t.toLowerCase() === mode ? [] : [`sbatch reads only the first letter: ${show(t)} means \`${mode}\``];
    return ok({ mode }, notes);
  });
}
