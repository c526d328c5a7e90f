/**
 * `--gres` (spec `slurm.md` §8.5; SO `arg_set_gres()`, GRES `gres_prepend_tres_type()`, PD
 * `slurm_get_next_tres()`): a comma list of `name[:type][:count]` (or `name[:type]=count`), or one of
 * `none`, `help`, `list`. Counts are per node.
 *
 * Each item is resolved from the right as sbatch does: the text after the **last** `:` or `=` is the
 * count when it is a number (digits with an optional binary/decimal suffix such as `k`, `kb`, `g`,
 * `gib`), else — after a `:` — the type, with count 1. So `gpu:a100` is 1 GPU of type `a100`, and
 * `gpu:3090` is **3090 GPUs** (a trap we accept as sbatch does, with a note). A `gres/` (or `gres:`)
 * prefix is dropped. An item with count 0 is dropped; an empty count (`gpu:`) and a second type
 * are errors. Empty items between commas are skipped, as `strtok()` skips them.
 *
 * `help` and `list` make sbatch print the site's GRES and exit without submitting: not a request,
 * so they are rejected with that explanation. `(S:0-1)`-style suffixes belong to node configuration
 * and are rejected (the spec's recommendation).
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, placeholderHint, replaceItem, show, withPlaceholderHint } from "./text.ts";

/** One requested generic resource: `gpu:a100:4` → name `gpu`, type `a100`, count 4. */
export interface GresEntry {
  readonly name: string;
  readonly type?: string;
  readonly count: number;
}

/** A parsed `--gres` value; `none` gives no entries. */
export interface GresRequest {
  readonly entries: GresEntry[];
}

const SUFFIX: Readonly<Record<string, bigint>> = {
  k: 1024n,
  kib: 1024n,
  kb: 1000n,
  m: 1048576n,
  mib: 1048576n,
  mb: 1000000n,
  g: 1073741824n,
  gib: 1073741824n,
  gb: 1000000000n,
  t: 1099511627776n,
  tib: 1099511627776n,
  tb: 1000000000000n,
  p: 1125899906842624n,
  pib: 1125899906842624n,
  pb: 1000000000000000n,
};

/** Parses `--gres`: `gpu:4`, `gpu:a100:4`, `gpu`, `gpu:a100`, `gpu:2,nvme:1`, `none`. */
export function parseGres(text: string): ValueResult<GresRequest> {
  return parseValue(text, scanGres);
}

/**
 * A GRES count (PD `_is_valid_number()` with `suffix_mult()`): digits and an optional suffix;
 * `undefined` when `text` is not one, `"too-large"` beyond 2^53 − 1.
 */
export function gresCount(text: string): number | "too-large" | undefined {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(text);
  if (!m) return undefined;
  const suffix = (m[2] ?? "").toLowerCase();
  const mult = suffix === "" ? 1n : SUFFIX[suffix];
  if (mult === undefined) return undefined;
  if ((m[1] ?? "").length > 30) return "too-large";
  // The usual count (a few digits, no suffix) needs no big integers.
  if (suffix === "" && (m[1] ?? "").length <= 15) return Number(m[1]);
  const value = BigInt(m[1] ?? "0") * mult;
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? "too-large" : Number(value);
}

/**
 * Resolves one TRES item the way PD `slurm_get_next_tres()` does (without the `gres/` prefix),
 * shared with the `--gpus*` options, which prepend `gpu:` to each of their items (§8.6). The count
 * may be 0; callers drop such entries. `shown` is the text named in messages.
 */
export function resolveGresItem(item: string, shown: string = item): ValueResult<GresEntry> {
  if (item.includes("(")) {
    return fail(
      `${show(shown)}: parenthesised suffixes such as \`(S:0-1)\` or \`(IDX:0-3)\` describe node configuration, not a job request; write \`name[:type]:count\``,
    );
  }
  const cut = Math.max(item.lastIndexOf(":"), item.lastIndexOf("="));
  if (cut < 0) {
    if (item === "") return fail(`${show(shown)} names no resource`);
    return ok({ name: item, count: 1 }, hints(item, shown));
  }
  const separator = item[cut];
  const tail = item.slice(cut + 1);
  const head = item.slice(0, cut);
  if (tail === "") {
    return fail(`${show(shown)} ends with \`${separator}\`: write a count after it, as in \`${shown}1\``, [
      `${shown}1`,
    ]);
  }
  const count = gresCount(tail);
  if (count === "too-large") return fail(`${show(shown)}: the count ${show(tail)} is too large`);
  const notes: string[] = [];
  let type: string | undefined;
  let resolved = 1;
  if (count !== undefined) {
    resolved = count;
    if (!/^\d+$/.test(tail)) notes.push(`${show(tail)} is read as a count with a size suffix: ${count}`);
  } else if (separator === "=") {
    return fail(
      withPlaceholderHint(`${show(shown)}: \`=\` must be followed by a count, not \`${tail}\``, tail),
    );
  } else {
    type = tail;
  }
  let name = head;
  const colon = head.indexOf(":");
  if (colon >= 0) {
    if (type !== undefined) {
      return fail(
        `${show(shown)} names two types (\`${head.slice(colon + 1)}\` and \`${type}\`): write \`name:type:count\``,
      );
    }
    name = head.slice(0, colon);
    type = head.slice(colon + 1);
  }
  if (name === "" || name.includes("=")) return fail(`${show(shown)} names no resource before the \`:\``);
  if (type === "") return fail(`${show(shown)} has an empty type between \`:\`s`, [`${name}:${tail}`]);
  if (type === undefined && name === "gpu" && /^\d{3,}$/.test(tail)) {
    notes.push(
      `${show(shown)} asks for ${resolved} GPUs; if \`${tail}\` is a GPU type, write \`${shown}:1\``,
    );
  }
  notes.push(...hints(`${name}:${type ?? ""}`, shown));
  return ok(type === undefined ? { name, count: resolved } : { name, type, count: resolved }, notes);
}

function hints(text: string, shown: string): string[] {
  const hint = placeholderHint(text);
  return hint === undefined ? [] : [`${show(shown)}: ${hint}`];
}

function scanGres(text: string): ValueResult<GresRequest> {
  if (text === "") return fail("the GRES list is empty: write e.g. `gpu:4` or `gpu:a100:4`");
  const lower = text.toLowerCase();
  if (lower === "none") return ok({ entries: [] }, ["`none` requests no generic resources"]);
  if (lower === "help" || lower === "list") {
    return fail(
      `\`--gres=${text}\` is not a request: sbatch prints the cluster's GRES list and exits without submitting the job`,
    );
  }
  const entries: GresEntry[] = [];
  const notes: string[] = [];
  const items = text.split(",");
  for (let index = 0; index < items.length; index++) {
    const raw = items[index]!;
    if (raw === "") {
      notes.push(`${show(text)} has an empty item, which sbatch skips`);
      continue;
    }
    let item = raw;
    if (item.startsWith("gres/")) item = item.slice(5);
    else if (item.startsWith("gres:")) {
      item = item.slice(5);
      notes.push(`\`gres:\` in ${show(raw)} is dropped by sbatch; write \`${item}\``);
    }
    const entry = resolveGresItem(item, raw);
    if (!entry.ok)
      return fail(
        entry.message,
        (entry.suggestions ?? []).map((s) => replaceItem(text, ",", index, s)),
      );
    notes.push(...(entry.notes ?? []));
    if (entry.value.count === 0) {
      notes.push(`${show(raw)} asks for none: sbatch drops the item`);
      continue;
    }
    entries.push(entry.value);
  }
  return ok({ entries }, notes);
}
