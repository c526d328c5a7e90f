/**
 * The instance-type grammar, exactly: a hand-written scanner that accepts only what
 * `grammars/instance-type.ebnf` derives and, for anything else, names the first offending position
 * and what was expected there. It never repairs (that is `suggest.ts`) and never throws: every
 * string, however long or exotic, gets an answer in one left-to-right pass.
 */
import type { GpuSocket, InstanceTypeSpec } from "./ast.ts";
import { isGpuCount, MAX_GPU_COUNT, MAX_MEMORY_GB } from "./tokens.ts";

/** The strict verdict: a spec, or the UTF-16 offset of the first problem and what it is. */
export type StrictResult =
  | { readonly ok: true; readonly spec: InstanceTypeSpec }
  | { readonly ok: false; readonly at: number; readonly message: string };

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLower = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";
const isAsciiAlnum = (c: string | undefined) =>
  isDigit(c) || isLower(c) || (c !== undefined && c >= "A" && c <= "Z");

/** How a character is named in a message: quoted when printable, by name or code point otherwise. */
export function describeChar(text: string, at: number): string {
  const cp = text.codePointAt(at);
  if (cp === undefined) return "end of text";
  if (cp === 0x20) return "a space";
  if (cp === 0x09) return "a tab";
  if (cp === 0x0a || cp === 0x0d) return "a line break";
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f || /^[\s\p{C}]$/u.test(ch)) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return ch === "`" ? "a backtick" : `\`${ch}\``;
}

const fail = (at: number, message: string): StrictResult => ({ ok: false, at, message });

/** Input echoed in a message, shortened so that messages stay short whatever the input. */
const clip = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}…` : text);

/** Where a position is, for messages: after the (possibly shortened) text before it. */
function place(text: string, at: number): string {
  if (at === 0) return "at the start";
  const before = text.slice(Math.max(0, at - 24), at);
  return `after \`${at > 24 ? "…" : ""}${before}\``;
}

function unexpected(text: string, at: number, expected: string): StrictResult {
  const found = describeChar(text, at);
  return fail(at, `unexpected ${found} ${place(text, at)}; expected ${expected}`);
}

/** End of the model token starting at `start`, or -1 when no model token starts there. */
function scanModel(text: string, start: number): number {
  let i = start;
  while (isLower(text[i])) i++;
  if (i === start || !isDigit(text[i])) return -1;
  while (isDigit(text[i])) i++;
  while (isLower(text[i])) i++;
  return i;
}

function scanDigits(text: string, start: number): number {
  let i = start;
  while (isDigit(text[i])) i++;
  return i;
}

/** Checks a count's digits: no leading zero, 1 to MAX_GPU_COUNT. */
function countProblem(digits: string): string | undefined {
  if (digits.length > 1 && digits.startsWith("0")) {
    return `the GPU count \`${clip(digits)}\` has a leading zero`;
  }
  const n = Number(digits);
  if (!isGpuCount(n)) return `an instance has 1 to ${MAX_GPU_COUNT} GPUs, not ${clip(digits)}`;
  return undefined;
}

function parseFid(text: string): StrictResult {
  if (text.length === 3) return fail(3, "an FID continues after `it_` with letters and digits");
  for (let i = 3; i < text.length; i++) {
    if (!isAsciiAlnum(text[i])) {
      return unexpected(text, i, "only ASCII letters and digits after `it_` in an FID");
    }
  }
  return { ok: true, spec: { kind: "fid", fid: text } };
}

function parseShorthandWithCount(text: string): StrictResult {
  const countEnd = scanDigits(text, 0);
  if (text[countEnd] !== "x") return unexpected(text, countEnd, "`x` after the GPU count, as in `8xa100`");
  const digits = text.slice(0, countEnd);
  const modelEnd = scanModel(text, countEnd + 1);
  if (modelEnd < 0) {
    return unexpected(text, countEnd + 1, `a GPU model after \`${clip(digits)}x\`, as in \`8xa100\``);
  }
  if (modelEnd < text.length) return unexpected(text, modelEnd, "the end after the GPU model");
  const problem = countProblem(digits);
  if (problem) return fail(0, problem);
  return {
    ok: true,
    spec: { kind: "shorthand", gpu: text.slice(countEnd + 1, modelEnd), count: Number(digits) },
  };
}

