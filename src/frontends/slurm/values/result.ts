/**
 * The one result shape of every sbatch value parser in this folder (spec `slurm.md` §8). sbatch
 * validates each option value in its handler and aborts the submission on the first bad one
 * (SO `slurm_process_option_or_exit()`, §5.5); our parsers instead return the verdict as data so the
 * frontend can report every bad value of a script in one run (DESIGN invariant 3). A parser never
 * throws: a bad value is an `ok: false` with a message in the user's words.
 */

/** A rejected value: what is wrong, and valid spellings when one is evident. */
export interface ValueError {
  readonly ok: false;
  readonly message: string;
  readonly suggestions?: string[];
}

/**
 * A parser's verdict. `notes` are non-fatal remarks (rounding applied, an odd spelling sbatch
 * accepts); `suggestions` are complete values the same parser accepts.
 */
export type ValueResult<T> = { ok: true; value: T; notes?: string[] } | ValueError;

/** An accepted value; repeated notes are given once, and `notes` is omitted when empty. */
export function ok<T>(value: T, notes: readonly string[] = []): ValueResult<T> {
  return notes.length > 0 ? { ok: true, value, notes: [...new Set(notes)] } : { ok: true, value };
}

/** A rejected value; `suggestions` is omitted when empty. */
export function fail(message: string, suggestions: readonly string[] = []): ValueError {
  const unique = [...new Set(suggestions)];
  return unique.length > 0 ? { ok: false, message, suggestions: unique } : { ok: false, message };
}
