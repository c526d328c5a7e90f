/**
 * `--array` (spec `slurm.md` §8.7; JM `_valid_array_inx()`, PD `slurm_parse_array_tok()`, JM
 * `_create_job_array()`): comma-separated tokens `N`, `N-M` or `N-M:STEP`, each optionally wrapped
 * in `[` `]`, and a `%LIMIT` on the number of tasks running at once.
 *
 * The index set is the union of the tokens, returned sorted ascending without duplicates (sbatch
 * keeps it as a bitmap, so order and repetition in the value do not matter). A step is only allowed
 * after a range (`3:2` is an error), `M < N` and `STEP ≤ 0` are errors, and every index must be ≥ 0
 * and below the cluster's `MaxArraySize` (default 1001, so at most 1000; configurable here).
 * Empty tokens (`1,,2`) are skipped, as `strtok()` skips them.
 *
 * The limit is the number after the **first** `%` of the whole value; `%0` or `%` alone means no
 * limit. Tokens are cut at their own `%`, so sbatch still reads indices written after the limit
 * (`1-5%2,7`); we accept that and say so. Text after the limit's digits that is not another token
 * (`%2x`) is rejected. `step` is what sbatch exports as `SLURM_ARRAY_TASK_STEP`: the number after
 * the first `:` in the value, else 1.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { describeChar, parseValue, replaceItem, show, withPlaceholderHint } from "./text.ts";

/** A parsed job array. */
export interface ArraySpec {
  /** The array indices, ascending, each once. */
  readonly taskIds: number[];
  /** At most this many tasks run at once; absent means no limit. */
  readonly maxRunning?: number;
  /** `SLURM_ARRAY_TASK_STEP`: the number after the first `:` of the value, else 1. */
  readonly step: number;
}

/** The cluster setting that bounds indices; Slurm's default (RC `DEFAULT_MAX_ARRAY_SIZE`). */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/** The largest `MaxArraySize` Slurm allows. */
export const MAX_MAX_ARRAY_SIZE = 4000001;

/** Cluster settings that change what `parseArray` accepts. */
export interface ArrayOptions {
  /** Indices must be below this; default 1001, capped at 4000001. */
  readonly maxArraySize?: number;
}

/** Parses `--array`: `0-15` → 0…15; `0-15:4` → 0,4,8,12; `1,3,5%2` → 1,3,5 with 2 at once. */
export function parseArray(text: string, options: ArrayOptions = {}): ValueResult<ArraySpec> {
  return parseValue(text, (t) => scanArray(t, options));
}

function scanArray(text: string, options: ArrayOptions): ValueResult<ArraySpec> {
  const requested = options.maxArraySize ?? DEFAULT_MAX_ARRAY_SIZE;
  const max = Number.isInteger(requested)
    ? Math.min(Math.max(requested, 1), MAX_MAX_ARRAY_SIZE)
    : DEFAULT_MAX_ARRAY_SIZE;
  if (text === "") return fail("the array is empty: write indices such as `0-15`, `1,3,5` or `0-99%10`");
  const notes: string[] = [];
  const limit = readLimit(text, notes);
  if (!limit.ok) return limit;
  const member = new Uint8Array(max);
  const tokens = text.split(",");
  const firstPercent = text.indexOf("%");
  if (firstPercent >= 0 && text.indexOf(",", firstPercent) >= 0) {
    notes.push(`${show(text)}: sbatch still reads the indices after \`%\`; put \`%N\` at the very end`);
  }
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token === "") {
      notes.push(`${show(text)} has an empty item, which sbatch skips`);
      continue;
    }
    const percent = token.indexOf("%");
    const body = percent >= 0 ? token.slice(0, percent) : token;
    const range = readToken(body, text, max);
    if (!range.ok) {
      const whole = (range.suggestions ?? []).map((s) =>
        replaceItem(text, ",", index, token.replace(body, s)),
      );
      return fail(range.message, whole);
    }
    const { first, last, step } = range.value;
    for (let i = first; i <= last; i += step) member[i] = 1;
  }
  const taskIds: number[] = [];
  for (let i = 0; i < max; i++) if (member[i] === 1) taskIds.push(i);
  const colon = /:(\d+)/.exec(text);
  const step = colon ? Number(colon[1]) : 1;
  if (taskIds.length === 1) notes.push(`a single index is still an array: the task gets the array variables`);
  return ok(
    limit.value === undefined ? { taskIds, step } : { taskIds, maxRunning: limit.value, step },
    notes,
  );
}

function readLimit(text: string, notes: string[]): ValueResult<number | undefined> {
  const percent = text.indexOf("%");
  if (percent < 0) return ok(undefined);
  const after = text.slice(percent + 1);
  const digits = /^\d*/.exec(after)?.[0] ?? "";
  const rest = after.slice(digits.length);
  if (rest !== "" && !rest.startsWith(",")) {
    return fail(
      withPlaceholderHint(
        `${show(text)}: \`%\` must be followed by the number of tasks that may run at once, as in \`0-99%10\`, but ${describeChar([...rest][0] ?? "")} follows`,
        text,
      ),
    );
  }
  if (digits === "" || Number(digits) === 0) {
    notes.push(`\`%${digits}\` sets no limit: all tasks may run at once`);
    return ok(undefined);
  }
  if (Number(digits) > 2147483647) return fail(`${show(text)}: the limit \`%${digits}\` is too large`);
  return ok(Number(digits));
}

interface Range {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

function readToken(body: string, text: string, max: number): ValueResult<Range> {
  const where = (): string => (body === text ? show(text) : `${show(body)} in ${show(text)}`);
  const single = /^\[?(\d+)\]?$/.exec(body);
  const range = /^\[?(\d+)-(\d+)\]?(?::(\d+)\]?)?$/.exec(body);
  if (!single && !range) {
    if (body === "") return fail(`${show(text)} has no index before \`%\``);
    if (/^\[?-\d/.test(body)) return fail(`${where()}: array indices cannot be negative`);
    if (/^\[?\d+\]?:/.test(body)) {
      const n = /\d+/.exec(body)?.[0] ?? "0";
      return fail(`${where()}: a step (\`:N\`) is only allowed after a range, as in \`${n}-M:2\``);
    }
    if (/\s/.test(body)) {
      return fail(`${where()} contains whitespace: write the indices without spaces`, [
        body.replace(/\s+/g, ""),
      ]);
    }
    return fail(
      withPlaceholderHint(
        `${where()} is not an array index: write \`N\`, \`N-M\` or \`N-M:STEP\` (e.g. \`0-15:4\`)`,
        body,
      ),
    );
  }
  const first = Number(single ? single[1] : range?.[1]);
  const last = single ? first : Number(range?.[2]);
  const step = range?.[3] === undefined ? 1 : Number(range[3]);
  if (last < first) return fail(`${where()}: the range ends before it starts`, [`${last}-${first}`]);
  if (step <= 0) return fail(`${where()}: the step must be at least 1`);
  if (last >= max) {
    const setting =
      max === DEFAULT_MAX_ARRAY_SIZE ? "the default MaxArraySize is 1001" : `MaxArraySize is ${max}`;
    return fail(`${where()}: index ${last} is too large; ${setting}, so indices must be at most ${max - 1}`);
  }
  return ok({ first, last, step });
}
