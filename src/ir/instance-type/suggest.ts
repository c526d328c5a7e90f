/**
 * Why a spelling was rejected and how to write it instead. Given a string the strict grammar
 * rejected, this recognises the mistakes people actually make (upper case, `a100x8`, `8*a100`,
 * vendor prefixes such as `nvidia-a100` or `gpu.nvidia.a100`, names without a count, the docs'
 * `a100.80gb.sxm`, legacy `a100.2x.SXM4.IB`, stray spaces) and says what each one is. Guarantees:
 * every suggestion it returns is accepted by the strict grammar, and it never throws.
 */
import { parseStrict } from "./parse-strict.ts";
import { GPU_MODEL_PATTERN, MAX_GPU_COUNT } from "./tokens.ts";

/** What is wrong with a rejected spelling (one sentence) and the valid spellings that fix it. */
export interface InstanceTypeDiagnosis {
  readonly message: string;
  readonly suggestions: string[];
}

/** Longer inputs are not repaired: no plausible instance type is this long. */
const MAX_REPAIR_LENGTH = 80;

const VENDOR_WORDS = new Set(["nvidia", "amd", "intel", "gpu", "gpus", "tesla", "geforce"]);
const NETWORK_WORDS = new Set(["ib", "ici", "infiniband", "roce", "eth", "ethernet"]);

/** FID prefixes of other FCP resources (fcp-api.md §3.1), by what they identify. */
const OTHER_FID_PREFIXES: Readonly<Record<string, string>> = {
  auc: "a spot auction",
  bid: "a spot bid",
  inst: "an instance",
  proj: "a project",
  vol: "a volume",
  sshkey: "an SSH key",
  res: "a reservation",
  apikey: "an API key",
  clust: "a Kubernetes cluster",
  imgver: "an image version",
};

interface Segment {
  readonly text: string;
  /** The separator text before this segment (empty for the first). */
  readonly before: string;
}

function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [];
  const re = /([\s._\-:*,/+]*)([^\s._\-:*,/+]+)/g;
  for (const m of text.matchAll(re)) out.push({ text: m[2] ?? "", before: m[1] ?? "" });
  return out;
}

/** What the segments of a non-FID spelling were recognised as. */
interface Parts {
  model?: string;
  modelIndex: number;
  count?: number;
  countIndex: number;
  countForm?: "Nx" | "xN" | "N" | "N-model" | "model-xN";
  memoryGb?: number;
  memoryUnit?: string;
  memorySeparator?: string;
  socket?: "sxm" | "pcie";
  socketWritten?: string;
  vendor: string[];
  network: string[];
  countTooLarge?: number;
  countLeadingZero?: string;
}

