/**
 * sbatch's file-name patterns (`--output`, `--error`, `--input`; spec/slurm.md §8.8, PF
 * `expand_stdio_fields()`), scanned once, here, for every layer: the SLURM frontend validates and
 * explains them, the FCP backend renders them into the startup script. One grammar, so what the
 * compiler accepts is exactly what the instance creates.
 *
 * Rules, in sbatch's order: `none` (any case) means `/dev/null`. A value containing **any**
 * backslash gets no substitution at all: the backslashes are removed and the rest is literal.
 * Otherwise, left to right: `%%` is `%`; `%` + optional digits + a known letter is a field, the
 * digits a zero-padding width (values above 9 act as 10; ignored for text fields); an unknown
 * letter, with or without digits, stays literally (`%q`, `%Y`); a lone `%` at the very end is
 * dropped.
 */

/** The pattern letters sbatch expands (§8.8 table). */
export const FILENAME_FIELDS = ["j", "J", "A", "a", "b", "s", "N", "n", "t", "u", "x", "r", "S"] as const;

/** One of `FILENAME_FIELDS`. */
export type FilenameField = (typeof FILENAME_FIELDS)[number];

/** A piece of a file-name template: literal text, or a field with an optional zero-padding width. */
export type FilenamePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "field"; readonly field: FilenameField; readonly pad?: number };

/** A parsed file name: adjacent text parts are always merged, so equal names have equal parts. */
export interface FilenameTemplate {
  readonly parts: FilenamePart[];
}

/** Widths above this act as this (§8.8). */
export const MAX_PAD = 10;

/** Fields whose value is a number (only these are zero-padded). */
export const NUMERIC_FIELDS: ReadonlySet<FilenameField> = new Set(["j", "J", "A", "a", "b", "n", "t", "r"]);

const KNOWN: ReadonlySet<string> = new Set(FILENAME_FIELDS);

/** What scanning found besides the template, for the frontend's explanations. */
export interface FilenameScan {
  readonly template: FilenameTemplate;
  readonly kind: "none" | "backslash" | "pattern";
  /** `%q`-style sequences kept literally, in order of first appearance. */
  readonly unknown: readonly string[];
  /** A lone `%` at the end was dropped. */
  readonly droppedPercent: boolean;
}

function pushText(parts: FilenamePart[], text: string): void {
  const last = parts[parts.length - 1];
  if (last?.kind === "text") parts[parts.length - 1] = { kind: "text", text: last.text + text };
  else parts.push({ kind: "text", text });
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Scans a file-name value exactly as sbatch expands it. Total; an empty value gives no parts. */
export function scanFilenamePattern(text: string): FilenameScan {
  if (text.length === 4 && text.toLowerCase() === "none") {
    return {
      template: { parts: [{ kind: "text", text: "/dev/null" }] },
      kind: "none",
      unknown: [],
      droppedPercent: false,
    };
  }
  if (text.includes("\\")) {
    const literal = text.replaceAll("\\", "");
    return {
      template: { parts: literal === "" ? [] : [{ kind: "text", text: literal }] },
      kind: "backslash",
      unknown: [],
      droppedPercent: false,
    };
  }
  const parts: FilenamePart[] = [];
  let unknown: Set<string> | undefined;
  let droppedPercent = false;
  let i = 0;
  while (i < text.length) {
    const percent = text.indexOf("%", i);
    if (percent < 0) {
      pushText(parts, text.slice(i));
      break;
    }
    if (percent > i) pushText(parts, text.slice(i, percent));
    i = percent;
    if (text.charCodeAt(i + 1) === 37 /* % */) {
      pushText(parts, "%");
      i += 2;
      continue;
    }
    let j = i + 1;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    const digits = text.slice(i + 1, j);
    const letter = text[j];
    if (letter === undefined && digits === "") {
      droppedPercent = true;
      break;
    }
    if (letter !== undefined && KNOWN.has(letter)) {
      const field = letter as FilenameField;
      parts.push(
        digits === ""
          ? { kind: "field", field }
          : { kind: "field", field, pad: Math.min(Number(digits), MAX_PAD) },
      );
      i = j + 1;
      continue;
    }
    unknown ??= new Set();
    unknown.add(`%${digits}${letter ?? ""}`);
    pushText(parts, `%${digits}`);
    i = j;
  }
  return { template: { parts }, kind: "pattern", unknown: unknown ? [...unknown] : [], droppedPercent };
}
