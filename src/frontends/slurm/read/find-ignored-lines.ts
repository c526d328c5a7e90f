/**
 * Lines that look like directives but that sbatch does not read (spec §3.2 D1, §3.3), each reported
 * as SBATCH005 with the reason: indented, `##SBATCH`, `# SBATCH`, the wrong case, or after the first
 * command (with a note at that command); and a first command that was meant to continue a
 * directive ending in `\`. Nothing that looks like a directive goes unmentioned, and prose comments
 * do not: a comment counts only when an option follows its `sbatch`/`slurm` word.
 *
 * The scan after the first command only looks past each line's leading blanks, so it stays linear.
 */
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import { lineIndexOf, type SourceFile, type Span } from "../../../source/source-file.ts";

const LOOKALIKE = /^([ \t\v\f\r]*)((?:#[ \t\v\f\r]*)+)(sbatch|slurm)[ \t\v\f\r]*([-\u2010-\u2015\u2212])?/i;

function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13 && c !== 10);
}

function lineEnd(text: string, from: number, end: number): number {
  let e = end;
  while (e > from && text.charCodeAt(e - 1) === 13) e--;
  return e;
}

/** Why sbatch does not take a comment line (text of the line) as a directive; undefined if it is no look-alike. */
function lookalikeReason(
  line: string,
): { reason: string; prefixLength: number; disabled: boolean } | undefined {
  const m = LOOKALIKE.exec(line);
  if (!m || m[4] === undefined) return undefined;
  const indent = m[1] ?? "";
  const marks = m[2] ?? "";
  const word = m[3] ?? "";
  const prefixLength = indent.length + marks.length + word.length;
  if (indent !== "")
    return {
      reason: "it is indented: sbatch reads directives only at the very start of a line",
      prefixLength,
      disabled: false,
    };
  if (marks.indexOf("#", 1) > 0) {
    return {
      reason: `\`${marks}${word}\` is a comment (the usual way to disable a directive)`,
      prefixLength,
      disabled: true,
    };
  }
  if (marks !== "#")
    return {
      reason: `the blank after \`#\` makes \`${marks}${word}\` a comment`,
      prefixLength,
      disabled: false,
    };
  if (word !== "SBATCH" && word !== "SLURM") {
    return {
      reason: `\`#${word}\` is not \`#SBATCH\`: the prefix is case-sensitive`,
      prefixLength,
      disabled: false,
    };
  }
  return undefined;
}

/** SBATCH005 for look-alike comments in the directive region (`comments`: their start and text). */
export function findIgnoredComments(
  comments: readonly { readonly startOffset: number; readonly image: string }[],
  text: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of comments) {
    const found = lookalikeReason(c.image);
    if (!found) continue;
    const imageEnd = c.startOffset + c.image.length;
    const span = {
      start: c.startOffset,
      end: lineEnd(text, c.startOffset, text.charCodeAt(imageEnd - 1) === 10 ? imageEnd - 1 : imageEnd),
    };
    const fixSpan = { start: c.startOffset, end: c.startOffset + found.prefixLength };
    out.push(
      diagnostic("SBATCH005", `sbatch does not read this line as a directive: ${found.reason}`, span, {
        suggestions: found.disabled
          ? []
          : [
              {
                message: "write `#SBATCH` at the start of the line if it is meant as a directive",
                replacement: "#SBATCH",
                span: fixSpan,
              },
            ],
      }),
    );
  }
  return out;
}

/** SBATCH005 for directive-like lines after the first command (which starts at `command`). */
export function findDirectivesAfterCommand(file: SourceFile, command: Span): Diagnostic[] {
  const text = file.text;
  const out: Diagnostic[] = [];
  const commandLine = lineIndexOf(file, command.start) + 1;
  const commandSpan = { start: command.start, end: lineEnd(text, command.start, command.end) };
  let pos = command.end;
  while (pos < text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    let p = pos;
    while (p < nl && isBlank(text.charCodeAt(p))) p++;
    if (p < nl && text.charCodeAt(p) === 35 /* # */) {
      const line = text.slice(pos, nl);
      const exact = p === pos && (line.startsWith("#SBATCH") || /^#SLURM(?:[ \t\v\f\r-]|$)/.test(line));
      if (exact || lookalikeReason(line) !== undefined) {
        out.push(
          diagnostic(
            "SBATCH005",
            `sbatch does not read this line: it comes after the first command (line ${commandLine}), where sbatch stops reading directives`,
            { start: p, end: lineEnd(text, p, nl) },
            {
              notes: [{ message: "sbatch stops reading directives at this command", span: commandSpan }],
              suggestions: [{ message: `move it above line ${commandLine} if it is meant as a directive` }],
            },
          ),
        );
      }
    }
    pos = nl + 1;
  }
  return out;
}

/**
 * SBATCH005 for a first command that continues a directive ending in `\`: sbatch has no line
 * continuation, so the line is a shell command and ends the directives.
 */
export function findFalseContinuation(
  file: SourceFile,
  backslashes: readonly number[],
  command: Span,
): Diagnostic[] {
  const commandLine = lineIndexOf(file, command.start);
  const at = backslashes.find((offset) => lineIndexOf(file, offset) + 1 === commandLine);
  if (at === undefined) return [];
  return [
    diagnostic(
      "SBATCH005",
      "sbatch does not read this line as part of the directive above: a trailing `\\` is no line continuation for sbatch, so this line is a shell command and ends the directives",
      { start: command.start, end: lineEnd(file.text, command.start, command.end) },
      {
        notes: [{ message: "sbatch drops this backslash", span: { start: at, end: at + 1 } }],
        suggestions: [{ message: "start the line with `#SBATCH` instead of continuing the one above" }],
      },
    ),
  ];
}
