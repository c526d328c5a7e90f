/**
 * Feature expressions of `--constraint`/`-C`, `--prefer` and `--batch` (spec `slurm.md` §8.13;
 * JS `_feature_string2list()`; MAN `--constraint`): features joined by `&` (AND) and `|` (OR),
 * evaluated strictly left to right; `,` is rewritten to `&`. A feature or a `( … )` group may carry
 * a count `*N` (N ≥ 1); parentheses cannot nest; at most one `[ … ]` group (matching OR / multiple
 * counts) per job, with no count after it. Features are site-defined node labels, so any text
 * without operators, brackets, `*` or whitespace is a feature.
 *
 * `gpuModelFromFeatures` recognises the GPU-model labels real clusters use (`a100`, `a100-80gb`,
 * `nvidia_a100-sxm4-80gb`, `v100-32g`, `volta32gb`, `v100l`, `gpu_a100`, `rtx8000`, `l40s`, …; any
 * case) and returns one model token, as the spec's recommendation for inferring the GPU type asks:
 * only when the features name exactly one model.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { describeChar, parseValue, show, withPlaceholderHint } from "./text.ts";

/** A parsed feature expression. */
export interface ConstraintSpec {
  /** The distinct feature names, in order of first appearance. */
  readonly features: string[];
  /** The expression as sbatch stores it: the value with `,` rewritten to `&`. */
  readonly expression: string;
}

/** A GPU model named by node features: a lowercase model token and, when the label says, its memory. */
export interface GpuModel {
  readonly model: string;
  readonly memoryGb?: number;
}

const OPERATORS = "&|,()[]*";

/** Parses `--constraint`: `a100`, `v100-32g|a100`, `gpu&(a100|h100)`, `[rack1*2&rack2*4]`. */
export function parseConstraint(text: string): ValueResult<ConstraintSpec> {
  return parseValue(text, scanConstraint);
}

function stopWith(message: string): Stop {
  return { message };
}

/** Why the expression is not valid; parsing stops at the first one. */
interface Stop {
  readonly message: string;
}

function scanConstraint(text: string): ValueResult<ConstraintSpec> {
  if (text === "") return fail("the feature expression is empty: write a feature such as `a100`");
  const space = /\s/.exec(text);
  if (space) {
    const squeezed = text.trim().replace(/\s*([&|,()[\]*])\s*/g, "$1");
    return fail(
      `${show(text)} contains ${describeChar(space[0])}: features and operators are written without spaces`,
      /\s/.test(squeezed) ? [] : [squeezed],
    );
  }
  const features: string[] = [];
  let pos = 0;
  let parens = 0;
  let bracketSeen = false;
  let inBracket = false;

  const at = (): string => text[pos] ?? "";
  const where = (): string =>
    pos >= text.length ? "at the end" : `at ${describeChar(at())} (position ${pos + 1})`;

  const count = (): Stop | undefined => {
    if (at() !== "*") return undefined;
    pos++;
    const m = /^\d+/.exec(text.slice(pos));
    if (!m || Number(m[0]) < 1) return stopWith(`\`*\` must be followed by a count of at least 1 ${where()}`);
    pos += m[0].length;
    return undefined;
  };

  const term = (): Stop | undefined => {
    const c = at();
    if (c === "(") {
      if (parens > 0) return stopWith("parentheses cannot nest");
      parens++;
      pos++;
      const inner = expression();
      if (inner) return inner;
      if (at() !== ")") return stopWith(`a \`(\` is not closed ${where()}`);
      parens--;
      pos++;
      return count();
    }
    if (c === "[") {
      if (inBracket) return stopWith("brackets cannot nest");
      if (bracketSeen) return stopWith("only one `[…]` group is allowed");
      bracketSeen = true;
      inBracket = true;
      pos++;
      const inner = expression();
      if (inner) return inner;
      if (at() !== "]") return stopWith(`a \`[\` is not closed ${where()}`);
      inBracket = false;
      pos++;
      if (at() === "*") return stopWith("a count `*N` cannot follow `]`");
      return undefined;
    }
    const start = pos;
    while (pos < text.length && !OPERATORS.includes(at())) pos++;
    if (pos === start) return stopWith(`a feature name is missing ${where()}`);
    const name = text.slice(start, pos);
    if (!features.includes(name)) features.push(name);
    return count();
  };

  const expression = (): Stop | undefined => {
    const first = term();
    if (first) return first;
    while (at() === "&" || at() === "|" || at() === ",") {
      pos++;
      const next = term();
      if (next) return next;
    }
    return undefined;
  };

  const stop =
    expression() ??
    (pos < text.length ? stopWith(`unexpected ${describeChar(at())} (position ${pos + 1})`) : undefined);
  if (stop)
    return fail(withPlaceholderHint(`${show(text)} is not a feature expression: ${stop.message}`, text));
  const notes = text.includes(",") ? ["`,` between features means AND; sbatch stores it as `&`"] : [];
  return ok({ features, expression: text.replaceAll(",", "&") }, notes);
}

/**
 * GPU model tokens (lowercase), longest first so `a100` wins over `a10` and `l40s` over `l40`. The
 * one vocabulary of GPU models: gres/gpus types and constraint features are read with it, and the
 * cloud mapping (`gpu-models.ts`) covers every entry (a test holds it to that).
 */
