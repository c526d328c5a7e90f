/**
 * Node counts of `--nodes`/`-N` (spec `slurm.md` §8.4; PA `verify_node_count()`, `_str_to_nodes()`,
 * and the size-list form that newer Slurm accepts when the value contains `,` or `:`).
 *
 * `N` means exactly N nodes (`min = max = N`); `min-max` is a range, split at the **first** `-`,
 * where an empty minimum means 1 (so `-4` is `1-4`, a quirk we keep and note); an empty maximum
 * (`2-`) is rejected because sbatch reads it as −1 < min. A maximum of 0 disables the max check in
 * sbatch, so `4-0` means "at least 4"; we return no `max` and say so. Counts take the suffixes `k`
 * (×1024) and then `m` (×1048576) and may carry surrounding whitespace (`strtol()` plus sbatch's
 * "leftover is whitespace" test). A value with `,` or `:` is a list of allowed sizes (`1,2,4`,
 * `1-15:4` ≡ 1,5,9,13), each below 16384; min and max are its extremes and `sizes` lists them.
 * `0` is accepted, as sbatch does; whether it makes sense is the lowering's question.
 *
 * A host name or hostlist (`gpu[01-04]`) is not a count: the message points to `--nodelist`.
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { isCSpace, parseValue, show, withPlaceholderHint } from "./text.ts";

/** A node-count request: exactly `min` when `max === min`, a range, or a list of allowed `sizes`. */
export interface NodeCount {
  readonly min: number;
  readonly max?: number;
  readonly sizes?: number[];
}

/** Sizes in a size list must be below this (§8.4). */
export const MAX_NODE_LIST_SIZE = 16384;

const INT_MAX = 2147483647n;

/** Parses `--nodes`: `4` → 4..4, `2-4` → 2..4, `1,2,4` → sizes [1,2,4], `1-15:4` → sizes [1,5,9,13]. */
export function parseNodes(text: string): ValueResult<NodeCount> {
  return parseValue(text, scanNodes);
}

function scanNodes(text: string): ValueResult<NodeCount> {
  if (text === "")
    return fail("the node count is empty: write a number such as `4`, or a range such as `2-4`");
  if (text.includes(",") || text.includes(":")) return scanSizeList(text);
  const dash = text.indexOf("-");
  if (dash < 0) {
    const single = countOf(text);
    if (single.kind !== "count" || single.count === undefined) return rejectCount(text, single);
    return ok({ min: single.count, max: single.count }, single.notes);
  }
  const low = countOf(text.slice(0, dash));
  if (low.kind !== "count") return rejectCount(text, low);
  const high = countOf(text.slice(dash + 1));
  if (high.kind !== "count") return rejectCount(text, high);
  const notes = [...low.notes, ...high.notes];
  let min = low.count ?? -1;
  if (min < 0) {
    min = 1;
    notes.push(
      `${show(text)} has no minimum before the \`-\`: sbatch reads it as ${min}-${high.count ?? ""}`,
    );
  }
  const max = high.count ?? -1;
  if (max === 0) {
    notes.push(`a maximum of 0 means no maximum in sbatch: ${show(text)} asks for at least ${min} node(s)`);
    return ok({ min }, notes);
  }
  if (max < min) {
    return high.count === undefined
      ? fail(
          `${show(text)} has no maximum after the \`-\`: write \`${min}\` for exactly ${min} node(s), or \`${min}-N\` for a range`,
          [String(min)],
        )
      : fail(`${show(text)}: the maximum node count ${max} is less than the minimum ${min}`, [
          `${max}-${min}`,
        ]);
  }
  return ok({ min, max }, notes);
}

type Count =
  | { readonly kind: "count"; readonly count?: number; readonly notes: string[] }
  | { readonly kind: "not-a-count" }
  | { readonly kind: "too-large" };

/** `_str_to_nodes()`: a number with optional `k` then `m` suffix; no count when there are no digits. */
function countOf(text: string): Count {
  const number = strtol(text);
  if (!number.hasDigits) {
    return [...text].every((c) => isCSpace(c)) ? { kind: "count", notes: [] } : { kind: "not-a-count" };
  }
  let value = number.value;
  let end = number.end;
  const notes: string[] = [];
  if (text[end] === "k" || text[end] === "K") {
    value *= 1024n;
    end++;
    notes.push(`\`k\` multiplies a node count by 1024: ${show(text.trim())} is ${value} nodes`);
  }
  if (text[end] === "m" || text[end] === "M") {
    value *= 1048576n;
    end++;
    notes.push(`\`m\` multiplies a node count by 1048576: ${show(text.trim())} is ${value} nodes`);
  }
  if (![...text.slice(end)].every((c) => isCSpace(c))) return { kind: "not-a-count" };
  if (value > INT_MAX) return { kind: "too-large" };
  return { kind: "count", count: Number(value), notes };
}

function rejectCount(text: string, count: Count): ValueResult<NodeCount> {
  if (count.kind === "too-large") {
    return fail(`${show(text)} is too large: sbatch stores node counts in a 32-bit integer`);
  }
  if (/[[\]]/.test(text) || /[A-Za-z][A-Za-z_-]*\d/.test(text)) {
    return fail(
      `${show(text)} is a node list, not a node count: name nodes with \`--nodelist\` (\`-w\`); \`--nodes\` takes a number such as \`4\` or a range such as \`2-4\``,
    );
  }
  return fail(
    withPlaceholderHint(
      `${show(text)} is not a node count: write a number such as \`4\` or a range such as \`2-4\``,
      text,
    ),
  );
}

function scanSizeList(text: string): ValueResult<NodeCount> {
  const sizes = new Set<number>();
  for (const item of text.split(",")) {
    const where = (): string => (item === text ? show(text) : `${show(item)} in ${show(text)}`);
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(item);
    if (!m) {
      if (item === "") return fail(`${show(text)} has an empty item in its list of node counts`);
      if (/^\d+:\d+$/.test(item)) {
        return fail(`${where()}: a step (\`:N\`) needs a range before it, as in \`1-15:4\``);
      }
      return fail(
        withPlaceholderHint(
          `${where()} is not a node count: list items are \`N\`, \`N-M\` or \`N-M:STEP\``,
          text,
        ),
      );
    }
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (high >= MAX_NODE_LIST_SIZE || low >= MAX_NODE_LIST_SIZE) {
      return fail(`${where()} is too large: sizes in a node-count list must be below ${MAX_NODE_LIST_SIZE}`);
    }
    if (high < low) return fail(`${where()}: the range ends before it starts`);
    if (step < 1) return fail(`${where()}: the step must be at least 1`);
    for (let n = low; n <= high; n += step) sizes.add(n);
  }
  const sorted = [...sizes].sort((a, b) => a - b);
  const min = sorted[0] ?? 0;
  const max = sorted[sorted.length - 1] ?? min;
  return ok({ min, max, sizes: sorted }, [
    `${show(text)} is a list of acceptable node counts (${sorted.length > 8 ? `${sorted.slice(0, 8).join(", ")}, …` : sorted.join(", ")})`,
  ]);
}
