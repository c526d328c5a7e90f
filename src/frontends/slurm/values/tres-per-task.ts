/**
 * `--tres-per-task` (spec/slurm.md §7.2 grammar `type[/name]=count[,…]`, §8.6): trackable
 * resources per task. Two have a cloud meaning and are returned: `cpu=N` (what `--cpus-per-task=N`
 * asks for, and SLURM_CPUS_PER_TASK reports) and `gres/gpu[:type]=N` (what `--gpus-per-task=[type:]N`
 * asks for). Any other item (`license/…`, `gres/nvme=1`) is kept by name for the caller to report;
 * the types sbatch refuses per task (`mem`, `node`, `billing`…) are the caller's rule too
 * (spec §6.1), so they are returned among the others rather than rejected twice.
 *
 * A GRES item reads as a `--gres` item after its `gres/` prefix (`gres:` is read the same way,
 * as sbatch rewrites it), so `gres/gpu:a100=2`, `gres/gpu=2` and `gres/gpu:2` are two GPUs.
 */
import { resolveGresItem } from "./gres.ts";
import { parsePositiveInt } from "./int.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, replaceItem, show } from "./text.ts";

/** What `--tres-per-task` asks of each task. */
export interface TresPerTask {
  /** `cpu=N`. */
  readonly cpus?: number;
  /** `gres/gpu[:type]=N` (a count of 0 asks for none and is left out, as sbatch drops it). */
  readonly gpus?: { readonly type?: string; readonly count: number };
  /** Every other item, as written (`license/ansys=1`, `gres/nvme=1`). */
  readonly others: readonly string[];
}

/** Parses a `--tres-per-task` value. */
export function parseTresPerTask(text: string): ValueResult<TresPerTask> {
  return parseValue(text, scanTresPerTask);
}

function scanTresPerTask(text: string): ValueResult<TresPerTask> {
  if (text === "") return fail("the list is empty: write e.g. `cpu=4` or `gres/gpu:a100=2`");
  const items = text.split(",");
  let cpus: number | undefined;
  let gpus: { type?: string; count: number } | undefined;
  let gpuItem: string | undefined;
  const others: string[] = [];
  const notes: string[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (item === "") {
      notes.push(`${show(text)} has an empty item, which is skipped`);
      continue;
    }
    const inText = (fixed: string) => replaceItem(text, ",", index, fixed);
    const eq = item.indexOf("=");
    const kind = (eq < 0 ? item : item.slice(0, eq)).split(/[/:]/)[0]!.toLowerCase();
    if (kind === "cpu") {
      if (eq < 0 || item.slice(0, eq).toLowerCase() !== "cpu") {
        const written = /^cpu[:/](\d+)$/i.exec(item)?.[1];
        return fail(
          `${show(item)}: write the CPUs per task as \`cpu=N\``,
          written === undefined ? [] : [inText(`cpu=${written}`)],
        );
      }
      const count = parsePositiveInt(item.slice(eq + 1));
      if (!count.ok) return fail(`${show(item)}: ${count.message}`);
      if (cpus !== undefined) return fail(`${show(text)} gives \`cpu\` twice: write it once`);
      cpus = count.value;
      continue;
    }
    if (kind === "gres" && (item[4] === "/" || item[4] === ":")) {
      const gres = resolveGresItem(item.slice(5), item);
      if (!gres.ok) {
        // a suggestion comes as the whole item or as the part after the prefix
        const prefix = item.slice(0, 5);
        const whole = (s: string) => (s.startsWith(prefix) ? s : `${prefix}${s}`);
        return fail(
          gres.message,
          (gres.suggestions ?? []).map((s) => inText(whole(s))),
        );
      }
      for (const note of gres.notes ?? []) notes.push(note);
      if (gres.value.name !== "gpu") {
        others.push(item);
        continue;
      }
      if (gpuItem !== undefined) {
        return fail(
          `${show(text)} asks for GPUs twice (${show(gpuItem)} and ${show(item)}): a cloud node has one GPU model; write one \`gres/gpu\` item`,
        );
      }
      gpuItem = item;
      if (gres.value.count === 0) {
        notes.push(`${show(item)} asks for none: sbatch drops the item`);
        continue;
      }
      gpus =
        gres.value.type === undefined
          ? { count: gres.value.count }
          : { type: gres.value.type, count: gres.value.count };
      continue;
    }
    if (kind === "gpu") {
      // not a TRES type: GPUs are the GRES `gpu`
      return fail(`${show(item)}: GPUs per task are written \`gres/gpu[:type]=N\``, [inText(`gres/${item}`)]);
    }
    if (kind === "" || eq < 0 || item.slice(eq + 1) === "") {
      return fail(`${show(item)} is not a \`type[/name]=count\` item`);
    }
    others.push(item);
  }
  const value: TresPerTask = {
    ...(cpus !== undefined ? { cpus } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    others,
  };
  return ok(value, notes);
}