export const GPU_MODELS: readonly string[] = [
  "a100",
  "a10g",
  "a10",
  "a30",
  "a40",
  "a800",
  "a6000",
  "a5000",
  "a4500",
  "a4000",
  "a2",
  "h100",
  "h200",
  "h800",
  "gh200",
  "b200",
  "b100",
  "gb200",
  "l40s",
  "l40",
  "l4",
  "v100",
  "p100",
  "p40",
  "p4",
  "t4",
  "k80",
  "k40",
  "m60",
  "m40",
  "rtx8000",
  "rtx6000",
  "rtx5000",
  "rtx4090",
  "rtx4080",
  "rtx3090",
  "rtx3080",
  "rtx2080ti",
  "rtx2080",
  "gtx1080ti",
  "gtx1080",
  "titanrtx",
  "titanv",
  "titanx",
  "mi300x",
  "mi250x",
  "mi250",
  "mi210",
  "mi100",
  "mi50",
].sort((a, b) => b.length - a.length);

/** Other spellings of a model, with the memory the alias implies. */
const ALIASES: Readonly<Record<string, GpuModel>> = {
  // architecture names some sites give their GPU types: the datacenter GPU of the generation
  kepler: { model: "k80" },
  pascal: { model: "p100" },
  volta: { model: "v100" },
  turing: { model: "t4" },
  ampere: { model: "a100" },
  hopper: { model: "h100" },
  v100l: { model: "v100", memoryGb: 32 },
  v100s: { model: "v100", memoryGb: 32 },
  v100x: { model: "v100" },
  rtxa6000: { model: "a6000" },
  rtxa5000: { model: "a5000" },
  rtxa4000: { model: "a4000" },
  quadrortx8000: { model: "rtx8000" },
  quadrortx6000: { model: "rtx6000" },
  titanrtx: { model: "titanrtx" },
  "3090": { model: "rtx3090" },
  "4090": { model: "rtx4090" },
  "2080ti": { model: "rtx2080ti" },
  "1080ti": { model: "gtx1080ti" },
};

const VENDOR = /^(?:gpu|nvidia|tesla|geforce|quadro|amd|instinct)$/;

/**
 * Whether `type` names only a vendor or product line (`tesla`, `nvidia`, `nvidia-tesla`), no
 * model: sites label GPUs that way, and it says as little as no type at all.
 */
export function namesNoModel(type: string): boolean {
  const tokens = type.toLowerCase().split(/[-_.:]/);
  return tokens.some((t) => t !== "") && tokens.every((t) => t === "" || VENDOR.test(t));
}
const FORM = /^(?:sxm\d?|pcie|nvlink|nvl|hbm\d?e?|fat)$/;

/**
 * The one GPU model the features name, or undefined when they name none or several different
 * ones: `["a100-80gb", "ib"]` → `{ model: "a100", memoryGb: 80 }`; `["v100-16g", "v100-32g"]` →
 * `{ model: "v100" }` (same model, memory left open); `["a100", "h100"]` → undefined.
 */
export function gpuModelFromFeatures(features: readonly string[]): GpuModel | undefined {
  const found = features.map(modelOf).filter((m): m is GpuModel => m !== undefined);
  const first = found[0];
  if (first === undefined || found.some((m) => m.model !== first.model)) return undefined;
  const memories = new Set(found.map((m) => m.memoryGb));
  return memories.size === 1 && first.memoryGb !== undefined ? first : { model: first.model };
}

/**
 * The GPU model one name denotes — a constraint feature or a gres/gpus type (`a100-80gb`,
 * `tesla_v100`, `nvidia_h100_sxm`, `rtx_3080`) — or undefined when it names none.
 */
export function gpuModelOf(feature: string): GpuModel | undefined {
  return modelOf(feature);
}

function modelOf(feature: string): GpuModel | undefined {
  const tokens = feature
    .toLowerCase()
    .split(/[-_.:]/)
    .filter((t) => t !== "" && !VENDOR.test(t))
    .map((t) => (t.startsWith("gpu") && t.length > 3 ? t.slice(3) : t));
  for (let span = Math.min(3, tokens.length); span >= 1; span--) {
    for (let startAt = 0; startAt + span <= tokens.length; startAt++) {
      const head = tokens.slice(startAt, startAt + span).join("");
      const model = modelToken(head);
      if (model === undefined) continue;
      const tail = [...tokens.slice(0, startAt), ...tokens.slice(startAt + span)];
      let memoryGb = model.memoryGb;
      let fits = true;
      for (const t of tail) {
        const mem = /^(\d+)(?:g|gb)?$/.exec(t);
        if (mem && Number(mem[1]) >= 4 && Number(mem[1]) <= 512) memoryGb = Number(mem[1]);
        else if (!FORM.test(t)) fits = false;
      }
      if (fits) return memoryGb === undefined ? { model: model.model } : { model: model.model, memoryGb };
    }
  }
  return undefined;
}

/** A model token with an optional attached memory (`volta32gb`, `a10080gb` is not one). */
function modelToken(token: string): GpuModel | undefined {
  const alias = ALIASES[token];
  if (alias) return alias;
  if (GPU_MODELS.includes(token)) return { model: token };
  for (const model of GPU_MODELS) {
    if (!token.startsWith(model)) continue;
    const mem = /^(\d+)gb?$/.exec(token.slice(model.length));
    if (mem && !/^\d/.test(model.slice(-1))) return { model, memoryGb: Number(mem[1]) };
  }
  for (const [alias, model] of Object.entries(ALIASES)) {
    const mem = token.startsWith(alias) ? /^(\d+)gb?$/.exec(token.slice(alias.length)) : null;
    if (mem && /\D$/.test(alias)) return { model: model.model, memoryGb: Number(mem[1]) };
  }
  return undefined;
}
