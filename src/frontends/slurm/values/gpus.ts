/**
 * `--gpus`/`-G`, `--gpus-per-node`, `--gpus-per-task`, `--gpus-per-socket` (spec `slurm.md` §8.6;
 * SO `arg_set_gpus*()`, PA `xfmt_tres()`): a comma list of `[type:]count`. sbatch prepends `gpu:` to
 * each item and hands it to the GRES item parser, so an item is read exactly like a `--gres` item
 * named `gpu` (§8.5, `resolveGresItem`): `a100:2` is 2 GPUs of type `a100`, `2` is 2 untyped GPUs,
 * `a100` alone is **1** GPU of type `a100`, and `$N` (an unexpanded variable) is 1 GPU of type `$N`
 * — accepted as sbatch does, with a note. Items with count 0 are dropped; empty items are skipped.
 *
 * The scope of the count (whole job, per node, per task, per socket) is the lowering's business;
 * the one grammar rule that depends on the option is checked here: `--gpus-per-task` cannot mix a
 * typed and an untyped item.
 */
import { resolveGresItem } from "./gres.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, replaceItem, show } from "./text.ts";

/** One GPU item: `a100:2` → type `a100`, count 2; `4` → count 4. */
export interface GpuEntry {
  readonly type?: string;
  readonly count: number;
}

/** A parsed GPU option value. */
export interface GpuRequest {
  readonly entries: GpuEntry[];
}

/** The options whose value is a §8.6 GPU list. */
export type GpuOption = "--gpus" | "--gpus-per-node" | "--gpus-per-task" | "--gpus-per-socket";

/** Which option `parseGpus` reads; it only matters for `--gpus-per-task`'s no-mixing rule. */
export interface GpuOptions {
  readonly option?: GpuOption;
}

/** Parses a GPU option value: `4`, `a100:4`, `a100:2,v100:1`. */
export function parseGpus(text: string, options: GpuOptions = {}): ValueResult<GpuRequest> {
  return parseValue(text, (t) => scanGpus(t, options.option));
}

function scanGpus(text: string, option: GpuOption | undefined): ValueResult<GpuRequest> {
  if (text === "") return ok({ entries: [] }, ["an empty value requests no GPUs"]);
  const entries: GpuEntry[] = [];
  const notes: string[] = [];
  const items = text.split(",");
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (item === "") {
      notes.push(`${show(text)} has an empty item, which sbatch skips`);
      continue;
    }
    const resolved = resolveGresItem(`gpu:${item}`, item);
    if (!resolved.ok) {
      return fail(
        resolved.message,
        (resolved.suggestions ?? []).map((s) => replaceItem(text, ",", index, s)),
      );
    }
    const { type, count } = resolved.value;
    notes.push(...(resolved.notes ?? []));
    if (type === "gpu") {
      notes.push(
        `\`${item}\` names a GPU type called \`gpu\`; for ${count} GPU(s) of any type write \`${count}\``,
      );
    } else if (type !== undefined && !item.includes(":") && !item.includes("=")) {
      notes.push(`\`${item}\` has no count: it is read as 1 GPU of type \`${type}\``);
    }
    if (count === 0) {
      notes.push(`${show(item)} asks for no GPUs: sbatch drops the item`);
      continue;
    }
    entries.push(type === undefined ? { count } : { type, count });
  }
  if (option === "--gpus-per-task") {
    const typed = entries.some((e) => e.type !== undefined);
    const untyped = entries.some((e) => e.type === undefined);
    if (typed && untyped) {
      return fail(
        `${show(text)}: \`--gpus-per-task\` cannot mix typed and untyped items; give every item a type, or none`,
      );
    }
  }
  return ok({ entries }, notes);
}
