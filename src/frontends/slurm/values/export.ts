/**
 * `--export` (spec `slurm.md` §8.9; SB `_fill_job_desc_from_opts()`, ENV `env_merge_filter()`,
 * `find_quote_token()`): `ALL`, `NONE`, `NIL` (whole value, any case), or a comma list of `ALL`,
 * `NAME` and `NAME=VALUE` items.
 *
 * Items are split at commas outside `'…'`/`"…"`; an item wrapped entirely in one pair of matching
 * quotes loses them, quotes anywhere else stay in the value (noted, because it surprises). Items
 * apply left to right and a later item with the same name replaces an earlier one — so in
 * `ALL,B=x` the explicit `x` wins (the code's behaviour, which the spec follows over MAN's prose).
 * `NAME=` sets an empty value. A list without `ALL` exports only the named variables (and `SLURM_*`),
 * with the login environment loaded as for `NONE`, hence mode `none`. `NONE`/`NIL` inside a list
 * are variable names, not keywords. An unmatched quote runs to the end of the value.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show } from "./text.ts";

/** One exported variable: a value given in the option, or a name whose submit-time value is taken. */
export interface ExportVar {
  readonly name: string;
  readonly value?: string;
}

/** A parsed `--export`: which environment the job starts from, and the named variables. */
export interface ExportSpec {
  /** `all`: the whole submit environment; `none`: `SLURM_*` plus login environment; `nil`: `SLURM_*` only. */
  readonly mode: "all" | "none" | "nil";
  readonly vars: ExportVar[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `--export`: `ALL`, `NONE`, `NIL`, `A,B=x`, `ALL,NCCL_SOCKET_IFNAME=eth0`. */
export function parseExport(text: string): ValueResult<ExportSpec> {
  return parseValue(text, scanExport);
}

function scanExport(text: string): ValueResult<ExportSpec> {
  if (text === "") return fail("the export list is empty: write `ALL`, `NONE`, or variables such as `A,B=x`");
  const keyword = text.toUpperCase();
  if (keyword === "ALL") return ok({ mode: "all", vars: [] });
  if (keyword === "NONE") return ok({ mode: "none", vars: [] });
  if (keyword === "NIL") return ok({ mode: "nil", vars: [] });
  const notes: string[] = [];
  const split = splitItems(text);
  if (split.unclosed)
    notes.push(`${show(text)} has an unmatched quote: sbatch reads to the end of the value`);
  let all = false;
  const vars = new Map<string, ExportVar>();
  for (const raw of split.items) {
    const item = unwrap(raw);
    if (item === "") {
      notes.push(`${show(text)} has an empty item, which is skipped`);
      continue;
    }
    if (item.toUpperCase() === "ALL") {
      all = true;
      continue;
    }
    const eq = item.indexOf("=");
    const name = eq < 0 ? item : item.slice(0, eq);
    if (name === "") {
      return fail(
        `${raw === text ? show(text) : `${show(raw)} in ${show(text)}`} has no variable name before \`=\``,
      );
    }
    if (!NAME.test(name)) notes.push(`\`${name}\` is not a valid shell variable name`);
    if (eq < 0 && (name.toUpperCase() === "NONE" || name.toUpperCase() === "NIL")) {
      notes.push(`\`${name}\` inside a list is a variable name, not the \`${name.toUpperCase()}\` keyword`);
    }
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    if (value !== undefined && /["']/.test(value) && raw === item) {
      notes.push(
        `the quotes in ${show(item)} are part of the value (only a whole item in quotes loses them)`,
      );
    }
    if (vars.has(name)) notes.push(`\`${name}\` is given more than once: the last one wins`);
    vars.delete(name);
    vars.set(name, value === undefined ? { name } : { name, value });
  }
  return ok({ mode: all ? "all" : "none", vars: [...vars.values()] }, notes);
}

/** `find_quote_token()`: commas inside `'…'` or `"…"` do not split. */
function splitItems(text: string): { items: string[]; unclosed: boolean } {
  const items: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const c of text) {
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ",") {
      items.push(current);
      current = "";
    } else current += c;
  }
  items.push(current);
  return { items, unclosed: quote !== undefined };
}

function unwrap(item: string): string {
  const q = item[0];
  if (item.length >= 2 && (q === '"' || q === "'") && item.endsWith(q) && !item.slice(1, -1).includes(q)) {
    return item.slice(1, -1);
  }
  return item;
}
