/**
 * A startup script is a sequence of named sections, each built by a pure function of the
 * TaskConfig. Keeping the name with the text lets the size budget report which part of the script
 * is large (DESIGN invariant 4), and keeping each section complete lines lets sections be
 * concatenated in any order without one running into the next.
 */

/** One named part of the startup script; `text` is complete lines, each ending in "\n". */
export interface ScriptSection {
  readonly name: string;
  readonly text: string;
}

/**
 * Makes a section from lines given without their final "\n". A line may itself hold newlines
 * (a here-document body); the section still ends in exactly one "\n".
 */
export function section(name: string, lines: readonly string[]): ScriptSection {
  return { name, text: lines.map((line) => `${line}\n`).join("") };
}

/** The script text of sections in order. */
export function joinSections(sections: readonly ScriptSection[]): string {
  return sections.map((s) => s.text).join("");
}
