/**
 * What became of each `#SBATCH` directive (DESIGN invariant 1: nothing is silently dropped). The
 * lowering records one fate per option occurrence; `flow slurm convert` prints them as comments
 * and `flow slurm migrate` counts them.
 */
export type Fate = "mapped" | "emulated" | "ignored" | "unsupported" | "invalid" | "overridden" | "not-read";

export interface DirectiveFate {
  /** 1-based line of the directive (0 for SBATCH_* input variables). */
  readonly line: number;
  /** The option as written, with its value (`--gres=gpu:a100:4`, `-N 2`). */
  readonly text: string;
  /** Canonical long name (`gres`), or the raw text for lines that were not read. */
  readonly option: string;
  readonly fate: Fate;
  /** What it became (`instance_type 4xa100`) or why not (`no mail on the cloud`). */
  readonly detail: string;
}

export const FATES: readonly Fate[] = [
  "mapped",
  "emulated",
  "ignored",
  "unsupported",
  "invalid",
  "overridden",
  "not-read",
];
