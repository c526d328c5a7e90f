/**
 * Host lists of `--nodelist`/`-w` and `--exclude`/`-x` (spec `slurm.md` §8.4; PA
 * `verify_node_list()`, Slurm's hostlist syntax): names separated by commas (or whitespace, which
 * hostlist also splits on), where `prefix[1-4,7]suffix` expands to one name per number, keeping the
 * zero padding of the range's lower bound (`gpu[01-04]` → `gpu01` … `gpu04`). Several bracket groups
 * in one name expand as a product. Duplicates are dropped, first occurrence kept. A value containing
 * `/` is the path of a file of names, which only the submit host can read: we return the path.
 *
 * The lowering needs the distinct host count (without `-N`, it becomes the minimum node count,
 * §6.2). Expansion stops at `MAX_HOSTLIST_HOSTS` names so a typo like `n[0-99999999]` cannot
 * exhaust memory.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show, withPlaceholderHint } from "./text.ts";

/** A parsed host list: the expanded distinct names, or the path of a host file. */
export type NodeList =
  | { readonly kind: "hosts"; readonly hosts: string[] }
  | { readonly kind: "file"; readonly path: string };

/** The most names one host list may expand to. */
export const MAX_HOSTLIST_HOSTS = 65536;

/** Parses a host list: `gpu[01-02],cpu7` → `gpu01`, `gpu02`, `cpu7`; `./hosts.txt` → a file path. */
export function parseNodeList(text: string): ValueResult<NodeList> {
  return parseValue(text, scanNodeList);
}

function scanNodeList(text: string): ValueResult<NodeList> {
  if (text.trim() === "")
    return fail("the node list is empty: name hosts such as `gpu01,gpu02` or `gpu[01-04]`");
  if (text.includes("/"))
    return ok({ kind: "file", path: text }, [
      `${show(text)} contains \`/\`: sbatch reads it as a file of host names`,
    ]);
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if (c === "[") {
      if (depth > 0) return fail(`${show(text)} has a \`[\` inside brackets: ranges cannot nest`);
      depth++;
    } else if (c === "]") {
      if (depth === 0) return fail(`${show(text)} has a \`]\` without a matching \`[\``);
      depth--;
    }
    if (depth === 0 && (c === "," || c === " " || c === "\t" || c === "\n")) {
      items.push(current);
      current = "";
    } else current += c;
  }
  if (depth > 0) return fail(`${show(text)} has a \`[\` that is never closed`);
  items.push(current);
  const hosts = new Set<string>();
  for (const item of items.filter((i) => i !== "")) {
    const expanded = expandItem(item, text);
    if (!expanded.ok) return expanded;
    for (const host of expanded.value) {
      hosts.add(host);
      if (hosts.size > MAX_HOSTLIST_HOSTS) {
        return fail(`${show(text)} names more than ${MAX_HOSTLIST_HOSTS} hosts; check the ranges`);
      }
    }
  }
  return ok({ kind: "hosts", hosts: [...hosts] });
}

function expandItem(item: string, whole: string): ValueResult<string[]> {
  let names = [""];
  for (const piece of item.split(/(\[[^\]]*\])/)) {
    if (piece === "") continue;
    if (!piece.startsWith("[")) {
      names = names.map((n) => n + piece);
      continue;
    }
    const numbers = expandRanges(piece.slice(1, -1), whole);
    if (!numbers.ok) return numbers;
    if (names.length * numbers.value.length > MAX_HOSTLIST_HOSTS) {
      return fail(`${show(whole)} names more than ${MAX_HOSTLIST_HOSTS} hosts; check the ranges`);
    }
    names = names.flatMap((n) => numbers.value.map((v) => n + v));
  }
  return ok(names);
}

function expandRanges(body: string, whole: string): ValueResult<string[]> {
  const out: string[] = [];
  for (const range of body.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!m) {
      return fail(
        withPlaceholderHint(
          `${show(`[${body}]`)} in ${show(whole)} is not a host range: write numbers and ranges such as \`[01-04,07]\``,
          whole,
        ),
      );
    }
    const lowText = m[1] ?? "0";
    const low = Number(lowText);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (high < low) return fail(`${show(range)} in ${show(whole)}: the range ends before it starts`);
    if (high - low >= MAX_HOSTLIST_HOSTS) {
      return fail(`${show(whole)} names more than ${MAX_HOSTLIST_HOSTS} hosts; check the ranges`);
    }
    for (let n = low; n <= high; n++) out.push(String(n).padStart(lowText.length, "0"));
  }
  return ok(out);
}