/** Recognises every segment or returns a reason why the spelling cannot be repaired. */
function recognise(segments: readonly Segment[]): Parts | string {
  const parts: Parts = { modelIndex: -1, countIndex: -1, vendor: [], network: [] };
  const setModel = (model: string, index: number): string | undefined => {
    if (parts.model !== undefined) return `it names two GPU models, \`${parts.model}\` and \`${model}\``;
    parts.model = model;
    parts.modelIndex = index;
    return undefined;
  };
  const setCount = (
    digits: string,
    form: NonNullable<Parts["countForm"]>,
    index: number,
  ): string | undefined => {
    if (parts.count !== undefined) return "it states the GPU count twice";
    const n = Number(digits);
    if (digits.length > 1 && digits.startsWith("0")) parts.countLeadingZero = digits;
    if (n === 0) return `an instance has 1 to ${MAX_GPU_COUNT} GPUs, not 0`;
    parts.count = n;
    parts.countForm = form;
    parts.countIndex = index;
    return undefined;
  };
  const setSocket = (seg: string, socket: string | undefined): string | undefined => {
    if (parts.socket !== undefined) return "it states the socket twice";
    parts.socket = socket === "sxm" ? "sxm" : "pcie";
    parts.socketWritten = seg;
    return undefined;
  };
  const setMemory = (seg: string, digits: string, unit: string, before: string): string | undefined => {
    if (parts.memoryGb !== undefined) return "it states the GPU memory twice";
    if (digits.startsWith("0")) return `the GPU memory \`${seg}\` has a leading zero`;
    parts.memoryGb = Number(digits);
    parts.memoryUnit = unit;
    parts.memorySeparator = before;
    return undefined;
  };
  /** Segment shapes, tried in order; the first whose pattern matches records what it found. */
  const rules: readonly [RegExp, (m: RegExpMatchArray, index: number, seg: Segment) => string | undefined][] =
    [
      [/^x$/, () => undefined],
      [/^(sxm|pcie|pci)[0-9]?$/, (m, _, seg) => setSocket(seg.text, m[1])],
      [/^([0-9]{1,5})(gb|g|gib)$/, (m, _, seg) => setMemory(seg.text, m[1] ?? "", m[2] ?? "", seg.before)],
      [/^([0-9]{1,4})x$/, (m, i) => setCount(m[1] ?? "", "Nx", i)],
      [/^x([0-9]{1,4})$/, (m, i) => setCount(m[1] ?? "", "xN", i)],
      [/^([0-9]{1,4})$/, (m, i) => setCount(m[1] ?? "", "N", i)],
      [
        /^([0-9]{1,4})(x?)([a-z]+[0-9]+[a-z]*)$/,
        (m, i) => setCount(m[1] ?? "", m[2] ? "Nx" : "N-model", i) ?? setModel(m[3] ?? "", i),
      ],
      [
        /^([a-z]+[0-9]+[a-z]*?)x([0-9]{1,4})$/,
        (m, i) => setModel(m[1] ?? "", i) ?? setCount(m[2] ?? "", "model-xN", i + 0.5),
      ],
      [GPU_MODEL_PATTERN, (m, i) => setModel(m[0], i)],
    ];
  for (const [index, seg] of segments.entries()) {
    if (VENDOR_WORDS.has(seg.text)) {
      parts.vendor.push(seg.text);
      continue;
    }
    if (NETWORK_WORDS.has(seg.text)) {
      parts.network.push(seg.text);
      continue;
    }
    const rule = rules.find(([pattern]) => pattern.test(seg.text));
    const m = rule ? seg.text.match(rule[0]) : null;
    if (!rule || !m) {
      return /^[a-z0-9]+$/.test(seg.text) ? `\`${seg.text}\` is not part of any instance-type spelling` : "";
    }
    const problem = rule[1](m, index, seg);
    if (problem) return problem;
  }
  if (parts.count !== undefined && parts.count > MAX_GPU_COUNT) {
    parts.countTooLarge = parts.count;
    parts.count = MAX_GPU_COUNT;
  }
  return parts;
}

/** The phrase for a count above the maximum: how many instances give that many GPUs. */
function tooManyPhrase(n: number): string {
  const instances =
    n % MAX_GPU_COUNT === 0
      ? `${n / MAX_GPU_COUNT} instances of ${MAX_GPU_COUNT} (\`num_instances: ${n / MAX_GPU_COUNT}\`)`
      : "several instances (`num_instances`)";
  return `an instance has at most ${MAX_GPU_COUNT} GPUs; for ${n} GPUs use ${instances}`;
}

/** Builds the repaired spelling and the phrases that say what was changed. */
function rebuild(parts: Parts, segments: readonly Segment[], phrases: string[]): string | undefined {
  const { model } = parts;
  if (model === undefined) return undefined;
  if (parts.vendor.length > 0) {
    phrases.push(
      `instance types name the GPU model only, without ${parts.vendor.map((w) => `\`${w}\``).join(" or ")}`,
    );
  }
  if (parts.memoryGb === undefined && parts.socket !== undefined) {
    phrases.push(
      "legacy names such as `a100.2x.SXM4.IB` are not accepted, and without the GPU memory no name fits",
    );
  } else if (parts.network.length > 0) {
    phrases.push(`the network (\`${parts.network.join(".")}\`) is not part of an instance type`);
  }
  if (parts.countLeadingZero !== undefined) {
    phrases.push(
      `write the GPU count without leading zeros: \`${parts.count}\`, not \`${parts.countLeadingZero}\``,
    );
  }
  const tooMany = parts.countTooLarge !== undefined ? [tooManyPhrase(parts.countTooLarge)] : [];
  if (parts.memoryGb === undefined) {
    if (parts.count === undefined) return model;
    if (parts.countIndex > parts.modelIndex) phrases.push("the count comes first");
    else if (parts.countForm === "N" || parts.countForm === "N-model" || parts.countForm === "xN") {
      phrases.push("the count is joined to the model by `x`");
    } else if (segments[parts.modelIndex]?.before && !/\s/.test(segments[parts.modelIndex]?.before ?? "")) {
      phrases.push("the count and the model are written together");
    }
    phrases.push(...tooMany);
    return `${parts.count}x${model}`;
  }
  phrases.push(...tooMany);
  const memory = `${parts.memoryGb}gb`;
  if (parts.memoryUnit !== "gb") phrases.push(`the GPU memory is written in \`gb\`: \`${memory}\``);
  if (parts.memorySeparator !== "-") {
    phrases.push(`a name joins the GPU model and memory with \`-\`: \`${model}-${memory}\``);
  }
  if (parts.socketWritten !== undefined && parts.socketWritten !== parts.socket) {
    phrases.push(`the socket in a name is \`${parts.socket}\`, without a generation`);
  }
  let socket = parts.socket;
  if (parts.count === undefined) {
    socket ??= "sxm";
    phrases.push(
      parts.socket === undefined
        ? "a name ends with the socket and the GPU count, as in `.sxm.1x`"
        : "a name ends with the GPU count, as in `.1x`",
    );
  } else if (parts.countForm !== "Nx") {
    phrases.push(`the GPU count in a name is written \`${parts.count}x\``);
  }
  const name = `${model}-${memory}.${socket ? `${socket}.` : ""}${parts.count ?? 1}x`;
  if (phrases.length === 0) phrases.push("names are written `{gpu}-{mem}gb.{socket}.{count}x`");
  return name;
}

