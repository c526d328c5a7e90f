/**
 * From the parsed directive region to sbatch's argument vectors (spec §3.4–§3.5, §4 T5–T8): the
 * arguments of all directive lines, in order, split into heterogeneous-job components.
 *
 * Guarantees, per directive line, in sbatch's order:
 * - `#SLURM` is accepted with a warning (SBATCH006, rule D2);
 * - `hetjob`/`packjob` as the first word starts a new component (SBATCH015 error: flow rejects
 *   heterogeneous jobs) and the rest of the line is dropped; as a later word it is dropped and
 *   starts nothing (SBATCH015 warning) — both as sbatch does;
 * - an argument with no characters (`""`, a lone `\`) ends the line (T8); words dropped that way
 *   are reported (SBATCH005 warning);
 * - an unmatched quote (SBATCH007) or a leading `:` (SBATCH008) is an error; the word is kept so
 *   that the rest of the directives still read as sbatch would have read them;
 * - placeholders are filled from `set` (see fill-placeholders.ts).
 */
import type { CstNode, IToken } from "chevrotain";
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import type { Span } from "../../../source/source-file.ts";
import { type Argument, argumentFromWord } from "./argument.ts";
import { code } from "./code-text.ts";
import { fillPlaceholders, MAY_HOLD_PLACEHOLDER } from "./fill-placeholders.ts";
import { SlurmPrefix } from "./lexer.ts";

/** The directive region of a script, read into argument vectors. */
export interface DirectiveRegion {
  /** The argv of each heterogeneous-job component; component 0 is the job flow compiles. */
  readonly components: readonly (readonly Argument[])[];
  /** Comment lines of the region (column-0 and indented), in order. */
  readonly comments: readonly IToken[];
  /** The line that ended the region, if any. */
  readonly command: IToken | undefined;
  /** Directive lines ending in a lone `\` (sbatch has no line continuation): the backslash's offset. */
  readonly trailingBackslashes: readonly number[];
  readonly diagnostics: readonly Diagnostic[];
}

const HETJOB = /^(?:hetjob|packjob)$/i;

function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

function trimLineEnd(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && text.charCodeAt(end - 1) === 13) end--;
  return { start: span.start, end };
}

/** Reads the directive region of a parsed script. */
export function collectDirectives(
  text: string,
  script: CstNode,
  set: Readonly<Record<string, string>> | undefined,
): DirectiveRegion {
  const diagnostics: Diagnostic[] = [];
  const components: Argument[][] = [[]];
  const trailingBackslashes: number[] = [];
  const directives = (script.children.directive ?? []) as CstNode[];

  for (const directive of directives) {
    const prefix = (directive.children.prefix as IToken[])[0]!;
    if (prefix.tokenType === SlurmPrefix) {
      diagnostics.push(
        diagnostic(
          "SBATCH006",
          "`#SLURM` is an old directive prefix: sbatch still reads it but logs an error asking to change it",
          tokenSpan(prefix),
          {
            suggestions: [{ message: "write `#SBATCH`", replacement: "#SBATCH" }],
          },
        ),
      );
    }
    const words = (directive.children.Argument ?? []) as IToken[];
    const args = words.map((w) => argumentFromWord(text, w.startOffset, w.image));
    const commented = directive.children.TrailingComment !== undefined;
    for (let k = 0; k < args.length; k++) {
      const arg = args[k]!;
      const keyword = (arg.value.length === 6 || arg.value.length === 7) && HETJOB.test(arg.value);
      const raw = keyword ? text.slice(arg.span.start, arg.span.end) : "";
      if (k === 0 && keyword && raw === arg.value) {
        const rest = args.slice(1);
        diagnostics.push(
          diagnostic(
            "SBATCH015",
            `${code(raw)} starts a heterogeneous job component${raw.toLowerCase() === "packjob" ? " (`packjob` is the deprecated spelling of `hetjob`)" : ""}: flow compiles one homogeneous job and rejects heterogeneous ones`,
            arg.span,
            {
              notes: [
                ...(rest.length > 0
                  ? [
                      {
                        message: `sbatch drops the rest of this line: ${code(rest.map((a) => a.value).join(" "))} is not applied to any component`,
                        span: { start: rest[0]!.span.start, end: rest[rest.length - 1]!.span.end },
                      },
                    ]
                  : []),
                {
                  message:
                    "split the job into separate scripts, one per component, or submit them as one job with the largest shape",
                },
              ],
            },
          ),
        );
        components.push([]);
        break;
      }
      if (k > 0 && keyword) {
        diagnostics.push(
          diagnostic(
            "SBATCH015",
            `${code(text.slice(arg.span.start, arg.span.end))} after other words on the line is silently dropped by sbatch: it does not start a heterogeneous job component`,
            arg.span,
            {
              severity: "warning",
              suggestions: [
                {
                  message: `put ${code(`#SBATCH ${arg.value}`)} on a line of its own if a component was meant`,
                },
              ],
            },
          ),
        );
        continue;
      }
      if (arg.value === "") {
        const rest = args.slice(k + 1);
        if (rest.length > 0) {
          diagnostics.push(
            diagnostic(
              "SBATCH005",
              `sbatch stops reading this line at the empty argument ${code(text.slice(arg.span.start, arg.span.end))}: ${code(rest.map((a) => a.value).join(" "))} after it is not read`,
              arg.span,
              {
                severity: "warning",
                notes: [
                  {
                    message: "not read by sbatch",
                    span: { start: rest[0]!.span.start, end: rest[rest.length - 1]!.span.end },
                  },
                ],
                suggestions: [
                  { message: 'remove the empty argument, or attach it to its option (`--comment=""`)' },
                ],
              },
            ),
          );
        }
        if (rest.length === 0 && arg.loneBackslash && !commented) trailingBackslashes.push(arg.span.end - 1);
        break;
      }
      if (arg.unterminatedQuote !== undefined) {
        const q = text[arg.unterminatedQuote]!;
        diagnostics.push(
          diagnostic(
            "SBATCH007",
            `unmatched ${code(q)}: the quote is not closed on this line, and sbatch rejects the script`,
            trimLineEnd(text, { start: arg.unterminatedQuote, end: arg.span.end }),
            {
              suggestions: [
                { message: `close the quote with ${code(q)} (quotes do not continue onto the next line)` },
              ],
            },
          ),
        );
      }
      if (text.charCodeAt(arg.span.start) === 58 /* : */) {
        diagnostics.push(
          diagnostic(
            "SBATCH008",
            `${text.slice(arg.span.start, arg.span.end) === ":" ? "a lone `:`" : `${code(text.slice(arg.span.start, arg.span.end))} starts with \`:\``}: sbatch rejects the script ("Unexpected \`:\`"); on the command line \`:\` separates heterogeneous job components, which a script cannot do`,
            arg.span,
          ),
        );
      }
      if (k === args.length - 1 && arg.loneBackslash && !commented)
        trailingBackslashes.push(arg.span.end - 1);
      const component = components[components.length - 1]!;
      if (MAY_HOLD_PLACEHOLDER.test(arg.value))
        for (const word of fillPlaceholders(arg, set)) component.push(word);
      else component.push(arg);
    }
  }

  const bodyNode = (script.children.body as CstNode[] | undefined)?.[0];
  return {
    components,
    comments: (script.children.comment ?? []) as IToken[],
    command: (bodyNode?.children.CommandLine as IToken[] | undefined)?.[0],
    trailingBackslashes,
    diagnostics,
  };
}