function parseName(text: string, gpu: string, dash: number): StrictResult {
  const memStart = dash + 1;
  const memEnd = scanDigits(text, memStart);
  if (memEnd === memStart) {
    return unexpected(text, memStart, `the GPU memory after \`-\`, as in \`${clip(gpu)}-80gb\``);
  }
  const memDigits = text.slice(memStart, memEnd);
  if (text.slice(memEnd, memEnd + 2) !== "gb") {
    return unexpected(text, memEnd, "`gb` after the GPU memory size");
  }
  let i = memEnd + 2;
  if (text[i] !== ".") return unexpected(text, i, "`.` and then the socket and GPU count, as in `.sxm.1x`");
  i++;
  let socket: GpuSocket | undefined;
  for (const s of ["sxm", "pcie"] as const) {
    if (text.startsWith(`${s}.`, i)) {
      socket = s;
      i += s.length + 1;
      break;
    }
  }
  const countStart = i;
  const countEnd = scanDigits(text, countStart);
  if (countEnd === countStart) {
    const expected = socket
      ? "the GPU count, as in `1x`"
      : "the socket `sxm.` or `pcie.`, or the GPU count, as in `1x`";
    return unexpected(text, countStart, expected);
  }
  if (text[countEnd] !== "x") return unexpected(text, countEnd, "`x` after the GPU count");
  if (countEnd + 1 < text.length) return unexpected(text, countEnd + 1, "the end after the GPU count");
  if (/^0+$/.test(memDigits)) return fail(memStart, "the GPU memory must be at least 1 GB");
  if (memDigits.startsWith("0")) {
    return fail(memStart, `the GPU memory \`${clip(memDigits)}gb\` has a leading zero`);
  }
  if (Number(memDigits) > MAX_MEMORY_GB) {
    return fail(memStart, `the GPU memory \`${clip(memDigits)}gb\` is more than ${MAX_MEMORY_GB} GB`);
  }
  const problem = countProblem(text.slice(countStart, countEnd));
  if (problem) return fail(countStart, problem);
  const count = Number(text.slice(countStart, countEnd));
  const memoryGb = Number(memDigits);
  const spec: InstanceTypeSpec = socket
    ? { kind: "name", gpu, memoryGb, socket, count }
    : { kind: "name", gpu, memoryGb, count };
  return { ok: true, spec };
}

/** Parses `text` against the grammar exactly; no trimming, no case folding, no repairs. */
export function parseStrict(text: string): StrictResult {
  if (text.length === 0) return fail(0, "the instance type is empty");
  if (text.startsWith("it_")) return parseFid(text);
  if (isDigit(text[0])) return parseShorthandWithCount(text);
  const modelEnd = scanModel(text, 0);
  if (modelEnd < 0) {
    if (isLower(text[0])) {
      let i = 0;
      while (isLower(text[i])) i++;
      return unexpected(text, i, "digits in the GPU model, as in `a100` or `h100`");
    }
    return unexpected(
      text,
      0,
      "a GPU model (`a100`), a count and model (`8xh100`), a name (`a100-80gb.sxm.4x`) or an FID (`it_…`)",
    );
  }
  const gpu = text.slice(0, modelEnd);
  if (modelEnd === text.length) return { ok: true, spec: { kind: "shorthand", gpu, count: 1 } };
  if (text[modelEnd] === "-") return parseName(text, gpu, modelEnd);
  return unexpected(text, modelEnd, "the end, or `-` and the GPU memory of a name, as in `a100-80gb.sxm.1x`");
}