function withSuggestion(
  phrases: readonly string[],
  candidate: string,
  strictMessage: string,
): InstanceTypeDiagnosis {
  const said = phrases.length > 0 ? phrases : [strictMessage];
  return { message: `${said.join("; ")}: write \`${candidate}\``, suggestions: [candidate] };
}

function diagnoseFid(text: string, phrases: string[], strictMessage: string): InstanceTypeDiagnosis {
  if (text.slice(0, 2) !== "it") phrases.push("the FID prefix is lowercase `it_`");
  if (text[2] !== "_") phrases.push("the FID prefix is `it_`, with an underscore");
  const candidate = `it_${text.slice(3)}`;
  const strict = parseStrict(candidate);
  if (strict.ok) return withSuggestion(phrases, candidate, strictMessage);
  return { message: strict.message, suggestions: [] };
}

/**
 * Explains why `text` is not an instance type and, where the intent is clear, how to write it.
 * `strictMessage` is the strict parser's message, used when no better explanation exists.
 */
export function diagnoseInstanceType(text: string, strictMessage: string): InstanceTypeDiagnosis {
  const trimmed = text.trim();
  if (text.length === 0) return { message: "the instance type is empty", suggestions: [] };
  if (trimmed.length === 0) return { message: "the instance type is only whitespace", suggestions: [] };
  if (text.length > MAX_REPAIR_LENGTH) return { message: strictMessage, suggestions: [] };
  const phrases: string[] = [];
  if (trimmed !== text) phrases.push("remove the whitespace around the instance type");
  if (/\s/.test(trimmed)) phrases.push("instance types contain no spaces");

  if (/^it[_-]/i.test(trimmed)) return diagnoseFid(trimmed.replace(/\s+/g, ""), phrases, strictMessage);
  const other = trimmed.match(/^([a-z]+)_[A-Za-z0-9]+$/);
  const resource = other ? OTHER_FID_PREFIXES[other[1] ?? ""] : undefined;
  if (resource !== undefined) {
    return {
      message: `\`${other?.[1]}_…\` is the FID of ${resource}, not of an instance type; instance-type FIDs start with \`it_\``,
      suggestions: [],
    };
  }

  let t = trimmed;
  if (t !== t.toLowerCase()) {
    phrases.push("instance types are lowercase");
    t = t.toLowerCase();
  }
  if (t.includes("×")) {
    phrases.push("the count is joined to the model by the letter `x`");
    t = t.replaceAll("×", "x");
  }
  if (parseStrict(t).ok) return withSuggestion(phrases, t, strictMessage);

  const segments = segmentsOf(t);
  const parts = recognise(segments);
  if (typeof parts === "string") {
    return {
      message: strictMessage.includes(parts) ? strictMessage : `${strictMessage} (${parts})`,
      suggestions: [],
    };
  }
  const candidate = rebuild(parts, segments, phrases);
  if (candidate === undefined) {
    const vendor = parts.vendor[0];
    const message = vendor
      ? `\`${vendor}\` is not an instance type; name the GPU model, such as \`a100\` or \`8xh100\``
      : strictMessage;
    return { message, suggestions: [] };
  }
  if (!parseStrict(candidate).ok) return { message: strictMessage, suggestions: [] };
  return withSuggestion(phrases, candidate, strictMessage);
}
