/**
 * `#BSUB` and `#PBS` lines (spec §3.6). sbatch translates one family into options — `#BSUB` if any
 * such line exists, else `#PBS` — searching the whole file until it has seen more than 100 lines not
 * starting with `#`, and applies them after the `#SBATCH` directives. flow does not translate them:
 * one SBATCH017 warning says so (with a note at every other line of the family), unless
 * `--ignore-pbs` is in effect, in which case sbatch ignores them too.
 */
import { type Diagnostic, diagnostic, type Note } from "../../../diagnostics/diagnostic.ts";
import type { Span } from "../../../source/source-file.ts";

const NON_COMMENT_LIMIT = 100;

function lineSpan(text: string, start: number, end: number): Span {
  let e = end;
  while (e > start && text.charCodeAt(e - 1) === 13) e--;
  return { start, end: e };
}

/** The SBATCH017 warning for the foreign directives sbatch would apply, if any. */
export function findForeignDirectives(text: string, ignorePbs: boolean): Diagnostic[] {
  if (ignorePbs || (!text.includes("#PBS") && !text.includes("#BSUB"))) return [];
  const bsub: Span[] = [];
  const pbs: Span[] = [];
  let nonComments = 0;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    if (text.startsWith("#BSUB", pos)) bsub.push(lineSpan(text, pos, nl));
    else if (text.startsWith("#PBS", pos)) pbs.push(lineSpan(text, pos, nl));
    else if (text.charCodeAt(pos) !== 35 /* # */ && ++nonComments > NON_COMMENT_LIMIT) break;
    pos = nl + 1;
  }
  const [family, lines] = bsub.length > 0 ? ["#BSUB", bsub] : ["#PBS", pbs];
  if (lines.length === 0) return [];
  const notes: Note[] = lines
    .slice(1)
    .map((span) => ({ message: `another ${family} line, also not applied`, span }));
  if (bsub.length > 0 && pbs.length > 0) {
    notes.push({
      message: "sbatch ignores the #PBS lines of this script because it has #BSUB lines",
      span: pbs[0]!,
    });
  }
  const count = lines.length === 1 ? `a ${family} directive` : `${lines.length} ${family} directives`;
  return [
    diagnostic(
      "SBATCH017",
      `${count} not applied: sbatch would translate ${family} lines into options (after the #SBATCH directives, so they would win); flow does not`,
      lines[0]!,
      {
        notes,
        suggestions: [
          {
            message:
              "write them as #SBATCH directives, or add `#SBATCH --ignore-pbs` to say they are not meant for sbatch",
          },
        ],
      },
    ),
  ];
}
