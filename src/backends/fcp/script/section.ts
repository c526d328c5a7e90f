/**
 * A startup script is a sequence of named sections, each built by a pure function of the
 * TaskConfig. Keeping the name with the text lets the size budget report which part of the script
 * is large (DESIGN invariant 4), and keeping each section complete lines lets sections be
 * concatenated in any order without one running into the next.
 */

/** The two units the script limit applies to: UTF-8 bytes and Unicode code points. */
export interface TextSize {
  readonly bytes: number;
  readonly chars: number;
}

/** One named part of the startup script; `text` is complete lines, each ending in "\n". */
export interface ScriptSection {
  readonly name: string;
  readonly text: string;
  /** The size of `text`, when the section knows it without measuring the text again. */
  readonly size?: TextSize;
}

/**
 * UTF-8 bytes and Unicode code points of `text`, the two units the limit applies to. Pure ASCII
 * (the usual script) is answered by the byte count alone; otherwise code points are UTF-16 units
 * minus surrogate pairs.
 */
export function measure(text: string): TextSize {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes === text.length) return { bytes, chars: bytes };
  // The regular expression engine finds the pairs faster than a loop over every code unit.
  const pairs = text.match(SURROGATE_PAIR)?.length ?? 0;
  return { bytes, chars: text.length - pairs };
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** A text measured once, to be placed in many sections without being measured again. */
export interface MeasuredText extends TextSize {
  readonly text: string;
}

/** Measures `text` once (for a constant part of many scripts). */
export function measured(text: string): MeasuredText {
  const size = measure(text);
  return { text, bytes: size.bytes, chars: size.chars };
}

/**
 * A section made of parts in order: lines (measured here) and constant texts (each a text that
 * may span many lines, measured once by `measured`, placed as one line). Its size is that of its
 * parts, so the constants — the SLURM shim, the bulk of a SLURM job's script, and the `module`
 * functions — are neither copied nor scanned again per script.
 */
export function sectionOf(name: string, parts: readonly (readonly string[] | MeasuredText)[]): ScriptSection {
  let text = "";
  let bytes = 0;
  let chars = 0;
  for (const part of parts) {
    if (isLines(part)) {
      if (part.length === 0) continue;
      const lines = `${part.join("\n")}\n`;
      const size = measure(lines);
      text += lines;
      bytes += size.bytes;
      chars += size.chars;
    } else {
      text += `${part.text}\n`;
      bytes += part.bytes + 1;
      chars += part.chars + 1;
    }
  }
  return { name, text, size: { bytes, chars } };
}

function isLines(part: readonly string[] | MeasuredText): part is readonly string[] {
  return Array.isArray(part);
}

/**
 * Makes a section from lines given without their final "\n". A line may itself hold newlines
 * (a here-document body); the section still ends in exactly one "\n".
 */
export function section(name: string, lines: readonly string[]): ScriptSection {
  return { name, text: lines.length === 0 ? "" : `${lines.join("\n")}\n` };
}

/**
 * The script text of sections in order. Concatenated, not joined: the engine keeps the result as
 * a rope over the sections' texts (shared by every script of an array) and copies it into one
 * string only when it is read — a compile whose scripts are never read (a migration) never pays.
 */
export function joinSections(sections: readonly ScriptSection[]): string {
  let text = "";
  for (const s of sections) text += s.text;
  return text;
}
